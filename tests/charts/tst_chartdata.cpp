// SPDX-License-Identifier: Apache-2.0
// core/charts: the columnar digest against summarize(), the lean store read, and every bounded
// series (histogram, ECDF, box, stages, scaling knee, timeline, counters over time, CSV).
#include "chartfixtures.h"
#include "charts/chartcsv.h"
#include "charts/comparison.h"
#include "charts/comparisonload.h"
#include "charts/distributions.h"
#include "charts/gpucharts.h"
#include "charts/runcharts.h"
#include "charts/rundigest.h"
#include "charts/timecharts.h"
#include "stats/recorddsl.h"
#include "stats/summary.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <numeric>
#include <random>

using namespace t2i;
using namespace t2i::charts;

namespace {

RunColumns columnsOf(const std::vector<RequestRecord>& records)
{
    RunColumns c;
    for (const RequestRecord& r : records)
        c.append(r);
    return c;
}

bool sameDistribution(const Distribution& a, const Distribution& b)
{
    return a.n == b.n && a.min == b.min && a.max == b.max && a.mean == b.mean && a.stddev == b.stddev && a.p50 == b.p50
        && a.p90 == b.p90 && a.p95 == b.p95 && a.p99 == b.p99;
}

// Every field, compared exactly: the digest must be summarize() to the last bit.
QString summaryMismatch(const RunSummary& a, const RunSummary& b)
{
    if (a.requests != b.requests || a.ok != b.ok || a.errors != b.errors || a.errorRate != b.errorRate)
        return "counts";
    if (a.warmupRequests != b.warmupRequests || a.images != b.images)
        return "warm-up or images";
    if (a.throughputIps != b.throughputIps || a.throughputWindowMs != b.throughputWindowMs)
        return "throughput";
    if (!sameDistribution(a.latency, b.latency) || a.p50Ci.lo != b.p50Ci.lo || a.p50Ci.hi != b.p50Ci.hi
        || a.p95Ci.lo != b.p95Ci.lo || a.p95Ci.hi != b.p95Ci.hi)
        return "latency";
    if (a.coldStarts != b.coldStarts || a.coldRate != b.coldRate || a.unknownColdness != b.unknownColdness
        || !sameDistribution(a.coldLatency, b.coldLatency) || !sameDistribution(a.warmLatency, b.warmLatency))
        return "cold and warm";
    if (!sameDistribution(a.queueMs, b.queueMs) || !sameDistribution(a.execMs, b.execMs)
        || !sameDistribution(a.downloadMs, b.downloadMs) || !sameDistribution(a.sendLagMs, b.sendLagMs))
        return "stages or lag";
    if (!sameDistribution(a.platformMs, b.platformMs) || !sameDistribution(a.detectionLagMs, b.detectionLagMs)
        || a.polls != b.polls || a.throttledPolls != b.throttledPolls)
        return "platform latency, detection lag or polls";
    if (a.network.calls != b.network.calls || a.network.newConnections != b.network.newConnections
        || a.network.tlsHandshakes != b.network.tlsHandshakes || a.network.reuseRate != b.network.reuseRate
        || a.network.tlsRequests != b.network.tlsRequests || a.network.tlsMsMean != b.network.tlsMsMean
        || !sameDistribution(a.network.firstByteBeyondMs, b.network.firstByteBeyondMs))
        return "network";
    if (a.errorsByClass != b.errorsByClass)
        return "errors by class";
    if (a.levels.size() != b.levels.size())
        return "level count";
    for (std::size_t i = 0; i < a.levels.size(); ++i) {
        const LevelPoint& x = a.levels[i];
        const LevelPoint& y = b.levels[i];
        if (x.step != y.step || x.level != y.level || x.stepKind != y.stepKind || x.offered != y.offered
            || x.requests != y.requests || x.ok != y.ok || x.images != y.images || x.windowMs != y.windowMs
            || x.achievedIps != y.achievedIps || x.p50 != y.p50 || x.p95 != y.p95)
            return QStringLiteral("level %1").arg(i);
    }
    return {};
}

bool sameValue(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

std::vector<double> ascending(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values;
}

std::vector<double> lognormalSample(std::size_t n, std::uint32_t seed, double medianMs, double sigma)
{
    std::mt19937_64 rng(seed);
    std::lognormal_distribution<double> dist(std::log(medianMs), sigma);
    std::vector<double> v(n);
    for (double& x : v)
        x = dist(rng);
    return ascending(std::move(v));
}

ScalingCurve curveOf(std::initializer_list<std::array<double, 3>> points) // offered, achieved, p95
{
    ScalingCurve c;
    for (const auto& p : points)
        c.points.push_back({ p[0], p[1], p[2] / 2, p[2], 100, 100, 0, 0 });
    markKnee(c);
    return c;
}

} // namespace

class TestChartData : public QObject {
    Q_OBJECT

private slots:
    void digestEqualsSummarize_data();
    void digestEqualsSummarize();
    void digestSortsLatencyByPopulation();
    void storeColumnsReadBackEveryField();

    void histogramBinsFollowFreedmanDiaconis();
    void histogramIsBoundedAndCountsEverything_data();
    void histogramIsBoundedAndCountsEverything();
    void histogramLogBinsAreEvenInRatio();
    void histogramOfOneRepeatedValue();

