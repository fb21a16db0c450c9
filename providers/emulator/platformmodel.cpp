// SPDX-License-Identifier: Apache-2.0
#include "platformmodel.h"

#include "emulatedimage.h"
#include "platformrandom.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace t2i {

std::string_view jobStatusName(JobStatus status)
{
    switch (status) {
    case JobStatus::InQueue:
        return "IN_QUEUE";
    case JobStatus::InProgress:
        return "IN_PROGRESS";
    case JobStatus::Completed:
        return "COMPLETED";
    case JobStatus::Failed:
        return "FAILED";
    case JobStatus::Cancelled:
        return "CANCELLED";
    case JobStatus::TimedOut:
        return "TIMED_OUT";
    }
    return "FAILED";
}

PlatformModel::PlatformModel(PlatformProfile profile, uint64_t seed)
    : m_profile(std::move(profile))
    , m_seed(seed)
{
    // Min (always-on) workers exist before the first request and are already warm.
    for (int i = 0; i < m_profile.minWorkers; ++i)
        startWorker(true);
}

int64_t PlatformModel::scaled(double ms) const
{
    return std::max<int64_t>(0, std::llround(ms * m_profile.timeScale));
}

void PlatformModel::advanceTo(int64_t nowMs)
{
    for (auto next = nextEventMs(); next && *next <= nowMs; next = nextEventMs())
        processAt(std::max(*next, m_now));
    m_now = std::max(m_now, nowMs);
}

std::optional<int64_t> PlatformModel::nextEventMs() const
{
    std::optional<int64_t> next;
    auto consider = [&next](int64_t t) { next = next ? std::min(*next, t) : t; };
    if (!m_finishing.empty())
        consider(m_finishing.begin()->first);
    for (const WorkerView& w : m_workers) {
        if (w.state == WorkerState::Initializing)
            consider(w.readyMs);
        else if (w.state == WorkerState::Idle && !w.alwaysOn)
            consider(w.stopMs);
    }
    if (m_scaleAtMs) {
        consider(*m_scaleAtMs);
    } else if (m_profile.scaleOn == ScaleOn::QueueDelay && !m_queue.empty()) {
        // The next moment a queued job crosses the queue-delay threshold.
        const size_t overdue = overdueCount();
        if (overdue < m_queue.size())
            consider(m_jobs.at(m_queue[overdue]).view.arrivalMs + scaled(m_profile.queueDelayMs));
    }
    return next;
}

// Everything due at t, in a fixed order so that ties resolve the same way every run.
void PlatformModel::processAt(int64_t t)
{
    m_now = t;
    while (!m_finishing.empty() && m_finishing.begin()->first <= t)
        finishJob(m_finishing.begin()->second);
    for (WorkerView& w : m_workers) {
        if (w.state == WorkerState::Initializing && w.readyMs <= t) {
            w.state = WorkerState::Idle;
            w.stopMs = w.readyMs + scaled(m_profile.idleTimeoutMs); // stopMs of an idle worker: when it will stop
        }
    }
    dispatch();
    for (WorkerView& w : m_workers) {
        if (w.state == WorkerState::Idle && !w.alwaysOn && w.stopMs <= t)
            stopWorker(w);
    }
    autoscale();
}

void PlatformModel::startWorker(bool alwaysOn)
{
    const int index = static_cast<int>(m_workers.size());
    RandomStream draws(m_seed, RandomStream::Kind::Worker, static_cast<uint64_t>(index));
    WorkerView w;
    w.index = index;
    w.id = draws.alnum(14); // RunPod worker ids look like "oqk7ao1uomckye"
    w.alwaysOn = alwaysOn;
    w.bootStartMs = m_now;
    const double boot = draws.logNormal(m_profile.coldBoot.medianMs, m_profile.coldBoot.sigma);
    const double load = draws.logNormal(m_profile.coldLoad.medianMs, m_profile.coldLoad.sigma);
    w.readyMs = alwaysOn ? m_now : m_now + scaled(boot) + scaled(load);
    w.state = w.readyMs <= m_now ? WorkerState::Idle : WorkerState::Initializing;
    w.stopMs = alwaysOn ? -1 : w.readyMs + scaled(m_profile.idleTimeoutMs);
    m_workers.push_back(std::move(w));
}

