// SPDX-License-Identifier: Apache-2.0
#include "clievents.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <poll.h>
#include <set>
#include <sstream>
#include <unistd.h>

namespace t2i::cli {
namespace {

// Keys in the order they are written, "event" first: a person reading the stream sees what
// each line is at a glance.
using json = nlohmann::ordered_json;

// Requests wait at most this long in the buffer before they are written.
constexpr auto kBatchInterval = std::chrono::milliseconds(100);

std::set<std::string> splitIds(const std::string& list)
{
    std::set<std::string> ids;
    std::stringstream in(list);
    for (std::string id; std::getline(in, id, ',');)
        if (!id.empty())
            ids.insert(id);
    return ids;
}

// Keeps the items whose id is listed; the first listed id that none has, or "".
template <typename T> std::string keepListed(std::vector<T>& items, const std::string& list)
{
    const std::set<std::string> wanted = splitIds(list);
    if (wanted.empty())
        return {};
    for (const std::string& id : wanted)
        if (std::none_of(items.begin(), items.end(), [&](const T& item) { return item.id == id; }))
            return id;
    std::erase_if(items, [&](const T& item) { return !wanted.count(item.id); });
    return {};
}

// Times to the microsecond: the stream stays compact at thousands of completions a second.
double micros(double ms)
{
    return std::round(ms * 1000.0) / 1000.0;
}

json orNull(double value, bool known)
{
    return known ? json(value) : json();
}

} // namespace

std::string filterRuns(RunConfig& config, const std::string& providerIds, const std::string& variantIds)
{
    if (const std::string unknown = keepListed(config.providers, providerIds); !unknown.empty())
        return "--providers: the configuration has no provider \"" + unknown + "\"";
    if (const std::string unknown = keepListed(config.variants, variantIds); !unknown.empty())
        return "--variants: the configuration has no variant \"" + unknown + "\"";
    return {};
}

// ---- EventStream ----------------------------------------------------------------------------

EventStream::EventStream(std::FILE* out)
    : m_out(out)
{
    // A reader that went away (the dashboard died) must not kill the run with SIGPIPE before it
    // is cancelled and stored: writes then fail with EPIPE, and are dropped.
    std::signal(SIGPIPE, SIG_IGN);
    m_writer = std::thread([this] { writerLoop(); });
}

EventStream::~EventStream()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_writer.joinable())
        m_writer.join();
}

void EventStream::plan(const std::vector<PlannedRun>& runs, std::optional<double> budgetUsd)
{
    json list = json::array();
    for (const PlannedRun& run : runs)
        list.push_back({ { "index", run.index }, { "name", run.name }, { "provider", run.providerId },
            { "variant", run.variantId } });
    push(json { { "event", "plan" }, { "runs", list }, { "budget_usd", budgetUsd ? json(*budgetUsd) : json() } }.dump(),
        true);
}

RunnerObserver EventStream::observer()
{
    RunnerObserver observer;
    observer.runStarted = [this](std::size_t index, const std::string& runId, const std::string& name) {
        push(json { { "event", "run_start" }, { "index", index }, { "run_id", runId }, { "name", name } }.dump(), true);
    };
    observer.runEnded = [this](std::size_t index, const RunOutcome& outcome) {
        push(json { { "event", "run_end" }, { "index", index }, { "run_id", outcome.runId },
                 { "status", std::string(toString(outcome.status)) }, { "message", outcome.message } }
                 .dump(),
            true);
    };
    observer.record = [this](std::size_t index, const RequestRecord& record) {
        RequestItem item { record.seq, record.step, record.doneMs, record.latencyMs(), record.ok,
            record.errorClass == ErrorClass::None ? std::string() : std::string(toString(record.errorClass)),
            record.cold == ColdLabel::Unknown ? std::nullopt : std::optional<bool>(record.cold == ColdLabel::Cold),
            record.detectionLagMs };
        std::lock_guard lock(m_mutex);
        if (!m_batch.items.empty() && m_batch.index != index)
            closeBatchLocked();
        m_batch.index = index;
        m_batch.items.push_back(std::move(item));
    };
    observer.workerSample = [this](std::size_t index, const WorkerSample& s) {
        push(json { { "event", "workers" }, { "index", index }, { "t_ms", micros(s.tMs) }, { "ready", s.ready },
                 { "running", s.running }, { "idle", s.idle }, { "initializing", s.initializing },
                 { "in_queue", s.inQueue }, { "in_progress", s.inProgress } }
                 .dump(),
            false);
    };
    return observer;
}

