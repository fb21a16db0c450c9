// SPDX-License-Identifier: Apache-2.0
#include "runreport.h"

#include "charts/significance.h"
#include "cost/runcostfor.h"
#include "report/thresholds.h"

#include <cmath>

namespace t2i {
namespace {

using nlohmann::json;

// Rounded for reading; the raw records keep full precision.
double round3(double value)
{
    return std::round(value * 1000.0) / 1000.0;
}

json orNull(const Distribution& d, double Distribution::*field)
{
    return d.n == 0 ? json(nullptr) : json(round3(d.*field));
}

json percentiles(const Distribution& d)
{
    return { { "p50", orNull(d, &Distribution::p50) }, { "p90", orNull(d, &Distribution::p90) },
        { "p95", orNull(d, &Distribution::p95) }, { "p99", orNull(d, &Distribution::p99) },
        { "max", orNull(d, &Distribution::max) }, { "mean", orNull(d, &Distribution::mean) },
        { "min", orNull(d, &Distribution::min) }, { "stddev", orNull(d, &Distribution::stddev) }, { "n", d.n } };
}

json twoPercentiles(const Distribution& d)
{
    return { { "p50", orNull(d, &Distribution::p50) }, { "p95", orNull(d, &Distribution::p95) }, { "n", d.n } };
}

json lagPercentiles(const Distribution& d)
{
    return { { "p50", orNull(d, &Distribution::p50) }, { "p95", orNull(d, &Distribution::p95) },
        { "p99", orNull(d, &Distribution::p99) }, { "max", orNull(d, &Distribution::max) }, { "n", d.n } };
}

json interval(const Interval& i, std::size_t n)
{
    return n == 0 ? json(nullptr) : json::array({ round3(i.lo), round3(i.hi) });
}

// Latencies to the microsecond, rates to six places (an error rate of 1/70); costs as computed.
double rounded(const charts::Difference& d, double value)
{
    if (d.key.starts_with("cost"))
        return value;
    const double scale = d.key.ends_with("_ms") ? 1e3 : 1e6;
    return std::round(value * scale) / scale;
}

// One row of the comparison (charts::compareSamples): significant when the 95% interval of the
// difference excludes 0 (docs/statistics.md, "Comparing runs"); null when not tested.
json difference(const charts::Difference& d)
{
    json out { { "metric", d.key }, { "baseline", rounded(d, d.baseline) }, { "value", rounded(d, d.value) },
        { "delta", rounded(d, d.delta) },
        { "ratio", d.baseline != 0 ? json(round3(d.value / d.baseline)) : json(nullptr) },
        { "delta_ci95",
            d.deltaCi ? json::array({ rounded(d, d.deltaCi->lo), rounded(d, d.deltaCi->hi) }) : json(nullptr) },
        { "test", d.test }, { "significant", d.testable ? json(d.significant) : json(nullptr) } };
    if (d.pValue)
        out["p_value"] = *d.pValue;
    if (d.effect)
        out["p_slower"] = *d.effect;
    return out;
}

charts::RunSample sampleOf(const RunReport& report)
{
    charts::RunSample sample;
    sample.summary = &report.summary;
    sample.latency[charts::index(charts::Population::All)] = report.latencies.all;
    sample.latency[charts::index(charts::Population::Warm)] = report.latencies.warm;
    sample.latency[charts::index(charts::Population::Cold)] = report.latencies.cold;
    return sample;
}

} // namespace

RunReport makeReport(const RunInfo& run, std::span<const RequestRecord> records)
{
    return makeReport(run, records, {});
}

RunReport makeReport(const RunInfo& run, std::span<const RequestRecord> records, std::span<const WorkerSample> samples)
{
    RunReport report;
    report.run = run;
    report.summary = summarize(records, &report.latencies);
    report.cost = costOfRun(run, records, samples, &report.costError);
    return report;
}

json showJson(const RunReport& report)
{
    const RunInfo& run = report.run;
    const RunSummary& s = report.summary;
    json levels = json::array();
    for (const LevelPoint& p : s.levels)
        levels.push_back({ { "step", p.step }, { "level", p.level }, { "kind", p.stepKind }, { "offered", p.offered },
            { "requests", p.requests }, { "ok", p.ok }, { "achieved_ips", round3(p.achievedIps) },
            { "p50_ms", p.ok ? json(round3(p.p50)) : json(nullptr) },
            { "p95_ms", p.ok ? json(round3(p.p95)) : json(nullptr) } });
    json show = {
        { "id", run.id },
        { "name", run.name },
        { "status", std::string(toString(run.status)) },
        { "provider", run.providerId },
        { "provider_type", run.providerType },
        { "variant", run.variantId },
        { "created", run.created },
        { "duration_s", round3(run.durationMs / 1000.0) },
        { "message", run.message },
        { "requests", s.requests },
        { "ok", s.ok },
        { "errors", s.errors },
        { "error_rate", round3(s.errorRate) },
        { "errors_by_class", s.errorsByClass },
        { "warmup_requests", s.warmupRequests },
        { "images", s.images },
        { "throughput_ips", round3(s.throughputIps) },
        { "latency_ms", percentiles(s.latency) },
        { "latency_ci95_ms", { { "p50", interval(s.p50Ci, s.latency.n) }, { "p95", interval(s.p95Ci, s.latency.n) } } },
        { "cold_starts", s.coldStarts },
        { "cold_rate", round3(s.coldRate) },
        { "cold_latency_ms", twoPercentiles(s.coldLatency) },
        { "warm_latency_ms", twoPercentiles(s.warmLatency) },
        { "unknown_coldness", s.unknownColdness },
        { "stages_ms",
            { { "queue", twoPercentiles(s.queueMs) }, { "exec", twoPercentiles(s.execMs) },
                { "download", twoPercentiles(s.downloadMs) } } },
        { "client_lag_ms", twoPercentiles(s.sendLagMs) },
        { "platform_latency_ms", lagPercentiles(s.platformMs) },
        { "detection_lag_ms", lagPercentiles(s.detectionLagMs) },
        { "polls", s.polls },
        { "throttled_polls", s.throttledPolls },
        // docs/measurement.md, "Network phases"; all 0 (and no median) before schema v6.
        { "network",
            { { "calls", s.network.calls }, { "new_connections", s.network.newConnections },
                { "reuse_rate", round3(s.network.reuseRate) }, { "tls_handshakes", s.network.tlsHandshakes },
                { "tls_ms_mean", s.network.tlsRequests > 0 ? json(s.network.tlsMsMean) : json() },
                { "first_byte_beyond_platform_ms", lagPercentiles(s.network.firstByteBeyondMs) } } },
        { "warnings", measurementNotes(run, s) },
        { "levels", levels },
    };
    // The client's own CPU and memory over the workload (null for runs recorded before they were kept).
    const json environment = json::parse(run.environmentJson, nullptr, false);
    show["client"] = environment.is_object() ? environment.value("client", json()) : json();
    // The limits the run was held to, as stored with it: its budget (cap and the worst case each
    // job committed) and its thresholds' verdict. Null when the configuration set none.
    show["budget"] = environment.is_object() ? environment.value("budget", json()) : json();
    const std::vector<ThresholdVerdict> verdicts = storedThresholds(run);
    show["thresholds"] = verdicts.empty() ? json() : thresholdsJson(verdicts);
    addCostJson(show, report);
    return show;
}

json compareJson(std::span<const RunReport> reports)
{
    json runs = json::array();
    json differences = json::array();
    for (const RunReport& report : reports)
        runs.push_back(showJson(report));
    if (!reports.empty()) {
        const RunReport& base = reports.front();
        for (std::size_t i = 1; i < reports.size(); ++i) {
            const RunReport& other = reports[i];
            json entry { { "baseline", base.run.id }, { "run", other.run.id } };
            json metrics = json::array();
            for (const charts::Difference& d : charts::compareSamples(sampleOf(base), sampleOf(other)))
                metrics.push_back(difference(d));
            metrics.push_back(difference(
                charts::untestedDifference("cold starts", "cold_starts", "a count: see cold_rate for the test",
                    double(base.summary.coldStarts), double(other.summary.coldStarts))));
            if (base.cost && other.cost)
                metrics.push_back(
                    difference(charts::untestedDifference("cost (USD per 1,000 images)", "cost_per_1000_usd",
                        "model estimate, no sampling error", base.cost->per1000, other.cost->per1000)));
            entry["metrics"] = std::move(metrics);
            differences.push_back(entry);
        }
    }
    return { { "runs", runs }, { "differences", differences } };
}

} // namespace t2i
