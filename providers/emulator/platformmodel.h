// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "platformprofile.h"
#include "platformtypes.h"

#include <deque>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace t2i {

// A discrete-event model of a serverless GPU platform: one FIFO queue, workers that boot (cold
// start), serve, idle and stop, an autoscaler with a reaction delay and limits, GPU memory limits,
// injected failures and a per-second billing ledger. It has no clock of its own: the caller says
// what time it is (ms since the platform started), so tests drive it without sleeping and a front
// drives it from an event loop. Every public call first advances the model to the time given.
class PlatformModel {
public:
    PlatformModel(PlatformProfile profile, uint64_t seed);

    const PlatformProfile& profile() const { return m_profile; }
    int64_t nowMs() const { return m_now; }

    // Processes every event due at or before nowMs, in time order.
    void advanceTo(int64_t nowMs);
    // When the next event is due, if any; a driver sleeps until then.
    std::optional<int64_t> nextEventMs() const;

    // Queues a job arriving at nowMs; returns it as it stands (its index is the submission order).
    JobView submit(const JobSpec& spec, int64_t nowMs);
    // Cancels a queued or running job (a running one frees its worker slot). False if it is
    // unknown or already finished.
    bool cancel(uint64_t index, int64_t nowMs);
    // Cancels every queued job, not the running ones; returns how many.
    int purgeQueue(int64_t nowMs);

    std::optional<JobView> job(uint64_t index) const;
    // Jobs that finished since the last call, in finishing order.
    std::vector<JobTruth> takeFinished();
    // Every change of a worker's running count since the last call, in time order.
    std::vector<UtilizationChange> takeUtilizationChanges();

    PlatformHealth health() const;
    std::vector<WorkerView> workers() const;
    // The bill so far, as if every live worker stopped at nowMs (the model's time is not changed).
    Ledger ledger(int64_t nowMs) const;
    // Ends the platform at nowMs and returns the final bill: every on-demand worker is billed to
    // when it would have stopped with no further requests (its idle timeout after it becomes
    // ready or after its jobs end), as a real platform bills a client that left. Min workers
    // bill continuously; their share is the time the endpoint was in use, inUse = {first, last}
    // client request (ms), when given, else from the platform's start to nowMs.
    Ledger shutdown(int64_t nowMs, std::optional<std::pair<int64_t, int64_t>> inUse = std::nullopt);

private:
    struct Job {
        JobView view;
        JobSpec spec;
        int64_t seed = 0;
        double noise = 1; // multiplicative service-time noise
        double failureDraw = 1; // < failure rate: the job fails
        double failurePoint = 1; // how far through its service time it fails
        int worker = -1;
        bool cold = false;
        double utilizationAtStart = 0;
        int64_t coldStartMs = 0;
        int64_t finishMs = -1;
        JobStatus outcome = JobStatus::Completed;
        std::string error;
    };

    int64_t scaled(double ms) const;
    void processAt(int64_t t);
    void startWorker(bool alwaysOn);
    void stopWorker(WorkerView& worker);
    int64_t naturalStopMs(const WorkerView& worker) const;
    WorkerView* pickWorker();
    void dispatch();
    void startJob(Job& job, WorkerView& worker);
    void planExecution(Job& job);
    void finishJob(uint64_t index);
    void release(Job& job);
    void noteUtilization(const WorkerView& worker);
    void record(Job& job, JobStatus status);
    int wantedWorkers() const;
    size_t overdueCount() const;
    void autoscale();

    PlatformProfile m_profile;
    uint64_t m_seed;
    int64_t m_now = 0;
    uint64_t m_nextIndex = 0;
    std::unordered_map<uint64_t, Job> m_jobs; // queued and running only
    std::deque<uint64_t> m_queue;
    std::set<std::pair<int64_t, uint64_t>> m_finishing; // (finishMs, index) of running jobs
    std::vector<WorkerView> m_workers;
    std::optional<int64_t> m_scaleAtMs; // when a pending scale-up decision takes effect
    std::optional<std::pair<int64_t, int64_t>> m_inUse; // set by shutdown(): min workers' billed window
    std::vector<JobTruth> m_finished;
    std::vector<UtilizationChange> m_utilization;
    PlatformHealth m_counters;
};

} // namespace t2i
