// SPDX-License-Identifier: Apache-2.0
// Mann-Whitney U, the exact bootstrap interval of a difference of percentiles and Newcombe's
// interval of a difference of proportions. Formulas and their sources: docs/statistics.md.
#include "significance.h"

#include "stats/incompletebeta.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace t2i::charts {
namespace {

// The bootstrap distribution of one run's resampled nearest-rank quantile, over the distinct
// stored values where it has mass: P(Q* <= value) = G(j) = P(Binomial(n, j/n) >= k), j the
// number of stored values at or below it (docs/statistics.md). Values whose mass is below
// kNegligible on either side are left out: their total is far below any digit reported.
struct Atoms {
    std::vector<double> value; // ascending, distinct
    std::vector<double> cdf; // P(Q* <= value[i])
    std::vector<double> mass; // P(Q* == value[i])
};

constexpr double kNegligible = 1e-13;

Atoms bootstrapAtoms(std::span<const double> sorted, double p)
{
    Atoms atoms;
    const std::size_t n = sorted.size();
    const std::size_t k = nearestRankIndex(n, p) + 1;
    const double dn = static_cast<double>(n);
    auto g = [&](std::size_t j) { return binomialTailAtLeast(n, k, static_cast<double>(j) / dn); };
    // The first and last ranks where the distribution function moves by more than kNegligible.
    auto firstReaching = [&](double target) {
        std::size_t lo = 1, hi = n;
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (g(mid) >= target)
                hi = mid;
            else
                lo = mid + 1;
        }
        return lo;
    };
    const std::size_t jFirst = firstReaching(kNegligible);
    const std::size_t jLast = firstReaching(1.0 - kNegligible);
    double previous = 0;
    for (std::size_t j = jFirst; j <= jLast;) {
        const double x = sorted[j - 1];
        // Ties: the distribution function at a value is G at the last rank holding it.
        const auto lastOfTie
            = static_cast<std::size_t>(std::upper_bound(sorted.begin(), sorted.end(), x) - sorted.begin());
        const double cdf = lastOfTie >= n ? 1.0 : g(lastOfTie);
        atoms.value.push_back(x);
        atoms.cdf.push_back(cdf);
        atoms.mass.push_back(std::max(0.0, cdf - previous));
        previous = cdf;
        j = lastOfTie + 1;
    }
    return atoms;
}

// P(B* - A* <= d) = sum over A's atoms of P(A* = a) P(B* <= a + d). Both atom lists ascend, so
// one merge-like pass evaluates it.
double differenceCdf(const Atoms& a, const Atoms& b, double d)
{
    double total = 0;
    std::size_t j = 0; // B's atoms <= a + d
    for (std::size_t i = 0; i < a.value.size(); ++i) {
        const double limit = a.value[i] + d;
        while (j < b.value.size() && b.value[j] <= limit)
            ++j;
        if (j > 0)
            total += a.mass[i] * b.cdf[j - 1];
    }
    return total;
}

// The difference b - a of stored atoms nearest to d: the interval's ends are such differences.
double snapToDifference(const Atoms& a, const Atoms& b, double d)
{
    double best = d, bestGap = std::numeric_limits<double>::infinity();
    for (const double av : a.value) {
        const auto it = std::lower_bound(b.value.begin(), b.value.end(), av + d);
        for (auto candidate : { it, it == b.value.begin() ? it : it - 1 }) {
            if (candidate == b.value.end())
                continue;
            const double diff = *candidate - av;
            if (std::fabs(diff - d) < bestGap) {
                bestGap = std::fabs(diff - d);
                best = diff;
            }
        }
    }
    return best;
}

// The smallest d with P(B* - A* <= d) >= target.
double differenceQuantile(const Atoms& a, const Atoms& b, double target)
{
    double lo = b.value.front() - a.value.back();
    double hi = b.value.back() - a.value.front();
    if (differenceCdf(a, b, lo) >= target)
        return lo;
    // Invariant: cdf(lo) < target <= cdf(hi). The CDF steps only at differences of atoms, so
    // shrink the bracket far below the spacing of those and snap to the nearest one.
    const double scale = std::max({ 1.0, std::fabs(lo), std::fabs(hi) });
    for (int iteration = 0; iteration < 200 && hi - lo > 1e-10 * scale; ++iteration) {
        const double mid = lo + (hi - lo) / 2;
        if (differenceCdf(a, b, mid) >= target)
            hi = mid;
        else
            lo = mid;
    }
    return snapToDifference(a, b, hi);
}

} // namespace

