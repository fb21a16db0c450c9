// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/requestrecord.h"
#include "model/run.h"

#include <span>
#include <string>
#include <vector>

namespace t2i {

// One worker's billed life, reconstructed from what the platform reported: the worker id and
// timings of each job (RunPod's workerId, delayTime, executionTime) and the worker counters of
// its health route sampled over the run. Times are ms on the run's clock.
struct WorkerLife {
    std::string workerId; // "" for a worker seen only in the health samples (it never got a job)
    double bootStartMs = 0; // the worker started booting (billed from here when booting is billed)
    double readyMs = 0; // it could take jobs
    double stopMs = 0; // its idle timeout ran out after its last job (or after it became ready)
    double busyOkMs = 0; // execution of ok jobs on it; concurrent jobs share the time they overlap
    double busyFailedMs = 0; // the same for failed jobs
    bool alwaysOn = false; // a keep-warm worker: paid by keep_warm, never stops
    bool preExisting = false; // alive before the run began (billed from the run's start)
    bool bootMeasured = false; // its boot start was seen in the health samples (else estimated)
    bool jobless = false; // booted and stopped without running a job
};

struct LifetimeParams {
    double idleTimeoutMs = 0; // the platform's scale-down window
    int alwaysOnWorkers = 0; // min / active workers
};

// Every worker the run paid for. With health samples, workers that booted but never got a job
// and the boot start of every worker come from the samples' initializing and ready counts (at
// the sampling interval's resolution); without them a boot is estimated from the first job's
// wait and jobless workers are not seen. docs/cost.md ("Worker lifetimes") gives the rules.
std::vector<WorkerLife> reconstructWorkers(
    std::span<const RequestRecord> records, std::span<const WorkerSample> samples, const LifetimeParams& params);

} // namespace t2i
