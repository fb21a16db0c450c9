// SPDX-License-Identifier: Apache-2.0
// A run's headline numbers from its request records. What counts as measured, how throughput
// and the scaling-curve points are defined, and why: docs/statistics.md.
#include "summary.h"

#include "model/runcolumns.h"
#include "sortdoubles.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace t2i {
namespace {

constexpr std::string_view kColdProbe = "cold_probe";

Distribution describeInPlace(std::vector<double>& values)
{
    sortDoubles(values);
    return describeSorted(values);
}

// One (step, level) group: a point of the scaling curve and a throughput window.
struct Group {
    int step = 0;
    int level = 0;
    std::string stepKind;
    double offeredMean = 0; // running mean, so equal values stay bit-exact
    std::size_t requests = 0;
    std::size_t ok = 0;
    std::size_t images = 0;
    double firstIntendedMs = 0;
    double lastDoneMs = 0;
    std::vector<double> okLatencies;

    double windowMs() const { return std::max(0.0, lastDoneMs - firstIntendedMs); }
};

double perSecond(std::size_t count, double windowMs)
{
    return windowMs > 0.0 ? static_cast<double>(count) * 1000.0 / windowMs : 0.0;
}

std::string errorKey(ErrorClass error)
{
    // A failure the adapter left unclassified still needs a visible column.
    const std::string_view name = toString(error);
    return name.empty() ? std::string("unclassified") : std::string(name);
}

// Groups in (step, level) order; records arrive in any order, so index them first.
std::vector<Group> groupByLevel(const std::vector<const RequestRecord*>& measured)
{
    std::vector<const RequestRecord*> order = measured;
    std::stable_sort(order.begin(), order.end(), [](const RequestRecord* a, const RequestRecord* b) {
        return std::tie(a->step, a->level, a->seq) < std::tie(b->step, b->level, b->seq);
    });
    std::vector<Group> groups;
    for (const RequestRecord* r : order) {
        if (groups.empty() || groups.back().step != r->step || groups.back().level != r->level) {
            Group g;
            g.step = r->step;
            g.level = r->level;
            g.stepKind = r->stepKind;
            g.firstIntendedMs = r->intendedMs;
            g.lastDoneMs = r->doneMs;
            groups.push_back(std::move(g));
        }
        Group& g = groups.back();
        ++g.requests;
        g.offeredMean += (r->offered - g.offeredMean) / static_cast<double>(g.requests);
        g.firstIntendedMs = std::min(g.firstIntendedMs, r->intendedMs);
        g.lastDoneMs = std::max(g.lastDoneMs, r->doneMs);
        if (r->ok) {
            ++g.ok;
            g.images += static_cast<std::size_t>(std::max(0, r->images));
            g.okLatencies.push_back(r->latencyMs());
        }
    }
    return groups;
}

void addLatencies(RunSummary& s, const std::vector<const RequestRecord*>& okRecords, LatencySamples* keep)
{
    std::vector<double> all, cold, warm, queue, exec, download, platform, lag;
    all.reserve(okRecords.size());
    for (const RequestRecord* r : okRecords) {
        all.push_back(r->latencyMs());
        switch (r->cold) {
        case ColdLabel::Cold:
            cold.push_back(r->latencyMs());
            break;
        case ColdLabel::Warm:
            warm.push_back(r->latencyMs());
            break;
        case ColdLabel::Unknown:
            ++s.unknownColdness;
            break;
        }
        if (r->queueMs)
            queue.push_back(*r->queueMs);
        if (r->execMs)
            exec.push_back(*r->execMs);
        if (r->downloadMs)
            download.push_back(*r->downloadMs);
        if (r->platformMs)
            platform.push_back(*r->platformMs);
        if (r->detectionLagMs)
            lag.push_back(*r->detectionLagMs);
    }
    s.latency = describeInPlace(all);
    s.p50Ci = bootstrapQuantileCi95(all, 0.50);
    s.p95Ci = bootstrapQuantileCi95(all, 0.95);
    s.coldStarts = cold.size();
    s.coldRate = s.ok > 0 ? static_cast<double>(s.coldStarts) / static_cast<double>(s.ok) : 0.0;
    s.coldLatency = describeInPlace(cold);
    s.warmLatency = describeInPlace(warm);
    s.queueMs = describeInPlace(queue);
    s.execMs = describeInPlace(exec);
    s.downloadMs = describeInPlace(download);
    s.platformMs = describeInPlace(platform);
    s.detectionLagMs = describeInPlace(lag);
    if (keep) // sorted in place above
        *keep = { std::move(all), std::move(warm), std::move(cold) };
}

void addLevels(RunSummary& s, std::vector<Group>& groups)
{
    // A cold probe idles on purpose between its requests; its window would dilute throughput
    // with time nobody asked the platform to work. Its images leave with its window, so the
    // ratio stays "images made in these windows / these windows".
    const bool onlyProbes
        = std::all_of(groups.begin(), groups.end(), [](const Group& g) { return g.stepKind == kColdProbe; });
    std::size_t throughputImages = 0;
    for (Group& g : groups) {
        sortDoubles(g.okLatencies);
        LevelPoint point;
        point.step = g.step;
        point.level = g.level;
        point.stepKind = g.stepKind;
        point.offered = g.offeredMean;
        point.requests = g.requests;
        point.ok = g.ok;
        point.images = g.images;
        point.windowMs = g.windowMs();
        point.achievedIps = perSecond(g.images, point.windowMs);
        point.p50 = quantileNearestRank(g.okLatencies, 0.50);
        point.p95 = quantileNearestRank(g.okLatencies, 0.95);
        s.levels.push_back(std::move(point));
        if (onlyProbes || g.stepKind != kColdProbe) {
            throughputImages += g.images;
            s.throughputWindowMs += g.windowMs();
        }
    }
    s.throughputIps = perSecond(throughputImages, s.throughputWindowMs);
}

} // namespace

