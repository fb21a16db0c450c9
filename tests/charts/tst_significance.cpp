// SPDX-License-Identifier: Apache-2.0
// core/charts/significance: Mann-Whitney U, the exact bootstrap interval of a difference of
// percentiles, and Newcombe's interval of a difference of proportions, against hand-worked
// values, published examples and a Monte-Carlo bootstrap.
#include "charts/significance.h"
#include "stats/summary.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace t2i;
using namespace t2i::charts;

namespace {

std::vector<double> range(double from, double to)
{
    std::vector<double> v;
    for (double x = from; x <= to; x += 1)
        v.push_back(x);
    return v;
}

std::vector<double> lognormal(std::size_t n, std::uint32_t seed, double median, double sigma, bool roundToTens)
{
    std::mt19937_64 rng(seed);
    std::lognormal_distribution<double> d(std::log(median), sigma);
    std::vector<double> v(n);
    for (double& x : v)
        x = roundToTens ? std::round(d(rng) / 10) * 10 : d(rng);
    std::sort(v.begin(), v.end());
    return v;
}

// The Monte-Carlo bootstrap the exact interval is the limit of.
std::vector<double> resampledDifferences(
    const std::vector<double>& a, const std::vector<double>& b, double p, int resamples, std::uint32_t seed)
{
    std::mt19937_64 rng(seed);
    auto quantileOfResample = [&](const std::vector<double>& x) {
        std::uniform_int_distribution<std::size_t> pick(0, x.size() - 1);
        std::vector<double> r(x.size());
        for (double& v : r)
            v = x[pick(rng)];
        std::sort(r.begin(), r.end());
        return quantileNearestRank(r, p);
    };
    std::vector<double> out;
    for (int i = 0; i < resamples; ++i)
        out.push_back(quantileOfResample(b) - quantileOfResample(a));
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

class TestSignificance : public QObject {
    Q_OBJECT

private slots:
    void mannWhitneySeparatedSamples();
    void mannWhitneyWithTies();
    void mannWhitneyIdenticalSamples();
    void mannWhitneyNeedsEightPerSide();
    void differenceCiAgainstAConstantIsTheShiftedCi_data();
    void differenceCiAgainstAConstantIsTheShiftedCi();
    void differenceCiIsAntisymmetric();
    void differenceCiMatchesMonteCarlo_data();
    void differenceCiMatchesMonteCarlo();
    void differenceCiOfBigRunsIsQuick();
    void wilsonAndNewcombePublishedExample();
    void normalQuantileKnownValues();
};

void TestSignificance::mannWhitneySeparatedSamples()
{
    // A = 1..8, B = 9..16: every pair has B above, U = 64, mean 32, variance 8*8*17/12.
    const MannWhitney m = mannWhitney(range(1, 8), range(9, 16));
    QVERIFY(m.valid);
    QCOMPARE(m.u, 64.0);
    QCOMPARE(m.effect, 1.0);
    const double z = (32.0 - 0.5) / std::sqrt(64.0 * 17.0 / 12.0);
    QVERIFY(std::fabs(m.z - z) < 1e-12);
    QVERIFY(std::fabs(m.pValue - std::erfc(z / std::sqrt(2.0))) < 1e-15);
    QVERIFY(std::fabs(m.pValue - 0.000939) < 2e-6); // 2 * (1 - Phi(3.3082))
    const MannWhitney reversed = mannWhitney(range(9, 16), range(1, 8));
    QCOMPARE(reversed.u, 0.0);
    QCOMPARE(reversed.z, -m.z);
    QCOMPARE(reversed.pValue, m.pValue);
}

void TestSignificance::mannWhitneyWithTies()
{
    // A = {1,2,2,3,3,3,4,5}, B = {3,3,4,4,5,5,6,6}: worked by hand.
    // U_B: each b counts the a's below it plus half the equal ones:
    //   3: 3 + 1.5 = 4.5 (x2), 4: 6 + 0.5 = 6.5 (x2), 5: 7 + 0.5 = 7.5 (x2), 6: 8 (x2) -> U = 53.
    // Ties: value 2 (t=2): 6, value 3 (t=5): 120, value 4 (t=3): 24, value 5 (t=3): 24, value 6 (t=2): 6.
    const std::vector<double> a { 1, 2, 2, 3, 3, 3, 4, 5 };
    const std::vector<double> b { 3, 3, 4, 4, 5, 5, 6, 6 };
    const MannWhitney m = mannWhitney(a, b);
    QCOMPARE(m.u, 53.0);
    const double variance = 64.0 / 12.0 * (17.0 - 180.0 / (16.0 * 15.0));
    const double z = (53.0 - 32.0 - 0.5) / std::sqrt(variance);
    QVERIFY(std::fabs(m.z - z) < 1e-12);
    QCOMPARE(m.effect, 53.0 / 64.0);
    QVERIFY(m.pValue < 0.05);
}

void TestSignificance::mannWhitneyIdenticalSamples()
{
    const auto a = lognormal(500, 1, 2000, 0.3, false);
    const MannWhitney same = mannWhitney(a, a);
    QCOMPARE(same.effect, 0.5);
    QCOMPARE(same.pValue, 1.0);
    const std::vector<double> flat(10, 7.0);
    const MannWhitney constant = mannWhitney(flat, flat);
    QCOMPARE(constant.pValue, 1.0);
    QCOMPARE(constant.z, 0.0);
}

void TestSignificance::mannWhitneyNeedsEightPerSide()
{
    QVERIFY(!mannWhitney(range(1, 7), range(9, 30)).valid);
    QVERIFY(mannWhitney(range(1, 8), range(9, 30)).valid);
    QVERIFY(!mannWhitney({}, range(1, 10)).valid);
}

void TestSignificance::differenceCiAgainstAConstantIsTheShiftedCi_data()
{
    QTest::addColumn<double>("p");
    QTest::addColumn<int>("n");
    QTest::newRow("p50 of 8") << 0.50 << 8;
    QTest::newRow("p95 of 8") << 0.95 << 8;
    QTest::newRow("p50 of 1,000 with ties") << 0.50 << 1000;
    QTest::newRow("p95 of 20,000") << 0.95 << 20000;
}

void TestSignificance::differenceCiAgainstAConstantIsTheShiftedCi()
{
    // A run whose every latency is 100 ms resamples to 100 every time, so the interval of
    // Q_B - Q_A is B's own exact interval (core/stats) moved down by 100.
    QFETCH(double, p);
    QFETCH(int, n);
    const std::vector<double> a(5, 100.0);
    const std::vector<double> b = n == 8 ? std::vector<double> { 500, 600, 800, 900, 1000, 1000, 1800, 4000 }
                                         : lognormal(std::size_t(n), 3, 2000, 0.5, n == 1000);
    const Interval own = bootstrapQuantileCi95(b, p);
    const Interval diff = quantileDifferenceCi(a, b, p);
    QCOMPARE(diff.lo, own.lo - 100.0);
    QCOMPARE(diff.hi, own.hi - 100.0);
}

void TestSignificance::differenceCiIsAntisymmetric()
{
    const auto a = lognormal(300, 4, 2000, 0.4, true);
    const auto b = lognormal(200, 5, 2500, 0.4, true);
    const Interval ab = quantileDifferenceCi(a, b, 0.5);
    const Interval ba = quantileDifferenceCi(b, a, 0.5);
    QVERIFY(std::fabs(ab.lo + ba.hi) < 1e-9);
    QVERIFY(std::fabs(ab.hi + ba.lo) < 1e-9);
    QVERIFY(ab.lo < ab.hi);
    const Interval empty = quantileDifferenceCi({}, b, 0.5);
    QCOMPARE(empty.lo, 0.0);
    QCOMPARE(empty.hi, 0.0);
}

void TestSignificance::differenceCiMatchesMonteCarlo_data()
{
    QTest::addColumn<double>("p");
    QTest::addColumn<bool>("ties");
    QTest::newRow("p50, continuous") << 0.50 << false;
    QTest::newRow("p50, rounded to 10 ms") << 0.50 << true;
    QTest::newRow("p95, continuous") << 0.95 << false;
}

void TestSignificance::differenceCiMatchesMonteCarlo()
{
    // 20,000 resamples put the 2.5% point within a fraction of a percent of probability of the
    // exact one; the exact ends must fall between the resampled 1.5% and 3.5% points (and
    // 96.5%, 98.5%), which a correct interval misses with negligible probability.
    QFETCH(double, p);
    QFETCH(bool, ties);
    const auto a = lognormal(60, 6, 2000, 0.4, ties);
    const auto b = lognormal(80, 7, 2300, 0.4, ties);
    const Interval exact = quantileDifferenceCi(a, b, p);
    const auto mc = resampledDifferences(a, b, p, 20000, 8);
    auto at = [&](double q) { return mc[std::size_t(q * double(mc.size()))]; };
    QVERIFY2(exact.lo >= at(0.015) && exact.lo <= at(0.035),
        qPrintable(QStringLiteral("lo %1 not in [%2, %3]").arg(exact.lo).arg(at(0.015)).arg(at(0.035))));
    QVERIFY2(exact.hi >= at(0.965) && exact.hi <= at(0.985),
        qPrintable(QStringLiteral("hi %1 not in [%2, %3]").arg(exact.hi).arg(at(0.965)).arg(at(0.985))));
    // Both ends are differences of stored latencies.
    auto isDifference = [&](double d) {
        return std::any_of(a.begin(), a.end(), [&](double x) {
            return std::any_of(b.begin(), b.end(), [&](double y) { return std::fabs((y - x) - d) < 1e-9; });
        });
    };
    QVERIFY(isDifference(exact.lo));
    QVERIFY(isDifference(exact.hi));
}

void TestSignificance::differenceCiOfBigRunsIsQuick()
{
    // Two runs of 1,000,000: the interval must stay narrow and sit around the true shift.
    const auto a = lognormal(1'000'000, 9, 2000, 0.3, false);
    auto b = a;
    for (double& x : b)
        x += 50;
    const Interval d = quantileDifferenceCi(a, b, 0.95);
    QVERIFY(d.lo < 50 && d.hi > 50);
    QVERIFY(d.hi - d.lo < 100);
}

void TestSignificance::wilsonAndNewcombePublishedExample()
{
    // Newcombe (1998), Statistics in Medicine 17:873-890, Table II example (a): 56/70 - 48/80
    // = 0.2000, method 10 (score, no continuity correction): 0.0524 to 0.3339.
    const Interval d = proportionDifferenceCi(48, 80, 56, 70);
    QVERIFY2(std::fabs(d.lo - 0.0524) < 5e-5, qPrintable(QString::number(d.lo, 'f', 6)));
    QVERIFY2(std::fabs(d.hi - 0.3339) < 5e-5, qPrintable(QString::number(d.hi, 'f', 6)));
    // Wilson (1927) for 0 of 10: [0, 0.2775].
    const Interval w = wilsonInterval(0, 10);
    QCOMPARE(w.lo, 0.0);
    QVERIFY(std::fabs(w.hi - 0.2775) < 5e-5);
}

void TestSignificance::normalQuantileKnownValues()
{
    QVERIFY(std::fabs(normalQuantile(0.975) - 1.959963984540054) < 1e-12);
    QVERIFY(std::fabs(normalQuantile(0.5)) < 1e-15);
    QVERIFY(std::fabs(normalQuantile(0.001) + 3.090232306167814) < 1e-11);
}

QTEST_GUILESS_MAIN(TestSignificance)
#include "tst_significance.moc"
