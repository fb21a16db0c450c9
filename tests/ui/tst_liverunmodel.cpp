// SPDX-License-Identifier: Apache-2.0
// The live view's plumbing without a real run: RunProcess reads a scripted event stream (a saved
// stream file, printed by cat), LiveRunModel turns events into snapshots whose percentiles are
// checked against values worked out by hand (nearest rank: x[ceil(p n) - 1]).
#include "run/liverunmodel.h"
#include "run/runprocess.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace t2i::ui;

namespace {

// Requests i = 1..n, finishing at i * 100 ms with latency i * 10 ms; those in `failed` fail.
QList<LiveRequest> ladder(int n, const QList<int>& failed = {})
{
    QList<LiveRequest> requests;
    for (int i = 1; i <= n; ++i) {
        LiveRequest r;
        r.seq = i - 1;
        r.endMs = i * 100.0;
        r.latencyMs = i * 10.0;
        r.ok = !failed.contains(i);
        r.error = r.ok ? QString() : QStringLiteral("server_error");
        r.cold = false;
        requests.push_back(r);
    }
    return requests;
}

// clang-format off
const char* const kStream[] = {
    R"j({"event":"plan","runs":[{"index":0,"name":"c/p/v","provider":"p","variant":"v"},{"index":1,"name":"c/q/v","provider":"q","variant":"v"}],"budget_usd":null})j",
    R"j({"event":"run_start","index":0,"run_id":"r1","name":"c/p/v"})j",
    R"j({"event":"progress","index":0,"elapsed_ms":1500,"eta_ms":null,"sent":4,"done":3,"ok":2,"errors":1,"in_flight":1,"phase":"closed c=2 (step 1)","committed_usd":0.02,"budget_usd":0.5})j",
    "this line is not an event",
    R"j({"event":"requests","index":0,"items":[{"seq":0,"step":-1,"end_ms":800,"latency_ms":800,"ok":true,"error":null,"cold":true,"detection_lag_ms":null},{"seq":1,"step":0,"end_ms":1000,"latency_ms":200,"ok":true,"error":null,"cold":false,"detection_lag_ms":40},{"seq":2,"step":0,"end_ms":1200,"latency_ms":300,"ok":false,"error":"timeout","cold":null,"detection_lag_ms":null}]})j",
    R"j({"event":"workers","index":0,"t_ms":1000,"ready":1,"running":2,"idle":0,"initializing":1,"in_queue":3,"in_progress":2})j",
    R"j({"event":"run_end","index":0,"run_id":"r1","status":"completed","message":""})j",
    R"j({"event":"done","exit_code":0})j",
};
// clang-format on

} // namespace

