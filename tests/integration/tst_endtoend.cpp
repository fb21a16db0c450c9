// SPDX-License-Identifier: Apache-2.0
// One real run end to end: t2ibench-cli -> libcurl -> the built-in emulator over loopback ->
// SQLite, checked against the emulator's ground truth of every job.
#include "clifixture.h"

#include "store/store.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>

using namespace t2itest;
using nlohmann::json;

class TestEndToEnd : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;
    std::string m_runId;
    json m_show;
    json m_rows;
    Truth m_truth;
    static constexpr int kPollMs = 100;

    json measuredOk() const
    {
        json out = json::array();
        for (const auto& row : m_rows)
            if (row["status"] == "ok" && row["step"].get<int>() >= 0)
                out.push_back(row);
        return out;
    }
    const json& truthOf(const json& row) const { return m_truth.jobs.at(row["job_id"].get<std::string>()); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath("library.db");
        const QString config = m_dir.filePath("small.json");
        writeFile(config, smallConfig("fast-scaling", m_dir.filePath("truth.jsonl").toStdString(), kPollMs));
        const CliResult run = runCli({ "run", config, "--db", m_db, "--json" });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const json ids = json::parse(run.out.toStdString());
        QCOMPARE(ids["runs"].size(), std::size_t(1));
        m_runId = ids["runs"][0].get<std::string>();

        const CliResult show = runCli({ "show", QString::fromStdString(m_runId), "--db", m_db, "--json" });
        QCOMPARE(show.exitCode, 0);
        m_show = json::parse(show.out.toStdString());
        const QString exported = m_dir.filePath("export.json");
        const CliResult exportRun = runCli(
            { "export", QString::fromStdString(m_runId), "--db", m_db, "--format", "json", "--out", exported });
        QVERIFY2(exportRun.exitCode == 0, exportRun.err.constData());
        QFile file(exported);
        QVERIFY(file.open(QIODevice::ReadOnly));
        m_rows = json::parse(file.readAll().toStdString());
        m_truth = readTruth(m_dir.filePath("truth.jsonl"));
    }

    void theRunCompletesWithEveryRequestOk()
    {
        QCOMPARE(m_show["status"].get<std::string>(), std::string("completed"));
        QVERIFY(m_show["requests"].get<int>() >= 10);
        QCOMPARE(m_show["errors"].get<int>(), 0);
        QVERIFY(m_show["throughput_ips"].get<double>() > 0);
        QVERIFY(!m_truth.ledger.is_null()); // the emulator was stopped in order and wrote its ledger
    }

    void everyRequestIsAJobThePlatformKnows()
    {
        for (const auto& row : m_rows)
            QVERIFY2(m_truth.jobs.count(row["job_id"].get<std::string>()), row.dump().c_str());
        QCOMPARE(m_truth.jobs.size(), m_rows.size());
    }

    void platformQueueAndExecutionEqualTheTruth()
    {
        for (const auto& row : m_rows) {
            if (row["status"] != "ok")
                continue;
            const json& truth = truthOf(row);
            QCOMPARE(row["queue_ms"].get<double>(), truth["queue_ms"].get<double>());
            QCOMPARE(row["exec_ms"].get<double>(), truth["exec_ms"].get<double>());
            QCOMPARE(row["worker_id"].get<std::string>(), truth["worker_id"].get<std::string>());
        }
    }

    void latencyIsNeverBelowTheTruthAndWithinOnePollAtP99()
    {
        std::vector<double> excess;
        for (const auto& row : m_rows) {
            if (row["status"] != "ok")
                continue;
            const json& truth = truthOf(row);
            const double platform = truth["finish_ms"].get<double>() - truth["arrival_ms"].get<double>();
            const double client = row["latency_ms"].get<double>();
            // The truth is in whole ms; the client's clock is finer, so allow the truth's rounding.
            QVERIFY2(client >= platform - 1.0, row.dump().c_str());
            excess.push_back(client - platform);
        }
        std::sort(excess.begin(), excess.end());
        const double p99 = excess[std::size_t(std::ceil(0.99 * double(excess.size()))) - 1];
        QVERIFY2(p99 <= kPollMs + 20, qPrintable(QStringLiteral("p99 excess %1 ms").arg(p99)));
    }

    void coldLabelsAgreeWithTheTruth()
    {
        int agree = 0, total = 0, cold = 0;
        for (const auto& row : m_rows) {
            if (row["status"] != "ok")
                continue;
            const bool truthCold = truthOf(row)["cold"].get<bool>();
            cold += truthCold;
            agree += (row["cold"].is_boolean() && row["cold"].get<bool>()) == truthCold;
            ++total;
        }
        QVERIFY(cold >= 1); // the first request and the probe were cold: there is something to agree on
        QVERIFY2(agree >= 0.95 * total, qPrintable(QStringLiteral("%1 of %2 agree").arg(agree).arg(total)));
    }

    void percentilesRecomputedFromTheExportEqualShow()
    {
        std::vector<double> latencies;
        for (const auto& row : measuredOk())
            latencies.push_back(row["latency_ms"].get<double>());
        std::sort(latencies.begin(), latencies.end());
        const auto nearestRank
            = [&](double p) { return latencies[std::size_t(std::ceil(p * double(latencies.size()) - 1e-9)) - 1]; };
        const auto rounded = [](double v) { return std::round(v * 1000.0) / 1000.0; };
        QCOMPARE(m_show["latency_ms"]["p50"].get<double>(), rounded(nearestRank(0.50)));
        QCOMPARE(m_show["latency_ms"]["p90"].get<double>(), rounded(nearestRank(0.90)));
        QCOMPARE(m_show["latency_ms"]["p95"].get<double>(), rounded(nearestRank(0.95)));
        QCOMPARE(m_show["latency_ms"]["p99"].get<double>(), rounded(nearestRank(0.99)));
        QCOMPARE(m_show["latency_ms"]["max"].get<double>(), rounded(latencies.back()));
        const auto ci = m_show["latency_ci95_ms"]["p50"];
        QVERIFY(ci[0].get<double>() <= m_show["latency_ms"]["p50"].get<double>());
        QVERIFY(ci[1].get<double>() >= m_show["latency_ms"]["p50"].get<double>());
    }

    void imagesWereCheckedAndHashed()
    {
        for (const auto& row : measuredOk()) {
            QCOMPARE(row["width"].get<int>(), 512);
            QCOMPARE(row["height"].get<int>(), 512);
            QCOMPARE(row["image_hash"].get<std::string>().size(), std::size_t(64));
        }
    }

    void workerSamplesWereTakenEachSecond()
    {
        // The health sampler asked /health about once a second; the platform booted workers
        // during the run, so some sample saw one initializing or running.
        auto store = t2i::Store::open(m_db.toStdString());
        const auto samples = store->workerSamples(m_runId);
        QVERIFY2(samples.size() >= 5, qPrintable(QString::number(samples.size())));
        QVERIFY(std::any_of(
            samples.begin(), samples.end(), [](const t2i::WorkerSample& s) { return s.initializing + s.running > 0; }));
        QVERIFY(
            std::is_sorted(samples.begin(), samples.end(), [](const auto& a, const auto& b) { return a.tMs < b.tMs; }));
    }

    void csvExportHasAHeaderAndEveryRequest()
    {
        const CliResult csv = runCli({ "export", QString::fromStdString(m_runId), "--db", m_db, "--format", "csv" });
        QCOMPARE(csv.exitCode, 0);
        QCOMPARE(csv.out.count('\n'), qsizetype(m_rows.size() + 1));
        QVERIFY(csv.out.startsWith("seq,step,"));
    }

    void compareShowsBothRunsAndTheirDifferences()
    {
        const CliResult compare = runCli(
            { "compare", QString::fromStdString(m_runId), QString::fromStdString(m_runId), "--db", m_db, "--json" });
        QCOMPARE(compare.exitCode, 0);
        const json j = json::parse(compare.out.toStdString());
        QCOMPARE(j["runs"].size(), std::size_t(2));
        QCOMPARE(j["differences"].size(), std::size_t(1));
    }

    void badConfigurationIsRefusedNamingThePathAndWritesNothing()
    {
        json config = json::parse(smallConfig("fast-scaling", "truth.jsonl"));
        config["workload"]["steps"][2]["rate"] = -4;
        const QString path = m_dir.filePath("bad.json");
        writeFile(path, config.dump());
        const QString db = m_dir.filePath("never.db");
        const CliResult run = runCli({ "run", path, "--db", db });
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("workload.steps[2].rate"), run.err.constData());
        QVERIFY(run.err.contains("bad.json"));
        QVERIFY(!QFile::exists(db));
    }

    void missingApiKeyIsRefusedBeforeAnythingRuns()
    {
        json config = json::parse(smallConfig("fast-scaling", "truth.jsonl"));
        config["providers"][0] = { { "id", "rp" }, { "type", "runpod" }, { "endpoint_id", "abc" },
            { "api_key_env", "T2I_TEST_UNSET_KEY_VAR" } };
        const QString path = m_dir.filePath("nokey.json");
        writeFile(path, config.dump());
        const QString db = m_dir.filePath("never2.db");
        const CliResult run = runCli({ "run", path, "--db", db });
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("T2I_TEST_UNSET_KEY_VAR"), run.err.constData());
        QVERIFY(!QFile::exists(db));
    }
    void unreadableComfyUiWorkflowIsRefusedNamingTheFile_data()
    {
        QTest::addColumn<QString>("workflowText"); // empty: the file does not exist
        QTest::addColumn<QString>("expected");
        QTest::newRow("a workflow file that does not exist") << QString() << "cannot be read";
        QTest::newRow("a workflow file that is not JSON") << "{not json"
                                                          << "is not valid JSON";
    }

    // The adapter reads its workflow when it is made; a bad one once aborted the CLI (exit 134).
    void unreadableComfyUiWorkflowIsRefusedNamingTheFile()
    {
        QFETCH(QString, workflowText);
        QFETCH(QString, expected);
        const QString workflow
            = m_dir.filePath(workflowText.isEmpty() ? "absent-workflow.json" : "broken-workflow.json");
        if (!workflowText.isEmpty())
            writeFile(workflow, workflowText.toStdString());
        json config = json::parse(smallConfig("fast-scaling", "truth.jsonl"));
        config["providers"][0] = { { "id", "c" }, { "type", "comfyui" }, { "base_url", "http://127.0.0.1:9" },
            { "workflow", workflow.toStdString() } };
        const QString path = m_dir.filePath("comfy.json");
        writeFile(path, config.dump());
        const QString db = m_dir.filePath("never3.db");
        const CliResult run = runCli({ "run", path, "--db", db });
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QFileInfo(workflow).fileName().toUtf8()), run.err.constData());
        QVERIFY2(run.err.contains(expected.toUtf8()), run.err.constData());
        QVERIFY(!QFile::exists(db));
    }
};

QTEST_GUILESS_MAIN(TestEndToEnd)
#include "tst_endtoend.moc"
