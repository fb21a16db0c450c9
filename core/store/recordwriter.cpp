// SPDX-License-Identifier: Apache-2.0
#include "store/recordwriter.h"

#include "store/store.h"

#include <algorithm>
#include <atomic>
#include <exception>

namespace t2i {

namespace {
// The heartbeat must beat well inside Store::kStaleHeartbeat even while a backlog drains.
constexpr std::chrono::seconds kHeartbeatEvery { 1 };
} // namespace

struct RecordWriter::Shared {
    std::string path;
    std::string runId;
    std::chrono::milliseconds flushInterval {};

    mutable std::mutex mutex;
    std::condition_variable wake; // the writer: a full batch, or close()
    mutable std::condition_variable progress; // waitForWritten(): a commit, or the writer ended
    // Guarded by mutex. Deques: a push never moves what is already queued (a vector's regrowth
    // would copy a million records on the engine's thread), and the writer takes all in O(1).
    std::deque<RequestRecord> queuedRecords;
    std::deque<WorkerSample> queuedSamples;
    std::deque<GpuSample> queuedGpuSamples;
    bool closeRequested = false;
    bool stopped = false; // the writer ended (closed, or failed: pushes are then dropped)
    std::string error;
    // Rows (records and samples) accepted by push() and made durable: their difference is the
    // backlog, whether still queued or in the writer's hands, which is what costs memory.
    std::int64_t pushedRows = 0;
    std::int64_t committedRows = 0;
    std::int64_t peakPending = 0;
    std::atomic<std::int64_t> written { 0 }; // records only

