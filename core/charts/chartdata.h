// SPDX-License-Identifier: Apache-2.0
#pragma once

// The data behind every dashboard and report chart, computed in core/ (no Qt) and bounded
// before it reaches a chart series: a histogram has at most kMaxHistogramBins bins, an ECDF at
// most kMaxEcdfPoints points, a timeline at most kMaxTimelineRequests requests, whatever the
// size of the run. docs/dashboard.md says how each is derived.

#include "model/run.h"
#include "stats/summary.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace t2i::charts {

inline constexpr std::size_t kMaxHistogramBins = 100;
inline constexpr std::size_t kMaxEcdfPoints = 500;
inline constexpr std::size_t kMaxOutliersShown = 40; // per box; the extremes are always among them
inline constexpr std::size_t kMaxTimelineRequests = 2000;
inline constexpr std::size_t kMaxTimePoints = 600; // workers, in flight, errors over time
inline constexpr std::size_t kTimeBuckets = 80; // errors and throughput over time, at most

struct XY {
    double x = 0, y = 0;
};

// Which successful requests a latency chart shows: cold and warm are never blended silently.
enum class Population { All, Warm, Cold };
inline constexpr Population kPopulations[] = { Population::All, Population::Warm, Population::Cold };

// Bin edges shared by every run of a comparison, so overlaid histograms line up.
struct HistogramBins {
    bool logScale = false; // edges evenly spaced in log10(ms) rather than ms
    std::vector<double> edges; // ascending, ms; bins = edges.size() - 1
};

struct Histogram {
    std::size_t n = 0; // values counted
    std::vector<std::size_t> counts; // one per bin; bin i is [edges[i], edges[i+1]), the last closed
    std::vector<double> percent; // counts as a share of n, in %
};

// The empirical distribution function, thinned, with a simultaneous 95% band.
struct Ecdf {
    std::size_t n = 0;
    std::vector<XY> points; // (latency ms, F), ascending; the minimum, maximum, p50 and p95 exact
    double dkwEpsilon = 0; // the band is F -/+ epsilon, clamped to [0, 1]
    double p50 = 0, p95 = 0; // nearest rank, the markers
    Interval p50Ci, p95Ci; // exact bootstrap (core/stats)
    bool thinned = false;
};

// Tukey box: quartiles by nearest rank, whiskers at the furthest values within 1.5 IQR.
struct BoxStats {
    std::size_t n = 0;
    double lowerWhisker = 0, q1 = 0, median = 0, q3 = 0, upperWhisker = 0;
    std::size_t outliers = 0;
    std::vector<double> shownOutliers; // at most kMaxOutliersShown, the most extreme first kept
};

// Mean time per successful measured request spent in each stage; the parts add up to the mean
// latency (docs/dashboard.md). A stage a request did not report lands in `other`. The network
// parts (docs/measurement.md, "Network phases"): DNS, connect and TLS of the submit, final and
// download calls, and the submit and final calls' answer transfers; a download's own set-up is
// taken out of `download`, so nothing is counted twice.
struct StageStack {
    std::size_t n = 0;
    double clientLag = 0, dns = 0, connect = 0, tls = 0, queue = 0, coldStart = 0, execution = 0, transfer = 0,
           download = 0, other = 0;
    double meanLatency = 0;
};

// How a scaling curve's x axis is measured.
enum class LoadUnit { Concurrency, RequestsPerSecond };

struct ScalingPoint {
    double offered = 0;
    double achievedIps = 0;
    double p50 = 0, p95 = 0;
    std::size_t requests = 0, ok = 0;
    int step = 0, level = 0;
};

struct ScalingCurve {
    LoadUnit unit = LoadUnit::Concurrency;
    std::vector<ScalingPoint> points; // ascending offered load
    std::optional<std::size_t> knee; // index into points; none when the curve never bends
    std::string kneeReason; // which rule fired, for the tooltip and the report
    std::size_t leftOut = 0; // levels of the other unit or of cold probes, not on this curve
};

