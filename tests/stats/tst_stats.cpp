// SPDX-License-Identifier: Apache-2.0
// Order statistics, the exact bootstrap interval and the incomplete beta behind it. Every
// expected value is worked out by hand in the row or the comment beside it.
#include "stats/incompletebeta.h"
#include "stats/sortdoubles.h"
#include "stats/summary.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <vector>

using namespace t2i;

namespace {

std::vector<double> toVector(const QList<double>& list)
{
    return { list.begin(), list.end() };
}

// The p-quantile's 95% interval by brute force, in ranks: B resamples of the indices 0..n-1,
// the nearest-rank quantile of each, then the 2.5% and 97.5% nearest-rank points of those.
std::pair<std::size_t, std::size_t> monteCarloCiRanks(std::size_t n, double p, int resamples, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    const std::size_t k = nearestRankIndex(n, p);
    std::vector<std::size_t> draws(n);
    std::vector<double> quantileRanks;
    quantileRanks.reserve(static_cast<std::size_t>(resamples));
    for (int b = 0; b < resamples; ++b) {
        for (std::size_t& d : draws)
            d = static_cast<std::size_t>(rng() % n); // bias of 2^64 mod n is ~1e-17: none to see
        std::nth_element(draws.begin(), draws.begin() + static_cast<std::ptrdiff_t>(k), draws.end());
        quantileRanks.push_back(static_cast<double>(draws[k]));
    }
    std::sort(quantileRanks.begin(), quantileRanks.end());
    return { static_cast<std::size_t>(quantileNearestRank(quantileRanks, 0.025)),
        static_cast<std::size_t>(quantileNearestRank(quantileRanks, 0.975)) };
}

// 200 distinct values from a fixed seed, so a value maps back to exactly one rank.
std::vector<double> distinctFixture(std::size_t n, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::set<double> values;
    while (values.size() < n)
        values.insert(static_cast<double>(rng() % 1'000'000));
    return { values.begin(), values.end() };
}

std::size_t rankOf(const std::vector<double>& sorted, double value)
{
    return static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), value) - sorted.begin());
}

} // namespace

class TestStats : public QObject {
    Q_OBJECT

private slots:
    void nearestRank_data();
    void nearestRank();
    void describeSet_data();
    void describeSet();
    void describeEmpty();
    void incompleteBeta_data();
    void incompleteBeta();
    void binomialTailMatchesDirectSum();
    void bootstrapHandComputed_data();
    void bootstrapHandComputed();
    void bootstrapMatchesMonteCarlo_data();
    void bootstrapMatchesMonteCarlo();
    void bootstrapContainsEstimateAndNarrows();
    void bootstrapMillionSamples();
    void sortDoublesMatchesStdSort_data();
    void sortDoublesMatchesStdSort();
};

void TestStats::nearestRank_data()
{
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("expected");
    QList<double> one20;
    for (int i = 1; i <= 20; ++i)
        one20 << i;
    QList<double> one100;
    for (int i = 1; i <= 100; ++i)
        one100 << i;
    // x[ceil(p*n) - 1] on ascending data.
    QTest::newRow("p50 of 1..20 is 10") << one20 << 0.50 << 10.0; // ceil(10) = 10
    QTest::newRow("p90 of 1..20 is 18") << one20 << 0.90 << 18.0; // ceil(18) = 18
    QTest::newRow("p95 of 1..20 is 19") << one20 << 0.95 << 19.0; // ceil(19) = 19, not 20
    QTest::newRow("p99 of 1..20 is 20") << one20 << 0.99 << 20.0; // ceil(19.8) = 20
    QTest::newRow("p51 of 1..20 is 11") << one20 << 0.51 << 11.0; // ceil(10.2) = 11
    QTest::newRow("p7 of 1..100 is 7 despite 0.07*100 = 7.000000000000001") << one100 << 0.07 << 7.0;
    QTest::newRow("p29 of 1..100 is 29 despite 0.29*100 = 28.999999999999996") << one100 << 0.29 << 29.0;
    QTest::newRow("p1 of 1..20 is the min") << one20 << 0.01 << 1.0; // ceil(0.2) = 1
    QTest::newRow("p=1 is the max") << one20 << 1.0 << 20.0;
    QTest::newRow("p=0 clamps to the min") << one20 << 0.0 << 1.0;
    QTest::newRow("p above 1 clamps to the max") << one20 << 1.5 << 20.0;
    QTest::newRow("single element at p50") << QList<double> { 7.5 } << 0.50 << 7.5;
    QTest::newRow("single element at p99") << QList<double> { 7.5 } << 0.99 << 7.5;
    QTest::newRow("p50 of 4 values is the 2nd") << QList<double> { 10, 20, 30, 40 } << 0.50 << 20.0;
    QTest::newRow("p75 of 4 values is the 3rd") << QList<double> { 10, 20, 30, 40 } << 0.75 << 30.0;
    QTest::newRow("p76 of 4 values is the 4th") << QList<double> { 10, 20, 30, 40 } << 0.76 << 40.0;
    QTest::newRow("ties keep the tied value") << QList<double> { 1, 5, 5, 5, 9 } << 0.50 << 5.0;
}

