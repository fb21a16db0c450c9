// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/requestrecord.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace t2i {

// A phase summed over the calls a request keeps in full: the submit, the final and (with
// `downloads`) the downloads (docs/measurement.md, "Network phases"); NaN without a submit call
// (no call measured, or a run stored before schema v6).
inline double keptCallsPhaseMs(const RequestRecord& r, double CallPhases::*phase, bool downloads = true)
{
    if (!r.submitNet)
        return std::numeric_limits<double>::quiet_NaN();
    double sum = (*r.submitNet).*phase;
    if (r.finalNet)
        sum += (*r.finalNet).*phase;
    if (downloads && r.downloadNet)
        sum += (*r.downloadNet).*phase;
    return sum;
}

// A run's requests as parallel numeric columns: what charts, the comparison statistics and
// the cost model read, without the strings of RequestRecord (job ids, messages, hashes).
// About 100 bytes a request against ~500 for a RequestRecord, so two runs of 1,000,000
// requests fit comfortably in memory. Rows are in seq order. A value the platform did not
// report is NaN here (std::nullopt in RequestRecord), an unknown width or height 0.
struct RunColumns {
    std::vector<std::string> stepKinds; // the distinct step kinds; stepKind[i] indexes this
    std::vector<std::int64_t> seq;
    std::vector<std::int32_t> step; // -1: warm-up
    std::vector<std::uint8_t> stepKind;
    std::vector<std::int32_t> level;
    std::vector<double> offered;
    std::vector<std::uint8_t> ok; // 0 or 1
    std::vector<std::uint8_t> errorClass; // ErrorClass
    std::vector<std::uint8_t> cold; // ColdLabel
    std::vector<double> intendedMs, sentMs, startedMs, finishedMs, doneMs;
    std::vector<double> queueMs, execMs, downloadMs;
    std::vector<double> platformMs, detectionLagMs; // docs/measurement.md, "Two latencies"
    std::vector<std::int32_t> polls, throttledPolls;
    std::vector<std::int32_t> images;
    std::vector<std::int32_t> width, height;
    std::vector<std::int64_t> bytes, headerBytes;
    // Where the network time went (docs/measurement.md, "Network phases"); NaN (0 calls) for
    // requests stored before schema v6. DNS, connect and TLS are summed over the submit, final
    // and download calls; netTransferMs over the submit and final calls (a download's transfer
    // stays in downloadMs, which also holds downloadSetupMs); firstByteBeyondMs is the wait for
    // the result's first byte that the platform's own time does not explain.
    std::vector<double> netDnsMs, netConnectMs, netTlsMs, netTransferMs, downloadSetupMs, firstByteBeyondMs;
    std::vector<std::int32_t> calls, newConnections, tlsHandshakes;
    // For the cost model, present when costColumns (Store::addCostColumns reads them later, so
    // the charts need not wait for them): width, height, bytes and headerBytes above, the worker (an index
    // into workerIds, whose entry 0 is "" for none), the platform's own cost where it reported
    // one, and its usage report (sparse: few rows have one).
    bool costColumns = false;
    std::vector<std::string> workerIds { std::string() };
    std::vector<std::uint32_t> worker;
    std::vector<double> reportedCostUsd;
    std::vector<std::pair<std::size_t, std::string>> reportedUsage; // (row, JSON text), ascending rows

    static constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
    static bool known(double value) { return !std::isnan(value); }

    std::size_t size() const { return seq.size(); }
    double latencyMs(std::size_t i) const { return doneMs[i] - intendedMs[i]; }
    bool measured(std::size_t i) const { return step[i] >= 0; }
    bool isOk(std::size_t i) const { return ok[i] != 0; }
    ColdLabel coldLabel(std::size_t i) const { return static_cast<ColdLabel>(cold[i]); }
    ErrorClass error(std::size_t i) const { return static_cast<ErrorClass>(errorClass[i]); }
    const std::string& stepKindOf(std::size_t i) const { return stepKinds[stepKind[i]]; }

    void reserve(std::size_t n);
    void append(const RequestRecord& r); // for tests and callers that hold records already
    // Appends another slice of the same run (rows after these), mapping its step kinds and
    // workers onto this one's.
    void append(RunColumns&& next);
    // The network columns of one more row, from a record's calls: the one definition of them,
    // which Store::runColumns uses too (core/store/storecolumns.cpp).
    void appendNetwork(const RequestRecord& r);
    // Row i as a RequestRecord with every field these columns hold (job id, messages, provider
    // status, hash and prompt are not among them), for code that takes records (the cost model).
    RequestRecord record(std::size_t i) const;
    std::uint32_t internWorker(const std::string& id);
};

