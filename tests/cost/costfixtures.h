// SPDX-License-Identifier: Apache-2.0
// Fixtures for the cost suites. Raw strings live here, not in the Q_OBJECT files: Qt 6.4's
// moc silently emits nothing for a file with a raw string literal.
#pragma once

#include "model/requestrecord.h"
#include "model/run.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace costfixtures {

// A small catalog: one entry of each kind the suites need.
inline nlohmann::json smallCatalog()
{
    return nlohmann::json::parse(R"({
      "version": 1,
      "entries": {
        "runpod.flex.A100-80GB": {"unit": "per_second", "price_usd": 0.00076, "billing_increment_s": 1,
                                  "read": "2026-07-01", "source": "github.com/runpod/docs", "egress": "aws.egress.internet"},
        "hf.aws.L40S": {"unit": "per_minute_replica", "price_usd": 0.03, "read": "2026-05-19", "source": "hf docs"},
        "runpod.public.flux-dev": {"unit": "per_megapixel", "price_usd": 0.02, "read": "2026-08-20", "source": "github.com/runpod/docs"},
        "stability.sd3.5-large": {"unit": "per_credit", "price_usd": 0.01, "credits_per_image": 6.5, "read": "2026-06-01", "source": "stability"},
        "aws.egress.internet": {"unit": "per_gb", "read": "2026-04-27", "source": "aws", "unconfirmed": true,
                                "tiers": [{"up_to_gb": 10240, "price_usd": 0.09}, {"up_to_gb": 51200, "price_usd": 0.085}, {"price_usd": 0.07}]}
      }
    })");
}

// Catalog documents that must be refused, and a piece of the message each must carry.
struct BadCatalog {
    const char* name;
    const char* json;
    const char* message;
};

inline std::vector<BadCatalog> badCatalogs()
{
    return {
        { "no entries object", R"({"version": 1})", "\"entries\"" },
        { "missing unit names entry and key",
            R"({"entries": {"x.y": {"price_usd": 1, "read": "2026-01-01", "source": "s"}}})",
            "entry \"x.y\": key \"unit\" is missing" },
        { "unknown unit",
            R"({"entries": {"x.y": {"unit": "per_fortnight", "price_usd": 1, "read": "2026-01-01", "source": "s"}}})",
            "unknown unit \"per_fortnight\"" },
        { "negative price",
            R"({"entries": {"x.y": {"unit": "per_second", "price_usd": -1, "read": "2026-01-01", "source": "s"}}})",
            "key \"price_usd\" must be a number >= 0" },
        { "price as text",
            R"({"entries": {"x.y": {"unit": "per_image", "price_usd": "0.04", "read": "2026-01-01", "source": "s"}}})",
            "key \"price_usd\" must be a number >= 0" },
        { "date not YYYY-MM-DD",
            R"({"entries": {"x.y": {"unit": "per_image", "price_usd": 1, "read": "May 2026", "source": "s"}}})",
            "key \"read\" must be a date YYYY-MM-DD" },
        { "missing source", R"({"entries": {"x.y": {"unit": "per_image", "price_usd": 1, "read": "2026-01-01"}}})",
            "entry \"x.y\": key \"source\" is missing" },
        { "credits without credits_per_image",
            R"({"entries": {"s.c": {"unit": "per_credit", "price_usd": 0.01, "read": "2026-01-01", "source": "s"}}})",
            "entry \"s.c\": key \"credits_per_image\" is missing" },
        { "egress naming a non-egress entry",
            R"({"entries": {"a": {"unit": "per_second", "price_usd": 1, "read": "2026-01-01", "source": "s", "egress": "b"},
                            "b": {"unit": "per_image", "price_usd": 1, "read": "2026-01-01", "source": "s"}}})",
            "entry \"a\": key \"egress\" must name a per_gb entry" },
        { "tiers not increasing",
            R"({"entries": {"e": {"unit": "per_gb", "read": "2026-01-01", "source": "s",
                                  "tiers": [{"up_to_gb": 100, "price_usd": 0.1}, {"up_to_gb": 50, "price_usd": 0.05}]}}})",
            "entry \"e\": key \"tiers\" must have increasing up_to_gb bounds" },
        { "unknown token kind",
            R"({"entries": {"o": {"unit": "per_image", "price_usd": 0.04, "read": "2026-01-01", "source": "s",
                                  "tokens_usd_per_million": {"audio_output": 1}}}})",
            "entry \"o\": key \"tokens_usd_per_million\" has unknown token kind \"audio_output\"" },
        { "unbounded tier before the last",
            R"({"entries": {"e": {"unit": "per_gb", "read": "2026-01-01", "source": "s",
                                  "tiers": [{"price_usd": 0.1}, {"up_to_gb": 50, "price_usd": 0.05}]}}})",
            "may leave up_to_gb out only on the last tier" },
    };
}