// Cost per 1,000 images, split as core/cost splits a run's spend.
struct CostStack {
    bool available = false; // false: no price for this run (why says why)
    std::string why;
    double compute = 0, coldStart = 0, idle = 0, keepWarm = 0, egress = 0, failed = 0, total = 0;
    std::string price; // priceText(): "catalog:runpod.flex.A100-80GB (read 2026-07-01)"
};

struct TimelineSegment {
    enum Stage : std::uint8_t { ClientLag, Queue, ColdStart, Execution, Delivery, Download, InFlight, Failed };
    double startS = 0, endS = 0; // seconds since the run's start
    std::uint32_t row = 0; // the request's position among those shown, in intended-send order
    Stage stage = InFlight;
};
inline constexpr int kTimelineStageCount = 8;

struct Timeline {
    std::size_t requests = 0; // measured requests in the run
    std::size_t shown = 0; // rows drawn: all of them, or kMaxTimelineRequests sampled evenly by time
    bool sampled = false;
    std::vector<TimelineSegment> segments;
};

// Counters over time, each at most kMaxTimePoints points (the maximum of each bucket kept, so
// peaks survive the thinning).
struct TimeSeries {
    std::vector<XY> inFlight; // client view: requests sent and not yet done
    std::vector<XY> workersRunning, workersIdle, workersInitializing, queueDepth; // platform's, when sampled
    bool hasWorkerSamples = false;
    double bucketS = 0; // the intervals below: a round number of seconds
    std::vector<XY> errors; // (interval start, failed requests completed in it)
    std::vector<XY> throughputIps; // (interval start, images completed in it per second)
};

// One GPU of a local server over a run, from its nvidia-smi samples (docs/measurement.md, "Local
// servers"): seconds since the run started (negative while the server loaded), each series at
// most kMaxTimePoints points (the maximum of each bucket kept, so peaks survive the thinning).
struct GpuCurve {
    int gpu = 0; // nvidia-smi's index
    std::vector<XY> utilizationPct; // utilization.gpu, 0..100
    std::vector<XY> memoryUsedMiB;
    double memoryTotalMiB = 0; // the largest reported; 0 when none was
};

// One row of the significance table: a run against the baseline (the first run).
struct Difference {
    std::string metric; // "latency p50 (ms)" ...
    std::string key; // the same in `compare --json`: "latency_p50_ms" ...
    std::string test; // how the verdict was reached
    double baseline = 0, value = 0, delta = 0;
    std::optional<Interval> deltaCi; // 95% interval of value - baseline, when the method gives one
    std::optional<double> pValue;
    std::optional<double> effect; // Mann-Whitney: P(run slower than baseline), ties count half
    bool testable = false; // false: too little data for a verdict
    bool significant = false; // at the 5% level
};

struct RunComparisonRow {
    std::size_t run = 0; // index into ComparisonData::runs
    std::vector<Difference> differences;
};

// Everything the compare view and the report show for one run.
struct RunChartData {
    RunInfo info;
    std::string label; // "config · provider · variant", unique within the comparison
    std::string legend; // the label's parts that tell this run from the others: what legends show
    RunSummary summary;
    Histogram histogram[2][3]; // [log scale][Population], on ComparisonData::bins
    Ecdf ecdf[3];
    BoxStats box[3];
    StageStack stages;
    ScalingCurve scaling;
    CostStack cost;
    Timeline timeline;
    TimeSeries time;
    std::vector<GpuCurve> gpus; // by GPU index; empty: the run has no GPU samples
};

struct ComparisonData {
    std::vector<RunChartData> runs; // in the order asked; the first is the baseline
    HistogramBins bins[2][3]; // [log scale][Population], shared by the runs
    LoadUnit scalingUnit = LoadUnit::Concurrency;
    std::vector<std::size_t> paretoFront; // runs on the cost / p95 front, ascending p95
    std::vector<RunComparisonRow> significance; // one per run after the first
    bool costsComputed = false; // false: cost stacks and the front are still to come (addCosts)
};

inline std::size_t index(Population p)
{
    return static_cast<std::size_t>(p);
}
const char* toString(Population p); // "all", "warm", "cold"
const char* toString(LoadUnit unit); // "concurrency", "requests/s"
const char* stageName(TimelineSegment::Stage stage); // "queue", "cold start", ...

} // namespace t2i::charts