void TestStats::nearestRank()
{
    QFETCH(QList<double>, values);
    QFETCH(double, p);
    QFETCH(double, expected);
    const std::vector<double> sorted = toVector(values);
    QCOMPARE(quantileNearestRank(sorted, p), expected);
}

void TestStats::describeSet_data()
{
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<double>("mean");
    QTest::addColumn<double>("stddev");
    QTest::addColumn<double>("p50");
    QTest::addColumn<double>("p90");
    QTest::addColumn<double>("p99");
    // mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32; s = sqrt(32/7) = 2.1380899352994
    // p50: rank ceil(4) = 4 -> 4; p90: ceil(7.2) = 8 -> 9; p99: ceil(7.92) = 8 -> 9.
    QTest::newRow("2,4,4,4,5,5,7,9 unsorted: mean 5, s 2.138")
        << QList<double> { 9, 4, 2, 5, 4, 7, 4, 5 } << 5.0 << 2.1380899352994 << 4.0 << 9.0 << 9.0;
    // mean 2.5; squared deviations 2.25+0.25+0.25+2.25 = 5; s = sqrt(5/3) = 1.2909944487358
    QTest::newRow("1..4: mean 2.5, s 1.291")
        << QList<double> { 1, 2, 3, 4 } << 2.5 << 1.2909944487358 << 2.0 << 4.0 << 4.0;
    QTest::newRow("single value: s is 0") << QList<double> { 42 } << 42.0 << 0.0 << 42.0 << 42.0 << 42.0;
    QTest::newRow("constant values: s is exactly 0")
        << QList<double> { 0.1, 0.1, 0.1 } << 0.1 << 0.0 << 0.1 << 0.1 << 0.1;
    // A naive sum of squares loses everything here: (1e9)^2 = 1e18 has an ulp of 128.
    QTest::newRow("large offset: 1e9+1..1e9+3 has s 1")
        << QList<double> { 1e9 + 1, 1e9 + 2, 1e9 + 3 } << 1e9 + 2 << 1.0 << 1e9 + 2 << 1e9 + 3 << 1e9 + 3;
}

void TestStats::describeSet()
{
    QFETCH(QList<double>, values);
    QFETCH(double, stddev);
    const Distribution d = describe(toVector(values));
    QCOMPARE(d.n, static_cast<std::size_t>(values.size()));
    QCOMPARE(d.min, *std::min_element(values.begin(), values.end()));
    QCOMPARE(d.max, *std::max_element(values.begin(), values.end()));
    QTEST(d.mean, "mean");
    QVERIFY2(std::fabs(d.stddev - stddev) < 1e-9, qPrintable(QString::number(d.stddev, 'g', 17)));
    QTEST(d.p50, "p50");
    QTEST(d.p90, "p90");
    QTEST(d.p99, "p99");
}

