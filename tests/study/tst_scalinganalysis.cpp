// SPDX-License-Identifier: Apache-2.0
// The scaling study's analysis (core/study/scalingstudy.h) on hand-made health samples and records.
#include <QtTest>

#include "study/scalingstudy.h"

using namespace t2i;

namespace {

constexpr double kIntervalMs = 500; // the samples below: one every 500 ms from 0
constexpr double kBurstSentMs = 100;
constexpr double kWatchSentMs = 6000; // the scale-down watch's own request

// One sample per entry: workers booting (alive - ready), ready ones split idle/running by `running`.
std::vector<WorkerSample> samples(const QList<int>& alive, const QList<int>& ready)
{
    std::vector<WorkerSample> out;
    for (int i = 0; i < alive.size(); ++i) {
        WorkerSample s;
        s.tMs = i * kIntervalMs;
        s.initializing = alive[i] - ready[i];
        s.running = ready[i] / 2;
        s.idle = ready[i] - s.running;
        s.ready = ready[i]; // RunPod's ready = idle + running: must not be counted twice
        out.push_back(s);
    }
    // After the watch's own request: a new worker that is no part of the burst's scale-out.
    WorkerSample late;
    late.tMs = kWatchSentMs + 500;
    late.initializing = 50;
    out.push_back(late);
    return out;
}

RequestRecord request(int step, double sentMs, double doneMs, bool ok)
{
    RequestRecord r;
    r.step = step;
    r.sentMs = r.intendedMs = sentMs;
    r.doneMs = r.finishedMs = doneMs;
    r.ok = ok;
    r.errorClass = ok ? ErrorClass::None : ErrorClass::Throttled;
    return r;
}

// Eight requests of the burst (two fail at the peak, one fails before it), then the watch's probe.
std::vector<RequestRecord> burst(double lastDoneMs)
{
    std::vector<RequestRecord> out;
    for (int i = 0; i < 6; ++i)
        out.push_back(request(0, kBurstSentMs, i == 5 ? lastDoneMs : 2800, true));
    out.push_back(request(0, kBurstSentMs, 2600, false));
    out.push_back(request(0, kBurstSentMs, 2700, false));
    out.push_back(request(0, kBurstSentMs, 1200, false)); // ended before the peak began (1500)
    out.push_back(request(1, kWatchSentMs, kWatchSentMs + 2000, true));
    return out;
}

std::optional<double> valueOf(const StudyResult& r, const std::string& key)
{
    const StudyFinding* f = r.finding(key);
    return f ? f->value : std::nullopt;
}

} // namespace

class TestScalingAnalysis : public QObject {
    Q_OBJECT
private slots:
    void findsTheScaleOut_data()
    {
        QTest::addColumn<QList<int>>("alive");
        QTest::addColumn<QList<int>>("ready");
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("firstWorkerS");
        QTest::addColumn<double>("firstReadyS");
        QTest::addColumn<double>("kWorkersS");
        QTest::addColumn<int>("maxReplicas");
        QTest::addColumn<double>("zeroS"); // -1: never back to zero
        QTest::addColumn<QString>("kLabelHas");

        // t(s): 0   .5  1   1.5 2   2.5 3   3.5 4   4.5 5   5.5
        QTest::newRow("from idle: 2 booting at 1 s, 4 at 1.5 s, ready by 2 s, zero 1 s after the last request")
            << QList<int> { 0, 0, 2, 4, 4, 4, 4, 2, 0, 0, 0, 0 } << QList<int> { 0, 0, 0, 2, 4, 4, 4, 2, 0, 0, 0, 0 }
            << 4 << 0.9 << 1.4 << 1.4 << 4 << 1.0 << "add 4 workers";
        QTest::newRow("k above the most reached: the time to the most, said in the label")
            << QList<int> { 0, 0, 2, 4, 4, 4, 4, 2, 0, 0, 0, 0 } << QList<int> { 0, 0, 0, 2, 4, 4, 4, 2, 0, 0, 0, 0 }
            << 16 << 0.9 << 1.4 << 1.4 << 4 << 1.0 << "only 4 reached";
        QTest::newRow("never back to zero while watched: no scale-down time")
            << QList<int> { 0, 0, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4 } << QList<int> { 0, 0, 0, 2, 4, 4, 4, 4, 4, 4, 4, 4 }
            << 2 << 0.9 << 1.4 << 0.9 << 4 << -1.0 << "add 2 workers";
        QTest::newRow("a minimum worker alive before the burst is not a new one")
            << QList<int> { 1, 1, 1, 3, 5, 5, 5, 1, 1, 1, 1, 1 } << QList<int> { 1, 1, 1, 1, 3, 5, 5, 1, 1, 1, 1, 1 }
            << 4 << 1.4 << 1.9 << 1.9 << 5 << -1.0 << "add 4 workers";
    }

