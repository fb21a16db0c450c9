// SPDX-License-Identifier: Apache-2.0
// Histogram bins, the thinned ECDF with its DKW band, and box-plot statistics. Every
// percentile is the nearest-rank one of core/stats, so a marker on a chart is the number in
// the summary table. docs/dashboard.md explains each bound.
#include "distributions.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace t2i::charts {
namespace {

double toAxis(double ms, bool logScale)
{
    if (!logScale)
        return ms;
    return std::log10(std::max(ms, 1e-3)); // latencies are never below a microsecond
}

double fromAxis(double value, bool logScale)
{
    return logScale ? std::pow(10.0, value) : value;
}

// Freedman-Diaconis width on the axis scale; 0 when the sample cannot give one.
double freedmanDiaconisWidth(std::span<const double> sorted, bool logScale)
{
    if (sorted.size() < 2)
        return 0.0;
    const double q1 = toAxis(quantileNearestRank(sorted, 0.25), logScale);
    const double q3 = toAxis(quantileNearestRank(sorted, 0.75), logScale);
    return 2.0 * (q3 - q1) / std::cbrt(static_cast<double>(sorted.size()));
}

} // namespace

HistogramBins chooseBins(std::span<const std::span<const double>> samples, bool logScale, std::size_t maxBins)
{
    HistogramBins bins;
    bins.logScale = logScale;
    maxBins = std::max<std::size_t>(1, maxBins);
    double lo = 0, hi = 0, width = 0;
    std::size_t largest = 0;
    bool any = false;
    for (const auto& sample : samples) {
        if (sample.empty())
            continue;
        const double first = toAxis(sample.front(), logScale);
        const double last = toAxis(sample.back(), logScale);
        lo = any ? std::min(lo, first) : first;
        hi = any ? std::max(hi, last) : last;
        any = true;
        largest = std::max(largest, sample.size());
        const double w = freedmanDiaconisWidth(sample, logScale);
        if (w > 0 && (width == 0 || w < width))
            width = w;
    }
    if (!any)
        return bins;
    std::size_t count = 1;
    if (hi > lo) {
        if (width > 0) {
            count = static_cast<std::size_t>(std::ceil((hi - lo) / width));
        } else {
            // Every IQR is zero (a sample of a few repeated values): Sturges' rule instead.
            count = static_cast<std::size_t>(std::ceil(std::log2(static_cast<double>(largest)))) + 1;
        }
        count = std::clamp<std::size_t>(count, 1, maxBins);
    } else {
        // One value in every sample: a single bin around it.
        const double half = logScale ? 0.05 : std::max(0.5, std::fabs(lo) * 0.05);
        lo -= half;
        hi += half;
    }
    bins.edges.reserve(count + 1);
    for (std::size_t i = 0; i <= count; ++i) {
        const double t = lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(count);
        bins.edges.push_back(fromAxis(t, logScale));
    }
    // The ends are the data's own extremes, not their round trip through log10/pow.
    if (samples.size() > 0 && hi > lo) {
        double minValue = 0, maxValue = 0;
        bool first = true;
        for (const auto& sample : samples) {
            if (sample.empty())
                continue;
            minValue = first ? sample.front() : std::min(minValue, sample.front());
            maxValue = first ? sample.back() : std::max(maxValue, sample.back());
            first = false;
        }
        bins.edges.front() = std::min(bins.edges.front(), minValue);
        bins.edges.back() = std::max(bins.edges.back(), maxValue);
    }
    return bins;
}

Histogram histogram(std::span<const double> sorted, const HistogramBins& bins)
{
    Histogram h;
    h.n = sorted.size();
    if (bins.edges.size() < 2)
        return h;
    const std::size_t count = bins.edges.size() - 1;
    h.counts.assign(count, 0);
    h.percent.assign(count, 0.0);
    // Bin i holds [edges[i], edges[i+1]); the last bin is closed so the maximum is counted.
    // Values outside the edges (another comparison's bins) are clamped into the end bins.
    auto begin = sorted.begin();
    for (std::size_t i = 0; i < count; ++i) {
        const auto end = i + 1 == count ? sorted.end() : std::lower_bound(begin, sorted.end(), bins.edges[i + 1]);
        h.counts[i] = static_cast<std::size_t>(end - begin);
        begin = end;
    }
    if (h.n > 0)
        for (std::size_t i = 0; i < count; ++i)
            h.percent[i] = 100.0 * static_cast<double>(h.counts[i]) / static_cast<double>(h.n);
    return h;
}