    void ecdfSmallSampleIsExact();
    void ecdfThinnedKeepsExtremesAndMarkers();
    void ecdfBandIsDkw();

    void boxStatsAreTukey();
    void boxOutliersAreBounded();

    void stagesAddUpToMeanLatency();
    void networkPartsComeOutOfOther();

    void kneeRule_data();
    void kneeRule();
    void scalingCurveTakesTheDominantUnit();

    void timelineSegmentsOfOneRequest();
    void timelineSampledEvenlyByTime();
    void thinStepMaxKeepsPeaks();
    void gpuCurvesOnePerGpuBoundedWithGaps();
    void inFlightCountsSendsAndCompletions();
    void errorsAndThroughputOverTime();

    void paretoFrontDropsDominatedRuns();
    void runLabelsNameConfigProviderVariant();
    void csvHasOneRowPerPlottedValue();
    void csvQuotesFields();
    void comparisonFromDatabase();
    void unknownRunIsNamed();
};

void TestChartData::digestEqualsSummarize_data()
{
    QTest::addColumn<QString>("records");
    QTest::addColumn<int>("generated");
    QTest::newRow("empty run") << QString() << 0;
    QTest::newRow("warm-up only") << "-1:warmup:0:1:0:900:ok:w" << 0;
    QTest::newRow("sweep with a failure and stages") << "-1:warmup:0:1:0:900:ok:w\n"
                                                        "0:closed:0:1:1000:3000:ok:c:q=1500:e=400:d=50\n"
                                                        "0:closed:0:1:3000:4100:ok:w:q=100:e=900\n"
                                                        "0:closed:1:2:4100:5200:timeout:u\n"
                                                        "0:closed:1:2:4100:5150:ok:w:img=2\n"
                                                        "1:cold_probe:0:1:9000:19000:ok:c:q=8000\n"
                                                     << 0;
    QTest::newRow("only cold probes") << "0:cold_probe:0:1:0:9000:ok:c\n0:cold_probe:0:1:20000:27000:ok:c\n" << 0;
    QTest::newRow("5,000 generated records") << QString() << 5000;
}

void TestChartData::digestEqualsSummarize()
{
    QFETCH(QString, records);
    QFETCH(int, generated);
    const auto recs = generated > 0 ? test::generatedRecords(static_cast<std::size_t>(generated), 7)
                                    : test::parseRecords(records.toStdString());
    const RunSummary expected = summarize(recs);
    const RunDigest digest = digestRun(columnsOf(recs));
    QCOMPARE(summaryMismatch(digest.summary, expected), QString());
}

void TestChartData::digestSortsLatencyByPopulation()
{
    const auto recs = test::parseRecords("0:closed:0:1:0:3000:ok:c\n"
                                         "0:closed:0:1:0:1000:ok:w\n"
                                         "0:closed:0:1:0:2000:ok:w\n"
                                         "0:closed:0:1:0:500:ok:u\n"
                                         "0:closed:0:1:0:100:timeout:u\n");
    const RunDigest d = digestRun(columnsOf(recs));
    QCOMPARE(d.latency[index(Population::All)], (std::vector<double> { 500, 1000, 2000, 3000 }));
    QCOMPARE(d.latency[index(Population::Warm)], (std::vector<double> { 1000, 2000 }));
    QCOMPARE(d.latency[index(Population::Cold)], (std::vector<double> { 3000 }));
}

void TestChartData::storeColumnsReadBackEveryField()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = Store::open(dir.filePath("library.db").toStdString());
    RunInfo run;
    run.id = "r20260101-000000-col1";
    run.name = "cols/p/v";
    run.created = "2026-01-01T00:00:00Z";
    store->createRun(run);
    const auto recs = test::generatedRecords(400, 11);
    store->insertRecords(run.id, recs);
    const RunColumns read = store->runColumns(run.id);
    const RunColumns expected = columnsOf(recs);
    QCOMPARE(read.size(), recs.size());
    QCOMPARE(read.stepKinds, expected.stepKinds);
    QCOMPARE(read.seq, expected.seq);
    QCOMPARE(read.step, expected.step);
    QCOMPARE(read.stepKind, expected.stepKind);
    QCOMPARE(read.level, expected.level);
    QCOMPARE(read.offered, expected.offered);
    QCOMPARE(read.ok, expected.ok);
    QCOMPARE(read.errorClass, expected.errorClass);
    QCOMPARE(read.cold, expected.cold);
    QCOMPARE(read.images, expected.images);
    QCOMPARE(read.polls, expected.polls);
    QCOMPARE(read.throttledPolls, expected.throttledPolls);
    QCOMPARE(read.width, expected.width);
    QCOMPARE(read.height, expected.height);
    QCOMPARE(read.bytes, expected.bytes);
    QCOMPARE(read.headerBytes, expected.headerBytes);
    QCOMPARE(read.calls, expected.calls);
    QCOMPARE(read.newConnections, expected.newConnections);
    QCOMPARE(read.tlsHandshakes, expected.tlsHandshakes);
    // The network parts, derived from the stored calls and from the records: the same.
    const std::vector<double> RunColumns::*timeColumns[] = { &RunColumns::intendedMs, &RunColumns::sentMs,
        &RunColumns::startedMs, &RunColumns::finishedMs, &RunColumns::doneMs, &RunColumns::queueMs, &RunColumns::execMs,
        &RunColumns::downloadMs, &RunColumns::platformMs, &RunColumns::detectionLagMs, &RunColumns::netDnsMs,
        &RunColumns::netConnectMs, &RunColumns::netTlsMs, &RunColumns::netTransferMs, &RunColumns::downloadSetupMs,
        &RunColumns::firstByteBeyondMs };
    for (const auto column : timeColumns)
        for (std::size_t i = 0; i < recs.size(); ++i)
            QVERIFY2(sameValue((read.*column)[i], (expected.*column)[i]), qPrintable(QString::number(i)));
    QCOMPARE(store->runColumns("no-such-run").size(), std::size_t { 0 });