void NetworkTally::addMeasured(int calls, int newConnections, int tlsHandshakes)
{
    m_summary.calls += std::size_t(std::max(0, calls));
    m_summary.newConnections += std::size_t(std::max(0, newConnections));
    m_summary.tlsHandshakes += std::size_t(std::max(0, tlsHandshakes));
}

void NetworkTally::addOk(std::optional<double> tlsMs, std::optional<double> firstByteBeyondMs)
{
    if (tlsMs && *tlsMs > 0) {
        ++m_summary.tlsRequests;
        m_tlsSum += *tlsMs;
    }
    if (firstByteBeyondMs)
        m_firstByte.push_back(*firstByteBeyondMs);
}

NetworkSummary NetworkTally::finish()
{
    NetworkSummary s = m_summary;
    if (s.calls > 0)
        s.reuseRate = 1.0 - double(std::min(s.newConnections, s.calls)) / double(s.calls);
    if (s.tlsRequests > 0)
        s.tlsMsMean = m_tlsSum / double(s.tlsRequests);
    s.firstByteBeyondMs = describeInPlace(m_firstByte);
    return s;
}

RunSummary summarize(std::span<const RequestRecord> records)
{
    return summarize(records, nullptr);
}

RunSummary summarize(std::span<const RequestRecord> records, LatencySamples* latencies)
{
    RunSummary s;
    NetworkTally network;
    std::vector<const RequestRecord*> measured;
    std::vector<const RequestRecord*> okRecords;
    std::vector<double> sendLag;
    measured.reserve(records.size());
    for (const RequestRecord& r : records) {
        if (r.step < 0) { // warm-up: brings workers up, never part of the result
            ++s.warmupRequests;
            continue;
        }
        measured.push_back(&r);
        sendLag.push_back(r.sendLagMs());
        s.polls += std::size_t(std::max(0, r.polls));
        s.throttledPolls += std::size_t(std::max(0, r.throttledPolls));
        network.addMeasured(r.calls, r.newConnections, r.tlsHandshakes);
        if (r.ok) {
            okRecords.push_back(&r);
            const double tls = keptCallsPhaseMs(r, &CallPhases::tlsMs); // RunColumns::netTlsMs
            network.addOk(
                RunColumns::known(tls) ? std::optional<double>(tls) : std::nullopt, r.firstByteBeyondPlatformMs());
            s.images += static_cast<std::size_t>(std::max(0, r.images));
        } else {
            ++s.errorsByClass[errorKey(r.errorClass)];
        }
    }
    s.requests = measured.size();
    s.ok = okRecords.size();
    s.errors = s.requests - s.ok;
    s.errorRate = s.requests > 0 ? static_cast<double>(s.errors) / static_cast<double>(s.requests) : 0.0;
    s.sendLagMs = describeInPlace(sendLag);
    s.network = network.finish();
    addLatencies(s, okRecords, latencies);
    std::vector<Group> groups = groupByLevel(measured);
    addLevels(s, groups);
    return s;
}

} // namespace t2i
