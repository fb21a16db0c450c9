// SPDX-License-Identifier: Apache-2.0
// CSV of the data behind each chart. Numbers are written with up to 10 significant digits
// (%.10g): enough to reproduce the chart exactly, short enough to read.
#include "chartcsv.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace t2i::charts {
namespace {

std::string num(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.10g", value);
    return buffer;
}

std::string num(std::size_t value)
{
    return std::to_string(value);
}

class Csv {
public:
    explicit Csv(std::initializer_list<const char*> header)
    {
        bool first = true;
        for (const char* h : header) {
            m_out << (first ? "" : ",") << h;
            first = false;
        }
        m_out << "\r\n";
    }
    template <typename... T> void row(const T&... fields)
    {
        bool first = true;
        ((m_out << (first ? "" : ",") << field(fields), first = false), ...);
        m_out << "\r\n";
    }
    std::string str() const { return m_out.str(); }

private:
    static std::string field(const std::string& text) { return csvField(text); }
    static std::string field(const char* text) { return csvField(text); }
    static std::string field(double value) { return num(value); }
    static std::string field(std::size_t value) { return num(value); }
    static std::string field(int value) { return std::to_string(value); }
    std::ostringstream m_out;
};

std::string histogramCsv(const ComparisonData& data, Population p, bool logScale)
{
    Csv csv({ "run", "population", "bin_from_ms", "bin_to_ms", "count", "percent" });
    const HistogramBins& bins = data.bins[logScale ? 1 : 0][index(p)];
    for (const RunChartData& run : data.runs) {
        const Histogram& h = run.histogram[logScale ? 1 : 0][index(p)];
        for (std::size_t i = 0; i < h.counts.size(); ++i)
            csv.row(run.label, toString(p), bins.edges[i], bins.edges[i + 1], h.counts[i], h.percent[i]);
    }
    return csv.str();
}

std::string ecdfCsv(const ComparisonData& data, Population p)
{
    Csv csv({ "run", "population", "latency_ms", "ecdf", "band_low", "band_high" });
    for (const RunChartData& run : data.runs) {
        const Ecdf& e = run.ecdf[index(p)];
        for (const XY& point : e.points)
            csv.row(run.label, toString(p), point.x, point.y, std::max(0.0, point.y - e.dkwEpsilon),
                std::min(1.0, point.y + e.dkwEpsilon));
    }
    return csv.str();
}

std::string boxCsv(const ComparisonData& data)
{
    Csv csv({ "run", "population", "n", "lower_whisker_ms", "q1_ms", "median_ms", "q3_ms", "upper_whisker_ms",
        "outliers" });
    for (const RunChartData& run : data.runs)
        for (const Population p : kPopulations) {
            const BoxStats& b = run.box[index(p)];
            if (b.n > 0)
                csv.row(run.label, toString(p), b.n, b.lowerWhisker, b.q1, b.median, b.q3, b.upperWhisker, b.outliers);
        }
    return csv.str();
}

std::string stagesCsv(const ComparisonData& data)
{
    Csv csv({ "run", "requests", "client_lag_ms", "dns_ms", "connect_ms", "tls_ms", "queue_ms", "cold_start_ms",
        "execution_ms", "transfer_ms", "download_ms", "other_ms", "mean_latency_ms" });
    for (const RunChartData& run : data.runs) {
        const StageStack& s = run.stages;
        csv.row(run.label, s.n, s.clientLag, s.dns, s.connect, s.tls, s.queue, s.coldStart, s.execution, s.transfer,
            s.download, s.other, s.meanLatency);
    }
    return csv.str();
}

std::string scalingCsv(const ComparisonData& data)
{
    Csv csv({ "run", "step", "level", "offered", "offered_unit", "requests", "ok", "achieved_images_per_s", "p50_ms",
        "p95_ms", "knee" });
    for (const RunChartData& run : data.runs) {
        const ScalingCurve& c = run.scaling;
        for (std::size_t i = 0; i < c.points.size(); ++i) {
            const ScalingPoint& p = c.points[i];
            csv.row(run.label, p.step, p.level, p.offered, toString(c.unit), p.requests, p.ok, p.achievedIps, p.p50,
                p.p95, c.knee && *c.knee == i ? "knee" : "");
        }
    }
    return csv.str();
}

std::string costCsv(const ComparisonData& data)
{
    Csv csv({ "run", "compute", "cold_start", "idle", "keep_warm", "egress", "failures", "total_usd_per_1000_images",
        "price" });
    for (const RunChartData& run : data.runs) {
        const CostStack& c = run.cost;
        if (c.available)
            csv.row(run.label, c.compute, c.coldStart, c.idle, c.keepWarm, c.egress, c.failed, c.total, c.price);
        else
            csv.row(run.label, "", "", "", "", "", "", "", c.why);
    }
    return csv.str();
}

std::string costVsP95Csv(const ComparisonData& data)
{
    Csv csv({ "run", "p95_ms", "usd_per_1000_images", "pareto_front" });
    for (std::size_t i = 0; i < data.runs.size(); ++i) {
        const RunChartData& run = data.runs[i];
        if (!run.cost.available || run.summary.latency.n == 0)
            continue;
        const bool onFront = std::find(data.paretoFront.begin(), data.paretoFront.end(), i) != data.paretoFront.end();
        csv.row(run.label, run.summary.latency.p95, run.cost.total, onFront ? "yes" : "no");
    }
    return csv.str();
}

std::string timelineCsv(const ComparisonData& data)
{
    Csv csv({ "run", "row", "stage", "start_s", "end_s" });
    for (const RunChartData& run : data.runs)
        for (const TimelineSegment& s : run.timeline.segments)
            csv.row(run.label, static_cast<std::size_t>(s.row), stageName(s.stage), s.startS, s.endS);
    return csv.str();
}

void seriesRows(Csv& csv, const std::string& run, const char* series, const std::vector<XY>& points)
{
    for (const XY& p : points)
        csv.row(run, series, p.x, p.y);
}

std::string timeCsv(const ComparisonData& data, ChartKind kind)
{
    Csv csv({ "run", "series", "time_s", "value" });
    for (const RunChartData& run : data.runs) {
        const TimeSeries& t = run.time;
        switch (kind) {
        case ChartKind::InFlight:
            seriesRows(csv, run.label, "requests in flight (bucket max)", t.inFlight);
            break;
        case ChartKind::Workers:
            seriesRows(csv, run.label, "workers running", t.workersRunning);
            seriesRows(csv, run.label, "workers idle", t.workersIdle);
            seriesRows(csv, run.label, "workers initializing", t.workersInitializing);
            seriesRows(csv, run.label, "queue depth", t.queueDepth);
            break;
        case ChartKind::Errors:
            seriesRows(csv, run.label, "failed requests in the interval starting at time_s", t.errors);
            break;
        default:
            seriesRows(csv, run.label, "images per second in the interval starting at time_s", t.throughputIps);
            break;
        }
    }
    return csv.str();
}

std::string summaryCsv(const ComparisonData& data)
{
    Csv csv({ "baseline", "run", "metric", "baseline_value", "value", "difference", "ci95_low", "ci95_high", "p_value",
        "effect_p_slower", "test", "verdict" });
    const std::string base = data.runs.empty() ? "" : data.runs.front().label;
    for (const RunComparisonRow& row : data.significance)
        for (const Difference& d : row.differences) {
            const std::string lo = d.deltaCi ? num(d.deltaCi->lo) : "";
            const std::string hi = d.deltaCi ? num(d.deltaCi->hi) : "";
            const std::string p = d.pValue ? num(*d.pValue) : "";
            const std::string effect = d.effect ? num(*d.effect) : "";
            const char* verdict = !d.testable ? "not tested"
                : d.significant               ? "significant at 5%"
                                              : "not significant at 5%";
            csv.row(base, data.runs[row.run].label, d.metric, d.baseline, d.value, d.delta, lo, hi, p, effect, d.test,
                verdict);
        }
    return csv.str();
}

std::string gpuCsv(const ComparisonData& data, ChartKind kind)
{
    const bool memory = kind == ChartKind::GpuMemory;
    Csv csv({ "run", "gpu", "time_s", memory ? "memory_used_mib" : "utilization_pct" });
    for (const RunChartData& run : data.runs)
        for (const GpuCurve& gpu : run.gpus)
            for (const XY& p : memory ? gpu.memoryUsedMiB : gpu.utilizationPct)
                csv.row(run.label, gpu.gpu, p.x, p.y);
    return csv.str();
}

} // namespace