inline void RunColumns::reserve(std::size_t n)
{
    seq.reserve(n);
    step.reserve(n);
    stepKind.reserve(n);
    level.reserve(n);
    offered.reserve(n);
    ok.reserve(n);
    errorClass.reserve(n);
    cold.reserve(n);
    intendedMs.reserve(n);
    sentMs.reserve(n);
    startedMs.reserve(n);
    finishedMs.reserve(n);
    doneMs.reserve(n);
    queueMs.reserve(n);
    execMs.reserve(n);
    downloadMs.reserve(n);
    platformMs.reserve(n);
    detectionLagMs.reserve(n);
    polls.reserve(n);
    throttledPolls.reserve(n);
    images.reserve(n);
    for (auto* v : { &netDnsMs, &netConnectMs, &netTlsMs, &netTransferMs, &downloadSetupMs, &firstByteBeyondMs })
        v->reserve(n);
    calls.reserve(n);
    newConnections.reserve(n);
    tlsHandshakes.reserve(n);
    width.reserve(n);
    height.reserve(n);
    bytes.reserve(n);
    headerBytes.reserve(n);
    worker.reserve(n);
    reportedCostUsd.reserve(n);
}

inline std::uint32_t RunColumns::internWorker(const std::string& id)
{
    if (id.empty())
        return 0;
    // Runs have few workers and consecutive rows often share one: search from the back.
    for (std::size_t i = workerIds.size(); i-- > 1;)
        if (workerIds[i] == id)
            return static_cast<std::uint32_t>(i);
    workerIds.push_back(id);
    return static_cast<std::uint32_t>(workerIds.size() - 1);
}

inline void RunColumns::append(RunColumns&& next)
{
    std::vector<std::uint8_t> kindMap;
    for (const std::string& kind : next.stepKinds) {
        std::size_t k = 0;
        while (k < stepKinds.size() && stepKinds[k] != kind)
            ++k;
        if (k == stepKinds.size())
            stepKinds.push_back(kind);
        kindMap.push_back(static_cast<std::uint8_t>(k));
    }
    for (std::uint8_t& kind : next.stepKind)
        kind = kindMap[kind];
    auto move = [](auto& into, auto& from) {
        if (into.empty())
            into = std::move(from);
        else
            into.insert(into.end(), from.begin(), from.end());
        from = {};
    };
    const std::size_t offset = size();
    move(seq, next.seq);
    move(step, next.step);
    move(stepKind, next.stepKind);
    move(level, next.level);
    move(offered, next.offered);
    move(ok, next.ok);
    move(errorClass, next.errorClass);
    move(cold, next.cold);
    move(intendedMs, next.intendedMs);
    move(sentMs, next.sentMs);
    move(startedMs, next.startedMs);
    move(finishedMs, next.finishedMs);
    move(doneMs, next.doneMs);
    move(queueMs, next.queueMs);
    move(execMs, next.execMs);
    move(downloadMs, next.downloadMs);
    move(platformMs, next.platformMs);
    move(detectionLagMs, next.detectionLagMs);
    move(polls, next.polls);
    move(throttledPolls, next.throttledPolls);
    move(images, next.images);
    move(netDnsMs, next.netDnsMs);
    move(netConnectMs, next.netConnectMs);
    move(netTlsMs, next.netTlsMs);
    move(netTransferMs, next.netTransferMs);
    move(downloadSetupMs, next.downloadSetupMs);
    move(firstByteBeyondMs, next.firstByteBeyondMs);
    move(calls, next.calls);
    move(newConnections, next.newConnections);
    move(tlsHandshakes, next.tlsHandshakes);
    if (next.costColumns) {
        std::vector<std::uint32_t> workerMap;
        for (const std::string& id : next.workerIds)
            workerMap.push_back(internWorker(id));
        for (std::uint32_t& w : next.worker)
            w = workerMap[w];
        move(width, next.width);
        move(height, next.height);
        move(bytes, next.bytes);
        move(headerBytes, next.headerBytes);
        move(worker, next.worker);
        move(reportedCostUsd, next.reportedCostUsd);
        for (auto& [row, usage] : next.reportedUsage)
            reportedUsage.emplace_back(row + offset, std::move(usage));
        costColumns = true;
    }
}