void TestStats::describeEmpty()
{
    const Distribution d = describe({});
    QCOMPARE(d.n, std::size_t { 0 });
    QCOMPARE(d.max, 0.0);
    QCOMPARE(d.p95, 0.0);
    const Interval ci = bootstrapQuantileCi95({}, 0.95);
    QCOMPARE(ci.lo, 0.0);
    QCOMPARE(ci.hi, 0.0);
}

void TestStats::incompleteBeta_data()
{
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("expected");
    QTest::newRow("I_x(1,1) = x") << 1.0 << 1.0 << 0.3 << 0.3;
    QTest::newRow("I_x(a,1) = x^a: 0.5^3") << 3.0 << 1.0 << 0.5 << 0.125;
    QTest::newRow("I_x(1,b) = 1-(1-x)^b: 1-0.75^4") << 1.0 << 4.0 << 0.25 << 0.68359375;
    // Integer a, b: I_x(a, b) = P(Bin(a+b-1, x) >= a); P(Bin(4, .4) >= 2) = 1 - .6^4 - 4(.4)(.6^3)
    QTest::newRow("I_0.4(2,3) = 0.5248") << 2.0 << 3.0 << 0.4 << 0.5248;
    QTest::newRow("I_0.5(a,a) = 1/2 for a = 50") << 50.0 << 50.0 << 0.5 << 0.5;
    QTest::newRow("I_0.5(a,a) = 1/2 for a = 500,000") << 5e5 << 5e5 << 0.5 << 0.5;
    QTest::newRow("x = 0 gives 0") << 2.0 << 3.0 << 0.0 << 0.0;
    QTest::newRow("x = 1 gives 1") << 2.0 << 3.0 << 1.0 << 1.0;
}

void TestStats::incompleteBeta()
{
    QFETCH(double, a);
    QFETCH(double, b);
    QFETCH(double, x);
    QFETCH(double, expected);
    const double got = regularizedIncompleteBeta(a, b, x);
    QVERIFY2(std::fabs(got - expected) < 1e-12, qPrintable(QString::number(got, 'g', 17)));
}

void TestStats::binomialTailMatchesDirectSum()
{
    // The identity P(X >= k) = I_q(k, n-k+1), against the binomial pmf summed term by term.
    for (std::size_t n = 1; n <= 30; ++n) {
        for (const double q : { 0.01, 0.1, 0.25, 0.5, 0.77, 0.95 }) {
            std::vector<double> pmf(n + 1);
            for (std::size_t i = 0; i <= n; ++i) {
                const double logChoose = std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0);
                pmf[i] = std::exp(
                    logChoose + static_cast<double>(i) * std::log(q) + static_cast<double>(n - i) * std::log1p(-q));
            }
            double tail = 0.0;
            for (std::size_t k = n + 1; k-- > 0;) {
                tail += pmf[k];
                const double got = binomialTailAtLeast(n, k, q);
                QVERIFY2(std::fabs(got - tail) < 1e-12,
                    qPrintable(QStringLiteral("n=%1 k=%2 q=%3: %4 vs %5").arg(n).arg(k).arg(q).arg(got).arg(tail)));
            }
        }
    }
    QCOMPARE(binomialTailAtLeast(5, 0, 0.3), 1.0);
    QCOMPARE(binomialTailAtLeast(5, 6, 0.3), 0.0);
}