void PlatformModel::stopWorker(WorkerView& worker)
{
    worker.state = WorkerState::Stopped;
    worker.stopMs = m_now;
}

// The ready worker with the most free slots; ties go to the oldest worker.
WorkerView* PlatformModel::pickWorker()
{
    WorkerView* best = nullptr;
    for (WorkerView& w : m_workers) {
        const bool ready = w.state == WorkerState::Idle || w.state == WorkerState::Running;
        if (ready && w.running < m_profile.workerConcurrency && (!best || w.running < best->running))
            best = &w;
    }
    return best;
}

void PlatformModel::dispatch()
{
    while (!m_queue.empty()) {
        WorkerView* worker = pickWorker();
        if (!worker)
            return;
        const uint64_t index = m_queue.front();
        m_queue.pop_front();
        startJob(m_jobs.at(index), *worker);
    }
}

void PlatformModel::startJob(Job& job, WorkerView& worker)
{
    job.view.status = JobStatus::InProgress;
    job.view.startMs = m_now;
    job.view.workerId = worker.id;
    job.worker = worker.index;
    job.cold = worker.jobsStarted == 0 && worker.readyMs > job.view.arrivalMs;
    job.coldStartMs = job.cold ? worker.readyMs - std::max(job.view.arrivalMs, worker.bootStartMs) : 0;
    ++worker.jobsStarted;
    ++worker.running;
    worker.state = WorkerState::Running;
    worker.stopMs = -1;
    job.utilizationAtStart = double(worker.running) / m_profile.workerConcurrency;
    noteUtilization(worker);
    planExecution(job);
    m_finishing.emplace(job.finishMs, job.view.index);
}

// Decides, when the job starts, how long it runs and how it ends.
void PlatformModel::planExecution(Job& job)
{
    const JobSpec& s = job.spec;
    const double megapixels = double(s.width) * double(s.height) / 1e6;
    const std::string& precision = s.precision;
    const auto factor = m_profile.precisionFactors.find(precision);
    int64_t execMs = 0;
    if (factor == m_profile.precisionFactors.end()) {
        job.outcome = JobStatus::Failed;
        job.error = "ValueError: unsupported precision '" + precision + "'";
        execMs = scaled(m_profile.baseMs);
    } else if (const double needGb = m_profile.memoryBaseGb + m_profile.memoryGbPerMegapixel * megapixels * s.images;
               needGb > m_profile.gpuMemoryGb) {
        // The worker dies at its first allocation past the limit, as torch does, with torch's words.
        char text[200];
        std::snprintf(text, sizeof text,
            "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate %.2f GiB. GPU 0 has a total capacity of "
            "%.2f GiB",
            needGb - m_profile.memoryBaseGb, m_profile.gpuMemoryGb);
        job.outcome = JobStatus::Failed;
        job.error = text;
        execMs = scaled(m_profile.baseMs * factor->second);
    } else {
        double serviceMs = (m_profile.baseMs + m_profile.msPerMegapixelStep * megapixels * s.steps * s.images)
            * factor->second * job.noise;
        if (job.utilizationAtStart > m_profile.saturationThreshold)
            serviceMs *= m_profile.saturationFactor;
        execMs = scaled(serviceMs);
        if (job.failureDraw < m_profile.failureRate) {
            job.outcome = JobStatus::Failed;
            job.error = m_profile.failureError;
            execMs = std::llround(double(execMs) * job.failurePoint);
        }
    }
    const int64_t timeoutMs = s.executionTimeoutMs > 0 ? s.executionTimeoutMs : scaled(m_profile.executionTimeoutMs);
    if (execMs > timeoutMs) {
        job.outcome = JobStatus::TimedOut;
        job.error = "execution timeout exceeded (" + std::to_string(timeoutMs) + " ms)";
        execMs = timeoutMs;
    }
    job.finishMs = m_now + execMs;
}

