// SPDX-License-Identifier: Apache-2.0
#include "run/liverunmodel.h"

#include "run/runprocess.h"
#include "stats/summary.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace t2i::ui {
namespace {

// The nearest-rank p-quantile of values (reordered), as core/stats computes every percentile.
std::optional<double> quantile(std::vector<double>& values, double p)
{
    if (values.empty())
        return std::nullopt;
    const auto at = values.begin() + std::ptrdiff_t(nearestRankIndex(values.size(), p));
    std::nth_element(values.begin(), at, values.end());
    return *at;
}

} // namespace

void BoundedSeries::append(double x, double y)
{
    m_points.push_back({ x, y });
    if (m_points.size() <= m_cap)
        return;
    QVector<QPointF> merged;
    merged.reserve(m_points.size() / 2 + 1);
    for (qsizetype i = 0; i < m_points.size(); i += 2) {
        QPointF point = m_points[i];
        if (i + 1 < m_points.size())
            point.setY(std::max(point.y(), m_points[i + 1].y()));
        merged.push_back(point);
    }
    m_points = std::move(merged);
}

LiveRunModel::LiveRunModel(QObject* parent)
    : QObject(parent)
{
    m_tick.setInterval(250);
    m_tick.setSingleShot(true);
    connect(&m_tick, &QTimer::timeout, this, &LiveRunModel::update);
}

void LiveRunModel::connectTo(const RunProcess* process)
{
    connect(process, &RunProcess::planned, this, &LiveRunModel::plan);
    connect(process, &RunProcess::runStarted, this, &LiveRunModel::runStarted);
    connect(process, &RunProcess::progressed, this, &LiveRunModel::progress);
    connect(process, &RunProcess::requestsFinished, this, &LiveRunModel::requests);
    connect(process, &RunProcess::workersSampled, this, &LiveRunModel::workers);
    connect(process, &RunProcess::runEnded, this, &LiveRunModel::runEnded);
}

void LiveRunModel::clear()
{
    m_runs.clear();
    m_current = -1;
    m_tick.stop();
    emit planChanged();
}

LiveRunModel::RunState* LiveRunModel::state(int index)
{
    if (index < 0 || index > 10000)
        return nullptr; // not a run of any launch: ignored
    while (int(m_runs.size()) <= index) {
        m_runs.emplace_back();
        m_runs.back().snapshot.index = int(m_runs.size()) - 1;
        m_runs.back().snapshot.windowS = m_windowS;
    }
    return &m_runs[std::size_t(index)];
}

void LiveRunModel::touch(RunState& run)
{
    run.dirty = true;
    if (!m_tick.isActive())
        m_tick.start(); // single shot: at most one update per interval, however many events
}

void LiveRunModel::plan(const QList<LivePlannedRun>& runs, double budgetUsd)
{
    m_runs.clear();
    m_current = -1;
    for (const LivePlannedRun& planned : runs) {
        RunState* run = state(planned.index);
        if (!run)
            continue;
        run->snapshot.name = planned.name;
        run->snapshot.provider = planned.provider;
        run->snapshot.variant = planned.variant;
        run->snapshot.progress.budgetUsd = budgetUsd;
    }
    emit planChanged();
}

void LiveRunModel::runStarted(int index, const QString& runId, const QString& name)
{
    RunState* run = state(index);
    if (!run)
        return;
    run->snapshot.runId = runId;
    run->snapshot.name = name;
    run->snapshot.status = QStringLiteral("running");
    m_current = index;
    touch(*run);
}

void LiveRunModel::progress(const LiveProgress& progress)
{
    RunState* run = state(progress.index);
    if (!run)
        return;
    const double budget = progress.budgetUsd >= 0 ? progress.budgetUsd : run->snapshot.progress.budgetUsd;
    run->snapshot.progress = progress;
    run->snapshot.progress.budgetUsd = budget;
    run->clockMs = std::max(run->clockMs, progress.elapsedMs);
    run->inFlight.append(progress.elapsedMs / 1000.0, double(progress.inFlight));
    touch(*run);
}

void LiveRunModel::requests(int index, const QList<LiveRequest>& requests)
{
    RunState* run = state(index);
    if (!run)
        return;
    LiveSnapshot& s = run->snapshot;
    for (const LiveRequest& r : requests) {
        ++s.reportedRequests;
        s.reportedFailed += r.ok ? 0 : 1;
        run->clockMs = std::max(run->clockMs, r.endMs);
        run->window.push_back(
            { r.endMs, r.latencyMs, r.ok, r.detectionLagMs.value_or(std::numeric_limits<double>::quiet_NaN()) });
        if (r.cold.value_or(false)) {
            ++s.coldStarts;
            s.coldMarks.push_back({ r.endMs / 1000.0, r.latencyMs });
            if (s.coldMarks.size() > kMaxColdMarks)
                s.coldMarks.removeFirst();
        }
    }
    touch(*run);
}

void LiveRunModel::workers(const LiveWorkers& sample)
{
    RunState* run = state(sample.index);
    if (!run)
        return;
    run->snapshot.workers = sample;
    run->clockMs = std::max(run->clockMs, sample.tMs);
    run->workers.append(sample.tMs / 1000.0, sample.workers());
    run->queue.append(sample.tMs / 1000.0, sample.inQueue);
    touch(*run);
}

void LiveRunModel::runEnded(int index, const QString& runId, const QString& status, const QString& message)
{
    RunState* run = state(index);
    if (!run)
        return;
    run->snapshot.runId = runId;
    run->snapshot.status = status;
    run->snapshot.message = message;
    run->snapshot.progress.inFlight = 0;
    touch(*run);
}

void LiveRunModel::update()
{
    m_tick.stop();
    for (RunState& run : m_runs) {
        if (!run.dirty)
            continue;
        run.dirty = false;
        recompute(run);
        emit snapshotChanged(run.snapshot.index);
    }
}

void LiveRunModel::recompute(RunState& run)
{
    LiveSnapshot& s = run.snapshot;
    s.windowS = m_windowS;
    const double windowMs = m_windowS * 1000.0;
    // Completions arrive in about the order they finished; one a little out of order leaves a
    // little late, which a rolling figure can afford.
    const double cutoff = run.clockMs - windowMs;
    while (!run.window.empty() && run.window.front().endMs < cutoff)
        run.window.pop_front();

    std::vector<double> latencies, lags;
    latencies.reserve(run.window.size());
    for (const WindowEntry& entry : run.window) {
        if (entry.ok)
            latencies.push_back(entry.latencyMs);
        if (!std::isnan(entry.lagMs))
            lags.push_back(entry.lagMs);
    }
    const double spanS = std::min(windowMs, run.clockMs) / 1000.0;
    s.throughputPerS = spanS > 0 ? double(latencies.size()) / spanS : 0;
    s.p50Ms = quantile(latencies, 0.50);
    s.p95Ms = quantile(latencies, 0.95);
    s.lagP50Ms = quantile(lags, 0.50);
    s.lagP95Ms = quantile(lags, 0.95);

    const double x = run.clockMs / 1000.0;
    if (s.p50Ms) {
        run.p50.append(x, *s.p50Ms);
        run.p95.append(x, *s.p95Ms);
    }
    if (run.clockMs > 0)
        run.throughput.append(x, s.throughputPerS);
    s.p50Series = run.p50.points();
    s.p95Series = run.p95.points();
    s.throughputSeries = run.throughput.points();
    s.inFlightSeries = run.inFlight.points();
    s.workersSeries = run.workers.points();
    s.queueSeries = run.queue.points();
}

} // namespace t2i::ui