void EventStream::progress(const RunnerProgress& p)
{
    const EngineProgress& e = p.engine;
    push(json { { "event", "progress" }, { "index", p.runIndex }, { "elapsed_ms", micros(e.elapsedMs) },
             { "eta_ms", orNull(micros(e.etaMs), e.etaMs >= 0) }, { "sent", e.sent }, { "done", e.done },
             { "ok", e.ok }, { "errors", e.errors }, { "in_flight", e.inFlight }, { "phase", e.phase },
             { "committed_usd", orNull(e.committedUsd, e.committedUsd >= 0) },
             { "budget_usd", orNull(e.budgetUsd, e.budgetUsd > 0) } }
             .dump(),
        false);
}

void EventStream::done(int exitCode)
{
    push(json { { "event", "done" }, { "exit_code", exitCode } }.dump(), true);
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_writer.joinable())
        m_writer.join();
}

void EventStream::push(std::string line, bool urgent)
{
    {
        std::lock_guard lock(m_mutex);
        closeBatchLocked(); // the requests before this event stay before it
        m_queue.push_back({ std::move(line), 0, {} });
    }
    // A run starting or ending is worth a wake-up; progress and samples ride the next batch.
    if (urgent)
        m_wake.notify_one();
}

void EventStream::closeBatchLocked()
{
    if (m_batch.items.empty())
        return;
    m_queue.push_back(std::move(m_batch));
    m_batch = {};
}

void EventStream::writerLoop()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait_for(lock, kBatchInterval);
        closeBatchLocked();
        std::deque<Pending> ready;
        ready.swap(m_queue);
        const bool stopping = m_stopping;
        lock.unlock();
        for (const Pending& pending : ready)
            write(pending);
        if (!ready.empty())
            std::fflush(m_out);
        lock.lock();
        if (stopping && m_queue.empty() && m_batch.items.empty())
            return;
    }
}

void EventStream::write(const Pending& pending)
{
    std::string line = pending.line;
    if (line.empty()) {
        json items = json::array();
        for (const RequestItem& r : pending.items)
            items.push_back({ { "seq", r.seq }, { "step", r.step }, { "end_ms", micros(r.endMs) },
                { "latency_ms", micros(r.latencyMs) }, { "ok", r.ok },
                { "error", r.error.empty() ? json() : json(r.error) }, { "cold", r.cold ? json(*r.cold) : json() },
                { "detection_lag_ms", r.detectionLagMs ? json(micros(*r.detectionLagMs)) : json() } });
        line = json { { "event", "requests" }, { "index", pending.index }, { "items", items } }.dump();
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), m_out);
}

// ---- StdinWatcher ---------------------------------------------------------------------------

StdinWatcher::StdinWatcher(std::function<void()> cancel)
{
    if (pipe(m_wake) != 0) {
        // Without a way to end the wait the thread could not be joined: no watcher, said so.
        m_wake[0] = m_wake[1] = -1;
        std::fprintf(stderr, "t2ibench-cli: --cancel-on-stdin-close: cannot watch stdin (pipe failed)\n");
        return;
    }
    m_thread = std::thread([this, cancel = std::move(cancel)] {
        char buffer[256];
        for (;;) {
            pollfd fds[2] = { { STDIN_FILENO, POLLIN, 0 }, { m_wake[0], POLLIN, 0 } };
            if (poll(fds, 2, -1) < 0) {
                if (errno == EINTR)
                    continue;
                return;
            }
            if (fds[1].revents != 0)
                return; // the run is over
            if (fds[0].revents == 0)
                continue;
            const ssize_t got = read(STDIN_FILENO, buffer, sizeof buffer); // what is written is ignored
            if (got > 0)
                continue;
            if (got < 0 && errno == EINTR)
                continue;
            m_cancelled = true;
            std::fprintf(stderr,
                "\ncancelling: standard input closed; stopping the schedule and cancelling "
                "in-flight jobs...\n");
            cancel();
            return;
        }
    });
}

StdinWatcher::~StdinWatcher()
{
    if (m_wake[1] >= 0) {
        const char wake = 1;
        [[maybe_unused]] const ssize_t ignored = ::write(m_wake[1], &wake, 1);
    }
    if (m_thread.joinable())
        m_thread.join();
    for (int fd : m_wake)
        if (fd >= 0)
            close(fd);
}

} // namespace t2i::cli
