// SPDX-License-Identifier: Apache-2.0
#include "runcharts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace t2i::charts {

StageStack stageStack(const RunColumns& c)
{
    // Means over the successful measured requests; a stage a request did not report counts 0
    // there and its time stays in `other`, so the parts always add up to the mean latency.
    StageStack s;
    double lag = 0, dns = 0, connect = 0, tls = 0, queue = 0, coldStart = 0, exec = 0, transfer = 0, download = 0,
           latency = 0;
    const auto orZero = [](double v) { return RunColumns::known(v) ? v : 0.0; };
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (!c.measured(i) || !c.isOk(i))
            continue;
        ++s.n;
        lag += c.sentMs[i] - c.intendedMs[i];
        latency += c.latencyMs(i);
        dns += orZero(c.netDnsMs[i]);
        connect += orZero(c.netConnectMs[i]);
        tls += orZero(c.netTlsMs[i]);
        transfer += orZero(c.netTransferMs[i]);
        if (RunColumns::known(c.queueMs[i]))
            (c.coldLabel(i) == ColdLabel::Cold ? coldStart : queue) += c.queueMs[i];
        if (RunColumns::known(c.execMs[i]))
            exec += c.execMs[i];
        // A download's connection set-up is drawn with the other set-ups, not twice.
        if (RunColumns::known(c.downloadMs[i]))
            download += std::max(0.0, c.downloadMs[i] - orZero(c.downloadSetupMs[i]));
    }
    if (s.n == 0)
        return s;
    const double n = static_cast<double>(s.n);
    s.clientLag = lag / n;
    s.dns = dns / n;
    s.connect = connect / n;
    s.tls = tls / n;
    s.queue = queue / n;
    s.coldStart = coldStart / n;
    s.execution = exec / n;
    s.transfer = transfer / n;
    s.download = download / n;
    s.meanLatency = latency / n;
    // Platform clocks and ours differ by a round trip; never draw a negative remainder.
    s.other = std::max(0.0,
        s.meanLatency
            - (s.clientLag + s.dns + s.connect + s.tls + s.queue + s.coldStart + s.execution + s.transfer
                + s.download));
    return s;
}

LoadUnit loadUnitOf(const std::string& stepKind)
{
    return stepKind == "closed" || stepKind == "burst" ? LoadUnit::Concurrency : LoadUnit::RequestsPerSecond;
}

bool onScalingCurve(const LevelPoint& level)
{
    return level.step >= 0 && level.stepKind != "cold_probe" && level.stepKind != "warmup";
}

LoadUnit dominantLoadUnit(std::span<const RunSummary* const> runs)
{
    std::size_t concurrency = 0, rate = 0;
    for (const RunSummary* s : runs)
        for (const LevelPoint& level : s->levels)
            if (onScalingCurve(level))
                ++(loadUnitOf(level.stepKind) == LoadUnit::Concurrency ? concurrency : rate);
    return rate > concurrency ? LoadUnit::RequestsPerSecond : LoadUnit::Concurrency;
}

ScalingCurve scalingCurve(const RunSummary& summary, LoadUnit unit)
{
    ScalingCurve curve;
    curve.unit = unit;
    for (const LevelPoint& level : summary.levels) {
        if (!onScalingCurve(level) || loadUnitOf(level.stepKind) != unit) {
            ++curve.leftOut;
            continue;
        }
        curve.points.push_back({ level.offered, level.achievedIps, level.p50, level.p95, level.requests, level.ok,
            level.step, level.level });
    }
    std::stable_sort(curve.points.begin(), curve.points.end(),
        [](const ScalingPoint& a, const ScalingPoint& b) { return a.offered < b.offered; });
    markKnee(curve);
    return curve;
}

