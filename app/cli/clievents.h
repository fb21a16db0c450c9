// SPDX-License-Identifier: Apache-2.0
// `t2ibench-cli run --events`: the run as JSON lines on stdout, for the dashboard's live view
// (docs/cli.md, "Events"); the --providers/--variants filters; --cancel-on-stdin-close.
#pragma once

#include "engine/benchmarkrunner.h"

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace t2i::cli {

// Keeps only the providers and variants whose ids the comma lists name (an empty list keeps
// all). An id the configuration does not have is an error naming it: "" when all is well.
std::string filterRuns(RunConfig& config, const std::string& providerIds, const std::string& variantIds);

// Writes the event stream. The runner's threads only append to a buffer under a mutex; a writer
// thread of its own formats and writes, so a reader that is slow to drain the pipe never stalls
// the engine's loop. Finished requests go out in batches at most every ~100 ms, so 10,000
// completions a second are ten writes, not 10,000. Create it after the signal watcher has
// blocked SIGINT/SIGTERM, so its thread inherits the mask.
class EventStream {
public:
    explicit EventStream(std::FILE* out);
    ~EventStream(); // writes what is left, then stops the writer thread
    EventStream(const EventStream&) = delete;
    EventStream& operator=(const EventStream&) = delete;

    void plan(const std::vector<PlannedRun>& runs, std::optional<double> budgetUsd);
    RunnerObserver observer(); // hands the runner's events to this stream
    void progress(const RunnerProgress& progress);
    void done(int exitCode); // the last event; returns once everything is written

    // One finished request as the stream carries it; unknown values stay unknown (null).
    struct RequestItem {
        std::int64_t seq = 0;
        int step = 0;
        double endMs = 0;
        double latencyMs = 0;
        bool ok = false;
        std::string error; // the error class, "" when none
        std::optional<bool> cold;
        std::optional<double> detectionLagMs;
    };

private:
    struct Pending {
        std::string line; // a formatted event, or
        std::size_t index = 0; // a batch of this run's requests, formatted by the writer
        std::vector<RequestItem> items;
    };
    void push(std::string line, bool urgent);
    void closeBatchLocked();
    void writerLoop();
    void write(const Pending& pending);

    std::FILE* m_out;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Pending> m_queue;
    Pending m_batch; // the requests since the last flush, of one run
    bool m_stopping = false;
    std::thread m_writer;
};

// --cancel-on-stdin-close: a thread that waits for end of file on stdin and then cancels the
// run (what was collected is kept, as on SIGTERM). The dashboard holds the write end of the
// pipe, so a dashboard that goes away, however it goes, ends the run instead of orphaning it.
class StdinWatcher {
public:
    explicit StdinWatcher(std::function<void()> cancel); // cancel: called on its own thread
    ~StdinWatcher();
    StdinWatcher(const StdinWatcher&) = delete;
    StdinWatcher& operator=(const StdinWatcher&) = delete;
    bool cancelled() const { return m_cancelled; }

private:
    int m_wake[2] = { -1, -1 }; // a pipe that ends the wait when the run is over
    std::atomic<bool> m_cancelled { false };
    std::thread m_thread;
};

} // namespace t2i::cli