MannWhitney mannWhitney(std::span<const double> a, std::span<const double> b)
{
    MannWhitney m;
    const double nA = static_cast<double>(a.size());
    const double nB = static_cast<double>(b.size());
    if (a.empty() || b.empty())
        return m;
    double u = 0, ties = 0;
    double aBelow = 0;
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        const double v = j == b.size() || (i < a.size() && a[i] < b[j]) ? a[i] : b[j];
        std::size_t ca = 0, cb = 0;
        while (i < a.size() && a[i] == v) {
            ++i;
            ++ca;
        }
        while (j < b.size() && b[j] == v) {
            ++j;
            ++cb;
        }
        u += static_cast<double>(cb) * (aBelow + 0.5 * static_cast<double>(ca));
        const double t = static_cast<double>(ca + cb);
        ties += t * t * t - t;
        aBelow += static_cast<double>(ca);
    }
    const double n = nA + nB;
    const double mean = nA * nB / 2.0;
    const double variance = nA * nB / 12.0 * ((n + 1.0) - (n > 1 ? ties / (n * (n - 1.0)) : 0.0));
    m.u = u;
    m.effect = u / (nA * nB);
    m.valid = a.size() >= kMinMannWhitneyN && b.size() >= kMinMannWhitneyN;
    if (variance <= 0) { // every value equal: no evidence of any difference
        m.z = 0;
        m.pValue = 1;
        return m;
    }
    const double distance = std::max(0.0, std::fabs(u - mean) - 0.5);
    m.z = std::copysign(distance / std::sqrt(variance), u - mean);
    m.pValue = std::erfc(std::fabs(m.z) / std::sqrt(2.0));
    return m;
}

Interval quantileDifferenceCi(std::span<const double> a, std::span<const double> b, double p, double confidence)
{
    if (a.empty() || b.empty())
        return {};
    if (!(confidence > 0.0 && confidence < 1.0))
        confidence = 0.95;
    const Atoms atomsA = bootstrapAtoms(a, p);
    const Atoms atomsB = bootstrapAtoms(b, p);
    const double alpha = (1.0 - confidence) / 2.0;
    return { differenceQuantile(atomsA, atomsB, alpha), differenceQuantile(atomsA, atomsB, 1.0 - alpha) };
}

