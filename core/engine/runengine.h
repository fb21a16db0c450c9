// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "engine/adapter.h"
#include "engine/runclock.h"
#include "transport/httptransport.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace t2i {

// The run's budget (docs/cost.md, "Budget"): the runner prices it (core/cost/budgetpricing.h),
// the engine only adds up. capUsd 0: no budget.
struct EngineBudget {
    double capUsd = 0;
    double jobWorstCaseUsd = 0; // committed for each job when it is submitted
    // What the finished jobs cost by the cost model, for a run nowMs long.
    std::function<double(std::span<const RequestRecord> finished, std::span<const WorkerSample> samples, double nowMs)>
        spentUsd;
};

struct EngineSettings {
    WorkloadConfig workload;
    VariantConfig variant;
    PromptConfig promptConfig;
    std::vector<std::string> prompts; // never empty
    double timeoutMs = 300000; // per request, submit to last image byte
    double coldThresholdMs = 250; // a first job on a new worker that waited this long was a cold start
    int maxThrottleRetries = 8; // 429s honoured per request before it counts as throttled
    double throttleBackoffMs = 1000; // wait after a 429 without Retry-After (doubles each time)
    double cancelGraceMs = 10000; // how long cancel requests may take when a run is cancelled
    double progressIntervalMs = 250;
    RateLimits rateLimits; // the platform's request budget per operation (docs/measurement.md)
    // Status polls in flight at once (held polls aside). Jobs submitted together fall due
    // together; this sends their polls as a steady stream over up to a thousand connections instead
    // of a burst over one connection each (HTTP/1.1). Enough for 5,000 polls/s (10,000 jobs polled
    // every 2 s) at 200 ms round trips; 256 fell behind there (docs/performance.md).
    int maxPollsInFlight = 1024;
    // Delivered images waiting for their check are held in memory up to this many bytes; the rest
    // wait in a temporary file (core/engine/imagechecker.h). Config: image_backlog_mb.
    std::size_t imageBacklogBytes = std::size_t(256) << 20;
    TransportOptions transport;
    EngineBudget budget;
};

// What the engine reports while it runs (throttled to progressIntervalMs).
struct EngineProgress {
    double elapsedMs = 0;
    double etaMs = -1; // -1: unknown
    std::int64_t sent = 0;
    std::int64_t done = 0;
    std::int64_t ok = 0;
    std::int64_t errors = 0;
    std::int64_t inFlight = 0;
    std::int64_t polls = 0; // status polls sent so far
    std::int64_t throttledPolls = 0; // of which answered 429
    std::string phase; // e.g. "closed c=8 (step 2)"
    // Spend against the run's budget (docs/cost.md, "Budget"): what the finished jobs cost by the
    // cost model + the pricing's worst case for each job still open. -1: the run has no budget
    // (spend is tracked only against one).
    double committedUsd = -1;
    double budgetUsd = 0; // the cap; 0: none
};

struct EngineCallbacks {
    std::function<void(RequestRecord)> record; // each finished request, on the engine thread
    std::function<void(const WorkerSample&)> workerSample;
    std::function<void(const EngineProgress&)> progress;
};

// Stopped: the budget would not admit the next job; what was submitted finished (or was cancelled
// while still queued on the platform) and the run ended early, on purpose.
enum class EngineOutcome { Completed, Cancelled, Failed, Stopped };

struct EngineResult {
    EngineOutcome outcome = EngineOutcome::Completed;
    std::string message;
    double durationMs = 0;
    std::int64_t requests = 0;
    // Where the images waited for their check (core/engine/imagechecker.h).
    std::size_t imageBacklogPeakBytes = 0; // the most held in memory at once
    std::int64_t imagesSpilled = 0; // jobs whose images waited in the temporary file
    std::size_t imageSpillPeakBytes = 0; // the most that file held at once
    std::int64_t imageSpillFailures = 0; // images kept in memory because the file could not take them
    // Answer bodies while they arrived (TransportOptions::maxBufferedAnswerBytes).
    std::int64_t answerMemoryPeakBytes = 0;
    std::int64_t answersPaused = 0; // answers that waited for room
    // The addresses the run's connections reached, by host (core/engine/remoteaddresses.h).
    std::vector<std::pair<std::string, std::vector<std::string>>> remoteAddresses;
};

// Runs one workload against one platform through its adapter: an event loop over libcurl's
// multi interface on the calling thread, with timers for intended send times, polls, health
// samples and timeouts. Every request is timed from its intended send time.
class RunEngine {
public:
    RunEngine(Adapter& adapter, EngineSettings settings, EngineCallbacks callbacks);
    ~RunEngine();
    RunEngine(const RunEngine&) = delete;
    RunEngine& operator=(const RunEngine&) = delete;

    EngineResult run();
    // Stops scheduling, cancels in-flight jobs on the platform, keeps what finished. Any thread.
    void cancel();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace t2i