void PlatformModel::finishJob(uint64_t index)
{
    Job& job = m_jobs.at(index);
    m_finishing.erase({ job.finishMs, index });
    release(job);
    record(job, job.outcome);
}

void PlatformModel::release(Job& job)
{
    WorkerView& w = m_workers.at(static_cast<size_t>(job.worker));
    if (--w.running == 0) {
        w.state = WorkerState::Idle;
        w.stopMs = w.alwaysOn ? -1 : m_now + scaled(m_profile.idleTimeoutMs);
    }
    noteUtilization(w);
}

void PlatformModel::noteUtilization(const WorkerView& worker)
{
    m_utilization.push_back({ m_now, worker.id, worker.running, m_profile.workerConcurrency });
}

// Writes the truth of a job that just ended at m_now and forgets it.
void PlatformModel::record(Job& job, JobStatus status)
{
    JobTruth t;
    t.index = job.view.index;
    t.jobId = job.view.jobId;
    t.spec = job.spec;
    t.seed = job.seed;
    t.arrivalMs = job.view.arrivalMs;
    t.startMs = job.view.startMs >= 0 ? job.view.startMs : m_now;
    t.finishMs = m_now;
    t.queueMs = t.startMs - t.arrivalMs;
    t.execMs = t.finishMs - t.startMs;
    t.coldStartMs = job.coldStartMs;
    t.workerId = job.view.workerId;
    t.cold = job.cold;
    t.utilizationAtStart = job.utilizationAtStart;
    t.status = status;
    t.error = status == JobStatus::Cancelled ? std::string() : job.error;
    t.billedS = double(t.execMs + t.coldStartMs) / 1000.0;
    t.costUsd = t.billedS * m_profile.pricePerS;
    t.imageFormat = images::formatName(m_profile.images.format);
    t.imageBytes = images::jobBytes(m_profile.images, t); // renders a look the first time only
    switch (status) {
    case JobStatus::Completed:
        ++m_counters.completed;
        break;
    case JobStatus::Cancelled:
        ++m_counters.cancelled;
        break;
    default:
        ++m_counters.failed;
        break;
    }
    m_finished.push_back(std::move(t));
    m_jobs.erase(job.view.index);
}

JobView PlatformModel::submit(const JobSpec& spec, int64_t nowMs)
{
    advanceTo(nowMs);
    Job job;
    job.spec = spec;
    if (job.spec.precision.empty())
        job.spec.precision = m_profile.defaultPrecision;
    job.view.index = m_nextIndex++;
    job.view.arrivalMs = m_now;
    // Always the same draws in the same order, whether or not a draw ends up used.
    RandomStream draws(m_seed, RandomStream::Kind::Job, job.view.index);
    job.noise = std::exp(m_profile.noiseSigma * draws.normal());
    job.failureDraw = draws.uniform();
    job.failurePoint = 0.05 + 0.95 * draws.uniform();
    const int64_t drawnSeed = static_cast<int64_t>(draws.bits() >> 33);
    job.seed = spec.seed >= 0 ? spec.seed : drawnSeed;
    job.view.jobId = spec.idPrefix + draws.uuid() + "-u1";
    const uint64_t index = job.view.index;
    m_jobs.emplace(index, std::move(job));
    m_queue.push_back(index);
    dispatch();
    autoscale();
    return m_jobs.at(index).view; // nothing finishes before the next advance, so it is still here
}

bool PlatformModel::cancel(uint64_t index, int64_t nowMs)
{
    advanceTo(nowMs);
    const auto it = m_jobs.find(index);
    if (it == m_jobs.end())
        return false;
    Job& job = it->second;
    if (job.view.status == JobStatus::InQueue) {
        m_queue.erase(std::find(m_queue.begin(), m_queue.end(), index));
    } else {
        m_finishing.erase({ job.finishMs, index });
        release(job);
    }
    record(job, JobStatus::Cancelled);
    dispatch();
    autoscale();
    return true;
}

