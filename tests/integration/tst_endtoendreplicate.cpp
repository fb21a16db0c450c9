// SPDX-License-Identifier: Apache-2.0
// Replicate's predictions API end to end: t2ibench-cli -> the Replicate adapter -> the emulator's
// Replicate front, with queue time from the timestamps, execution time from metrics.predict_time
// and output URLs the engine downloads and times apart.
#include "clifixture.h"

using namespace t2itest;
using nlohmann::json;

class TestEndToEndReplicate : public QObject {
    Q_OBJECT
private slots:
    void timingsEqualTheTruthAndDownloadsAreTimed()
    {
        QTemporaryDir dir;
        json config = json::parse(smallConfig("fast-scaling", dir.filePath("truth.jsonl").toStdString()));
        config["providers"][0]["protocol"] = "replicate";
        config["providers"][0]["model"] = "acme/sdxl";
        config["workload"]["steps"]
            = json::array({ { { "kind", "closed" }, { "concurrency", 2 }, { "requests", 8 } } });
        const QString configPath = dir.filePath("replicate.json");
        writeFile(configPath, config.dump());
        const QString db = dir.filePath("lib.db");

        const CliResult run = runCli({ "run", configPath, "--db", db, "--json" });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const std::string runId = json::parse(run.out.toStdString())["runs"][0].get<std::string>();
        const CliResult exported = runCli({ "export", QString::fromStdString(runId), "--db", db, "--format", "json" });
        QCOMPARE(exported.exitCode, 0);
        const json rows = json::parse(exported.out.toStdString());
        const Truth truth = readTruth(dir.filePath("truth.jsonl"));
        QCOMPARE(rows.size(), std::size_t(9)); // one warm-up and eight measured
        for (const auto& row : rows) {
            QCOMPARE(row["status"].get<std::string>(), std::string("ok"));
            const json& t = truth.jobs.at(row["job_id"].get<std::string>());
            QCOMPARE(t["front"].get<std::string>(), std::string("replicate"));
            // started_at - created_at and predict_time, both to the ms of the platform's truth.
            QCOMPARE(row["queue_ms"].get<double>(), t["queue_ms"].get<double>());
            QCOMPARE(row["exec_ms"].get<double>(), t["exec_ms"].get<double>());
            QVERIFY(row["download_ms"].is_number());
            QVERIFY(row["downloaded_ms"].get<double>() >= row["finished_ms"].get<double>());
            QCOMPARE(row["width"].get<int>(), 512);
        }
    }
};

QTEST_GUILESS_MAIN(TestEndToEndReplicate)
#include "tst_endtoendreplicate.moc"
