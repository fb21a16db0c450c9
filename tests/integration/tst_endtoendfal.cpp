// SPDX-License-Identifier: Apache-2.0
// fal.ai's queue API end to end: t2ibench-cli -> the fal adapter -> the emulator's fal front, with
// execution time from metrics.inference_time, no platform queue time (fal reports none) and image
// URLs the engine downloads and times apart.
#include "clifixture.h"

using namespace t2itest;
using nlohmann::json;

class TestEndToEndFal : public QObject {
    Q_OBJECT
private slots:
    void timingsEqualTheTruthAndDownloadsAreTimed()
    {
        QTemporaryDir dir;
        json config = json::parse(smallConfig("fast-scaling", dir.filePath("truth.jsonl").toStdString()));
        config["providers"][0]["protocol"] = "fal";
        config["providers"][0]["app"] = "fal-ai/fast-sdxl";
        config["workload"]["steps"]
            = json::array({ { { "kind", "closed" }, { "concurrency", 2 }, { "requests", 8 } } });
        const QString configPath = dir.filePath("fal.json");
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
            QCOMPARE(t["front"].get<std::string>(), std::string("fal"));
            QVERIFY2(row["queue_ms"].is_null(), row.dump().c_str()); // fal reports no queue time
            QCOMPARE(row["exec_ms"].get<double>(), t["exec_ms"].get<double>());
            QVERIFY(row["download_ms"].is_number());
            QVERIFY(row["downloaded_ms"].get<double>() >= row["finished_ms"].get<double>());
            QCOMPARE(row["width"].get<int>(), 512);
        }
    }
};

QTEST_GUILESS_MAIN(TestEndToEndFal)
#include "tst_endtoendfal.moc"