// One request as the cost model sees it.
inline t2i::RequestRecord record(int step, bool ok, t2i::ColdLabel cold, std::optional<double> queueMs,
    std::optional<double> execMs, int images, std::int64_t bytes, t2i::ErrorClass error = t2i::ErrorClass::None)
{
    t2i::RequestRecord r;
    r.step = step;
    r.ok = ok;
    r.cold = cold;
    r.queueMs = queueMs;
    r.execMs = execMs;
    r.images = images;
    r.bytes = bytes;
    r.errorClass = error;
    if (ok) {
        r.width = 1024;
        r.height = 1024;
    }
    return r;
}

// The run of tst_costrun's fixture (every figure is worked out there):
//   r0 warm-up, cold: queue 12000 ms, exec 3200 ms, 1 image, 1.5 MB
//   r1 warm:  queue 400 ms, exec 2500 ms      r2 warm: queue 600 ms, exec 3000 ms
//   r3 cold:  queue 8500 ms, exec 2100 ms     (r1-r3: 1 image, 1.5 MB each)
//   r4 failed on the platform, warm: queue 500 ms, exec 1200 ms, 0.5 MB
//   r5 throttled: never ran, no bytes
inline std::vector<t2i::RequestRecord> runRecords()
{
    using t2i::ColdLabel;
    return {
        record(-1, true, ColdLabel::Cold, 12000, 3200, 1, 1'500'000),
        record(0, true, ColdLabel::Warm, 400, 2500, 1, 1'500'000),
        record(0, true, ColdLabel::Warm, 600, 3000, 1, 1'500'000),
        record(0, true, ColdLabel::Cold, 8500, 2100, 1, 1'500'000),
        record(0, false, ColdLabel::Warm, 500, 1200, 0, 500'000, t2i::ErrorClass::PlatformFailure),
        record(0, false, ColdLabel::Unknown, std::nullopt, std::nullopt, 0, 0, t2i::ErrorClass::Throttled),
    };
}

// Worker totals every 10 s: 0, 1, 2, 2, 1, 2, 1 (a worker leaves at 40 s and at 60 s; one is
// still alive at the end).
inline std::vector<t2i::WorkerSample> runSamples()
{
    std::vector<t2i::WorkerSample> samples;
    const int totals[] = { 0, 1, 2, 2, 1, 2, 1 };
    double t = 0;
    for (int total : totals) {
        t2i::WorkerSample s;
        s.tMs = t;
        s.running = total;
        samples.push_back(s);
        t += 10'000;
    }
    return samples;
}

// A job as a platform that names its workers reports it (RunPod: workerId, delayTime,
// executionTime): sent at sentMs, started queueMs later, ran execMs.
inline t2i::RequestRecord workerJob(
    const std::string& workerId, double sentMs, double queueMs, double execMs, bool ok = true, int step = 0)
{
    t2i::RequestRecord r = record(step, ok, queueMs > 250 ? t2i::ColdLabel::Cold : t2i::ColdLabel::Warm, queueMs,
        execMs, ok ? 1 : 0, 0, ok ? t2i::ErrorClass::None : t2i::ErrorClass::PlatformFailure);
    r.workerId = workerId;
    r.sentMs = sentMs;
    r.startedMs = sentMs + queueMs;
    r.finishedMs = r.doneMs = sentMs + queueMs + execMs;
    return r;
}

// A stored run of the given provider object, as the runner writes it (runs.config_json).
inline t2i::RunInfo storedRun(const nlohmann::json& provider, double durationMs = 0)
{
    t2i::RunInfo run;
    run.id = "r-test";
    run.providerId = provider.value("id", std::string("p"));
    run.providerType = provider.value("type", std::string());
    run.configJson = nlohmann::json {
        { "provider", provider },
        { "variant", { { "id", "v" }, { "width", 512 }, { "height", 512 }, { "steps", 20 }, { "images", 1 } } }
    }.dump();
    run.durationMs = durationMs;
    return run;
}

// A measured run on the steady profile: one cold start (the first job waited 4300 ms), then
// nine warm jobs of 440 ms, one every 500 ms, all on one worker.
inline std::vector<t2i::RequestRecord> steadyMeasuredRun()
{
    std::vector<t2i::RequestRecord> records { workerJob("w1", 0, 4300, 440) };
    for (int i = 0; i < 9; ++i)
        records.push_back(workerJob("w1", 4800 + 500.0 * i, 0, 440));
    return records;
}

// Four requests as a platform without worker ids reports them, sent every 10 s, each on the
// platform 3.2, 2.5, 3.0 and 2.1 s as the client saw it (sent to result): one image each. With
// withExec the platform also reported those times as execution (A1111's X-Process-Time, a
// container's own timing); without it, it reported none (Hugging Face, SageMaker, a Modal app
// without inference_s, an OpenAI-compatible server).
inline std::vector<t2i::RequestRecord> untimedRun(bool withExec)
{
    std::vector<t2i::RequestRecord> records;
    const double onPlatformMs[] = { 3200, 2500, 3000, 2100 };
    for (int i = 0; i < 4; ++i) {
        t2i::RequestRecord r = record(0, true, t2i::ColdLabel::Unknown, std::nullopt, std::nullopt, 1, 0);
        r.seq = i;
        r.intendedMs = r.sentMs = 10'000.0 * i;
        r.finishedMs = r.doneMs = r.sentMs + onPlatformMs[i];
        if (withExec) {
            r.execMs = onPlatformMs[i];
            r.startedMs = r.sentMs;
        }
        records.push_back(r);
    }
    return records;
}

// A health route's instance counts every 10 s from 0 (Hugging Face's readyReplica, SageMaker's
// CurrentInstanceCount): counts[i] instances from 10 s x i on.
inline std::vector<t2i::WorkerSample> instanceSamples(const std::vector<int>& counts)
{
    std::vector<t2i::WorkerSample> samples;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        t2i::WorkerSample s;
        s.tMs = 10'000.0 * double(i);
        s.ready = counts[i];
        samples.push_back(s);
    }
    return samples;
}

// One worker as the health route sees it: booting from bootMs, ready from readyMs, running
// over the given spans, stopped from stopMs.
struct SeenWorker {
    double bootMs = 0;
    double readyMs = 0;
    double stopMs = 0;
    std::vector<std::pair<double, double>> running;
};

// The health route sampled every intervalMs from 0 to untilMs over the given workers.
inline std::vector<t2i::WorkerSample> healthOf(
    const std::vector<SeenWorker>& workers, double intervalMs, double untilMs)
{
    std::vector<t2i::WorkerSample> samples;
    for (double t = 0; t <= untilMs; t += intervalMs) {
        t2i::WorkerSample s;
        s.tMs = t;
        for (const SeenWorker& w : workers) {
            if (t < w.bootMs || t >= w.stopMs)
                continue;
            if (t < w.readyMs) {
                ++s.initializing;
                continue;
            }
            bool busy = false;
            for (const auto& [from, to] : w.running)
                busy = busy || (t >= from && t < to);
            ++(busy ? s.running : s.idle);
        }
        s.ready = s.idle + s.running;
        samples.push_back(s);
    }
    return samples;
}

} // namespace costfixtures