void markKnee(ScalingCurve& curve)
{
    curve.knee.reset();
    curve.kneeReason.clear();
    const auto& p = curve.points;
    if (p.size() < 2)
        return;
    char reason[220];
    auto propose = [&](std::size_t level) {
        if (!curve.knee || level < *curve.knee) {
            curve.knee = level;
            curve.kneeReason = reason;
        }
    };
    // Throughput: the lowest level from which no higher level ever grows throughput by the
    // minimum gain per doubling of offered load. A dip that the platform's autoscaler later
    // recovers from is not a knee; a plateau that lasts to the end of the sweep is.
    auto gainPerDoubling = [&](std::size_t from, std::size_t to) {
        const double doublings = std::log2(p[to].offered / p[from].offered);
        return std::pow(std::max(p[to].achievedIps, 0.0) / p[from].achievedIps, 1.0 / doublings) - 1.0;
    };
    for (std::size_t i = 0; i + 1 < p.size() && !curve.knee; ++i) {
        if (!(p[i].achievedIps > 0) || !(p[i].offered > 0))
            continue;
        bool grewLater = false, comparable = false;
        double best = -1;
        for (std::size_t j = i + 1; j < p.size(); ++j) {
            if (!(p[j].offered > p[i].offered))
                continue;
            comparable = true;
            const double gain = gainPerDoubling(i, j);
            best = std::max(best, gain);
            grewLater = grewLater || gain >= kKneeMinGainPerDoubling;
        }
        if (comparable && !grewLater) {
            std::snprintf(reason, sizeof reason,
                "above %g, throughput never grew more than %.0f%% per doubling of offered load (the rule: under "
                "%.0f%%)",
                p[i].offered, std::max(best, 0.0) * 100.0, kKneeMinGainPerDoubling * 100.0);
            propose(i);
        }
    }
    // Latency: the level before the first whose p95 exceeds the ratio times the lightest load's.
    const double baseP95 = p.front().ok > 0 ? p.front().p95 : 0.0;
    for (std::size_t i = 1; i < p.size(); ++i) {
        if (baseP95 > 0 && p[i].ok > 0 && p[i].p95 > kKneeMaxP95Ratio * baseP95) {
            std::snprintf(reason, sizeof reason,
                "p95 at %g reached %.1fx the p95 at the lightest load (the rule: over %.0fx)", p[i].offered,
                p[i].p95 / baseP95, kKneeMaxP95Ratio);
            propose(i - 1);
            break;
        }
        if (p[i].ok == 0 && p[i - 1].ok > 0) {
            std::snprintf(reason, sizeof reason, "no request succeeded at %g", p[i].offered);
            propose(i - 1);
            break;
        }
    }
}

CostStack costStack(const CostBreakdown& cost)
{
    CostStack s;
    if (cost.images <= 0) {
        s.why = "no images, so no cost per image";
        return s;
    }
    s.available = true;
    const double per1000 = 1000.0 / static_cast<double>(cost.images);
    s.compute = cost.compute * per1000;
    s.coldStart = cost.coldStart * per1000;
    s.idle = cost.idle * per1000;
    s.keepWarm = cost.keepWarm * per1000;
    s.egress = cost.egress * per1000;
    s.failed = cost.failed * per1000;
    s.total = cost.per1000;
    s.price = priceText(cost);
    return s;
}

std::vector<std::size_t> paretoFront(std::span<const RunChartData> runs)
{
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < runs.size(); ++i)
        if (runs[i].cost.available && runs[i].summary.latency.n > 0)
            candidates.push_back(i);
    auto p95 = [&](std::size_t i) { return runs[i].summary.latency.p95; };
    auto cost = [&](std::size_t i) { return runs[i].cost.total; };
    std::vector<std::size_t> front;
    for (const std::size_t i : candidates) {
        const bool dominated = std::any_of(candidates.begin(), candidates.end(), [&](std::size_t j) {
            return j != i && p95(j) <= p95(i) && cost(j) <= cost(i) && (p95(j) < p95(i) || cost(j) < cost(i));
        });
        if (!dominated)
            front.push_back(i);
    }
    std::stable_sort(front.begin(), front.end(), [&](std::size_t a, std::size_t b) { return p95(a) < p95(b); });
    return front;
}

} // namespace t2i::charts