class TestLiveRunModel : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void rollingFiguresAreNearestRankOverTheWindow_data()
    {
        QTest::addColumn<double>("windowS");
        QTest::addColumn<QList<int>>("failed");
        QTest::addColumn<double>("p50");
        QTest::addColumn<double>("p95");
        QTest::addColumn<double>("throughput");
        // 100 requests over 10 s: all within a 30 s window; x[49] = 500, x[94] = 950; 100 / 10 s.
        QTest::newRow("a window longer than the run takes every request")
            << 30.0 << QList<int>() << 500.0 << 950.0 << 10.0;
        // A 5 s window keeps i = 50..100 (finished at or after 5 s): 51 values 500..1000,
        // x[ceil(25.5)-1 = 25] = 750, x[ceil(48.45)-1 = 48] = 980; 51 / 5 s.
        QTest::newRow("a short window forgets older requests") << 5.0 << QList<int>() << 750.0 << 980.0 << 10.2;
        // Failures leave the percentiles and the throughput: 98 values, x[48] = 490 ... with
        // 100 and 99 gone x[ceil(93.1)-1 = 93] = 940; 98 successes / 10 s.
        QTest::newRow("failed requests count in neither") << 30.0 << QList<int> { 99, 100 } << 490.0 << 940.0 << 9.8;
    }
    void rollingFiguresAreNearestRankOverTheWindow()
    {
        QFETCH(double, windowS);
        QFETCH(QList<int>, failed);
        QFETCH(double, p50);
        QFETCH(double, p95);
        QFETCH(double, throughput);
        LiveRunModel model;
        model.setWindowSeconds(windowS);
        model.runStarted(0, "r1", "c/p/v");
        model.requests(0, ladder(100, failed));
        model.update();
        const LiveSnapshot& s = model.snapshot(0);
        QVERIFY(s.p50Ms && s.p95Ms);
        QCOMPARE(*s.p50Ms, p50);
        QCOMPARE(*s.p95Ms, p95);
        QCOMPARE(s.throughputPerS, throughput);
        QCOMPARE(s.reportedRequests, 100);
        QCOMPARE(s.reportedFailed, qint64(failed.size()));
        QCOMPARE(s.p95Series.size(), 1); // one point per update
        QCOMPARE(s.p95Series.front(), QPointF(10.0, p95));
    }

    void coldStartsAndDetectionLagAreKeptApart()
    {
        LiveRunModel model;
        model.runStarted(0, "r1", "c/p/v");
        QList<LiveRequest> requests = ladder(10);
        requests[0].cold = true; // 100 ms, latency 10
        requests[6].cold = true; // 700 ms, latency 70
        requests[3].cold = std::nullopt; // unknown is not cold
        for (int i = 0; i < 4; ++i)
            requests[i].detectionLagMs = (i + 1) * 20.0; // 20, 40, 60, 80; the rest unknown
        model.requests(0, requests);
        model.update();
        const LiveSnapshot& s = model.snapshot(0);
        QCOMPARE(s.coldStarts, 2);
        QCOMPARE(s.coldMarks, (QVector<QPointF> { { 0.1, 10 }, { 0.7, 70 } }));
        QCOMPARE(*s.lagP50Ms, 40.0); // x[ceil(2)-1 = 1]
        QCOMPARE(*s.lagP95Ms, 80.0); // x[ceil(3.8)-1 = 3]
    }

    void updatesAreThrottledToOneATick()
    {
        LiveRunModel model;
        model.setUpdateInterval(50);
        QSignalSpy changed(&model, &LiveRunModel::snapshotChanged);
        model.runStarted(0, "r1", "c/p/v");
        for (int i = 0; i < 20; ++i)
            model.requests(0, ladder(3));
        QVERIFY(changed.wait(5000));
        QCOMPARE(changed.count(), 1); // twenty-one events, one snapshot
        QCOMPARE(model.snapshot(0).reportedRequests, 60);
    }

    void boundedSeriesKeepsItsCapAndItsPeaks()
    {
        BoundedSeries series(600);
        for (int i = 0; i < 5000; ++i)
            series.append(i, i == 3333 ? 1e6 : i % 7);
        QVERIFY(series.points().size() <= 600);
        QVERIFY(series.points().size() >= 300);
        double peak = 0;
        for (const QPointF& p : series.points())
            peak = std::max(peak, p.y());
        QCOMPARE(peak, 1e6);
        QCOMPARE(series.points().front().x(), 0.0);
    }

    void aScriptedStreamBecomesTypedEventsAndSnapshots()
    {
        const QString path = m_dir.filePath("stream.jsonl");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (const char* line : kStream)
            file.write(QByteArray(line) + '\n');
        file.close();

        RunProcess process;
        LiveRunModel model;
        model.connectTo(&process);
        QSignalSpy planned(&process, &RunProcess::planned);
        QSignalSpy ended(&process, &RunProcess::runEnded);
        QSignalSpy finished(&process, &RunProcess::finished);
        process.start(QStringLiteral("cat"), { path });
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.front().at(0).toInt(), 0); // the done event's exit code
        QCOMPARE(process.malformedLines(), 1);
        QCOMPARE(planned.count(), 1);
        QCOMPARE(ended.count(), 1);
        QCOMPARE(ended.front().at(1).toString(), QStringLiteral("r1"));
        QCOMPARE(ended.front().at(2).toString(), QStringLiteral("completed"));

        model.update();
        QCOMPARE(model.runCount(), 2);
        QCOMPARE(model.currentIndex(), 0);
        const LiveSnapshot& s = model.snapshot(0);
        QCOMPARE(s.runId, QStringLiteral("r1"));
        QCOMPARE(s.status, QStringLiteral("completed"));
        QVERIFY(s.ended());
        QCOMPARE(s.progress.sent, 4);
        QCOMPARE(s.progress.etaMs, -1.0); // null: unknown
        QCOMPARE(s.progress.committedUsd, 0.02);
        QCOMPARE(s.progress.budgetUsd, 0.5);
        QCOMPARE(s.reportedRequests, 3);
        QCOMPARE(s.reportedFailed, 1);
        QCOMPARE(s.coldStarts, 1);
        QCOMPARE(*s.p50Ms, 200.0); // successes 800 and 200: x[0] of (200, 800)
        QCOMPARE(*s.p95Ms, 800.0);
        QCOMPARE(*s.lagP50Ms, 40.0);
        QVERIFY(s.workers);
        QCOMPARE(s.workers->workers(), 4);
        QCOMPARE(s.queueSeries, (QVector<QPointF> { { 1.0, 3.0 } }));
        QCOMPARE(model.snapshot(1).status, QStringLiteral("planned"));
        QCOMPARE(model.snapshot(1).name, QStringLiteral("c/q/v"));
    }

    void cancelClosesStdinAndTheChildEndsOnItsOwn()
    {
        // A child that, like the CLI, ends when its stdin closes.
        RunProcess process;
        process.setCancelGrace(60000); // the close alone must do it
        QSignalSpy finished(&process, &RunProcess::finished);
        process.start(QStringLiteral("sh"), { "-c", "cat >/dev/null; echo '{\"event\":\"done\",\"exit_code\":130}'" });
        QTRY_VERIFY(process.processId() > 0);
        process.cancel();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.front().at(0).toInt(), 130);
    }

    void aChildThatIgnoresTheCloseIsTerminated()
    {
        RunProcess process;
        process.setCancelGrace(100);
        QSignalSpy finished(&process, &RunProcess::finished);
        process.start(QStringLiteral("sh"), { "-c", "exec sleep 600" }); // never reads stdin
        QTRY_VERIFY(process.processId() > 0);
        process.cancel();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.front().at(0).toInt(), -1); // SIGTERM: no exit code of its own
        QVERIFY(!process.isRunning());
    }

    void runArgumentsPassTheBudgetOnlyWhenSet_data()
    {
        QTest::addColumn<QStringList>("providers");
        QTest::addColumn<bool>("budget");
        QTest::addColumn<QStringList>("expected");
        const QStringList base { "run", "c.json", "--db", "l.db", "--events", "--cancel-on-stdin-close" };
        QTest::newRow("everything, no budget") << QStringList() << false << base;
        QTest::newRow("two providers and a budget")
            << QStringList { "a", "b" } << true << (base + QStringList { "--providers", "a,b", "--budget-usd", "2.5" });
    }
    void runArgumentsPassTheBudgetOnlyWhenSet()
    {
        QFETCH(QStringList, providers);
        QFETCH(bool, budget);
        QFETCH(QStringList, expected);
        QCOMPARE(RunProcess::runArguments(
                     "c.json", "l.db", providers, {}, budget ? std::optional<double>(2.5) : std::nullopt),
            expected);
    }
};

QTEST_MAIN(TestLiveRunModel)
#include "tst_liverunmodel.moc"
