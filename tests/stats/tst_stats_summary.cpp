// SPDX-License-Identifier: Apache-2.0
// summarize() on a small run written out as records; every expected number is worked out by
// hand from the table below.
#include "recorddsl.h"
#include "stats/summary.h"

#include <QtTest>

#include <functional>
#include <map>

using namespace t2i;

namespace {

// step:kind:level:offered:intended:done:status:cold[:key=value...]   (latency = done - intended)
constexpr std::string_view kRun = R"(
    # listed out of order on purpose: levels must still come out by (step, level)
    0:closed:1:4:20200:22000:ok:w:img=2          # latency 1800, two images
    -1:warmup:0:1:0:5000:ok:c                    # warm-up: excluded from everything else
    0:closed:0:2:10000:11000:ok:c:q=300:e=600    # 1000, cold
    0:closed:0:2:10000:10500:ok:w:q=100:e=350    # 500
    0:closed:0:2:11000:11600:ok:w                # 600, no stage timings
    0:closed:0:2:10500:12000:timeout:u           # error
    0:closed:1:4:20000:20800:ok:w:sent=20030     # 800, sent 30 ms late
    0:closed:1:4:20000:20900:ok:u                # 900, coldness unknown
    1:cold_probe:0:1:30000:34000:ok:c            # 4000, cold
    0:closed:1:4:20100:21000:throttled:u         # error
    1:cold_probe:0:1:90000:91000:ok:w            # 1000, after a minute's idle gap
)";