    void findsTheScaleOut()
    {
        QFETCH(QList<int>, alive);
        QFETCH(QList<int>, ready);
        QFETCH(int, k);
        QFETCH(double, firstWorkerS);
        QFETCH(double, firstReadyS);
        QFETCH(double, kWorkersS);
        QFETCH(int, maxReplicas);
        QFETCH(double, zeroS);
        QFETCH(QString, kLabelHas);
        const StudyResult r = analyzeScaling(burst(3000), samples(alive, ready), k, 120);
        QCOMPARE(r.kind, std::string("scaling"));
        QCOMPARE(valueOf(r, "first_worker_s").value_or(-1), firstWorkerS);
        QCOMPARE(valueOf(r, "first_ready_s").value_or(-1), firstReadyS);
        QCOMPARE(valueOf(r, "k_workers_s").value_or(-1), kWorkersS);
        QCOMPARE(valueOf(r, "max_replicas").value_or(-1), double(maxReplicas));
        QCOMPARE(valueOf(r, "scale_to_zero_s").value_or(-1), zeroS);
        QVERIFY2(QString::fromStdString(r.finding("k_workers_s")->label).contains(kLabelHas),
            r.finding("k_workers_s")->label.c_str());
        // The bracket is the sampling interval before the sample that showed the change.
        QCOMPARE(*r.finding("first_worker_s")->low, firstWorkerS - kIntervalMs / 1000.0);
        QVERIFY(!r.answer.empty());
        QCOMPARE(r.charts.size(), std::size_t(1));
        QCOMPARE(r.charts.front().series.front().points.back().second, double(alive.back()));
    }

    void peakErrorRateCountsOnlyTheRequestsInFlightAtThePeak()
    {
        // The peak (4 alive) runs from 1.5 s to 3 s: 8 requests in flight, 2 of them failed; the
        // one that failed at 1.2 s is before it.
        const StudyResult r = analyzeScaling(burst(3000),
            samples({ 0, 0, 2, 4, 4, 4, 4, 2, 0, 0, 0, 0 }, { 0, 0, 0, 2, 4, 4, 4, 2, 0, 0, 0, 0 }), 4, 120);
        QCOMPARE(valueOf(r, "peak_error_rate_pct").value_or(-1), 25.0);
    }

    void theWatchsOwnCheckOfZeroWorkersCountsWhenNoSampleSawIt()
    {
        // The periodic samples still show workers up to 5.5 s; the watch's probe, sent at 6 s,
        // was labelled cold: the engine's check saw zero workers just before it.
        std::vector<RequestRecord> records = burst(3000);
        records.back().cold = ColdLabel::Cold;
        const auto busy = samples({ 0, 0, 2, 4, 4, 4, 4, 4, 4, 4, 2, 2 }, { 0, 0, 0, 2, 4, 4, 4, 4, 4, 4, 2, 2 });
        const StudyResult r = analyzeScaling(records, busy, 4, 120);
        QCOMPARE(valueOf(r, "scale_to_zero_s").value_or(-1), 3.0);
        QCOMPARE(*r.finding("scale_to_zero_s")->low, 2.5); // the last sample that still showed workers
        records.back().cold = ColdLabel::Warm; // the wait ran out: the probe found a worker
        QVERIFY(!valueOf(analyzeScaling(records, busy, 4, 120), "scale_to_zero_s"));
    }

    void noSampleDuringTheBurstSaysSo()
    {
        const StudyResult r = analyzeScaling(burst(3000), {}, 4, 120);
        QVERIFY(r.findings.empty());
        QVERIFY(QString::fromStdString(r.answer).contains("no sample"));
    }

    void countsWorkersOnce()
    {
        WorkerSample runpod; // RunPod: ready = idle + running
        runpod.idle = 2;
        runpod.running = 3;
        runpod.ready = 5;
        runpod.initializing = 1;
        QCOMPARE(workersAlive(runpod), 6);
        WorkerSample other; // a platform that reports only idle and running
        other.idle = 2;
        other.running = 3;
        QCOMPARE(workersReady(other), 5);
    }
};

QTEST_GUILESS_MAIN(TestScalingAnalysis)
#include "tst_scalinganalysis.moc"
