// SPDX-License-Identifier: Apache-2.0
// The capacity study's parts (core/study/capacitystudy.h): one level's verdict from hand-made
// records, the search over rates against a known knee, and the summary's bracket.
#include <QtTest>

#include "study/capacitystudy.h"

using namespace t2i;

namespace {

// A level's run at `rate`: a warm phase of n/2 requests (step 0) taking latencyMs(0), the first
// of which fails, then `n` measured requests (step 1), one every 1/rate s, each taking
// latencyMs(i); the first `failed` of them fail as `error`.
std::vector<RequestRecord> level(double rate, int n, const std::function<double(int)>& latencyMs, int failed = 0,
    ErrorClass error = ErrorClass::Timeout)
{
    std::vector<RequestRecord> out;
    for (int i = -n / 2; i < n; ++i) {
        RequestRecord r;
        r.step = i < 0 ? 0 : 1;
        r.intendedMs = r.sentMs = 100000 + i * 1000.0 / rate;
        r.doneMs = r.finishedMs = r.sentMs + latencyMs(std::max(i, 0));
        r.ok = i < 0 ? i != -n / 2 : i >= failed; // a warm-phase failure never counts
        r.errorClass = r.ok ? ErrorClass::None : error;
        out.push_back(r);
    }
    return out;
}

} // namespace

class TestCapacityAnalysis : public QObject {
    Q_OBJECT
private slots:
    void judgesALevel_data()
    {
        QTest::addColumn<int>("failed");
        QTest::addColumn<int>("errorClass");
        QTest::addColumn<bool>("growing");
        QTest::addColumn<double>("latencyMs");
        QTest::addColumn<bool>("pass");
        QTest::addColumn<QString>("reasonHas");
        QTest::newRow("steady and fast: passes") << 0 << 0 << false << 500.0 << true << "";
        QTest::newRow("p95 over the SLA: fails on p95") << 0 << 0 << false << 2500.0 << false << "p95 2.50 s over";
        QTest::newRow("5% out of memory: fails on errors, by class")
            << 5 << int(ErrorClass::OutOfMemory) << false << 500.0 << false << "errors 5.0% (oom 5)";
        QTest::newRow("one error in 100 is within 1%")
            << 1 << int(ErrorClass::Throttled) << false << 500.0 << true << "";
        QTest::newRow("latency growing with every request: the queue grows")
            << 0 << 0 << true << 500.0 << false << "kept growing";
    }

    void judgesALevel()
    {
        QFETCH(int, failed);
        QFETCH(int, errorClass);
        QFETCH(bool, growing);
        QFETCH(double, latencyMs);
        QFETCH(bool, pass);
        QFETCH(QString, reasonHas);
        // 100 requests at 10/s; a growing queue adds 15 ms per request (still under the SLA at the end).
        const auto latency = [&](int i) { return growing ? 100.0 + 15.0 * i : latencyMs; };
        const CapacityLevel l
            = analyzeCapacityLevel(level(10, 100, latency, failed, ErrorClass(errorClass)), 10, 2000, 0.01);
        QCOMPARE(l.requests, 100);
        QCOMPARE(l.failed, failed);
        QCOMPARE(l.queueGrows, growing);
        QCOMPARE(l.pass, pass);
        QVERIFY2(QString::fromStdString(l.reason).contains(reasonHas), l.reason.c_str());
        QVERIFY(l.p95LowMs && l.p95HighMs && *l.p95LowMs <= *l.p95Ms && *l.p95Ms <= *l.p95HighMs);
        QVERIFY(l.achieved > 0 && l.achieved <= 10.0);
    }

    void searchBracketsTheKnee_data()
    {
        QTest::addColumn<double>("knee"); // rates at or below it pass
        QTest::addColumn<double>("start");
        QTest::addColumn<double>("precision");
        QTest::newRow("knee above the start: ramp up, then bisect") << 20.0 << 1.0 << 0.1;
        QTest::newRow("knee below the start: ramp down, then bisect") << 3.3 << 50.0 << 0.1;
        QTest::newRow("a finer precision") << 37.0 << 2.0 << 0.02;
    }

    void searchBracketsTheKnee()
    {
        QFETCH(double, knee);
        QFETCH(double, start);
        QFETCH(double, precision);
        CapacitySearch search(start, 10000, precision, 40);
        int levels = 0;
        while (const auto rate = search.next()) {
            search.record(*rate, *rate <= knee);
            ++levels;
        }
        QVERIFY(search.highestPass() && search.lowestFail());
        QVERIFY(*search.highestPass() <= knee && knee < *search.lowestFail());
        QVERIFY(*search.lowestFail() - *search.highestPass() <= precision * *search.highestPass());
        QVERIFY(levels < 40);
    }

    void searchStopsAtTheLimits()
    {
        CapacitySearch all(1, 8, 0.1, 40); // every rate passes: stops at max_rate
        std::vector<double> tried;
        while (const auto rate = all.next()) {
            tried.push_back(*rate);
            all.record(*rate, true);
        }
        QCOMPARE(tried, (std::vector<double> { 1, 2, 4, 8 }));
        CapacitySearch few(1, 1000, 0.1, 3); // max_levels
        int levels = 0;
        while (const auto rate = few.next()) {
            few.record(*rate, true);
            ++levels;
        }
        QCOMPARE(levels, 3);
    }

    void summaryGivesTheKneeWithItsBracketAndWhy()
    {
        const auto make = [](double rate, bool pass, double p95, double lo, double hi, std::string reason = {}) {
            CapacityLevel l;
            l.rate = rate;
            l.requests = 100;
            l.pass = pass;
            l.p50Ms = p95 / 2;
            l.p95Ms = p95;
            l.p95LowMs = lo;
            l.p95HighMs = hi;
            l.reason = std::move(reason);
            return l;
        };
        // SLA 1000 ms. 16 passes surely; 20 passes but its p95 interval reaches over the SLA, so
        // the bracket's low end is 16; 22 fails surely (its whole interval is over).
        const StudyResult r = summarizeCapacity(
            { make(22, false, 1500, 1200, 1800, "p95 1.50 s over 1.00 s"), make(8, true, 300, 250, 350),
                make(16, true, 600, 500, 700), make(20, true, 950, 800, 1100) },
            1000, 0.01);
        const StudyFinding* capacity = r.finding("capacity_rps");
        QVERIFY(capacity && capacity->value);
        QCOMPARE(*capacity->value, 20.0);
        QCOMPARE(*capacity->low, 16.0);
        QCOMPARE(*capacity->high, 22.0);
        QCOMPARE(*r.finding("knee_rps")->value, 22.0);
        QVERIFY2(QString::fromStdString(r.answer).contains("p95 1.50 s over"), r.answer.c_str());
        QCOMPARE(r.tables.front().rows.size(), std::size_t(4));
        QCOMPARE(r.tables.front().rows.front().front(), std::string("8.00")); // ordered by rate
        QCOMPARE(r.charts.size(), std::size_t(2));
    }

    void summaryWithoutAFailingLevelSaysTheCapacityIsAtLeast()
    {
        CapacityLevel l;
        l.rate = 8;
        l.requests = 10;
        l.pass = true;
        l.p95Ms = l.p95LowMs = l.p95HighMs = 100;
        const StudyResult r = summarizeCapacity({ l }, 1000, 0.01);
        QVERIFY(QString::fromStdString(r.answer).contains("at least"));
        QVERIFY(!r.finding("knee_rps"));
    }
};

QTEST_GUILESS_MAIN(TestCapacityAnalysis)
#include "tst_capacityanalysis.moc"
