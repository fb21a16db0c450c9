// SPDX-License-Identifier: Apache-2.0
#include "study/coldstartstudy.h"

#include "charts/significance.h"
#include "stats/summary.h"

#include <algorithm>

namespace t2i {

namespace {

constexpr int kWarmStep = 0; // the workload below: step 0 warm closed loop, step 1 cold probes
constexpr int kColdStep = 1;

WorkloadConfig coldStartWorkload(const nlohmann::json& params, const WorkloadConfig& base)
{
    WorkloadConfig w;
    w.timeoutS = base.timeoutS;
    w.pollIntervalMs = base.pollIntervalMs;
    w.healthIntervalS = base.healthIntervalS;
    w.warmupRequests = 1; // wakes a worker, so the closed loop below starts warm
    WorkloadStep warm;
    warm.kind = StepKind::Closed;
    warm.concurrency = { 1 };
    warm.requests = params["warm_requests"].get<int>();
    WorkloadStep cold;
    cold.kind = StepKind::ColdProbe;
    cold.idleS = params["idle_s"].get<double>();
    cold.repeat = params["cold_samples"].get<int>();
    w.steps = { warm, cold };
    return w;
}

std::string seconds(double ms)
{
    return formatFinding(ms / 1000.0, "s");
}

std::vector<std::string> distributionRow(const std::string& label, const std::vector<double>& sortedMs)
{
    if (sortedMs.empty())
        return { label, "0", "-", "-", "-" };
    const Distribution d = describeSorted(sortedMs);
    return { label, std::to_string(d.n), seconds(d.p50), seconds(d.p95), seconds(d.mean) };
}

} // namespace

std::vector<std::pair<double, double>> cdfPoints(const std::vector<double>& sorted)
{
    std::vector<std::pair<double, double>> points;
    points.reserve(sorted.size());
    for (std::size_t i = 0; i < sorted.size(); ++i)
        points.emplace_back(sorted[i], double(i + 1) / double(sorted.size()));
    return boundedPoints(std::move(points));
}

StudyResult analyzeColdStart(const std::vector<RequestRecord>& records)
{
    StudyResult r;
    r.kind = "cold_start";
    std::vector<double> warm, cold, coldQueue, warmQueue;
    int unverified = 0, failed = 0;
    for (const RequestRecord& rec : records) {
        if (rec.step != kWarmStep && rec.step != kColdStep)
            continue;
        if (!rec.ok) {
            ++failed;
            continue;
        }
        if (rec.step == kWarmStep && rec.cold != ColdLabel::Cold) {
            warm.push_back(rec.latencyMs());
            if (rec.queueMs)
                warmQueue.push_back(*rec.queueMs);
        } else if (rec.step == kColdStep) {
            if (rec.cold != ColdLabel::Cold) {
                ++unverified; // the platform's signals did not show a cold start: not counted as one
                continue;
            }
            cold.push_back(rec.latencyMs());
            if (rec.queueMs)
                coldQueue.push_back(*rec.queueMs);
        }
    }
    for (auto* v : { &warm, &cold, &warmQueue, &coldQueue })
        std::sort(v->begin(), v->end());

    StudyTable table { "Cold and warm latency", { "requests", "n", "p50", "p95", "mean" }, {} };
    table.rows.push_back(distributionRow("warm", warm));
    table.rows.push_back(distributionRow("cold", cold));
    if (!warm.empty() && !cold.empty()) {
        const double overhead = quantileNearestRank(cold, 0.5) - quantileNearestRank(warm, 0.5);
        const Interval ci = charts::quantileDifferenceCi(warm, cold, 0.5);
        r.findings.push_back(makeFinding("cold_overhead_s", "Cold-start overhead (p50 cold - p50 warm)",
            overhead / 1000.0, "s", ci.lo / 1000.0, ci.hi / 1000.0));
        r.findings.push_back(
            makeFinding("cold_p50_s", "Cold latency p50", quantileNearestRank(cold, 0.5) / 1000.0, "s"));
        r.findings.push_back(
            makeFinding("warm_p50_s", "Warm latency p50", quantileNearestRank(warm, 0.5) / 1000.0, "s"));
        r.findings.push_back(
            makeFinding("cold_p95_s", "Cold latency p95", quantileNearestRank(cold, 0.95) / 1000.0, "s"));
        r.findings.push_back(
            makeFinding("warm_p95_s", "Warm latency p95", quantileNearestRank(warm, 0.95) / 1000.0, "s"));
        table.rows.push_back({ "overhead (cold - warm, p50)", "", r.findings.front().text, "", "" });
        r.answer = "A cold start adds " + r.findings.front().text
            + " at the median: " + seconds(quantileNearestRank(cold, 0.5)) + " cold against "
            + seconds(quantileNearestRank(warm, 0.5)) + " warm (95% confidence interval in brackets).";
    } else {
        r.findings.push_back(
            makeFinding("cold_overhead_s", "Cold-start overhead (p50 cold - p50 warm)", std::nullopt, "s"));
        r.answer = cold.empty() ? "No verified cold start was observed: the platform kept a worker warm through every "
                                  "probe (raise idle_s above its idle timeout)."
                                : "No warm request succeeded, so the overhead cannot be computed.";
    }
    if (!coldQueue.empty() && !warmQueue.empty())
        r.findings.push_back(makeFinding("cold_queue_s", "Platform-reported wait of a cold request (p50)",
            quantileNearestRank(coldQueue, 0.5) / 1000.0, "s"));
    r.tables.push_back(std::move(table));
    StudyChart chart { "Latency distribution, cold and warm", "latency (s)", "share of requests", "step", {} };
    auto inSeconds = [](std::vector<double> v) {
        for (double& x : v)
            x /= 1000.0;
        return v;
    };
    chart.series.push_back({ "warm", cdfPoints(inSeconds(warm)) });
    chart.series.push_back({ "cold", cdfPoints(inSeconds(cold)) });
    r.charts.push_back(std::move(chart));
    if (unverified > 0)
        r.notes.push_back(std::to_string(unverified)
            + " cold probe(s) found a warm worker (no scale to zero, no new worker that the request waited for) and "
              "are left out: raise idle_s above the platform's idle timeout.");
    if (failed > 0)
        r.notes.push_back(std::to_string(failed) + " request(s) failed and are left out of the distributions.");
    r.notes.push_back("Latency is end to end from the intended send time; the overhead's interval is the exact "
                      "percentile-bootstrap interval of the difference of medians (docs/statistics.md).");
    return r;
}

StudyType coldStartStudyType()
{
    using K = StudyParam::Kind;
    StudyType t;
    t.kind = "cold_start";
    t.title = "Cold start";
    t.summary = "how much slower is a request that wakes a worker than one that finds it warm";
    t.params = {
        { "cold_samples", K::Integer, 5, "cold probes, each after a verified scale to zero", 1, 1000 },
        { "warm_requests", K::Integer, 20, "requests sent one at a time to a warm worker", 2, 100000 },
        { "idle_s", K::Number, 5,
            "silence before each cold probe, then a wait for the health endpoint to show no "
            "workers (at most 60 s)",
            0, std::nullopt },
    };
    t.run = [](StudyContext& ctx) {
        const StudyProbe probe = ctx.run(coldStartWorkload(ctx.params(), ctx.config().workload), "cold and warm");
        if (probe.records.empty())
            throw std::runtime_error("the run made no request: " + probe.message);
        StudyResult r = analyzeColdStart(probe.records);
        if (!probe.ok())
            r.notes.push_back("The run ended " + std::string(toString(probe.status)) + ": " + probe.message);
        return r;
    };
    return t;
}

} // namespace t2i
