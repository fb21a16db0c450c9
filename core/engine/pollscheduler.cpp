// SPDX-License-Identifier: Apache-2.0
#include "pollscheduler.h"

#include <algorithm>

namespace t2i {
namespace {

constexpr double kRunningGate = 0.8; // of the shortest execution seen
constexpr int kExecSamplesForGate = 5; // before that, a running job may be done at any time

} // namespace

void PollScheduler::schedule(
    std::int64_t seq, double dueMs, double lastPolledMs, std::optional<double> runningSinceMs, double queuedSinceMs)
{
    remove(seq);
    Entry& e = m_entries[seq];
    e.generation = ++m_generation;
    e.lastPolledMs = lastPolledMs;
    e.queuedSinceMs = queuedSinceMs;
    e.running = runningSinceMs.has_value();
    double readyAt = dueMs;
    if (e.running && m_execSeen >= kExecSamplesForGate && m_shortestExecMs)
        readyAt = std::max(readyAt, *runningSinceMs + kRunningGate * *m_shortestExecMs);
    m_pending.push({ readyAt, seq, e.generation });
}

void PollScheduler::unready(std::int64_t seq, const Entry& e)
{
    if (!e.ready)
        return;
    if (e.running)
        m_runningReady.erase({ e.lastPolledMs, seq });
    else
        m_queuedReady.erase({ e.queuedSinceMs, seq });
}

void PollScheduler::remove(std::int64_t seq)
{
    const auto it = m_entries.find(seq);
    if (it == m_entries.end())
        return;
    unready(seq, it->second);
    m_entries.erase(it); // its pending entry is dropped when it surfaces (generation gone)
}

void PollScheduler::noteExecutionMs(double execMs)
{
    if (execMs < 0)
        return;
    ++m_execSeen;
    m_shortestExecMs = m_shortestExecMs ? std::min(*m_shortestExecMs, execMs) : execMs;
}

void PollScheduler::promote(double nowMs)
{
    while (!m_pending.empty() && m_pending.top().atMs <= nowMs) {
        const Pending p = m_pending.top();
        m_pending.pop();
        const auto it = m_entries.find(p.seq);
        if (it == m_entries.end() || it->second.generation != p.generation)
            continue;
        Entry& e = it->second;
        e.ready = true;
        if (e.running)
            m_runningReady.insert({ e.lastPolledMs, p.seq });
        else
            m_queuedReady.insert({ e.queuedSinceMs, p.seq });
    }
}

std::optional<std::int64_t> PollScheduler::peek(double nowMs)
{
    promote(nowMs);
    if (!m_runningReady.empty())
        return m_runningReady.begin()->second;
    if (!m_queuedReady.empty())
        return m_queuedReady.begin()->second;
    return std::nullopt;
}

std::optional<double> PollScheduler::nextDueMs()
{
    while (!m_pending.empty()) {
        const Pending& p = m_pending.top();
        const auto it = m_entries.find(p.seq);
        if (it != m_entries.end() && it->second.generation == p.generation)
            return p.atMs;
        m_pending.pop();
    }
    return std::nullopt;
}

} // namespace t2i
