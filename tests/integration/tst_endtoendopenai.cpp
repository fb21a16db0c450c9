// SPDX-License-Identifier: Apache-2.0
// The OpenAI Images protocol end to end: t2ibench-cli -> the OpenAI adapter -> the emulator's
// OpenAI front, with image URLs the engine downloads and times apart.
#include "clifixture.h"

using namespace t2itest;
using nlohmann::json;

class TestEndToEndOpenAI : public QObject {
    Q_OBJECT
private slots:
    void processingTimeEqualsTheTruthAndDownloadsAreTimed()
    {
        QTemporaryDir dir;
        json config = json::parse(smallConfig("fast-scaling", dir.filePath("truth.jsonl").toStdString()));
        config["providers"][0]["protocol"] = "openai";
        config["providers"][0]["model"] = "dall-e-2";
        config["providers"][0]["response_format"] = "url";
        config["workload"]["steps"]
            = json::array({ { { "kind", "closed" }, { "concurrency", 2 }, { "requests", 8 } } });
        const QString configPath = dir.filePath("openai.json");
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
            QCOMPARE(t["front"].get<std::string>(), std::string("openai"));
            // openai-processing-ms is the server's whole time; the API reports no queue time.
            QCOMPARE(row["exec_ms"].get<double>(), t["finish_ms"].get<double>() - t["arrival_ms"].get<double>());
            QVERIFY(row["queue_ms"].is_null());
            QVERIFY(row["download_ms"].is_number());
            QVERIFY(row["downloaded_ms"].get<double>() >= row["finished_ms"].get<double>());
            QCOMPARE(row["width"].get<int>(), 512);
            QVERIFY(row["latency_ms"].get<double>() >= row["exec_ms"].get<double>() - 1.0);
        }
    }
};

QTEST_GUILESS_MAIN(TestEndToEndOpenAI)
#include "tst_endtoendopenai.moc"
