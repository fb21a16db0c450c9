// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "run/liveevents.h"

#include <QObject>
#include <QPointF>
#include <QTimer>
#include <QVector>

#include <deque>
#include <optional>
#include <vector>

namespace t2i::ui {

class RunProcess;

// A series over time that never holds more than `cap` points: past it, neighbouring pairs
// merge into one (the first's time, the larger value), so peaks survive however long the run.
class BoundedSeries {
public:
    explicit BoundedSeries(int cap = 600)
        : m_cap(cap)
    {
    }
    void append(double x, double y);
    const QVector<QPointF>& points() const { return m_points; }

private:
    int m_cap;
    QVector<QPointF> m_points;
};

// What the live page shows of one run of a launch, as of the last update.
struct LiveSnapshot {
    int index = 0;
    QString name, provider, variant;
    QString runId; // empty until the run starts
    QString status = QStringLiteral("planned"); // planned, running, then the stored status
    QString message;
    // The engine's counters (its throttled progress), and the requests the stream reported.
    LiveProgress progress;
    qint64 reportedRequests = 0;
    qint64 reportedFailed = 0;
    // Over the last windowS seconds of the run's clock: successful requests' latency
    // (nearest-rank percentiles, docs/statistics.md), completions per second, detection lag.
    double windowS = 30;
    std::optional<double> p50Ms, p95Ms;
    double throughputPerS = 0;
    std::optional<double> lagP50Ms, lagP95Ms;
    // Cold starts: how many, and each one's (finish time s, latency ms), the last kMaxColdMarks.
    qint64 coldStarts = 0;
    QVector<QPointF> coldMarks;
    // The platform's workers, as last sampled (nullopt before its first health sample).
    std::optional<LiveWorkers> workers;
    // Over the run, x in seconds of its clock, each at most BoundedSeries' cap points.
    QVector<QPointF> p50Series, p95Series, throughputSeries, inFlightSeries, workersSeries, queueSeries;

    bool ended() const { return status != QLatin1String("planned") && status != QLatin1String("running"); }
};

// Aggregates a launch's events into bounded snapshots, one per run, for the live page. Events
// only append (O(1) each); the rolling percentiles are computed on a throttled tick, a few
// times a second, over the requests of the window (O(window) per tick, never per event).
class LiveRunModel : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxColdMarks = 500;

    explicit LiveRunModel(QObject* parent = nullptr);

    void connectTo(const RunProcess* process);
    void clear();
    void setWindowSeconds(double seconds) { m_windowS = seconds; } // default 30
    void setUpdateInterval(int ms) { m_tick.setInterval(ms); } // default 250

    int runCount() const { return int(m_runs.size()); }
    int currentIndex() const { return m_current; } // the run started last, -1 before any
    const LiveSnapshot& snapshot(int index) const { return m_runs.at(std::size_t(index)).snapshot; }

    // The event handlers (RunProcess's signals are connected to these).
    void plan(const QList<t2i::ui::LivePlannedRun>& runs, double budgetUsd);
    void runStarted(int index, const QString& runId, const QString& name);
    void progress(const t2i::ui::LiveProgress& progress);
    void requests(int index, const QList<t2i::ui::LiveRequest>& requests);
    void workers(const t2i::ui::LiveWorkers& sample);
    void runEnded(int index, const QString& runId, const QString& status, const QString& message);

    void update(); // recomputes what changed now and emits (the tick calls it)

signals:
    void snapshotChanged(int index);
    void planChanged();

private:
    struct WindowEntry {
        double endMs;
        double latencyMs;
        bool ok;
        double lagMs; // NaN: not known
    };
    struct RunState {
        LiveSnapshot snapshot;
        std::deque<WindowEntry> window;
        double clockMs = 0; // the latest time the run's events reached
        BoundedSeries p50, p95, throughput, inFlight, workers, queue;
        bool dirty = true;
    };
    RunState* state(int index); // grows the list for a run the plan did not name
    void touch(RunState& run);
    void recompute(RunState& run);

    std::vector<RunState> m_runs;
    int m_current = -1;
    double m_windowS = 30;
    QTimer m_tick;
};

} // namespace t2i::ui