inline void RunColumns::append(const RequestRecord& r)
{
    std::size_t kind = 0;
    while (kind < stepKinds.size() && stepKinds[kind] != r.stepKind)
        ++kind;
    if (kind == stepKinds.size())
        stepKinds.push_back(r.stepKind);
    seq.push_back(r.seq);
    step.push_back(r.step);
    stepKind.push_back(static_cast<std::uint8_t>(kind));
    level.push_back(r.level);
    offered.push_back(r.offered);
    ok.push_back(r.ok ? 1 : 0);
    errorClass.push_back(static_cast<std::uint8_t>(r.errorClass));
    cold.push_back(static_cast<std::uint8_t>(r.cold));
    intendedMs.push_back(r.intendedMs);
    sentMs.push_back(r.sentMs);
    startedMs.push_back(r.startedMs.value_or(kUnknown));
    finishedMs.push_back(r.finishedMs);
    doneMs.push_back(r.doneMs);
    queueMs.push_back(r.queueMs.value_or(kUnknown));
    execMs.push_back(r.execMs.value_or(kUnknown));
    downloadMs.push_back(r.downloadMs.value_or(kUnknown));
    platformMs.push_back(r.platformMs.value_or(kUnknown));
    detectionLagMs.push_back(r.detectionLagMs.value_or(kUnknown));
    polls.push_back(r.polls);
    throttledPolls.push_back(r.throttledPolls);
    images.push_back(r.images);
    appendNetwork(r);
    width.push_back(r.width.value_or(0));
    height.push_back(r.height.value_or(0));
    bytes.push_back(r.bytes);
    headerBytes.push_back(r.headerBytes);
    worker.push_back(internWorker(r.workerId));
    reportedCostUsd.push_back(r.reportedCostUsd.value_or(kUnknown));
    if (!r.reportedUsage.empty())
        reportedUsage.emplace_back(seq.size() - 1, r.reportedUsage);
    costColumns = true;
}

inline void RunColumns::appendNetwork(const RequestRecord& r)
{
    netDnsMs.push_back(keptCallsPhaseMs(r, &CallPhases::dnsMs));
    netConnectMs.push_back(keptCallsPhaseMs(r, &CallPhases::connectMs));
    netTlsMs.push_back(keptCallsPhaseMs(r, &CallPhases::tlsMs));
    netTransferMs.push_back(keptCallsPhaseMs(r, &CallPhases::transferMs, false)); // a download's is in downloadMs
    downloadSetupMs.push_back(r.downloadNet ? r.downloadNet->setupMs() : kUnknown);
    firstByteBeyondMs.push_back(r.firstByteBeyondPlatformMs().value_or(kUnknown));
    calls.push_back(r.calls);
    newConnections.push_back(r.newConnections);
    tlsHandshakes.push_back(r.tlsHandshakes);
}

inline RequestRecord RunColumns::record(std::size_t i) const
{
    auto optional = [](double v) { return known(v) ? std::optional<double>(v) : std::nullopt; };
    RequestRecord r;
    r.seq = seq[i];
    r.step = step[i];
    r.stepKind = stepKinds[stepKind[i]];
    r.level = level[i];
    r.offered = offered[i];
    r.ok = ok[i] != 0;
    r.errorClass = error(i);
    r.cold = coldLabel(i);
    r.intendedMs = intendedMs[i];
    r.sentMs = sentMs[i];
    r.startedMs = optional(startedMs[i]);
    r.finishedMs = finishedMs[i];
    r.doneMs = doneMs[i];
    r.queueMs = optional(queueMs[i]);
    r.execMs = optional(execMs[i]);
    r.downloadMs = optional(downloadMs[i]);
    r.platformMs = optional(platformMs[i]);
    r.detectionLagMs = optional(detectionLagMs[i]);
    r.polls = polls[i];
    r.throttledPolls = throttledPolls[i];
    r.images = images[i];
    r.calls = calls[i];
    r.newConnections = newConnections[i];
    r.tlsHandshakes = tlsHandshakes[i];
    if (!costColumns)
        return r;
    r.width = width[i] > 0 ? std::optional<int>(width[i]) : std::nullopt;
    r.height = height[i] > 0 ? std::optional<int>(height[i]) : std::nullopt;
    r.bytes = bytes[i];
    r.headerBytes = headerBytes[i];
    r.workerId = workerIds[worker[i]];
    r.reportedCostUsd = optional(reportedCostUsd[i]);
    const auto usage = std::lower_bound(reportedUsage.begin(), reportedUsage.end(), i,
        [](const std::pair<std::size_t, std::string>& entry, std::size_t row) { return entry.first < row; });
    if (usage != reportedUsage.end() && usage->first == i)
        r.reportedUsage = usage->second;
    return r;
}

} // namespace t2i
