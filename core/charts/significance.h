// SPDX-License-Identifier: Apache-2.0
#pragma once

// Are two runs different? The tests behind the dashboard's summary table and the report, with
// their formulas in docs/statistics.md ("Comparing runs").

#include "charts/chartdata.h"
#include "stats/summary.h"

#include <cstddef>
#include <span>

namespace t2i::charts {

// The Mann-Whitney U test of two independent samples, by the normal approximation with the
// tie correction and a continuity correction of 1/2.
struct MannWhitney {
    double u = 0; // U of the second sample: pairs (a, b) with b > a, ties counting 1/2
    double z = 0;
    double pValue = 1; // two-sided
    double effect = 0.5; // U / (nA nB) = P(B > A) + P(B = A) / 2
    bool valid = false; // both samples hold at least kMinMannWhitneyN values
};
inline constexpr std::size_t kMinMannWhitneyN = 8;

// Both samples ascending. O(nA + nB).
MannWhitney mannWhitney(std::span<const double> sortedA, std::span<const double> sortedB);

// The percentile-bootstrap interval of Q_B(p) - Q_A(p) computed exactly: the limit of resampling
// both runs independently infinitely often. Each run's resampled nearest-rank quantile has the
// binomial rank distribution of core/stats; the interval's ends are the confidence/2 points of
// the distribution of their difference, found by bisection and snapped to a difference of two
// stored latencies. Empty input gives [0, 0].
Interval quantileDifferenceCi(
    std::span<const double> sortedA, std::span<const double> sortedB, double p, double confidence = 0.95);

// Newcombe's hybrid score interval of pB - pA (two independent proportions xA/nA, xB/nB) from
// the Wilson score intervals of each (Newcombe 1998, method 10).
Interval proportionDifferenceCi(
    std::size_t xA, std::size_t nA, std::size_t xB, std::size_t nB, double confidence = 0.95);
Interval wilsonInterval(std::size_t x, std::size_t n, double confidence = 0.95);

double normalQuantile(double p); // the standard normal's inverse CDF, for confidence levels

} // namespace t2i::charts
