// SPDX-License-Identifier: Apache-2.0
#pragma once

// Fixture run libraries for the dashboard suites: real SQLite files written through the Store
// API (no network, no emulator), with runs whose numbers are known in advance, so a model or a
// chart builder can be checked against exact values.

#include "model/requestrecord.h"
#include "model/run.h"
#include "store/store.h"

#include <QString>
#include <QTemporaryDir>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace t2i::test {

// One fixture run: a closed-loop sweep at concurrency 1, 2 and 4 (levels 0..2), after one
// warm-up request. Measured request i (0-based) of `requests` is warm with latency
// warmLatencyMs + i * stepMs, except:
//   - the first `coldStarts` are cold: coldExtraMs more, all of it queue time;
//   - the last `errors` fail with a server error (HTTP 500, no image).
// Each successful request has queue 100 ms (+ coldExtraMs when cold), download 50 ms, the
// network's parts (kFixtureNetwork) and execution the rest, and yields one 1024x1024 image of
// 1,500,000 bytes. The platform's own time is queue + execution, noticed detectionLagMs late,
// after 3 polls; the first `throttledPolls` measured requests met one 429 on a poll each. Polls
// every 250 ms.
struct FixtureRun {
    std::string id = "r20260101-120000-aaaa01";
    std::string config = "fixture";
    std::string provider = "steady";
    std::string providerType = "emulated";
    std::string variant = "sdxl";
    RunStatus status = RunStatus::Completed;
    std::string created = "2026-01-01T12:00:00Z";
    int requests = 30;
    double warmLatencyMs = 2000;
    double stepMs = 10;
    int coldStarts = 1;
    double coldExtraMs = 6000;
    int errors = 0;
    double detectionLagMs = 80;
    int throttledPolls = 0;
    std::string profile = "steady"; // the emulated platform's profile, in the stored config
};

inline std::string fixtureName(const FixtureRun& spec)
{
    return spec.config + "/" + spec.provider + "/" + spec.variant;
}

inline RunInfo fixtureRunInfo(const FixtureRun& spec)
{
    RunInfo run;
    run.id = spec.id;
    run.name = fixtureName(spec);
    run.status = spec.status;
    run.providerId = spec.provider;
    run.providerType = spec.providerType;
    run.variantId = spec.variant;
    // The shape BenchmarkRunner stores: provider, variant, prompts and workload, no secrets.
    run.configJson = "{\"provider\":{\"id\":\"" + spec.provider + "\",\"type\":\"" + spec.providerType
        + "\",\"profile\":\"" + spec.profile + "\"},\"variant\":{\"id\":\"" + spec.variant
        + "\",\"width\":1024,\"height\":1024,\"steps\":30,\"images\":1},"
          "\"prompts\":{\"set\":\"default\",\"order\":\"sequential\",\"seed\":42},"
          "\"workload\":{\"warmup_requests\":1,\"poll_interval_ms\":250,"
          "\"steps\":[{\"kind\":\"closed\",\"concurrency\":[1,2,4]}]}}";
    run.environmentJson = "{\"tool\":\"t2ibench\",\"version\":\"0.1.0\",\"host\":\"fixture-host\",\"os\":\"Linux\","
                          "\"started\":\""
        + spec.created + "\",\"config_file\":\"fixture.json\"}";
    run.created = spec.created;
    if (spec.status != RunStatus::Running && spec.status != RunStatus::Created)
        run.finished = spec.created; // labels only
    return run;
}

// The network's share of each successful fixture request (docs/measurement.md, "Network
// phases"): every `connectEvery`-th request (seq % connectEvery == 1) opens a connection
// (lookup, connect, TLS handshake), the rest reuse one; the submit's answer and the final poll's
// take their transfers; the download (50 ms) reuses a connection.
struct FixtureNetwork {
    int connectEvery = 10;
    double dnsMs = 2, connectMs = 1, tlsMs = 12, submitTransferMs = 1, finalTransferMs = 8;
};
inline constexpr FixtureNetwork kFixtureNetwork;