int PlatformModel::purgeQueue(int64_t nowMs)
{
    advanceTo(nowMs);
    const std::deque<uint64_t> queued = std::exchange(m_queue, {});
    for (const uint64_t index : queued)
        record(m_jobs.at(index), JobStatus::Cancelled);
    autoscale();
    return static_cast<int>(queued.size());
}

std::optional<JobView> PlatformModel::job(uint64_t index) const
{
    const auto it = m_jobs.find(index);
    if (it == m_jobs.end())
        return std::nullopt;
    return it->second.view;
}

std::vector<JobTruth> PlatformModel::takeFinished()
{
    return std::exchange(m_finished, {});
}

std::vector<UtilizationChange> PlatformModel::takeUtilizationChanges()
{
    return std::exchange(m_utilization, {});
}

PlatformHealth PlatformModel::health() const
{
    PlatformHealth h = m_counters;
    h.inQueue = static_cast<int64_t>(m_queue.size());
    h.inProgress = static_cast<int64_t>(m_finishing.size());
    for (const WorkerView& w : m_workers) {
        h.idle += w.state == WorkerState::Idle;
        h.running += w.state == WorkerState::Running;
        h.initializing += w.state == WorkerState::Initializing;
    }
    h.ready = h.idle + h.running;
    return h;
}

std::vector<WorkerView> PlatformModel::workers() const
{
    return m_workers;
}

Ledger PlatformModel::ledger(int64_t nowMs) const
{
    Ledger l;
    l.pricePerS = m_profile.pricePerS;
    l.workersStarted = static_cast<int>(m_workers.size());
    for (const WorkerView& w : m_workers) {
        const int64_t end = w.state == WorkerState::Stopped ? w.stopMs : std::max(nowMs, m_now);
        const int64_t lifeMs = std::max<int64_t>(0, end - w.bootStartMs);
        l.workers.push_back({ w.id, w.bootStartMs, w.readyMs, end, w.alwaysOn });
        // An always-on worker is billed continuously over a life far longer than any run, so
        // its share of this one is prorated (over the time the endpoint was in use, when known);
        // an on-demand worker's life is rounded up once.
        if (w.alwaysOn)
            l.keepWarmS += double(m_inUse ? std::max<int64_t>(0, m_inUse->second - m_inUse->first) : lifeMs) / 1000.0;
        else
            l.billedS += (lifeMs + 999) / 1000; // per second, rounded up
    }
    l.costUsd = (double(l.billedS) + l.keepWarmS) * l.pricePerS;
    return l;
}

// When a worker with nothing more to do would stop: its idle timeout after it became ready or
// after its last job ends. A platform does not stop workers because a client went away.
int64_t PlatformModel::naturalStopMs(const WorkerView& w) const
{
    const int64_t idle = scaled(m_profile.idleTimeoutMs);
    if (w.state == WorkerState::Initializing)
        return w.readyMs + idle;
    if (w.state == WorkerState::Running) {
        int64_t lastFinish = m_now;
        for (const auto& [finishMs, index] : m_finishing)
            if (m_jobs.at(index).worker == w.index)
                lastFinish = std::max(lastFinish, finishMs);
        return lastFinish + idle;
    }
    return w.stopMs; // idle: already set to when it will stop
}

Ledger PlatformModel::shutdown(int64_t nowMs, std::optional<std::pair<int64_t, int64_t>> inUse)
{
    advanceTo(nowMs);
    m_inUse = inUse;
    for (WorkerView& w : m_workers) {
        if (w.state == WorkerState::Stopped)
            continue;
        const int64_t stopAt = w.alwaysOn ? m_now : std::max(m_now, naturalStopMs(w));
        stopWorker(w);
        w.stopMs = stopAt;
    }
    // Jobs still queued or running never finish and are not in the truth.
    m_queue.clear();
    m_finishing.clear();
    m_jobs.clear();
    m_scaleAtMs.reset();
    return ledger(m_now);
}

} // namespace t2i
