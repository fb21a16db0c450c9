// SPDX-License-Identifier: Apache-2.0
#pragma once

// Are two runs different? The tests behind the dashboard's summary table and the report, with
// their formulas in docs/statistics.md ("Comparing runs").

#include "charts/chartdata.h"
#include "stats/summary.h"

#include <cstddef>
#include <span>
#include <vector>

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

// THE rule that makes a difference significant, wherever one is shown (the CLI's compare and
// its JSON, the report, the dashboard): its 95% interval excludes 0.
bool excludesZero(const Interval& deltaCi);

// What the tests of a comparison read of one run: its summary (counts and rates) and the
// successful measured requests' latencies, ascending, by Population (All, Warm, Cold).
struct RunSample {
    const RunSummary* summary = nullptr;
    std::span<const double> latency[3];
};

// One row of a comparison, each with its test and verdict (docs/statistics.md, "Comparing runs"):
// a percentile by the exact bootstrap interval of the difference, a rate by Newcombe's interval.
Difference quantileDifference(
    const char* metric, const char* key, std::span<const double> sortedA, std::span<const double> sortedB, double p);
Difference proportionDifference(
    const char* metric, const char* key, std::size_t xA, std::size_t nA, std::size_t xB, std::size_t nB);
Difference untestedDifference(const char* metric, const char* key, const char* why, double base, double value);

// Every tested row of `run` against `base` (the cost row, a model estimate, is the caller's):
// latency p50 and p95, the latency distribution (Mann-Whitney), warm and cold p50 where both
// runs have such requests, the error and cold-start rates, throughput (not tested). What the
// dashboard's summary table, the report and `t2ibench-cli compare` all show, so they cannot
// disagree.
std::vector<Difference> compareSamples(const RunSample& base, const RunSample& run);

} // namespace t2i::charts