std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

const char* chartSlug(ChartKind kind)
{
    switch (kind) {
    case ChartKind::Histogram:
        return "latency-histogram";
    case ChartKind::Ecdf:
        return "latency-ecdf";
    case ChartKind::BoxPlot:
        return "latency-boxplot";
    case ChartKind::Stages:
        return "latency-stages";
    case ChartKind::ScalingThroughput:
        return "scaling-throughput";
    case ChartKind::ScalingP95:
        return "scaling-p95";
    case ChartKind::CostStack:
        return "cost-per-1000-images";
    case ChartKind::CostVsP95:
        return "cost-vs-p95";
    case ChartKind::Timeline:
        return "timeline";
    case ChartKind::InFlight:
        return "in-flight";
    case ChartKind::Workers:
        return "workers";
    case ChartKind::Errors:
        return "errors";
    case ChartKind::Throughput:
        return "throughput";
    case ChartKind::Summary:
        return "summary";
    case ChartKind::GpuUtilization:
        return "gpu-utilization";
    case ChartKind::GpuMemory:
        return "gpu-memory";
    }
    return "chart";
}

std::string chartCsv(const ComparisonData& data, ChartKind kind, Population population, bool logScale)
{
    switch (kind) {
    case ChartKind::Histogram:
        return histogramCsv(data, population, logScale);
    case ChartKind::Ecdf:
        return ecdfCsv(data, population);
    case ChartKind::BoxPlot:
        return boxCsv(data);
    case ChartKind::Stages:
        return stagesCsv(data);
    case ChartKind::ScalingThroughput:
    case ChartKind::ScalingP95:
        return scalingCsv(data);
    case ChartKind::CostStack:
        return costCsv(data);
    case ChartKind::CostVsP95:
        return costVsP95Csv(data);
    case ChartKind::Timeline:
        return timelineCsv(data);
    case ChartKind::InFlight:
    case ChartKind::Workers:
    case ChartKind::Errors:
    case ChartKind::Throughput:
        return timeCsv(data, kind);
    case ChartKind::Summary:
        return summaryCsv(data);
    case ChartKind::GpuUtilization:
    case ChartKind::GpuMemory:
        return gpuCsv(data, kind);
    }
    return {};
}

} // namespace t2i::charts
