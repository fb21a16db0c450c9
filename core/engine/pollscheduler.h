// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace t2i {

// Which waiting job to ask about next, when the platform's request budget cannot pay for a poll
// of every job at its interval (docs/measurement.md, "Polling under a request budget"). One
// scheduler serves every job of a run. A job is never polled sooner than its interval after its
// previous poll; among the jobs that are due:
//   1. jobs the platform says are running, once they have run for 80% of the shortest execution
//      seen in this run (none before that could be done): the one asked about longest ago first;
//   2. then jobs queued on the platform, or whose state it does not say: the one the platform
//      received first, since a queue starts its oldest job next. Not the first one sent: a
//      burst's requests reach the platform in another order than they left (measured: ordering
//      by send left a third of 1,000 jobs unpolled until long after they finished);
// Running jobs that cannot be done yet wait until they could be. When the budget covers every
// due job this is simply each job at its own interval.
class PollScheduler {
public:
    // The job waits for a poll no sooner than dueMs. lastPolledMs: when it was last asked (or
    // submitted). runningSinceMs: when the platform started it, where known to be running.
    // queuedSinceMs: when the platform received it (its place in a first-in, first-out queue).
    void schedule(std::int64_t seq, double dueMs, double lastPolledMs, std::optional<double> runningSinceMs,
        double queuedSinceMs);
    void remove(std::int64_t seq);
    // A finished job's platform execution time, which sets how soon a running job could be done.
    void noteExecutionMs(double execMs);

    // The job to poll at nowMs, if any is due; it stays scheduled until take() or remove().
    std::optional<std::int64_t> peek(double nowMs);
    void take(std::int64_t seq) { remove(seq); }
    // When the next job that is not due yet becomes due (nullopt: none waiting).
    std::optional<double> nextDueMs();
    std::size_t waiting() const { return m_entries.size(); }

private:
    struct Entry {
        std::uint64_t generation = 0;
        double lastPolledMs = 0;
        double queuedSinceMs = 0;
        bool running = false;
        bool ready = false;
    };
    struct Pending {
        double atMs;
        std::int64_t seq;
        std::uint64_t generation;
        bool operator>(const Pending& o) const { return atMs > o.atMs; }
    };
    void promote(double nowMs);
    void unready(std::int64_t seq, const Entry& e);

    std::unordered_map<std::int64_t, Entry> m_entries;
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> m_pending;
    std::set<std::pair<double, std::int64_t>> m_runningReady; // by last poll
    std::set<std::pair<double, std::int64_t>> m_queuedReady; // by when the platform received it
    std::uint64_t m_generation = 0;
    std::optional<double> m_shortestExecMs;
    int m_execSeen = 0;
};

} // namespace t2i
