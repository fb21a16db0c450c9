// SPDX-License-Identifier: Apache-2.0
// 1,000 jobs in flight against an emulated RunPod endpoint with RunPod's documented request
// limits on (docs/measurement.md, "Polling under a request budget"): the platform-side latency
// of every job equals the emulator's truth, and how late the client noticed each finish is
// recorded and shown. A bounded slice of the scenario tests/bench/run-scale measures in full.
#include "clifixture.h"

#include "store/store.h"

#include <algorithm>
#include <cmath>

using namespace t2itest;
using nlohmann::json;

namespace {

// 48 always-on workers of ~1.7 s per job, RunPod's default limits (the emulator's own).
json busyEndpoint()
{
    return { { "name", "busy48" }, { "workers", { { "min", 48 }, { "max", 48 }, { "concurrency", 1 } } },
        { "service", { { "base_ms", 1700 }, { "ms_per_megapixel_step", 0 }, { "noise_sigma", 0.05 } } } };
}

double quantile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[std::size_t(std::ceil(p * double(values.size()))) - 1];
}

} // namespace

class TestPollingAtScale : public QObject {
    Q_OBJECT
private slots:
    void thousandInFlightUnderRunPodLimits()
    {
        QTemporaryDir dir;
        const QString profilePath = dir.filePath("busy48.json");
        writeFile(profilePath, busyEndpoint().dump());
        const QString truthPath = dir.filePath("truth.jsonl");
        json config = json::parse(smallConfig("busy48", truthPath.toStdString(), 200));
        config["providers"][0]["profile"] = profilePath.toStdString();
        config["providers"][0]["mode"] = "run";
        config["workload"]["warmup_requests"] = 0;
        config["workload"]["timeout_s"] = 300;
        config["workload"]["steps"]
            = json::array({ { { "kind", "closed" }, { "concurrency", { 1000 } }, { "duration_s", 8 } } });
        const QString configPath = dir.filePath("scale.json");
        writeFile(configPath, config.dump());
        const QString db = dir.filePath("lib.db");

        const CliResult run = runCli({ "run", configPath, "--db", db }, 400000);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        auto store = t2i::Store::open(db.toStdString());
        const std::string runId = store->listRuns().front().id;
        const auto records = store->records(runId);
        const Truth truth = readTruth(truthPath);
        QVERIFY(records.size() >= 1000);
        QCOMPARE(truth.jobs.size(), records.size());

        std::vector<double> lags, gaps;
        int polls = 0, throttledPolls = 0;
        for (const auto& r : records) {
            QVERIFY2(r.ok, r.errorMessage.c_str());
            const json& t = truth.jobs.at(r.jobId);
            // The platform's own end-to-end time is what it said, to the millisecond.
            QVERIFY(r.platformMs);
            const double truthMs = t["queue_ms"].get<double>() + t["exec_ms"].get<double>();
            QVERIFY2(std::abs(*r.platformMs - truthMs) <= 5.0,
                qPrintable(QString("%1: %2 vs truth %3").arg(r.seq).arg(*r.platformMs).arg(truthMs)));
            // How late the client noticed is recorded, never negative, and never more than the
            // polls allow: the platform had not finished when its last "not done" was asked.
            QVERIFY(r.detectionLagMs);
            QVERIFY(*r.detectionLagMs >= 0);
            QVERIFY(*r.detectionLagMs <= r.finishedMs - r.sentMs);
            QVERIFY(r.pollUncertaintyMs >= 0);
            gaps.push_back(r.pollUncertaintyMs);
            lags.push_back(*r.detectionLagMs);
            polls += r.polls;
            throttledPolls += r.throttledPolls;
        }

        // The honest poll uncertainty is the real gap between the last "not done" answer and the
        // question that got "done": about a poll interval (200 ms) or more, never a made-up 0.
        QVERIFY2(quantile(gaps, 0.5) >= 150.0, qPrintable(QString::number(quantile(gaps, 0.5))));

        const CliResult show = runCli({ "show", QString::fromStdString(runId), "--db", db, "--json" });
        QVERIFY2(show.exitCode == 0, show.err.constData());
        const json shown = json::parse(show.out.toStdString());
        QCOMPARE(shown["detection_lag_ms"]["n"].get<std::size_t>(), records.size());
        QCOMPARE(shown["detection_lag_ms"]["p50"].get<double>(), std::round(quantile(lags, 0.5) * 1000) / 1000);
        QCOMPARE(shown["detection_lag_ms"]["p99"].get<double>(), std::round(quantile(lags, 0.99) * 1000) / 1000);
        QCOMPARE(shown["throttled_polls"].get<int>(), throttledPolls);
        QCOMPARE(shown["polls"].get<int>(), polls);
        QVERIFY(shown["platform_latency_ms"]["p50"].is_number());
        QVERIFY(shown["warnings"].is_array());
        qInfo("%zu jobs, %d polls (%d throttled); detection lag p50 %.0f ms, p99 %.0f ms", records.size(), polls,
            throttledPolls, quantile(lags, 0.5), quantile(lags, 0.99));
    }
};

QTEST_GUILESS_MAIN(TestPollingAtScale)
#include "tst_pollingatscale.moc"
