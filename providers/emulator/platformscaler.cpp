// SPDX-License-Identifier: Apache-2.0
// The autoscaler of PlatformModel: how many workers to add, and when.
#include "platformmodel.h"

#include <algorithm>
#include <cmath>

namespace t2i {

// Queued jobs that have waited at least the queue-delay threshold. The queue is FIFO and
// arrivals never go back in time, so the overdue jobs are a prefix of it.
size_t PlatformModel::overdueCount() const
{
    const int64_t threshold = scaled(m_profile.queueDelayMs);
    size_t lo = 0;
    size_t hi = m_queue.size();
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        if (m_jobs.at(m_queue[mid]).view.arrivalMs + threshold <= m_now)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

// How many workers to start now, within max_workers.
int PlatformModel::wantedWorkers() const
{
    int alive = 0;
    int booting = 0;
    for (const WorkerView& w : m_workers) {
        alive += w.state != WorkerState::Stopped;
        booting += w.state == WorkerState::Initializing;
    }
    const int headroom = m_profile.maxWorkers - alive;
    if (headroom <= 0)
        return 0;
    const auto queued = static_cast<int64_t>(m_queue.size());
    int64_t want = 0;
    if (m_profile.scaleOn == ScaleOn::RequestCount) {
        // RunPod's request-count scaler: workers = ceil((inQueue + inProgress) / value).
        const auto inProgress = static_cast<int64_t>(m_finishing.size());
        const auto desired = static_cast<int64_t>(std::ceil(double(queued + inProgress) / m_profile.requestsPerWorker));
        want = std::max<int64_t>(desired, m_profile.minWorkers) - alive;
    } else {
        // Queue delay: enough new workers for the jobs that waited past the threshold and that
        // the workers already booting will not take.
        const auto overdue = static_cast<int64_t>(overdueCount());
        const int64_t uncovered = overdue - int64_t { booting } * m_profile.workerConcurrency;
        if (uncovered > 0)
            want = (uncovered + m_profile.workerConcurrency - 1) / m_profile.workerConcurrency;
        // With no worker at all nothing would ever drain the queue: scale from zero at once.
        if (alive == 0 && queued > 0)
            want = std::max<int64_t>(want, 1);
    }
    return static_cast<int>(std::clamp<int64_t>(want, 0, headroom));
}

// A need for workers is acted on only after the reaction delay, and only if it is still there
// then; the decision re-counts at that moment.
void PlatformModel::autoscale()
{
    if (wantedWorkers() <= 0) {
        m_scaleAtMs.reset();
        return;
    }
    if (!m_scaleAtMs)
        m_scaleAtMs = m_now + scaled(m_profile.reactionDelayMs);
    if (*m_scaleAtMs > m_now)
        return;
    m_scaleAtMs.reset();
    for (int n = wantedWorkers(); n > 0; --n)
        startWorker(false);
    dispatch(); // a worker with no cold start is ready at once
}

} // namespace t2i