// Hand-worked numbers for kRun:
// measured 10 (warm-up 1), ok 8, errors 2 (timeout 1, throttled 1), images 3 + 4 + 2 = 9.
// ok latencies sorted: 500 600 800 900 1000 1000 1800 4000; sum 10600, mean 1325.
//   p50: rank ceil(4) = 4 -> 900; p90: ceil(7.2) = 8 -> 4000; p95, p99 -> 4000.
//   squared deviations from 1325 sum to 9,255,000; s = sqrt(9,255,000 / 7) = 1149.8447100121.
// p50 CI, k = 4, G(j) = P(Bin(8, j/8) >= 4): G(1) = 0.0112, G(2) = 0.1138 -> lo = x_(2) = 600;
//   G(6) = 1 - P(Bin(8, 1/4) <= 4) = 1 - 0.9727 < 0.975, G(7) = 0.9988 -> hi = x_(7) = 1800.
// p95 CI, k = 8, G(j) = (j/8)^8: G(5) = 0.0233, G(6) = 0.1001 -> lo = x_(6) = 1000;
//   G(7) = 0.3436, G(8) = 1 -> hi = x_(8) = 4000.
// Cold 1000, 4000 (p50 1000); warm 500 600 800 1000 1800 (p50 rank 3 -> 800); unknown 1 (900).
// Windows (max done - min intended): step 0 level 0: 12000 - 10000 = 2000 ms, 3 images;
//   level 1: 22000 - 20000 = 2000 ms, 4 images; the cold probe: 91000 - 30000 = 61000 ms,
//   2 images, left out of throughput: 7 images / 4 s = 1.75 images/s.
const std::map<QString, std::function<double(const RunSummary&)>>& metrics()
{
    static const std::map<QString, std::function<double(const RunSummary&)>> table {
        { "requests", [](const RunSummary& s) { return double(s.requests); } },
        { "ok", [](const RunSummary& s) { return double(s.ok); } },
        { "errors", [](const RunSummary& s) { return double(s.errors); } },
        { "errorRate", [](const RunSummary& s) { return s.errorRate; } },
        { "warmupRequests", [](const RunSummary& s) { return double(s.warmupRequests); } },
        { "images", [](const RunSummary& s) { return double(s.images); } },
        { "throughputIps", [](const RunSummary& s) { return s.throughputIps; } },
        { "throughputWindowMs", [](const RunSummary& s) { return s.throughputWindowMs; } },
        { "errors.timeout", [](const RunSummary& s) { return double(s.errorsByClass.at("timeout")); } },
        { "errors.throttled", [](const RunSummary& s) { return double(s.errorsByClass.at("throttled")); } },
        { "errorClasses", [](const RunSummary& s) { return double(s.errorsByClass.size()); } },
        { "latency.n", [](const RunSummary& s) { return double(s.latency.n); } },
        { "latency.min", [](const RunSummary& s) { return s.latency.min; } },
        { "latency.max", [](const RunSummary& s) { return s.latency.max; } },
        { "latency.mean", [](const RunSummary& s) { return s.latency.mean; } },
        { "latency.stddev", [](const RunSummary& s) { return s.latency.stddev; } },
        { "latency.p50", [](const RunSummary& s) { return s.latency.p50; } },
        { "latency.p90", [](const RunSummary& s) { return s.latency.p90; } },
        { "latency.p95", [](const RunSummary& s) { return s.latency.p95; } },
        { "p50Ci.lo", [](const RunSummary& s) { return s.p50Ci.lo; } },
        { "p50Ci.hi", [](const RunSummary& s) { return s.p50Ci.hi; } },
        { "p95Ci.lo", [](const RunSummary& s) { return s.p95Ci.lo; } },
        { "p95Ci.hi", [](const RunSummary& s) { return s.p95Ci.hi; } },
        { "coldStarts", [](const RunSummary& s) { return double(s.coldStarts); } },
        { "coldRate", [](const RunSummary& s) { return s.coldRate; } },
        { "coldLatency.n", [](const RunSummary& s) { return double(s.coldLatency.n); } },
        { "coldLatency.p50", [](const RunSummary& s) { return s.coldLatency.p50; } },
        { "warmLatency.n", [](const RunSummary& s) { return double(s.warmLatency.n); } },
        { "warmLatency.p50", [](const RunSummary& s) { return s.warmLatency.p50; } },
        { "unknownColdness", [](const RunSummary& s) { return double(s.unknownColdness); } },
        { "queueMs.n", [](const RunSummary& s) { return double(s.queueMs.n); } },
        { "queueMs.mean", [](const RunSummary& s) { return s.queueMs.mean; } },
        { "execMs.n", [](const RunSummary& s) { return double(s.execMs.n); } },
        { "execMs.max", [](const RunSummary& s) { return s.execMs.max; } },
        { "downloadMs.n", [](const RunSummary& s) { return double(s.downloadMs.n); } },
        { "sendLagMs.n", [](const RunSummary& s) { return double(s.sendLagMs.n); } },
        { "sendLagMs.max", [](const RunSummary& s) { return s.sendLagMs.max; } },
        { "sendLagMs.mean", [](const RunSummary& s) { return s.sendLagMs.mean; } },
        { "levels", [](const RunSummary& s) { return double(s.levels.size()); } },
    };
    return table;
}

const std::map<QString, std::function<double(const LevelPoint&)>>& levelFields()
{
    static const std::map<QString, std::function<double(const LevelPoint&)>> table {
        { "step", [](const LevelPoint& l) { return double(l.step); } },
        { "level", [](const LevelPoint& l) { return double(l.level); } },
        { "offered", [](const LevelPoint& l) { return l.offered; } },
        { "requests", [](const LevelPoint& l) { return double(l.requests); } },
        { "ok", [](const LevelPoint& l) { return double(l.ok); } },
        { "images", [](const LevelPoint& l) { return double(l.images); } },
        { "windowMs", [](const LevelPoint& l) { return l.windowMs; } },
        { "achievedIps", [](const LevelPoint& l) { return l.achievedIps; } },
        { "p50", [](const LevelPoint& l) { return l.p50; } },
        { "p95", [](const LevelPoint& l) { return l.p95; } },
    };
    return table;
}

} // namespace