void TestStats::bootstrapHandComputed_data()
{
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    // G(j) = P(the resampled quantile <= x_(j)) = P(Bin(n, j/n) >= k), k = ceil(p n).
    // lo = x_(smallest j with G >= 0.025), hi = x_(smallest j with G >= 0.975).
    //
    // n = 4, p = 0.95: k = ceil(3.8) = 4, so G(j) = (j/4)^4:
    //   G(1) = 1/256 = 0.0039, G(2) = 1/16 = 0.0625, G(3) = 81/256 = 0.3164, G(4) = 1
    //   -> lo = x_(2), hi = x_(4).
    QTest::newRow("p95 of 10,20,30,40 is in [20, 40]") << QList<double> { 10, 20, 30, 40 } << 0.95 << 20.0 << 40.0;
    // n = 4, p = 0.5: k = 2, G(j) = 1 - (1-q)^4 - 4q(1-q)^3 with q = j/4:
    //   G(1) = 1 - 0.31640625 - 0.421875 = 0.26171875 (already >= 0.025 -> lo = x_(1))
    //   G(2) = 1 - 1/16 - 4/16 = 0.6875, G(3) = 1 - 1/256 - 12/256 = 0.94921875, G(4) = 1
    //   -> lo = x_(1), hi = x_(4).
    QTest::newRow("p50 of 10,20,30,40 is in [10, 40]") << QList<double> { 10, 20, 30, 40 } << 0.50 << 10.0 << 40.0;
    // n = 3, p = 0.5: k = 2, G(j) = 3q^2(1-q) + q^3 with q = j/3:
    //   G(1) = 6/27 + 1/27 = 7/27 = 0.259, G(2) = 12/27 + 8/27 = 20/27 = 0.741, G(3) = 1
    QTest::newRow("p50 of 1,2,3 is in [1, 3]") << QList<double> { 1, 2, 3 } << 0.50 << 1.0 << 3.0;
    // n = 10, p = 0.5: k = 5, G(j) = P(Bin(10, j/10) >= 5):
    //   G(1) = 1 - sum_{i<5} C(10,i) .1^i .9^(10-i) = 0.0016 < 0.025
    //   G(2) = 1 - 0.9672 = 0.0328 >= 0.025                                  -> lo = x_(2)
    //   G(7) = 1 - 0.0473 = 0.9527 < 0.975, G(8) = 1 - 0.0064 = 0.9936 >= 0.975 -> hi = x_(8)
    QTest::newRow("p50 of 1..10 is in [2, 8]") << QList<double> { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 } << 0.50 << 2.0 << 8.0;
    // Ties: the ranks are as for 10,20,30,40 at p50 (x_(1), x_(4)); values come back as stored.
    QTest::newRow("ties: p50 of 5,5,5,7 is in [5, 7]") << QList<double> { 5, 5, 5, 7 } << 0.50 << 5.0 << 7.0;
    QTest::newRow("one sample: [x, x]") << QList<double> { 12.5 } << 0.95 << 12.5 << 12.5;
}

void TestStats::bootstrapHandComputed()
{
    QFETCH(QList<double>, values);
    QFETCH(double, p);
    const Interval ci = bootstrapQuantileCi95(toVector(values), p);
    QTEST(ci.lo, "lo");
    QTEST(ci.hi, "hi");
}

void TestStats::bootstrapMatchesMonteCarlo_data()
{
    QTest::addColumn<double>("p");
    QTest::newRow("p50 of 200 agrees with 20,000 resamples") << 0.50;
    QTest::newRow("p90 of 200 agrees with 20,000 resamples") << 0.90;
    QTest::newRow("p95 of 200 agrees with 20,000 resamples") << 0.95;
    QTest::newRow("p99 of 200 agrees with 20,000 resamples") << 0.99;
}

