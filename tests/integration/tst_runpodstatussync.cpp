// SPDX-License-Identifier: Apache-2.0
// RunPod's /status-sync polling end to end: t2ibench-cli -> the RunPod adapter with
// `poll: "status-sync"` -> the emulator's RunPod front, which holds each call until the job ends.
// Timings still equal the platform's truth, and each job needs one held call instead of a poll
// every interval.
#include "clifixture.h"

using namespace t2itest;
using nlohmann::json;

class TestRunPodStatusSync : public QObject {
    Q_OBJECT
private slots:
    void heldStatusCallsSeeTheEndWithoutPolling()
    {
        QTemporaryDir dir;
        json config = json::parse(smallConfig("fast-scaling", dir.filePath("truth.jsonl").toStdString(), 50));
        config["providers"][0]["poll"] = "status-sync";
        config["providers"][0]["status_sync_wait_ms"] = 60000;
        config["workload"]["steps"]
            = json::array({ { { "kind", "closed" }, { "concurrency", 2 }, { "requests", 6 } } });
        const QString configPath = dir.filePath("statussync.json");
        writeFile(configPath, config.dump());
        const QString db = dir.filePath("lib.db");

        const CliResult run = runCli({ "run", configPath, "--db", db, "--json" });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const std::string runId = json::parse(run.out.toStdString())["runs"][0].get<std::string>();
        const CliResult exported = runCli({ "export", QString::fromStdString(runId), "--db", db, "--format", "json" });
        QCOMPARE(exported.exitCode, 0);
        const json rows = json::parse(exported.out.toStdString());
        const Truth truth = readTruth(dir.filePath("truth.jsonl"));
        QCOMPARE(rows.size(), std::size_t(7)); // one warm-up and six measured
        for (const auto& row : rows) {
            QCOMPARE(row["status"].get<std::string>(), std::string("ok"));
            const json& t = truth.jobs.at(row["job_id"].get<std::string>());
            QCOMPARE(row["queue_ms"].get<double>(), t["queue_ms"].get<double>());
            QCOMPARE(row["exec_ms"].get<double>(), t["exec_ms"].get<double>());
            // One /status-sync call, held until the job ended (a cold start included), where
            // /status every 50 ms would have taken dozens.
            QVERIFY2(row["polls"].get<int>() == 1, row.dump().c_str());
            // Asked again at once and answered as the job ended: nobody waited a poll interval
            // (50 ms here) between "not done" and "done", and the finish was noticed within it.
            QVERIFY2(row["poll_uncertainty_ms"].get<double>() < 50.0, row.dump().c_str());
            QVERIFY2(row["detection_lag_ms"].get<double>() < 50.0, row.dump().c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestRunPodStatusSync)
#include "tst_runpodstatussync.moc"
