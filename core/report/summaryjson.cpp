// SPDX-License-Identifier: Apache-2.0
#include "runreport.h"

#include "cost/runcostfor.h"

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

// Two runs differ significantly at a percentile when their 95% intervals do not overlap: a
// conservative test (docs/statistics.md), so a "yes" can be trusted.
json difference(const std::string& metric, double base, double other, Interval baseCi, Interval otherCi, bool haveCi)
{
    json d { { "metric", metric }, { "baseline", round3(base) }, { "value", round3(other) },
        { "delta", round3(other - base) }, { "ratio", base != 0 ? json(round3(other / base)) : json(nullptr) } };
    if (haveCi)
        d["significant"] = otherCi.lo > baseCi.hi || otherCi.hi < baseCi.lo;
    return d;
}

} // namespace

RunReport makeReport(const RunInfo& run, std::span<const RequestRecord> records)
{
    return makeReport(run, records, {});
}

RunReport makeReport(const RunInfo& run, std::span<const RequestRecord> records, std::span<const WorkerSample> samples)
{
    RunReport report { run, summarize(records), std::nullopt, {} };
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
        { "warnings", measurementNotes(run, s) },
        { "levels", levels },
    };
    // The client's own CPU and memory over the workload (null for runs recorded before they were kept).
    const json environment = json::parse(run.environmentJson, nullptr, false);
    show["client"] = environment.is_object() ? environment.value("client", json()) : json();
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
        const RunSummary& base = reports.front().summary;
        for (std::size_t i = 1; i < reports.size(); ++i) {
            const RunSummary& other = reports[i].summary;
            const bool haveCi = base.latency.n > 0 && other.latency.n > 0;
            json entry { { "baseline", reports.front().run.id }, { "run", reports[i].run.id } };
            entry["metrics"] = json::array({
                difference("latency_p50_ms", base.latency.p50, other.latency.p50, base.p50Ci, other.p50Ci, haveCi),
                difference("latency_p95_ms", base.latency.p95, other.latency.p95, base.p95Ci, other.p95Ci, haveCi),
                difference("throughput_ips", base.throughputIps, other.throughputIps, {}, {}, false),
                difference("error_rate", base.errorRate, other.errorRate, {}, {}, false),
                difference("cold_starts", double(base.coldStarts), double(other.coldStarts), {}, {}, false),
            });
            if (reports.front().cost && reports[i].cost)
                entry["metrics"].push_back({ { "metric", "cost_per_1000_usd" },
                    { "baseline", reports.front().cost->per1000 }, { "value", reports[i].cost->per1000 },
                    { "delta", reports[i].cost->per1000 - reports.front().cost->per1000 },
                    { "ratio",
                        reports.front().cost->per1000 != 0
                            ? json(reports[i].cost->per1000 / reports.front().cost->per1000)
                            : json(nullptr) } });
            differences.push_back(entry);
        }
    }
    return { { "runs", runs }, { "differences", differences } };
}

} // namespace t2i
