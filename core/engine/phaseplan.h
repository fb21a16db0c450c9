// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "workload/openloopschedule.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace t2i {

// One stretch of a workload with a single shape: the warm-up, one level of a closed sweep, an
// open-loop step or a cold probe. The engine runs phases one after another, each to its end
// (in-flight requests included), so every record belongs to exactly one phase.
struct Phase {
    int step = 0; // -1: warm-up
    int level = 0;
    StepKind kind = StepKind::Closed;
    std::string kindName; // "warmup", "closed", ...
    double offered = 0; // concurrency, or requests/s (a ramp's mean rate)
    int concurrency = 1; // closed
    std::optional<std::int64_t> maxRequests;
    std::optional<double> durationMs;
    std::shared_ptr<OpenLoopSchedule> schedule; // open-loop kinds
    int repeat = 1; // cold probe
    double idleMs = 0; // cold probe
    double waitForZeroMs = 60000; // cold probe: the most it waits for the health endpoint to show zero
    double plannedMs = 0; // for the ETA; 0 when it cannot be known in advance
    std::string label() const;
};

std::vector<Phase> planPhases(const WorkloadConfig& workload, std::uint64_t seed);

} // namespace t2i