    void notePush(); // with mutex held
    void committed(std::int64_t records, std::int64_t samples);
    void stop(const std::string& why);
    void run(); // the writer thread's whole life
};

namespace {

using Clock = std::chrono::steady_clock;

// What the writer thread holds between two takes from the queue.
struct Batch {
    std::deque<RequestRecord> records;
    std::deque<WorkerSample> samples;
    std::deque<GpuSample> gpuSamples;
};

// Writes a taken batch, at most kMaxBatch records per transaction, and beats the heartbeat
// when due. Tells `committed` how many records and samples each commit made durable.
template <typename OnCommit>
void writeBatch(Store& store, const std::string& runId, Batch& batch, Clock::time_point& lastBeat, OnCommit committed)
{
    bool first = true;
    while (first || !batch.records.empty()) {
        first = false;
        // Checked per transaction: a long backlog must not starve the heartbeat.
        const bool beat = Clock::now() - lastBeat >= kHeartbeatEvery;
        if (batch.records.empty() && batch.samples.empty() && batch.gpuSamples.empty() && !beat)
            return;
        const auto n = std::min(batch.records.size(), RecordWriter::kMaxBatch);
        store.begin();
        for (std::size_t i = 0; i < n; ++i)
            store.insertRecord(runId, batch.records[i]);
        for (const WorkerSample& sample : batch.samples)
            store.insertWorkerSample(runId, sample);
        for (const GpuSample& sample : batch.gpuSamples)
            store.insertGpuSample(runId, sample);
        if (beat)
            store.heartbeat(runId);
        store.commit();
        if (beat)
            lastBeat = Clock::now();
        const auto samples = static_cast<std::int64_t>(batch.samples.size() + batch.gpuSamples.size());
        batch.records.erase(batch.records.begin(), batch.records.begin() + static_cast<std::ptrdiff_t>(n));
        batch.samples.clear();
        batch.gpuSamples.clear();
        committed(static_cast<std::int64_t>(n), samples);
    }
}

} // namespace

void RecordWriter::Shared::notePush()
{
    ++pushedRows;
    peakPending = std::max(peakPending, pushedRows - committedRows);
    // Only a full batch wakes the writer early; otherwise its flush timer does, which saves the
    // engine a futex call per record.
    if (queuedRecords.size() == kMaxBatch)
        wake.notify_one();
}

void RecordWriter::Shared::committed(std::int64_t records, std::int64_t samples)
{
    {
        // Under the mutex, so a waitForWritten() between its check and its wait cannot miss it.
        std::lock_guard lock(mutex);
        written.fetch_add(records);
        committedRows += records + samples;
    }
    progress.notify_all();
}

void RecordWriter::Shared::stop(const std::string& why)
{
    {
        std::lock_guard lock(mutex);
        if (error.empty())
            error = why;
        stopped = true;
        queuedRecords.clear(); // nobody will write them: give the memory back
        queuedSamples.clear();
        queuedGpuSamples.clear();
        pushedRows = committedRows; // what was not written is dropped, not pending
    }
    progress.notify_all();
}

void RecordWriter::Shared::run()
{
    std::unique_ptr<Store> store;
    try {
        // A connection of its own: a sqlite connection is used by one thread at a time.
        store = Store::open(path);
        store->heartbeat(runId);
    } catch (const std::exception& e) {
        stop(e.what());
        return;
    }
    auto lastBeat = Clock::now();
    auto lastFlush = Clock::now();
    Batch batch;
    for (bool closing = false; !closing;) {
        {
            std::unique_lock lock(mutex);
            wake.wait_until(
                lock, lastFlush + flushInterval, [&] { return closeRequested || queuedRecords.size() >= kMaxBatch; });
            // closeRequested is read under the same lock as the take, so nothing pushed before
            // close() is left behind.
            batch.records.swap(queuedRecords);
            batch.samples.swap(queuedSamples);
            batch.gpuSamples.swap(queuedGpuSamples);
            closing = closeRequested;
        }
        try {
            writeBatch(*store, runId, batch, lastBeat,
                [this](std::int64_t records, std::int64_t samples) { committed(records, samples); });
        } catch (const std::exception& e) {
            try {
                store->rollback();
            } catch (const std::exception&) {
                // the first error is the one worth reporting
            }
            stop(e.what());
            return;
        }
        lastFlush = Clock::now();
    }
    stop({});
}

RecordWriter::RecordWriter(const std::string& dbPath, std::string runId, std::chrono::milliseconds flushInterval)
    : m_shared(std::make_shared<Shared>())
{
    m_shared->path = dbPath;
    m_shared->runId = std::move(runId);
    m_shared->flushInterval = flushInterval;
    m_thread = std::thread([shared = m_shared] { shared->run(); });
}

RecordWriter::~RecordWriter()
{
    close();
}

void RecordWriter::push(RequestRecord record)
{
    std::lock_guard lock(m_shared->mutex);
    if (m_shared->stopped || m_shared->closeRequested)
        return;
    m_shared->queuedRecords.push_back(std::move(record));
    m_shared->notePush();
}

void RecordWriter::push(WorkerSample sample)
{
    std::lock_guard lock(m_shared->mutex);
    if (m_shared->stopped || m_shared->closeRequested)
        return;
    m_shared->queuedSamples.push_back(sample);
    m_shared->notePush();
}

void RecordWriter::push(GpuSample sample)
{
    std::lock_guard lock(m_shared->mutex);
    if (m_shared->stopped || m_shared->closeRequested)
        return;
    m_shared->queuedGpuSamples.push_back(sample);
    m_shared->notePush();
}

void RecordWriter::close()
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->closeRequested = true;
    }
    m_shared->wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

std::int64_t RecordWriter::written() const
{
    return m_shared->written.load();
}

std::string RecordWriter::error() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->error;
}

bool RecordWriter::waitForWritten(std::int64_t count, std::chrono::milliseconds timeout) const
{
    std::unique_lock lock(m_shared->mutex);
    m_shared->progress.wait_for(lock, timeout, [&] { return m_shared->written.load() >= count || m_shared->stopped; });
    return m_shared->written.load() >= count;
}

std::size_t RecordWriter::queued() const
{
    std::lock_guard lock(m_shared->mutex);
    return static_cast<std::size_t>(m_shared->pushedRows - m_shared->committedRows);
}

std::size_t RecordWriter::peakQueued() const
{
    std::lock_guard lock(m_shared->mutex);
    return static_cast<std::size_t>(m_shared->peakPending);
}

} // namespace t2i
