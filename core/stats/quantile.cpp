// SPDX-License-Identifier: Apache-2.0
// Order statistics: the nearest-rank estimator, the descriptive summary and the exact
// percentile-bootstrap interval. docs/statistics.md explains every choice made here.
#include "incompletebeta.h"
#include "sortdoubles.h"
#include "summary.h"

#include <algorithm>
#include <cmath>

namespace t2i {

std::size_t nearestRankIndex(std::size_t n, double p)
{
    if (n == 0)
        return 0;
    if (!(p > 0.0)) // NaN and p <= 0 fall to the minimum, the limit of p -> 0+
        return 0;
    p = std::min(p, 1.0);
    const double exact = p * static_cast<double>(n);
    // p*n carries ~1e-16 relative rounding error; without the epsilon an exact integer
    // product rounded up by one ulp would move the estimate one rank higher.
    const double rank = std::ceil(exact - 1e-12 * std::max(1.0, exact));
    if (rank <= 1.0)
        return 0;
    return std::min(static_cast<std::size_t>(rank) - 1, n - 1);
}

double quantileNearestRank(std::span<const double> sorted, double p)
{
    if (sorted.empty())
        return 0.0;
    return sorted[nearestRankIndex(sorted.size(), p)];
}

Distribution describeSorted(std::span<const double> sorted)
{
    Distribution d;
    d.n = sorted.size();
    if (sorted.empty())
        return d;
    d.min = sorted.front();
    d.max = sorted.back();
    // Welford's update: no catastrophic cancellation when the spread is small against the
    // mean (latencies of 30,000 ms varying by a few ms), unlike sum-of-squares formulas.
    double mean = 0.0;
    double m2 = 0.0;
    std::size_t count = 0;
    for (const double x : sorted) {
        ++count;
        const double delta = x - mean;
        mean += delta / static_cast<double>(count);
        m2 += delta * (x - mean);
    }
    // Rounding can push the mean a hair outside [min, max] on near-constant data.
    d.mean = std::clamp(mean, d.min, d.max);
    d.stddev = d.n > 1 ? std::sqrt(std::max(0.0, m2 / static_cast<double>(d.n - 1))) : 0.0;
    d.p50 = quantileNearestRank(sorted, 0.50);
    d.p90 = quantileNearestRank(sorted, 0.90);
    d.p95 = quantileNearestRank(sorted, 0.95);
    d.p99 = quantileNearestRank(sorted, 0.99);
    return d;
}

Distribution describe(std::vector<double> values)
{
    sortDoubles(values);
    return describeSorted(values);
}

namespace {

// The smallest 1-based rank j whose bootstrap CDF P(Binomial(n, j/n) >= k) reaches target.
// The CDF rises with j and is 1 at j = n, so a binary search finds it in O(log n) evaluations.
std::size_t smallestRankReaching(std::size_t n, std::size_t k, double target)
{
    std::size_t lo = 1;
    std::size_t hi = n;
    const double dn = static_cast<double>(n);
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (binomialTailAtLeast(n, k, static_cast<double>(mid) / dn) >= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

} // namespace

Interval bootstrapQuantileCi(std::span<const double> sorted, double p, double confidence)
{
    if (sorted.empty())
        return {};
    const std::size_t n = sorted.size();
    if (n == 1)
        return { sorted.front(), sorted.front() };
    if (!(confidence > 0.0 && confidence < 1.0))
        confidence = 0.95;
    const double alpha = (1.0 - confidence) / 2.0;
    // In a resample of size n the nearest-rank quantile is the k-th smallest draw. It is at or
    // below x_(j) exactly when at least k draws land among the j smallest values, each draw
    // doing so with probability j/n: the bootstrap CDF is a binomial tail, no resampling needed.
    const std::size_t k = nearestRankIndex(n, p) + 1;
    const std::size_t jLo = smallestRankReaching(n, k, alpha);
    const std::size_t jHi = smallestRankReaching(n, k, 1.0 - alpha);
    return { sorted[jLo - 1], sorted[jHi - 1] };
}

Interval bootstrapQuantileCi95(std::span<const double> sorted, double p)
{
    return bootstrapQuantileCi(sorted, p, 0.95);
}

} // namespace t2i
