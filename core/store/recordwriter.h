// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/requestrecord.h"
#include "model/run.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace t2i {

// Writes a run's records on a thread of its own, in batched transactions, so the engine never
// waits on disk. It commits at least every flushInterval (default 200 ms), which bounds what a
// killed process can lose. It also refreshes the run's heartbeat.
class RecordWriter {
public:
    // A backlog is written in transactions of at most this many records, so each commit (and
    // so written() and the bound on what a crash loses) keeps moving while the queue drains.
    static constexpr std::size_t kMaxBatch = 5000;

    RecordWriter(const std::string& dbPath, std::string runId,
        std::chrono::milliseconds flushInterval = std::chrono::milliseconds(200));
    ~RecordWriter(); // close()s
    RecordWriter(const RecordWriter&) = delete;
    RecordWriter& operator=(const RecordWriter&) = delete;

    void push(RequestRecord record); // thread-safe, never blocks on I/O
    void push(WorkerSample sample);
    void push(GpuSample sample); // from any thread (the GPU sampler's)
    void close(); // writes what is queued, then stops the thread; idempotent
    std::int64_t written() const; // records committed so far
    std::string error() const; // the first store error met, empty if none; later pushes are dropped
    // Blocks until written() >= count, the writer stopped, or timeout; true when count was reached.
    bool waitForWritten(std::int64_t count, std::chrono::milliseconds timeout) const;
    std::size_t queued() const; // records and samples pushed but not yet committed
    std::size_t peakQueued() const; // the most ever pending at once: the memory the backlog took

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
    std::thread m_thread;
};

} // namespace t2i