class TestStatsSummary : public QObject {
    Q_OBJECT

private slots:
    void runMetric_data();
    void runMetric();
    void levelPoint_data();
    void levelPoint();
    void levelKindsInOrder();
    void onlyColdProbesUseTheirWindows();
    void allFailedHasNoLatency();
    void noRecords();
};

void TestStatsSummary::runMetric_data()
{
    QTest::addColumn<QString>("metric");
    QTest::addColumn<double>("expected");
    const auto row = [](const char* name, const char* metric, double expected) {
        QTest::newRow(name) << QString::fromLatin1(metric) << expected;
    };
    row("warm-up excluded: 10 measured requests", "requests", 10);
    row("warm-up counted apart", "warmupRequests", 1);
    row("8 ok", "ok", 8);
    row("2 errors", "errors", 2);
    row("error rate 2/10", "errorRate", 0.2);
    row("one timeout", "errors.timeout", 1);
    row("one throttled", "errors.throttled", 1);
    row("two error classes", "errorClasses", 2);
    row("images count img=2", "images", 9);
    row("throughput 7 images over 4 s, cold probe excluded", "throughputIps", 1.75);
    row("throughput window 4000 ms", "throughputWindowMs", 4000);
    row("latency over 8 ok requests", "latency.n", 8);
    row("latency min 500", "latency.min", 500);
    row("latency max 4000", "latency.max", 4000);
    row("latency mean 10600/8", "latency.mean", 1325);
    row("latency s sqrt(9255000/7)", "latency.stddev", 1149.8447100121205);
    row("latency p50 rank 4 is 900", "latency.p50", 900);
    row("latency p90 rank 8 is 4000", "latency.p90", 4000);
    row("latency p95 rank 8 is 4000", "latency.p95", 4000);
    row("p50 CI lo x_(2) = 600", "p50Ci.lo", 600);
    row("p50 CI hi x_(7) = 1800", "p50Ci.hi", 1800);
    row("p95 CI lo x_(6) = 1000", "p95Ci.lo", 1000);
    row("p95 CI hi x_(8) = 4000", "p95Ci.hi", 4000);
    row("2 cold starts", "coldStarts", 2);
    row("cold rate 2/8", "coldRate", 0.25);
    row("cold latency apart: n 2", "coldLatency.n", 2);
    row("cold p50 1000", "coldLatency.p50", 1000);
    row("warm latency apart: n 5", "warmLatency.n", 5);
    row("warm p50 rank 3 is 800", "warmLatency.p50", 800);
    row("unknown coldness counted", "unknownColdness", 1);
    row("queue where reported: n 2", "queueMs.n", 2);
    row("queue mean (300+100)/2", "queueMs.mean", 200);
    row("exec where reported: n 2", "execMs.n", 2);
    row("exec max 600", "execMs.max", 600);
    row("download absent: n 0", "downloadMs.n", 0);
    row("send lag over all measured: n 10", "sendLagMs.n", 10);
    row("send lag max 30", "sendLagMs.max", 30);
    row("send lag mean 30/10", "sendLagMs.mean", 3);
    row("three level points", "levels", 3);
}

void TestStatsSummary::runMetric()
{
    QFETCH(QString, metric);
    const std::vector<RequestRecord> records = test::parseRecords(kRun);
    const RunSummary s = summarize(records);
    QVERIFY2(metrics().count(metric) == 1, qPrintable(metric));
    QTEST(metrics().at(metric)(s), "expected");
}