inline std::vector<RequestRecord> fixtureRecords(const FixtureRun& spec)
{
    std::vector<RequestRecord> records;
    const int concurrency[] = { 1, 2, 4 };
    double clock = 0;
    auto add = [&](int step, const std::string& kind, int level, double offered, double latency, bool cold, bool ok) {
        RequestRecord r;
        r.seq = static_cast<std::int64_t>(records.size());
        r.step = step;
        r.stepKind = kind;
        r.level = level;
        r.offered = offered;
        r.jobId = "job-" + std::to_string(r.seq);
        r.ok = ok;
        r.intendedMs = clock;
        r.sentMs = clock + 0.5;
        r.acceptedMs = clock + 5;
        r.finishedMs = clock + latency - (ok ? 50 : 0);
        r.doneMs = clock + latency;
        r.workerId = "w" + std::to_string(r.seq % 4);
        r.promptIndex = static_cast<int>(r.seq % 7);
        r.seed = 42 + r.seq;
        if (ok) {
            const double queue = 100 + (cold ? spec.coldExtraMs : 0);
            r.queueMs = queue;
            // The network's parts, carved out of the execution so the stages still add up to
            // the latency (kFixtureNetwork above): the submit, the final poll and the download.
            const bool opens = r.seq % kFixtureNetwork.connectEvery == 1;
            r.submitNet = CallPhases { opens ? kFixtureNetwork.dnsMs : 0, opens ? kFixtureNetwork.connectMs : 0,
                opens ? kFixtureNetwork.tlsMs : 0, 4, kFixtureNetwork.submitTransferMs };
            r.finalNet = CallPhases { 0, 0, 0, 3, kFixtureNetwork.finalTransferMs };
            r.downloadNet = CallPhases { 0, 0, 0, 10, 40 }; // 50 ms on a reused connection
            r.calls = 5; // the submit, three polls, the download
            r.newConnections = r.tlsHandshakes = opens ? 1 : 0;
            r.pollNetworkMs = 3 * 11;
            const double network
                = r.submitNet->setupMs() + kFixtureNetwork.submitTransferMs + kFixtureNetwork.finalTransferMs;
            r.execMs = latency - queue - 50 - network;
            r.platformMs = latency - 50 - network;
            r.detectionLagMs = spec.detectionLagMs;
            r.polls = 3;
            r.throttledPolls = step >= 0 && r.seq <= spec.throttledPolls ? 1 : 0;
            r.throttled = r.throttledPolls;
            r.downloadMs = 50;
            r.startedMs = clock + queue;
            r.downloadedMs = r.doneMs;
            r.httpStatus = 200;
            r.providerStatus = "COMPLETED";
            r.images = 1;
            r.width = 1024;
            r.height = 1024;
            r.bytes = 1'500'000;
            r.cold = cold ? ColdLabel::Cold : ColdLabel::Warm;
        } else {
            r.calls = 1;
            r.submitNet = CallPhases { 0, 0, 0, latency - 0.5, 0 };
            r.errorClass = ErrorClass::ServerError;
            r.errorMessage = "HTTP 500 from the platform";
            r.httpStatus = 500;
            r.providerStatus = "FAILED";
            r.cold = ColdLabel::Unknown;
        }
        records.push_back(r);
        // Sequential in time: simple, and every level's window stays positive.
        clock += latency / offered;
    };
    add(-1, "warmup", 0, 1, spec.warmLatencyMs, false, true);
    for (int i = 0; i < spec.requests; ++i) {
        const int level = std::min(2, i * 3 / std::max(1, spec.requests));
        const bool cold = i < spec.coldStarts;
        const bool ok = i < spec.requests - spec.errors;
        const double latency = spec.warmLatencyMs + i * spec.stepMs + (cold ? spec.coldExtraMs : 0);
        add(0, "closed", level, concurrency[level], latency, cold, ok);
    }
    return records;
}

// One health sample a second over the fixture's span: workers ramp up to 4, queue drains.
inline std::vector<WorkerSample> fixtureWorkerSamples(const std::vector<RequestRecord>& records)
{
    std::vector<WorkerSample> samples;
    const double end = records.empty() ? 0 : records.back().doneMs;
    for (double t = 0; t <= end; t += 1000) {
        WorkerSample s;
        s.tMs = t;
        s.running = std::min(4, 1 + static_cast<int>(t / 10000));
        s.idle = 1;
        s.inQueue = std::max(0, 3 - static_cast<int>(t / 5000));
        s.inProgress = s.running;
        samples.push_back(s);
    }
    return samples;
}

inline void addFixtureRun(Store& store, const FixtureRun& spec)
{
    store.createRun(fixtureRunInfo(spec));
    const auto records = fixtureRecords(spec);
    store.insertRecords(spec.id, records);
    const auto samples = fixtureWorkerSamples(records);
    store.insertWorkerSamples(spec.id, samples);
    RunInfo run = fixtureRunInfo(spec);
    run.durationMs = records.empty() ? 0 : records.back().doneMs;
    store.updateRun(run);
}

// A run library in a temporary directory; removed with the object.
class FixtureDatabase {
public:
    FixtureDatabase()
    {
        if (!m_dir.isValid())
            throw std::runtime_error("cannot create a temporary directory for the fixture database");
        m_path = m_dir.filePath(QStringLiteral("library.db"));
        m_store = Store::open(m_path.toStdString());
    }
    const QString& path() const { return m_path; }
    Store& store() { return *m_store; }
    void add(const FixtureRun& spec) { addFixtureRun(*m_store, spec); }

    // Three runs that differ the way the quickstart's platforms do: "steady" (2.0 s warm),
    // "fast" (1.5 s warm, 3 cold starts) and "cheap" (3.0 s warm, 3 errors).
    static std::vector<FixtureRun> threeRuns()
    {
        FixtureRun steady;
        FixtureRun fast;
        fast.id = "r20260101-120100-bbbb02";
        fast.provider = fast.profile = "fast";
        fast.created = "2026-01-01T12:01:00Z";
        fast.warmLatencyMs = 1500;
        fast.coldStarts = 3;
        fast.coldExtraMs = 3000;
        FixtureRun cheap;
        cheap.id = "r20260101-120200-cccc03";
        cheap.provider = cheap.profile = "cheap";
        cheap.created = "2026-01-01T12:02:00Z";
        cheap.warmLatencyMs = 3000;
        cheap.errors = 3;
        cheap.detectionLagMs = 400; // past its 250 ms poll interval: noticed late
        cheap.throttledPolls = 2;
        return { steady, fast, cheap };
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Store> m_store;
};

} // namespace t2i::test