double normalQuantile(double p)
{
    // Acklam's rational approximation (relative error < 1.2e-9), refined by one Halley step.
    static constexpr double a[] = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00 };
    static constexpr double b[] = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01 };
    static constexpr double c[] = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00 };
    static constexpr double d[]
        = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00 };
    if (p <= 0)
        return -std::numeric_limits<double>::infinity();
    if (p >= 1)
        return std::numeric_limits<double>::infinity();
    constexpr double low = 0.02425;
    double x;
    if (p < low) {
        const double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - low) {
        const double q = p - 0.5;
        const double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        const double q = std::sqrt(-2 * std::log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
    const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

Interval wilsonInterval(std::size_t x, std::size_t n, double confidence)
{
    if (n == 0)
        return { 0, 1 };
    const double z = normalQuantile(1.0 - (1.0 - confidence) / 2.0);
    const double dn = static_cast<double>(n);
    const double p = static_cast<double>(x) / dn;
    const double z2 = z * z;
    const double centre = (p + z2 / (2 * dn)) / (1 + z2 / dn);
    const double half = z * std::sqrt(p * (1 - p) / dn + z2 / (4 * dn * dn)) / (1 + z2 / dn);
    return { std::max(0.0, centre - half), std::min(1.0, centre + half) };
}

Interval proportionDifferenceCi(std::size_t xA, std::size_t nA, std::size_t xB, std::size_t nB, double confidence)
{
    const double pA = nA ? static_cast<double>(xA) / static_cast<double>(nA) : 0.0;
    const double pB = nB ? static_cast<double>(xB) / static_cast<double>(nB) : 0.0;
    const Interval a = wilsonInterval(xA, nA, confidence);
    const Interval b = wilsonInterval(xB, nB, confidence);
    const double d = pB - pA;
    return { d - std::sqrt((pB - b.lo) * (pB - b.lo) + (a.hi - pA) * (a.hi - pA)),
        d + std::sqrt((b.hi - pB) * (b.hi - pB) + (pA - a.lo) * (pA - a.lo)) };
}

bool excludesZero(const Interval& deltaCi)
{
    return deltaCi.lo > 0 || deltaCi.hi < 0;
}

Difference quantileDifference(
    const char* metric, const char* key, std::span<const double> a, std::span<const double> b, double p)
{
    Difference d;
    d.metric = metric;
    d.key = key;
    d.test = "exact bootstrap CI of the difference";
    if (a.empty() || b.empty()) {
        d.test = "no successful requests on one side";
        return d;
    }
    d.baseline = quantileNearestRank(a, p);
    d.value = quantileNearestRank(b, p);
    d.delta = d.value - d.baseline;
    d.testable = a.size() > 1 && b.size() > 1;
    if (!d.testable) {
        d.test = "one successful request on one side: no interval";
        return d;
    }
    d.deltaCi = quantileDifferenceCi(a, b, p);
    d.significant = excludesZero(*d.deltaCi);
    return d;
}

Difference proportionDifference(
    const char* metric, const char* key, std::size_t xA, std::size_t nA, std::size_t xB, std::size_t nB)
{
    Difference d;
    d.metric = metric;
    d.key = key;
    d.test = "Newcombe score CI of the difference";
    d.baseline = nA ? static_cast<double>(xA) / static_cast<double>(nA) : 0.0;
    d.value = nB ? static_cast<double>(xB) / static_cast<double>(nB) : 0.0;
    d.delta = d.value - d.baseline;
    d.testable = nA > 0 && nB > 0;
    if (d.testable) {
        d.deltaCi = proportionDifferenceCi(xA, nA, xB, nB);
        d.significant = excludesZero(*d.deltaCi);
    }
    return d;
}

Difference untestedDifference(const char* metric, const char* key, const char* why, double base, double value)
{
    Difference d;
    d.metric = metric;
    d.key = key;
    d.test = why;
    d.baseline = base;
    d.value = value;
    d.delta = value - base;
    return d;
}

std::vector<Difference> compareSamples(const RunSample& base, const RunSample& run)
{
    const auto all = index(Population::All);
    const auto warm = index(Population::Warm);
    const auto cold = index(Population::Cold);
    std::vector<Difference> rows;
    rows.push_back(quantileDifference("latency p50 (ms)", "latency_p50_ms", base.latency[all], run.latency[all], 0.50));
    rows.push_back(quantileDifference("latency p95 (ms)", "latency_p95_ms", base.latency[all], run.latency[all], 0.95));
    {
        Difference d;
        d.metric = "latency distribution";
        d.key = "latency_distribution";
        d.test = "Mann-Whitney U (normal approx., tie-corrected)";
        const MannWhitney m = mannWhitney(base.latency[all], run.latency[all]);
        d.baseline = base.summary->latency.p50;
        d.value = run.summary->latency.p50;
        d.delta = d.value - d.baseline;
        d.effect = m.effect;
        d.testable = m.valid;
        if (m.valid) {
            d.pValue = m.pValue;
            d.significant = m.pValue < 0.05;
        } else {
            d.test = "Mann-Whitney U: fewer than 8 successful requests on one side";
        }
        rows.push_back(d);
    }
    if (!base.latency[warm].empty() && !run.latency[warm].empty())
        rows.push_back(quantileDifference(
            "warm latency p50 (ms)", "warm_latency_p50_ms", base.latency[warm], run.latency[warm], 0.50));
    if (!base.latency[cold].empty() && !run.latency[cold].empty())
        rows.push_back(quantileDifference(
            "cold latency p50 (ms)", "cold_latency_p50_ms", base.latency[cold], run.latency[cold], 0.50));
    const RunSummary& a = *base.summary;
    const RunSummary& b = *run.summary;
    rows.push_back(proportionDifference("error rate", "error_rate", a.errors, a.requests, b.errors, b.requests));
    rows.push_back(proportionDifference("cold-start rate", "cold_rate", a.coldStarts, a.ok, b.coldStarts, b.ok));
    rows.push_back(untestedDifference("throughput (images/s)", "throughput_ips", "no interval: one window per level",
        a.throughputIps, b.throughputIps));
    return rows;
}

} // namespace t2i::charts