    // Read in slices without the cost columns, joined, then the cost columns added: the same.
    RunColumns sliced = store->runColumns(run.id, false, 0, 150);
    QVERIFY(!sliced.costColumns);
    sliced.append(store->runColumns(run.id, false, 150, 1000));
    QCOMPARE(sliced.size(), recs.size());
    store->addCostColumns(run.id, sliced);
    QVERIFY(sliced.costColumns);
    QCOMPARE(sliced.seq, expected.seq);
    QCOMPARE(sliced.stepKind, expected.stepKind);
    QCOMPARE(sliced.bytes, expected.bytes);
    QCOMPARE(sliced.headerBytes, expected.headerBytes);
    for (std::size_t i = 0; i < recs.size(); ++i) {
        QCOMPARE(sliced.workerIds[sliced.worker[i]], expected.workerIds[expected.worker[i]]);
        QVERIFY(sameValue(sliced.doneMs[i], expected.doneMs[i]));
    }
    QCOMPARE(store->seqRange(run.id), (std::pair<std::int64_t, std::int64_t> { 0, 399 }));
    QCOMPARE(store->seqRange("no-such-run").second, std::int64_t { -1 });
}

void TestChartData::histogramBinsFollowFreedmanDiaconis()
{
    // 1..100: nearest-rank IQR = 75 - 25 = 50, FD width 2 * 50 / 100^(1/3) = 21.54, so
    // ceil(99 / 21.54) = 5 bins over [1, 100].
    std::vector<double> values(100);
    std::iota(values.begin(), values.end(), 1.0);
    const std::span<const double> samples[] = { values };
    const HistogramBins bins = chooseBins(samples, false);
    QCOMPARE(bins.edges.size(), std::size_t { 6 });
    QCOMPARE(bins.edges.front(), 1.0);
    QCOMPARE(bins.edges.back(), 100.0);
    QCOMPARE(bins.edges[1], 1.0 + 99.0 / 5);
    const Histogram h = histogram(values, bins);
    QCOMPARE(h.counts, (std::vector<std::size_t> { 20, 20, 20, 20, 20 }));
    QCOMPARE(h.percent[0], 20.0);
}

void TestChartData::histogramIsBoundedAndCountsEverything_data()
{
    QTest::addColumn<bool>("logScale");
    QTest::addColumn<double>("sigma");
    QTest::newRow("linear, narrow") << false << 0.2;
    QTest::newRow("linear, heavy tail") << false << 1.5;
    QTest::newRow("log, heavy tail") << true << 1.5;
}

