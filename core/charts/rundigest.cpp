// SPDX-License-Identifier: Apache-2.0
// The columnar twin of summarize() (core/stats/summary.cpp): every definition is the one in
// docs/statistics.md, and tst_chartdata holds the two equal on the same records. It exists
// because summarize() takes RequestRecords, and 1,000,000 of those do not fit a chart's budget.
#include "rundigest.h"
#include "stats/sortdoubles.h"

#include <algorithm>
#include <map>
#include <utility>

namespace t2i::charts {
namespace {

constexpr std::string_view kColdProbe = "cold_probe";

struct Group {
    std::size_t kind = 0;
    double offeredMean = 0;
    std::size_t requests = 0, ok = 0, images = 0;
    double firstIntendedMs = 0, lastDoneMs = 0;
    std::vector<double> okLatencies;
    double windowMs() const { return std::max(0.0, lastDoneMs - firstIntendedMs); }
};

double perSecond(std::size_t count, double windowMs)
{
    return windowMs > 0.0 ? static_cast<double>(count) * 1000.0 / windowMs : 0.0;
}

std::string errorKey(ErrorClass error)
{
    const std::string_view name = toString(error);
    return name.empty() ? std::string("unclassified") : std::string(name);
}

Distribution sortAndDescribe(std::vector<double>& values)
{
    sortDoubles(values);
    return describeSorted(values);
}

void addLevels(RunSummary& s, const RunColumns& c, std::map<std::pair<int, int>, Group>& groups)
{
    const bool onlyProbes = std::all_of(
        groups.begin(), groups.end(), [&](const auto& entry) { return c.stepKinds[entry.second.kind] == kColdProbe; });
    std::size_t throughputImages = 0;
    for (auto& [key, g] : groups) {
        sortDoubles(g.okLatencies);
        LevelPoint point;
        point.step = key.first;
        point.level = key.second;
        point.stepKind = c.stepKinds[g.kind];
        point.offered = g.offeredMean;
        point.requests = g.requests;
        point.ok = g.ok;
        point.images = g.images;
        point.windowMs = g.windowMs();
        point.achievedIps = perSecond(g.images, point.windowMs);
        point.p50 = quantileNearestRank(g.okLatencies, 0.50);
        point.p95 = quantileNearestRank(g.okLatencies, 0.95);
        if (onlyProbes || point.stepKind != kColdProbe) {
            throughputImages += g.images;
            s.throughputWindowMs += point.windowMs;
        }
        s.levels.push_back(std::move(point));
    }
    s.throughputIps = perSecond(throughputImages, s.throughputWindowMs);
}

} // namespace

RunDigest digestRun(const RunColumns& c)
{
    RunDigest out;
    RunSummary& s = out.summary;
    std::vector<double>& all = out.latency[index(Population::All)];
    std::vector<double>& warm = out.latency[index(Population::Warm)];
    std::vector<double>& cold = out.latency[index(Population::Cold)];
    std::vector<double> sendLag, queue, exec, download, unknown, platform, lag;
    std::map<std::pair<int, int>, Group> groups;
    NetworkTally network;
    Group* last = nullptr;
    std::pair<int, int> lastKey { -1, -1 };
    sendLag.reserve(c.size());
    warm.reserve(c.size());
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (!c.measured(i)) {
            ++s.warmupRequests;
            continue;
        }
        sendLag.push_back(c.sentMs[i] - c.intendedMs[i]);
        s.polls += static_cast<std::size_t>(std::max(0, c.polls[i]));
        s.throttledPolls += static_cast<std::size_t>(std::max(0, c.throttledPolls[i]));
        network.addMeasured(c.calls[i], c.newConnections[i], c.tlsHandshakes[i]);
        // Rows come in seq order, the order summarize() visits each group in, so the running
        // mean of `offered` is the same to the last bit.
        const std::pair<int, int> key { c.step[i], c.level[i] };
        if (!last || key != lastKey) {
            auto [it, inserted] = groups.try_emplace(key);
            last = &it->second;
            lastKey = key;
            if (inserted) {
                last->kind = c.stepKind[i];
                last->firstIntendedMs = c.intendedMs[i];
                last->lastDoneMs = c.doneMs[i];
            }
        }
        Group& g = *last;
        ++g.requests;
        g.offeredMean += (c.offered[i] - g.offeredMean) / static_cast<double>(g.requests);
        g.firstIntendedMs = std::min(g.firstIntendedMs, c.intendedMs[i]);
        g.lastDoneMs = std::max(g.lastDoneMs, c.doneMs[i]);
        if (!c.isOk(i)) {
            ++s.errorsByClass[errorKey(c.error(i))];
            continue;
        }
        const auto optional = [](double v) { return RunColumns::known(v) ? std::optional<double>(v) : std::nullopt; };
        network.addOk(optional(c.netTlsMs[i]), optional(c.firstByteBeyondMs[i]));
        const double latency = c.latencyMs(i);
        const auto images = static_cast<std::size_t>(std::max(0, c.images[i]));
        ++s.ok;
        s.images += images;
        ++g.ok;
        g.images += images;
        g.okLatencies.push_back(latency);
        switch (c.coldLabel(i)) {
        case ColdLabel::Cold:
            cold.push_back(latency);
            break;
        case ColdLabel::Warm:
            warm.push_back(latency);
            break;
        case ColdLabel::Unknown:
            ++s.unknownColdness;
            unknown.push_back(latency);
            break;
        }
        if (RunColumns::known(c.queueMs[i]))
            queue.push_back(c.queueMs[i]);
        if (RunColumns::known(c.execMs[i]))
            exec.push_back(c.execMs[i]);
        if (RunColumns::known(c.downloadMs[i]))
            download.push_back(c.downloadMs[i]);
        if (RunColumns::known(c.platformMs[i]))
            platform.push_back(c.platformMs[i]);
        if (RunColumns::known(c.detectionLagMs[i]))
            lag.push_back(c.detectionLagMs[i]);
    }
    s.requests = sendLag.size();
    s.errors = s.requests - s.ok;
    s.errorRate = s.requests > 0 ? static_cast<double>(s.errors) / static_cast<double>(s.requests) : 0.0;
    s.sendLagMs = sortAndDescribe(sendLag);
    // Cold, warm and unknown sorted apart and merged: the same sorted sample as sorting all of
    // them, for one sort of the run instead of two.
    sortDoubles(cold);
    sortDoubles(warm);
    sortDoubles(unknown);
    std::vector<double> labelled(cold.size() + warm.size());
    std::merge(cold.begin(), cold.end(), warm.begin(), warm.end(), labelled.begin());
    all.resize(labelled.size() + unknown.size());
    std::merge(labelled.begin(), labelled.end(), unknown.begin(), unknown.end(), all.begin());
    labelled = {};
    unknown = {};
    s.latency = describeSorted(all);
    s.p50Ci = bootstrapQuantileCi95(all, 0.50);
    s.p95Ci = bootstrapQuantileCi95(all, 0.95);
    s.coldStarts = cold.size();
    s.coldRate = s.ok > 0 ? static_cast<double>(s.coldStarts) / static_cast<double>(s.ok) : 0.0;
    s.coldLatency = describeSorted(cold);
    s.warmLatency = describeSorted(warm);
    s.queueMs = sortAndDescribe(queue);
    s.execMs = sortAndDescribe(exec);
    s.downloadMs = sortAndDescribe(download);
    s.platformMs = sortAndDescribe(platform);
    s.detectionLagMs = sortAndDescribe(lag);
    s.network = network.finish();
    addLevels(s, c, groups);
    return out;
}

RunSample sampleOf(const RunDigest& digest)
{
    RunSample sample;
    sample.summary = &digest.summary;
    for (const Population p : kPopulations)
        sample.latency[index(p)] = digest.latency[index(p)];
    return sample;
}

} // namespace t2i::charts