void TestStats::bootstrapMatchesMonteCarlo()
{
    QFETCH(double, p);
    const std::vector<double> sorted = distinctFixture(200, 20240601);
    const Interval ci = bootstrapQuantileCi95(sorted, p);
    const auto [mcLo, mcHi] = monteCarloCiRanks(sorted.size(), p, 20'000, 7);
    const std::size_t lo = rankOf(sorted, ci.lo);
    const std::size_t hi = rankOf(sorted, ci.hi);
    // 20,000 resamples pin a 2.5% point of the CDF to about +-0.1%, a fraction of one rank here.
    const auto near = [](std::size_t a, std::size_t b) { return (a > b ? a - b : b - a) <= 1; };
    QVERIFY2(near(lo, mcLo) && near(hi, mcHi),
        qPrintable(QStringLiteral("exact ranks [%1, %2], Monte Carlo [%3, %4]").arg(lo).arg(hi).arg(mcLo).arg(mcHi)));
}

void TestStats::bootstrapContainsEstimateAndNarrows()
{
    // Uniform values on [0, 1000) drawn from one seeded stream; the interval's width in value
    // shrinks roughly as 1/sqrt(n), so each tenfold step must narrow it.
    for (const double p : { 0.5, 0.95 }) {
        double previousWidth = 1e300;
        for (const std::size_t n : { 100u, 1'000u, 10'000u, 100'000u }) {
            std::mt19937_64 rng(99);
            std::vector<double> values(n);
            for (double& v : values)
                v = static_cast<double>(rng() % 1'000'000) / 1000.0;
            std::sort(values.begin(), values.end());
            const double estimate = quantileNearestRank(values, p);
            const Interval ci = bootstrapQuantileCi95(values, p);
            QVERIFY(ci.lo <= estimate && estimate <= ci.hi);
            QVERIFY2(ci.hi - ci.lo < previousWidth, qPrintable(QStringLiteral("p=%1 n=%2").arg(p).arg(n)));
            previousWidth = ci.hi - ci.lo;
        }
    }
}

void TestStats::bootstrapMillionSamples()
{
    // Values 0..999,999, so a value is its own rank. The binomial's spread sqrt(n p (1-p))
    // predicts a width near 2 * 1.96 * sqrt(47,500) = 854 ranks at p95 and 1,960 at p50.
    std::vector<double> values(1'000'000);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = static_cast<double>(i);
    const Interval p95 = bootstrapQuantileCi95(values, 0.95);
    QVERIFY(p95.lo < 949'999.0 && 949'999.0 < p95.hi);
    QVERIFY2(p95.hi - p95.lo > 800 && p95.hi - p95.lo < 910, qPrintable(QString::number(p95.hi - p95.lo)));
    const Interval p50 = bootstrapQuantileCi95(values, 0.50);
    QVERIFY(p50.lo < 499'999.0 && 499'999.0 < p50.hi);
    QVERIFY2(p50.hi - p50.lo > 1'900 && p50.hi - p50.lo < 2'020, qPrintable(QString::number(p50.hi - p50.lo)));
    QCOMPARE(describe(values).p99, 989'999.0);
}

void TestStats::sortDoublesMatchesStdSort_data()
{
    QTest::addColumn<QString>("shape");
    QTest::addColumn<int>("n");
    QTest::newRow("a few values take the small-input path") << "latencies" << 100;
    QTest::newRow("a million lognormal latencies") << "latencies" << 1'000'000;
    QTest::newRow("negative and positive send lags") << "signed" << 50'000;
    QTest::newRow("heavy ties: whole milliseconds") << "ties" << 200'000;
    QTest::newRow("zeros of both signs, infinities and denormals") << "edges" << 10'000;
    QTest::newRow("already sorted") << "sorted" << 100'000;
}

void TestStats::sortDoublesMatchesStdSort()
{
    QFETCH(QString, shape);
    QFETCH(int, n);
    std::mt19937_64 rng(7);
    std::lognormal_distribution<double> latency(7.5, 0.6);
    std::normal_distribution<double> lag(0.0, 50.0);
    const double edges[]
        = { 0.0, -0.0, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
              std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::denorm_min(),
              std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(), 1.0, -1.0 };
    std::vector<double> values(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (shape == "signed")
            values[i] = lag(rng);
        else if (shape == "ties")
            values[i] = std::round(latency(rng) / 100.0);
        else if (shape == "edges")
            values[i] = edges[rng() % std::size(edges)];
        else if (shape == "sorted")
            values[i] = static_cast<double>(i) * 0.5;
        else
            values[i] = latency(rng);
    }
    std::vector<double> expected = values;
    std::sort(expected.begin(), expected.end());
    sortDoubles(values);
    QVERIFY(std::is_sorted(values.begin(), values.end()));
    // The same multiset in the same order; -0 and +0 compare equal, so compare values, and
    // check that no sign of zero was lost either.
    QVERIFY(values == expected);
    const auto negativeZeros = [](const std::vector<double>& v) {
        return std::count_if(v.begin(), v.end(), [](double x) { return x == 0.0 && std::signbit(x); });
    };
    QCOMPARE(negativeZeros(values), negativeZeros(expected));
}

QTEST_APPLESS_MAIN(TestStats)
#include "tst_stats.moc"