void TestChartData::histogramIsBoundedAndCountsEverything()
{
    QFETCH(bool, logScale);
    QFETCH(double, sigma);
    const auto a = lognormalSample(200'000, 1, 2000, sigma);
    const auto b = lognormalSample(50'000, 2, 5000, sigma);
    const std::span<const double> samples[] = { a, b };
    const HistogramBins bins = chooseBins(samples, logScale);
    QVERIFY(bins.edges.size() >= 2);
    QVERIFY(bins.edges.size() - 1 <= kMaxHistogramBins);
    QVERIFY(bins.edges.front() <= std::min(a.front(), b.front()));
    QVERIFY(bins.edges.back() >= std::max(a.back(), b.back()));
    for (const auto* sample : { &a, &b }) {
        const Histogram h = histogram(*sample, bins);
        QCOMPARE(std::accumulate(h.counts.begin(), h.counts.end(), std::size_t { 0 }), sample->size());
        QCOMPARE(h.n, sample->size());
    }
}

void TestChartData::histogramLogBinsAreEvenInRatio()
{
    const auto a = lognormalSample(10'000, 3, 1000, 1.0);
    const std::span<const double> samples[] = { a };
    const HistogramBins bins = chooseBins(samples, true);
    QVERIFY(bins.logScale);
    QVERIFY(bins.edges.size() > 3);
    const double ratio = bins.edges[2] / bins.edges[1];
    for (std::size_t i = 2; i + 2 < bins.edges.size(); ++i)
        QVERIFY(std::fabs(bins.edges[i + 1] / bins.edges[i] - ratio) < 1e-9 * ratio);
}

void TestChartData::histogramOfOneRepeatedValue()
{
    const std::vector<double> same(10, 1500.0);
    const std::span<const double> samples[] = { same };
    const HistogramBins bins = chooseBins(samples, false);
    QCOMPARE(bins.edges.size(), std::size_t { 2 });
    QVERIFY(bins.edges[0] < 1500.0 && bins.edges[1] > 1500.0);
    QCOMPARE(histogram(same, bins).counts, std::vector<std::size_t> { 10 });
    QVERIFY(chooseBins({}, true).edges.empty());
}

void TestChartData::ecdfSmallSampleIsExact()
{
    const std::vector<double> values { 1, 2, 2, 3 };
    const Ecdf e = ecdf(values);
    QCOMPARE(e.points.size(), std::size_t { 3 });
    QCOMPARE(e.points[0].x, 1.0);
    QCOMPARE(e.points[0].y, 0.25);
    QCOMPARE(e.points[1].x, 2.0);
    QCOMPARE(e.points[1].y, 0.75); // both tied 2s are at or below 2
    QCOMPARE(e.points[2].y, 1.0);
    QVERIFY(!e.thinned);
    QCOMPARE(e.p50, 2.0);
    QCOMPARE(e.p95, 3.0);
}

void TestChartData::ecdfThinnedKeepsExtremesAndMarkers()
{
    const auto values = lognormalSample(1'000'000, 5, 2000, 0.5);
    const Ecdf e = ecdf(values);
    QVERIFY(e.thinned);
    QVERIFY(e.points.size() <= kMaxEcdfPoints);
    QVERIFY(e.points.size() > kMaxEcdfPoints / 2);
    QCOMPARE(e.points.front().x, values.front());
    QCOMPARE(e.points.back().x, values.back());
    QCOMPARE(e.points.back().y, 1.0);
    QCOMPARE(e.p50, quantileNearestRank(values, 0.5));
    QCOMPARE(e.p95, quantileNearestRank(values, 0.95));
    auto has = [&](double x) {
        return std::any_of(e.points.begin(), e.points.end(), [x](const XY& p) { return p.x == x; });
    };
    QVERIFY(has(e.p50));
    QVERIFY(has(e.p95));
    QVERIFY(has(quantileNearestRank(values, 0.999)));
    for (std::size_t i = 1; i < e.points.size(); ++i) {
        QVERIFY(e.points[i].x > e.points[i - 1].x);
        QVERIFY(e.points[i].y > e.points[i - 1].y);
        // Thinning loses at most one evenly spaced gap of probability.
        QVERIFY(e.points[i].y - e.points[i - 1].y < 2.0 / static_cast<double>(kMaxEcdfPoints - 10));
    }
}

void TestChartData::ecdfBandIsDkw()
{
    QCOMPARE(dkwEpsilon(100), std::sqrt(std::log(40.0) / 200.0));
    QVERIFY(std::fabs(dkwEpsilon(100) - 0.135810) < 1e-6);
    QCOMPARE(ecdf(std::vector<double>(100, 1.0)).dkwEpsilon, dkwEpsilon(100));
    QCOMPARE(dkwEpsilon(0), 1.0);
}

void TestChartData::boxStatsAreTukey()
{
    // 1..20 and 100: q1 = x(6) = 6, median = x(11) = 11, q3 = x(16) = 16; fences -9 and 31.
    std::vector<double> values(20);
    std::iota(values.begin(), values.end(), 1.0);
    values.push_back(100);
    const BoxStats b = boxStats(values);
    QCOMPARE(b.q1, 6.0);
    QCOMPARE(b.median, 11.0);
    QCOMPARE(b.q3, 16.0);
    QCOMPARE(b.lowerWhisker, 1.0);
    QCOMPARE(b.upperWhisker, 20.0);
    QCOMPARE(b.outliers, std::size_t { 1 });
    QCOMPARE(b.shownOutliers, std::vector<double> { 100 });
    QCOMPARE(boxStats({}).n, std::size_t { 0 });
}

void TestChartData::boxOutliersAreBounded()
{
    const auto values = lognormalSample(100'000, 9, 1000, 1.0);
    const BoxStats b = boxStats(values);
    QVERIFY(b.outliers > kMaxOutliersShown);
    QCOMPARE(b.shownOutliers.size(), kMaxOutliersShown);
    QVERIFY(std::find(b.shownOutliers.begin(), b.shownOutliers.end(), values.back()) != b.shownOutliers.end());
}

void TestChartData::stagesAddUpToMeanLatency()
{
    const auto recs = test::parseRecords("0:closed:0:1:0:3000:ok:c:q=2000:e=800:d=100:sent=10\n"
                                         "0:closed:0:1:0:1000:ok:w:q=100:e=700:sent=30\n"
                                         "0:closed:0:1:0:1000:timeout:u\n"
                                         "-1:warmup:0:1:0:5000:ok:w\n");
    const StageStack s = stageStack(columnsOf(recs));
    QCOMPARE(s.n, std::size_t { 2 });
    QCOMPARE(s.meanLatency, 2000.0);
    QCOMPARE(s.clientLag, 20.0);
    QCOMPARE(s.coldStart, 1000.0);
    QCOMPARE(s.queue, 50.0);
    QCOMPARE(s.execution, 750.0);
    QCOMPARE(s.download, 50.0);
    QCOMPARE(s.other, 130.0);
    QCOMPARE(s.clientLag + s.queue + s.coldStart + s.execution + s.download + s.other, s.meanLatency);
}

// docs/measurement.md, "Network phases": DNS, connect and TLS of the submit, final and download
// calls, and the submit and final calls' transfers, are drawn apart; a download's set-up leaves
// `download`; what they take comes out of `other`, and the parts still add up.
void TestChartData::networkPartsComeOutOfOther()
{
    auto recs = test::parseRecords("0:closed:0:1:0:3000:ok:c:q=2000:e=800:d=100:sent=10\n"
                                   "0:closed:0:1:0:1000:ok:w:q=100:e=700:sent=30\n"
                                   "0:closed:0:1:0:1000:timeout:u\n");
    recs[0].submitNet = CallPhases { 5, 10, 20, 900, 30 }; // a new connection
    recs[0].downloadNet = CallPhases { 1, 2, 4, 20, 73 }; // the download's own: 7 ms of set-up
    recs[1].submitNet = CallPhases { 0, 0, 0, 50, 10 }; // reused
    recs[1].finalNet = CallPhases { 0, 0, 0, 5, 6 };
    recs[2].submitNet = CallPhases { 100, 100, 100, 0, 0 }; // failed: not in the stack
    const StageStack s = stageStack(columnsOf(recs));
    QCOMPARE(s.n, std::size_t { 2 });
    QCOMPARE(s.dns, 3.0); // (5 + 1) / 2
    QCOMPARE(s.connect, 6.0); // (10 + 2) / 2
    QCOMPARE(s.tls, 12.0); // (20 + 4) / 2
    QCOMPARE(s.transfer, 23.0); // (30 + 10 + 6) / 2
    QCOMPARE(s.download, 46.5); // (100 - 7) / 2
    QCOMPARE(s.other, 89.5); // 130 before, + 3.5 from download, - 44 drawn as network
    QCOMPARE(s.clientLag + s.dns + s.connect + s.tls + s.queue + s.coldStart + s.execution + s.transfer + s.download
            + s.other,
        s.meanLatency);
}

void TestChartData::kneeRule_data()
{
    QTest::addColumn<int>("shape");
    QTest::addColumn<int>("knee"); // -1: none
    QTest::newRow("linear scaling has no knee") << 0 << -1;
    QTest::newRow("throughput plateaus after 8") << 1 << 3;
    QTest::newRow("p95 more than doubles at 4") << 2 << 1;
    QTest::newRow("saturated from the lightest load") << 3 << 0;
    QTest::newRow("one level has no knee") << 4 << -1;
    QTest::newRow("nothing succeeds at 16") << 5 << 3;
    QTest::newRow("a dip the autoscaler recovers from is no knee") << 6 << -1;
    QTest::newRow("a late plateau is the knee even after a dip") << 7 << 4;
}

void TestChartData::kneeRule()
{
    QFETCH(int, shape);
    QFETCH(int, knee);
    ScalingCurve c;
    switch (shape) {
    case 0:
        c = curveOf({ { 1, 10, 1000 }, { 2, 20, 1050 }, { 4, 40, 1100 }, { 8, 80, 1200 } });
        break;
    case 1: // 8 -> 16 gains 4% per doubling
        c = curveOf({ { 1, 10, 1000 }, { 2, 20, 1000 }, { 4, 40, 1100 }, { 8, 75, 1300 }, { 16, 78, 1900 } });
        break;
    case 2: // throughput still grows, but p95 is 2.5x the lightest load's at 4
        c = curveOf({ { 1, 10, 1000 }, { 2, 20, 1200 }, { 4, 40, 2500 }, { 8, 80, 3000 } });
        break;
    case 3:
        c = curveOf({ { 1, 10, 1000 }, { 2, 10.5, 1500 }, { 4, 10.6, 3000 } });
        break;
    case 4:
        c = curveOf({ { 1, 10, 1000 } });
        break;
    case 5:
        c = curveOf({ { 1, 10, 1000 }, { 2, 20, 1000 }, { 4, 40, 1100 }, { 8, 80, 1200 } });
        c.points.push_back({ 16, 0, 0, 0, 100, 0, 0, 0 });
        markKnee(c);
        break;
    case 6: // throughput flat from 1 to 4 while workers boot, then it scales again
        c = curveOf({ { 1, 1.8, 640 }, { 2, 2.0, 1000 }, { 4, 1.9, 1200 }, { 8, 3.1, 1250 }, { 16, 6.4, 1270 },
            { 32, 10, 1280 } });
        break;
    case 7: // the same dip, then a plateau from 16: 16 -> 32 -> 64 gains 2% per doubling at best
        c = curveOf({ { 1, 1.8, 640 }, { 2, 2.0, 1000 }, { 4, 1.9, 1200 }, { 8, 3.1, 1250 }, { 16, 6.4, 1270 },
            { 32, 6.5, 1275 }, { 64, 6.6, 1279 } });
        break;
    }
    if (knee < 0) {
        QVERIFY2(!c.knee, c.kneeReason.c_str());
    } else {
        QVERIFY(c.knee.has_value());
        QCOMPARE(int(*c.knee), knee);
        QVERIFY(!c.kneeReason.empty());
    }
}

void TestChartData::scalingCurveTakesTheDominantUnit()
{
    const auto recs = test::parseRecords("0:closed:0:1:0:1000:ok:w\n"
                                         "0:closed:1:2:1000:2000:ok:w\n"
                                         "0:closed:2:4:2000:3000:ok:w\n"
                                         "1:constant:0:5:3000:4000:ok:w\n"
                                         "2:cold_probe:0:1:9000:19000:ok:c\n");
    const RunSummary s = summarize(recs);
    const RunSummary* runs[] = { &s };
    QCOMPARE(int(dominantLoadUnit(runs)), int(LoadUnit::Concurrency));
    const ScalingCurve c = scalingCurve(s, LoadUnit::Concurrency);
    QCOMPARE(c.points.size(), std::size_t { 3 });
    QCOMPARE(c.leftOut, std::size_t { 2 });
    QCOMPARE(c.points[2].offered, 4.0);
}

void TestChartData::timelineSegmentsOfOneRequest()
{
    RequestRecord r;
    r.step = 0;
    r.stepKind = "closed";
    r.ok = true;
    r.cold = ColdLabel::Cold;
    r.intendedMs = 1000;
    r.sentMs = 1010;
    r.startedMs = 4010;
    r.execMs = 800;
    r.finishedMs = 5000;
    r.doneMs = 5200;
    RequestRecord failed = r;
    failed.seq = 1;
    failed.ok = false;
    failed.intendedMs = failed.sentMs = 2000;
    const Timeline t = timeline(columnsOf({ r, failed }));
    QCOMPARE(t.requests, std::size_t { 2 });
    QCOMPARE(t.shown, std::size_t { 2 });
    QVERIFY(!t.sampled);
    using S = TimelineSegment;
    const std::vector<std::tuple<std::uint32_t, int, double, double>> expected { { 0, S::ClientLag, 1.0, 1.01 },
        { 0, S::ColdStart, 1.01, 4.01 }, { 0, S::Execution, 4.01, 4.81 }, { 0, S::Delivery, 4.81, 5.0 },
        { 0, S::Download, 5.0, 5.2 }, { 1, S::Failed, 2.0, 5.2 } };
    QCOMPARE(t.segments.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& [row, stage, from, to] = expected[i];
        QCOMPARE(t.segments[i].row, row);
        QCOMPARE(int(t.segments[i].stage), stage);
        QVERIFY(std::fabs(t.segments[i].startS - from) < 1e-12);
        QVERIFY(std::fabs(t.segments[i].endS - to) < 1e-12);
    }
}

void TestChartData::timelineSampledEvenlyByTime()
{
    const auto recs = test::generatedRecords(20'000, 3);
    const RunColumns c = columnsOf(recs);
    const Timeline t = timeline(c);
    QVERIFY(t.sampled);
    QCOMPARE(t.requests, recs.size() - 3);
    QVERIFY(t.shown <= kMaxTimelineRequests);
    QVERIFY(t.shown > kMaxTimelineRequests * 9 / 10);
    // Rows start in intended order, the first and the last measured request among them.
    double last = -1;
    std::uint32_t lastRow = 0;
    for (const TimelineSegment& s : t.segments) {
        if (s.row != lastRow || last < 0) {
            QVERIFY(s.startS >= last);
            last = s.startS;
            lastRow = s.row;
        }
    }
    QCOMPARE(t.segments.front().startS, recs[3].intendedMs / 1000.0);
    QCOMPARE(t.segments.back().row, std::uint32_t(t.shown - 1));
}

void TestChartData::thinStepMaxKeepsPeaks()
{
    std::vector<XY> steps;
    for (int i = 0; i < 10'000; ++i)
        steps.push_back({ i * 0.01, i == 5000 ? 99.0 : double(i % 7) });
    const auto thin = thinStepMax(steps, 100.0, 200);
    QCOMPARE(thin.size(), std::size_t { 200 });
    QCOMPARE(std::max_element(thin.begin(), thin.end(), [](XY a, XY b) { return a.y < b.y; })->y, 99.0);
    const std::vector<XY> few { { 0, 1 }, { 1, 2 } };
    QCOMPARE(thinStepMax(few, 2.0, 200).size(), std::size_t { 2 });
}

void TestChartData::gpuCurvesOnePerGpuBoundedWithGaps()
{
    QVERIFY(gpuCurves({}).empty()); // no samples: no GPU charts
    std::vector<GpuSample> samples;
    for (int i = 0; i < 2000; ++i) { // one a second, from 10 s before the workload; GPU 1 lacks memory
        samples.push_back({ 1000.0 * (i - 10), 0, i == 1500 ? 100.0 : 40.0, 5000.0 + i, 24576.0 });
        samples.push_back({ 1000.0 * (i - 10), 1, std::nullopt, std::nullopt, std::nullopt });
    }
    samples.push_back({ 0, 1, 7.0, std::nullopt, std::nullopt });
    const std::vector<GpuCurve> curves = gpuCurves(samples, 100);
    QCOMPARE(curves.size(), std::size_t { 2 });
    QCOMPARE(curves[0].gpu, 0);
    QCOMPARE(curves[0].utilizationPct.size(), std::size_t { 100 });
    QCOMPARE(curves[0].utilizationPct.front().x, -10.0);
    QCOMPARE(std::max_element(
                 curves[0].utilizationPct.begin(), curves[0].utilizationPct.end(), [](XY a, XY b) { return a.y < b.y; })
                 ->y,
        100.0); // the one busy sample survives the thinning
    QCOMPARE(curves[0].memoryUsedMiB.size(), std::size_t { 100 });
    QCOMPARE(curves[0].memoryTotalMiB, 24576.0);
    QCOMPARE(curves[1].gpu, 1);
    QCOMPARE(curves[1].utilizationPct.size(), std::size_t { 1 });
    QCOMPARE(curves[1].utilizationPct.front().x, 0.0);
    QCOMPARE(curves[1].utilizationPct.front().y, 7.0);
    QVERIFY(curves[1].memoryUsedMiB.empty());
    QCOMPARE(curves[1].memoryTotalMiB, 0.0);
}

void TestChartData::inFlightCountsSendsAndCompletions()
{
    // Three requests: [0, 2000], [500, 1000], [1000, 3000] ms; the second's completion and the
    // third's send coincide, so at most two are in flight.
    const auto recs = test::parseRecords("0:closed:0:1:0:2000:ok:w\n0:closed:0:1:500:1000:ok:w\n"
                                         "0:closed:0:1:1000:3000:ok:w\n");
    const TimeSeries ts = timeSeries(columnsOf(recs), {});
    double peak = 0;
    for (const XY& p : ts.inFlight)
        peak = std::max(peak, p.y);
    QCOMPARE(peak, 2.0);
    QCOMPARE(ts.inFlight.back().y, 0.0);
    QCOMPARE(ts.inFlight.back().x, 3.0);
    QVERIFY(!ts.hasWorkerSamples);
}

void TestChartData::errorsAndThroughputOverTime()
{
    const auto recs = test::generatedRecords(3000, 4);
    std::vector<WorkerSample> samples(5000);
    for (std::size_t i = 0; i < samples.size(); ++i) {
        samples[i].tMs = double(i) * 100;
        samples[i].running = int(i % 5);
    }
    const TimeSeries ts = timeSeries(columnsOf(recs), samples);
    QVERIFY(ts.hasWorkerSamples);
    QVERIFY(ts.workersRunning.size() <= kMaxTimePoints);
    QVERIFY(ts.errors.size() <= kTimeBuckets && ts.errors.size() > kTimeBuckets / 3);
    const double roundness = ts.bucketS / std::pow(10.0, std::floor(std::log10(ts.bucketS)));
    QVERIFY2(std::fabs(roundness - 1) < 1e-9 || std::fabs(roundness - 2) < 1e-9 || std::fabs(roundness - 5) < 1e-9,
        qPrintable(QString::number(ts.bucketS)));
    QCOMPARE(ts.errors[1].x, ts.bucketS);
    double errors = 0, images = 0;
    for (const XY& p : ts.errors)
        errors += p.y;
    for (const XY& p : ts.throughputIps)
        images += p.y * ts.bucketS;
    const RunSummary s = summarize(recs);
    QCOMPARE(errors, double(s.errors));
    QVERIFY(std::fabs(images - double(s.images)) < 1e-6 * double(s.images));
}

void TestChartData::paretoFrontDropsDominatedRuns()
{
    std::vector<RunChartData> runs(4);
    const double p95[] = { 100, 50, 200, 80 };
    const double cost[] = { 1, 2, 3, 0 };
    for (std::size_t i = 0; i < runs.size(); ++i) {
        runs[i].summary.latency.n = 10;
        runs[i].summary.latency.p95 = p95[i];
        runs[i].cost.available = i != 3; // the cheapest has no price: it takes no part
        runs[i].cost.total = cost[i];
    }
    QCOMPARE(paretoFront(runs), (std::vector<std::size_t> { 1, 0 }));
}

void TestChartData::runLabelsNameConfigProviderVariant()
{
    RunInfo a;
    a.id = "r20260101-120000-aaaa01";
    a.name = "quickstart/emulated-runpod/sdxl-turbo";
    QCOMPARE(runLabel(a), std::string("quickstart \u00b7 emulated-runpod \u00b7 sdxl-turbo"));
    RunInfo b = a;
    b.id = "r20260101-130000-bbbb02";
    RunInfo c;
    c.id = "r3";
    c.name = "odd";
    c.providerId = "fal";
    c.variantId = "flux";
    const RunInfo runs[] = { a, b, c };
    const auto labels = uniqueRunLabels(runs);
    QCOMPARE(labels[0], runLabel(a) + " (120000-aaaa01)");
    QCOMPARE(labels[1], runLabel(a) + " (130000-bbbb02)");
    QCOMPARE(labels[2], std::string("odd \u00b7 fal \u00b7 flux"));

    // Legends keep what differs: two providers of one configuration and variant...
    RunInfo steady = a, fast = a;
    fast.id = "r2";
    fast.name = "quickstart/fast-scaling/sdxl-turbo";
    const RunInfo providers[] = { steady, fast };
    QCOMPARE(legendLabels(providers), (std::vector<std::string> { "emulated-runpod", "fast-scaling" }));
    // ...two variants of one provider, one run alone, and the same configuration run twice.
    RunInfo flux = a;
    flux.id = "r3";
    flux.name = "quickstart/emulated-runpod/flux";
    const RunInfo variants[] = { a, flux };
    QCOMPARE(legendLabels(variants), (std::vector<std::string> { "sdxl-turbo", "flux" }));
    const RunInfo alone[] = { a };
    QCOMPARE(legendLabels(alone), std::vector<std::string> { "emulated-runpod \u00b7 sdxl-turbo" });
    const RunInfo again[] = { a, b };
    QCOMPARE(legendLabels(again)[1], std::string("emulated-runpod \u00b7 sdxl-turbo (130000-bbbb02)"));
}

void TestChartData::csvHasOneRowPerPlottedValue()
{
    std::vector<RunInput> inputs(2);
    const auto first = test::generatedRecords(800, 21);
    const auto second = test::generatedRecords(600, 22);
    inputs[0].info.id = "a";
    inputs[0].info.name = "c/p/one";
    inputs[0].columns = columnsOf(first);
    inputs[1].info.id = "b";
    inputs[1].info.name = "c/p/two";
    inputs[1].columns = columnsOf(second);
    const ComparisonData data = computeComparison(std::move(inputs));
    auto lines = [](const std::string& csv) { return std::count(csv.begin(), csv.end(), '\n'); };
    const std::size_t bins = data.bins[1][0].edges.size() - 1;
    QCOMPARE(std::size_t(lines(chartCsv(data, ChartKind::Histogram))), 1 + 2 * bins);
    QCOMPARE(std::size_t(lines(chartCsv(data, ChartKind::Ecdf))),
        1 + data.runs[0].ecdf[0].points.size() + data.runs[1].ecdf[0].points.size());
    QCOMPARE(std::size_t(lines(chartCsv(data, ChartKind::Timeline))),
        1 + data.runs[0].timeline.segments.size() + data.runs[1].timeline.segments.size());
    QCOMPARE(std::size_t(lines(chartCsv(data, ChartKind::Summary))), 1 + data.significance[0].differences.size());
    const std::string stages = chartCsv(data, ChartKind::Stages);
    QVERIFY(stages.starts_with("run,requests,client_lag_ms,"));
    QVERIFY(stages.find("c \u00b7 p \u00b7 one,") != std::string::npos);
}

void TestChartData::csvQuotesFields()
{
    QCOMPARE(csvField("plain"), std::string("plain"));
    QCOMPARE(csvField("a,b"), std::string("\"a,b\""));
    QCOMPARE(csvField("say \"hi\""), std::string("\"say \"\"hi\"\"\""));
}

void TestChartData::comparisonFromDatabase()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("library.db").toStdString();
    {
        auto store = Store::open(path);
        for (const char* id : { "r20260101-000000-aaaa", "r20260101-000000-bbbb" }) {
            RunInfo run;
            run.id = id;
            run.name = std::string("cmp/p/") + id;
            run.created = "2026-01-01T00:00:00Z";
            store->createRun(run);
        }
        store->insertRecords("r20260101-000000-aaaa", test::generatedRecords(1500, 31));
        auto slower = test::generatedRecords(1500, 32);
        for (RequestRecord& r : slower)
            r.doneMs += 400; // every request 400 ms slower
        store->insertRecords("r20260101-000000-bbbb", slower);
    }
    std::vector<int> percents;
    Progress progress;
    progress.report = [&](int p) { percents.push_back(p); };
    const ComparisonData data = loadComparison(path, { "r20260101-000000-aaaa", "r20260101-000000-bbbb" }, progress);
    QCOMPARE(data.runs.size(), std::size_t { 2 });
    QVERIFY(std::is_sorted(percents.begin(), percents.end()));
    QCOMPARE(percents.back(), 100);
    QCOMPARE(data.significance.size(), std::size_t { 1 });
    const Difference& p50 = data.significance[0].differences[0];
    QCOMPARE(p50.metric, std::string("latency p50 (ms)"));
    QVERIFY(p50.testable && p50.significant);
    QVERIFY(p50.deltaCi->lo > 0);
    const Difference& mw = data.significance[0].differences[2];
    QVERIFY(mw.pValue && *mw.pValue < 1e-6);
    QVERIFY(*mw.effect > 0.6);
    QVERIFY(!data.runs[0].cost.available); // the fixture carries no price
}

void TestChartData::unknownRunIsNamed()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("library.db").toStdString();
    try {
        loadRuns(path, { "r-nope" });
        QFAIL("an unknown run loaded");
    } catch (const std::invalid_argument& e) {
        QVERIFY(std::string(e.what()).find("r-nope") != std::string::npos);
    }
    Progress cancelled;
    cancelled.cancelled = [] { return true; };
    QVERIFY_THROWS_EXCEPTION(Cancelled, computeComparison({}, cancelled));
}

QTEST_GUILESS_MAIN(TestChartData)
#include "tst_chartdata.moc"