void TestStatsSummary::levelPoint_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("field");
    QTest::addColumn<double>("expected");
    const auto row = [](const char* name, int index, const char* field, double expected) {
        QTest::newRow(name) << index << QString::fromLatin1(field) << expected;
    };
    row("first point is step 0", 0, "step", 0);
    row("first point is level 0", 0, "level", 0);
    row("level 0 offered 2", 0, "offered", 2);
    row("level 0 has 4 requests", 0, "requests", 4);
    row("level 0 has 3 ok", 0, "ok", 3);
    row("level 0 window 2000 ms", 0, "windowMs", 2000);
    row("level 0 achieves 3 images / 2 s", 0, "achievedIps", 1.5);
    row("level 0 p50 of 500,600,1000 is 600", 0, "p50", 600);
    row("level 0 p95 rank 3 is 1000", 0, "p95", 1000);
    row("second point is level 1", 1, "level", 1);
    row("level 1 offered 4", 1, "offered", 4);
    row("level 1 has 4 images", 1, "images", 4);
    row("level 1 achieves 4 images / 2 s", 1, "achievedIps", 2);
    row("level 1 p50 of 800,900,1800 is 900", 1, "p50", 900);
    row("level 1 p95 is 1800", 1, "p95", 1800);
    row("cold probe point is step 1", 2, "step", 1);
    row("cold probe has 2 requests", 2, "requests", 2);
    row("cold probe window 61000 ms", 2, "windowMs", 61000);
    row("cold probe achieves 2 images / 61 s", 2, "achievedIps", 2.0 / 61.0);
    row("cold probe p95 is 4000", 2, "p95", 4000);
}

void TestStatsSummary::levelPoint()
{
    QFETCH(int, index);
    QFETCH(QString, field);
    const std::vector<RequestRecord> records = test::parseRecords(kRun);
    const RunSummary s = summarize(records);
    QVERIFY(static_cast<std::size_t>(index) < s.levels.size());
    QVERIFY2(levelFields().count(field) == 1, qPrintable(field));
    QTEST(levelFields().at(field)(s.levels[static_cast<std::size_t>(index)]), "expected");
}

void TestStatsSummary::levelKindsInOrder()
{
    const std::vector<RequestRecord> records = test::parseRecords(kRun);
    const RunSummary s = summarize(records);
    QCOMPARE(s.levels.size(), std::size_t { 3 });
    QCOMPARE(s.levels[0].stepKind, std::string("closed"));
    QCOMPARE(s.levels[1].stepKind, std::string("closed"));
    QCOMPARE(s.levels[2].stepKind, std::string("cold_probe"));
}

void TestStatsSummary::onlyColdProbesUseTheirWindows()
{
    // With nothing else measured, the probes' own windows are all there is: 2 images / 61 s.
    const std::vector<RequestRecord> records = test::parseRecords(R"(
        -1:warmup:0:1:0:5000:ok:c
        0:cold_probe:0:1:30000:34000:ok:c
        0:cold_probe:0:1:90000:91000:ok:w
    )");
    const RunSummary s = summarize(records);
    QCOMPARE(s.throughputWindowMs, 61000.0);
    QCOMPARE(s.throughputIps, 2.0 / 61.0);
    QCOMPARE(s.warmupRequests, std::size_t { 1 });
}

void TestStatsSummary::allFailedHasNoLatency()
{
    const std::vector<RequestRecord> records = test::parseRecords(R"(
        0:constant:0:1:0:100:server_error:u
        0:constant:0:1:1000:1100:server_error:u
    )");
    const RunSummary s = summarize(records);
    QCOMPARE(s.errorRate, 1.0);
    QCOMPARE(s.errorsByClass.at("server_error"), std::size_t { 2 });
    QCOMPARE(s.latency.n, std::size_t { 0 });
    QCOMPARE(s.p95Ci.hi, 0.0);
    QCOMPARE(s.coldRate, 0.0);
    QCOMPARE(s.throughputIps, 0.0);
    QCOMPARE(s.levels.at(0).ok, std::size_t { 0 });
    QCOMPARE(s.levels.at(0).p95, 0.0);
}

void TestStatsSummary::noRecords()
{
    const RunSummary s = summarize({});
    QCOMPARE(s.requests, std::size_t { 0 });
    QCOMPARE(s.errorRate, 0.0);
    QCOMPARE(s.throughputIps, 0.0);
    QVERIFY(s.levels.empty());
}

QTEST_APPLESS_MAIN(TestStatsSummary)
#include "tst_stats_summary.moc"
