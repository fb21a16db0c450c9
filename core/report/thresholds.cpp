// SPDX-License-Identifier: Apache-2.0
#include "report/thresholds.h"

#include <cstdio>

namespace t2i {
namespace {

using nlohmann::json;

// A metric's value in its unit, as the verdict prints it.
std::string inUnit(const std::string& metric, double value)
{
    char buffer[64];
    if (metric.ends_with("_ms"))
        std::snprintf(buffer, sizeof buffer, "%.6g ms", value);
    else if (metric == "error_rate")
        std::snprintf(buffer, sizeof buffer, "%.2f %%", 100.0 * value);
    else
        std::snprintf(buffer, sizeof buffer, "$%.6g", value);
    return buffer;
}

ThresholdVerdict judged(std::string metric, double limit, std::optional<double> value, std::string why)
{
    ThresholdVerdict v { std::move(metric), limit, value, value && *value <= limit, {} };
    if (!value)
        v.why = std::move(why);
    return v;
}

} // namespace

std::vector<ThresholdVerdict> judgeThresholds(const Thresholds& thresholds, const RunReport& report)
{
    const RunSummary& s = report.summary;
    const auto latency = [&s](double Distribution::*field) {
        return s.latency.n > 0 ? std::optional<double>(s.latency.*field) : std::nullopt;
    };
    std::vector<ThresholdVerdict> out;
    if (thresholds.p95Ms)
        out.push_back(judged("p95_ms", *thresholds.p95Ms, latency(&Distribution::p95), "no successful request"));
    if (thresholds.p99Ms)
        out.push_back(judged("p99_ms", *thresholds.p99Ms, latency(&Distribution::p99), "no successful request"));
    if (thresholds.errorRate)
        out.push_back(judged("error_rate", *thresholds.errorRate,
            s.requests > 0 ? std::optional<double>(s.errorRate) : std::nullopt, "no measured request"));
    if (thresholds.costPer1000Usd) {
        std::optional<double> per1000;
        std::string why = report.cost ? "no image" : "no price: " + report.costError;
        if (report.cost && report.cost->images > 0)
            per1000 = report.cost->per1000;
        out.push_back(judged("cost_per_1000_usd", *thresholds.costPer1000Usd, per1000, why));
    }
    return out;
}

bool allPassed(std::span<const ThresholdVerdict> verdicts)
{
    for (const ThresholdVerdict& v : verdicts)
        if (!v.passed)
            return false;
    return true;
}

json thresholdsJson(std::span<const ThresholdVerdict> verdicts)
{
    json checks = json::array();
    for (const ThresholdVerdict& v : verdicts) {
        json check = { { "metric", v.metric }, { "limit", v.limit },
            { "value", v.value ? json(*v.value) : json(nullptr) }, { "passed", v.passed } };
        if (!v.why.empty())
            check["why"] = v.why;
        checks.push_back(std::move(check));
    }
    return { { "passed", allPassed(verdicts) }, { "checks", checks } };
}

std::vector<ThresholdVerdict> storedThresholds(const RunInfo& run)
{
    std::vector<ThresholdVerdict> out;
    const json environment = json::parse(run.environmentJson, nullptr, false);
    if (!environment.is_object() || !environment.contains("thresholds") || !environment["thresholds"].is_object())
        return out;
    const json checks = environment["thresholds"].value("checks", json::array());
    if (!checks.is_array())
        return out;
    for (const json& c : checks) {
        if (!c.is_object() || !c.contains("limit") || !c["limit"].is_number())
            continue;
        ThresholdVerdict v;
        v.metric = c.value("metric", std::string());
        v.limit = c["limit"].get<double>();
        if (c.contains("value") && c["value"].is_number())
            v.value = c["value"].get<double>();
        v.passed = c.value("passed", false);
        v.why = c.value("why", std::string());
        out.push_back(std::move(v));
    }
    return out;
}

std::string thresholdText(const ThresholdVerdict& v)
{
    const std::string limit = inUnit(v.metric, v.limit);
    if (!v.value)
        return v.metric + ": not measured (" + v.why + "), limit " + limit + ": failed";
    const std::string value = inUnit(v.metric, *v.value);
    if (v.passed)
        return v.metric + ": " + value + ", within the " + limit + " limit: passed";
    const double over = *v.value - v.limit;
    char percent[32] = "";
    if (v.limit > 0)
        std::snprintf(percent, sizeof percent, " (+%.1f %%)", 100.0 * over / v.limit);
    return v.metric + ": " + value + ", over the " + limit + " limit by " + inUnit(v.metric, over) + percent
        + ": failed";
}

} // namespace t2i