double dkwEpsilon(std::size_t n, double alpha)
{
    if (n == 0)
        return 1.0;
    return std::sqrt(std::log(2.0 / alpha) / (2.0 * static_cast<double>(n)));
}

Ecdf ecdf(std::span<const double> sorted, std::size_t maxPoints)
{
    Ecdf e;
    e.n = sorted.size();
    e.dkwEpsilon = dkwEpsilon(e.n);
    if (sorted.empty())
        return e;
    const std::size_t n = sorted.size();
    e.p50 = quantileNearestRank(sorted, 0.50);
    e.p95 = quantileNearestRank(sorted, 0.95);
    e.p50Ci = bootstrapQuantileCi95(sorted, 0.50);
    e.p95Ci = bootstrapQuantileCi95(sorted, 0.95);

    // Ranks that must appear exactly, then evenly spaced ranks to fill the budget.
    std::set<std::size_t> ranks { 0, n - 1, nearestRankIndex(n, 0.50), nearestRankIndex(n, 0.95) };
    for (const double p : { 0.99, 0.999 })
        if (static_cast<double>(n) * (1.0 - p) >= 1.0)
            ranks.insert(nearestRankIndex(n, p));
    maxPoints = std::max(maxPoints, ranks.size());
    if (n <= maxPoints) {
        for (std::size_t i = 0; i < n; ++i)
            ranks.insert(i);
    } else {
        const std::size_t even = maxPoints - ranks.size();
        for (std::size_t j = 0; j < even; ++j)
            ranks.insert(static_cast<std::size_t>(
                std::llround(static_cast<double>(j + 1) * static_cast<double>(n - 1) / static_cast<double>(even + 1))));
        e.thinned = true;
    }
    // F at a value counts every tie of it, so the ECDF is right-continuous as defined.
    double lastX = 0;
    for (const std::size_t r : ranks) {
        const double x = sorted[r];
        if (!e.points.empty() && x == lastX)
            continue;
        const auto atOrBelow = std::upper_bound(sorted.begin() + static_cast<std::ptrdiff_t>(r), sorted.end(), x);
        const double f = static_cast<double>(atOrBelow - sorted.begin()) / static_cast<double>(n);
        e.points.push_back({ x, f });
        lastX = x;
    }
    return e;
}

BoxStats boxStats(std::span<const double> sorted, std::size_t maxOutliers)
{
    BoxStats b;
    b.n = sorted.size();
    if (sorted.empty())
        return b;
    b.q1 = quantileNearestRank(sorted, 0.25);
    b.median = quantileNearestRank(sorted, 0.50);
    b.q3 = quantileNearestRank(sorted, 0.75);
    const double iqr = b.q3 - b.q1;
    const double lowFence = b.q1 - 1.5 * iqr;
    const double highFence = b.q3 + 1.5 * iqr;
    const auto lowIt = std::lower_bound(sorted.begin(), sorted.end(), lowFence);
    const auto highIt = std::upper_bound(sorted.begin(), sorted.end(), highFence); // one past the last inside
    b.lowerWhisker = *lowIt;
    b.upperWhisker = *(highIt - 1);
    const auto lowCount = static_cast<std::size_t>(lowIt - sorted.begin());
    const auto highCount = static_cast<std::size_t>(sorted.end() - highIt);
    b.outliers = lowCount + highCount;
    // Show the most extreme outliers first: they are what a reader looks for on a box plot.
    std::size_t fromLow = std::min(lowCount, maxOutliers / 2);
    std::size_t fromHigh = std::min(highCount, maxOutliers - fromLow);
    fromLow = std::min(lowCount, maxOutliers - fromHigh);
    for (std::size_t i = 0; i < fromLow; ++i)
        b.shownOutliers.push_back(sorted[i]);
    for (std::size_t i = 0; i < fromHigh; ++i)
        b.shownOutliers.push_back(sorted[sorted.size() - fromHigh + i]);
    return b;
}

} // namespace t2i::charts
