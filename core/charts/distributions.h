// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartdata.h"

#include <span>
#include <vector>

namespace t2i::charts {

// Bin edges for histograms of several samples drawn on one axis. The width follows the
// Freedman-Diaconis rule, 2 IQR n^(-1/3), on log10(ms) when logScale (so a run of warm seconds
// and cold minutes gets bins of equal ratio), taken as the finest of the samples' widths, over
// the range of all of them, and never more than maxBins bins. Each sample must be ascending;
// logScale needs positive values (non-positive ones fall into the first bin).
HistogramBins chooseBins(
    std::span<const std::span<const double>> samples, bool logScale, std::size_t maxBins = kMaxHistogramBins);
Histogram histogram(std::span<const double> sorted, const HistogramBins& bins);

// The ECDF thinned to at most maxPoints points: evenly spaced ranks plus, exactly, the minimum,
// the maximum, the p50 and p95 ranks and the p99/p99.9 ranks of the tail. Its 95% band is the
// Dvoretzky-Kiefer-Wolfowitz band F(x) -/+ sqrt(ln(2 / 0.05) / (2 n)).
Ecdf ecdf(std::span<const double> sorted, std::size_t maxPoints = kMaxEcdfPoints);
double dkwEpsilon(std::size_t n, double alpha = 0.05);

BoxStats boxStats(std::span<const double> sorted, std::size_t maxOutliers = kMaxOutliersShown);

} // namespace t2i::charts
