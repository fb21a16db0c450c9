// SPDX-License-Identifier: Apache-2.0
// What bounds the client's memory when answers carry images of real size (docs/configuration.md,
// max_answer_mb and image_backlog_mb): a run through the real t2ibench-cli against the emulator,
// whose RunPod answers carry a 1024x1024 PNG of real size twice as base64 (about 4 MB each).
#include "clifixture.h"

#include "store/store.h"

using namespace t2itest;
using nlohmann::json;

class TestAnswerMemory : public QObject {
    Q_OBJECT
private slots:
    void limitsHoldEndToEnd_data()
    {
        QTest::addColumn<QString>("limits"); // the provider's keys (JSON)
        QTest::addColumn<bool>("ok"); // every request succeeds
        QTest::addColumn<double>("backlogMib"); // the image check's memory budget the run kept
        QTest::addColumn<double>("answerMib"); // the memory answers may hold as they arrive
        QTest::newRow("the defaults carry every image") << "{}" << true << 256.0 << 128.0;
        QTest::newRow("image_backlog_mb 0 sends waiting images to the file and still checks them")
            << R"({"image_backlog_mb": 0})" << true << 0.0 << 128.0;
        QTest::newRow("answer_memory_mb 4 takes one 4 MB answer at a time, all of them")
            << R"({"answer_memory_mb": 4})" << true << 256.0 << 4.0;
        QTest::newRow("an answer past max_answer_mb fails, naming the key")
            << R"({"max_answer_mb": 1})" << false << 256.0 << 128.0;
    }
    void limitsHoldEndToEnd()
    {
        QFETCH(QString, limits);
        QFETCH(bool, ok);
        QFETCH(double, backlogMib);
        QFETCH(double, answerMib);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString truthPath = dir.filePath("truth.jsonl");
        const QString configPath = dir.filePath("memory.json");
        const QString db = dir.filePath("lib.db");
        json provider = json::parse(limits.toStdString());
        provider["mode"] = "run";
        provider["seed"] = 5;
        writeFile(configPath, instantRunConfig("big", provider, truthPath.toStdString(), 1024, 1));

        const CliResult run = runCli({ "run", configPath, "--db", db, "--json" });
        QVERIFY2(!run.out.isEmpty(), run.err.constData());
        const std::string runId = json::parse(run.out.toStdString())["runs"][0].get<std::string>();
        auto store = t2i::Store::open(db.toStdString());
        const auto records = store->records(runId);
        QCOMPARE(records.size(), std::size_t(7)); // the warm-up and six measured
        const Truth truth = readTruth(truthPath);
        for (const auto& r : records) {
            QCOMPARE(r.ok, ok);
            if (ok) {
                QCOMPARE(r.width, 1024);
                // The image checked is the one the emulator made: its size is in the truth.
                QVERIFY2(truth.jobs.contains(r.jobId), r.jobId.c_str());
                QVERIFY(r.bytes > truth.jobs.at(r.jobId)["image_bytes"].get<std::int64_t>());
            } else {
                QVERIFY2(r.errorMessage.find("larger than the cap of 1048576 bytes per answer (max_answer_mb)")
                        != std::string::npos,
                    r.errorMessage.c_str());
            }
        }
        const auto stored = store->findRun(runId);
        QVERIFY(stored);
        const json client = json::parse(stored->environmentJson)["client"];
        QVERIFY2(client.contains("image_check"), client.dump().c_str());
        const json& check = client["image_check"];
        QCOMPARE(check["memory_budget_mib"].get<double>(), backlogMib);
        QCOMPARE(check["spill_failures"].get<int>(), 0);
        // Whether a job's images waited in the file depends on how far the checker was behind;
        // that they were checked right when they did is tst_imagechecker's to show.
        QVERIFY(check["spilled_jobs"].get<int>() <= 7);
        const json& answers = client["answer_memory"];
        QCOMPARE(answers["limit_mib"].get<double>(), answerMib);
        if (ok) // the answers were held whole while they arrived, and never more than the limit allows
            QVERIFY2(answers["peak_mib"].get<double>() >= 3.0
                    && answers["peak_mib"].get<double>() <= std::max(answerMib, 4.0),
                answers.dump().c_str());
    }
};

QTEST_GUILESS_MAIN(TestAnswerMemory)
#include "tst_answermemory.moc"
