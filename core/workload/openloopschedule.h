// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"

#include <cstdint>
#include <optional>
#include <random>

namespace t2i {

// The intended send times of an open-loop step (constant, poisson, ramp, burst), as offsets in
// ms from the step's start. The plan is fixed before anything is sent, so a slow platform can
// never slow the load down (no coordinated omission).
class OpenLoopSchedule {
public:
    OpenLoopSchedule(const WorkloadStep& step, std::uint64_t seed);
    // The next request's offset, or nullopt when the step has sent all it plans to.
    std::optional<double> next();
    // How long the step is planned to last, in ms (for the ETA).
    double plannedMs() const { return m_plannedMs; }

private:
    std::optional<double> offsetOf(std::int64_t index);
    WorkloadStep m_step;
    std::mt19937_64 m_random;
    std::int64_t m_index = 0;
    double m_poissonClock = 0;
    double m_plannedMs = 0;
    std::optional<std::int64_t> m_maxRequests;
    std::optional<double> m_durationMs;
};

} // namespace t2i
