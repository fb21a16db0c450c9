// SPDX-License-Identifier: Apache-2.0
// `t2ibench-cli run --events` against the real emulator: the stream is well formed and agrees
// with the library; --cancel-on-stdin-close cancels a run whose stdin closes, keeping its records;
// --providers/--variants run only what they name.
#include "clifixture.h"

#include "store/store.h"

#include <set>

using namespace t2itest;
using nlohmann::json;

namespace {

// Two providers (instant and steady) x one variant; the instant one is short.
std::string twoProviderConfig(const std::string& truthPath)
{
    json config = json::parse(instantRunConfig("ev", json::object(), truthPath, 256, 1));
    json steady = config["providers"][0];
    steady["id"] = "slow";
    steady["profile"] = "steady";
    config["providers"].push_back(steady);
    config["workload"]["health_interval_s"] = 1;
    return config.dump();
}

std::vector<json> parseLines(const QByteArray& out)
{
    std::vector<json> events;
    for (const QByteArray& line : out.split('\n')) {
        if (line.isEmpty())
            continue;
        events.push_back(json::parse(line.toStdString(), nullptr, false));
    }
    return events;
}

} // namespace

class TestRunEvents : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void everyLineIsAnEventAndTheCountsAgreeWithTheLibrary()
    {
        const QString db = m_dir.filePath("events.db");
        const QString config = m_dir.filePath("events.json");
        writeFile(config, twoProviderConfig(m_dir.filePath("events-truth.jsonl").toStdString()));
        const CliResult result = runCli({ "run", config, "--db", db, "--events", "--providers", "ev" });
        QVERIFY2(result.exitCode == 0, result.err.constData());

        const std::vector<json> events = parseLines(result.out);
        QVERIFY(events.size() >= 4);
        for (const json& event : events) {
            QVERIFY2(event.is_object() && event.contains("event"), event.dump().c_str());
        }
        QCOMPARE(events.front()["event"].get<std::string>(), std::string("plan"));
        QCOMPARE(events.front()["runs"].size(), std::size_t(1)); // --providers kept one of the two
        QCOMPARE(events.front()["runs"][0]["name"].get<std::string>(), std::string("ev/ev/v256"));
        QCOMPARE(events.back()["event"].get<std::string>(), std::string("done"));
        QCOMPARE(events.back()["exit_code"].get<int>(), 0);

        std::string runId;
        std::size_t requests = 0, ok = 0;
        std::set<std::int64_t> seqs;
        int progress = 0, ends = 0, workers = 0;
        bool started = false;
        for (const json& event : events) {
            const std::string kind = event["event"];
            if (kind == "run_start") {
                runId = event["run_id"];
                started = true;
                QCOMPARE(event["index"].get<int>(), 0);
            } else if (kind == "requests") {
                QVERIFY2(started, "requests come after their run's start");
                QVERIFY(!event["items"].empty());
                for (const json& item : event["items"]) {
                    for (const char* key : { "seq", "end_ms", "latency_ms", "ok", "error", "cold", "detection_lag_ms" })
                        QVERIFY2(item.contains(key), key);
                    QVERIFY(seqs.insert(item["seq"].get<std::int64_t>()).second);
                    ++requests;
                    ok += item["ok"].get<bool>();
                    QVERIFY(item["ok"].get<bool>() ? item["error"].is_null() : item["error"].is_string());
                }
            } else if (kind == "progress") {
                ++progress;
                for (const char* key : { "elapsed_ms", "eta_ms", "sent", "done", "ok", "errors", "in_flight", "phase",
                         "committed_usd", "budget_usd" })
                    QVERIFY2(event.contains(key), key);
            } else if (kind == "workers") {
                ++workers;
                for (const char* key :
                    { "index", "t_ms", "ready", "running", "idle", "initializing", "in_queue", "in_progress" })
                    QVERIFY2(event.contains(key), key);
            } else if (kind == "run_end") {
                ++ends;
                QCOMPARE(event["run_id"].get<std::string>(), runId);
                QCOMPARE(event["status"].get<std::string>(), std::string("completed"));
            }
        }
        QVERIFY(progress >= 1);
        QVERIFY(workers >= 1); // the health sample taken as the run starts
        QCOMPARE(ends, 1);

        auto store = t2i::Store::open(db.toStdString());
        const auto runs = store->listRuns();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(runs.front().id, runId);
        const auto records = store->records(runId);
        QCOMPARE(requests, records.size()); // warm-up included: every record stored was streamed
        std::size_t storedOk = 0;
        for (const auto& record : records) {
            storedOk += record.ok;
            QVERIFY(seqs.count(record.seq));
        }
        QCOMPARE(ok, storedOk);
    }

    void anUnknownProviderOrVariantIsAUsageErrorNamingIt_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("named");
        QTest::newRow("a provider the config does not have") << "--providers"
                                                             << "ev,nope"
                                                             << "\"nope\"";
        QTest::newRow("a variant the config does not have") << "--variants"
                                                            << "v999"
                                                            << "\"v999\"";
    }
    void anUnknownProviderOrVariantIsAUsageErrorNamingIt()
    {
        QFETCH(QString, option);
        QFETCH(QString, value);
        QFETCH(QString, named);
        const QString db = m_dir.filePath("unknown.db");
        const QString config = m_dir.filePath("unknown.json");
        writeFile(config, twoProviderConfig(m_dir.filePath("unknown-truth.jsonl").toStdString()));
        const CliResult result = runCli({ "run", config, "--db", db, "--events", option, value });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(named.toUtf8()), result.err.constData());
        QVERIFY(!QFile::exists(db)); // nothing was written
    }

    void closingStdinCancelsTheRunAndKeepsItsRecords()
    {
        const QString db = m_dir.filePath("stdin.db");
        const QString config = m_dir.filePath("stdin.json");
        json c = json::parse(twoProviderConfig(m_dir.filePath("stdin-truth.jsonl").toStdString()));
        c["workload"]["warmup_requests"] = 0;
        c["workload"]["steps"] = json::array({ { { "kind", "closed" }, { "concurrency", 4 }, { "duration_s", 120 } } });
        writeFile(config, c.dump());
        QProcess cli;
        cli.start(
            cliPath(), { "run", config, "--db", db, "--events", "--cancel-on-stdin-close", "--providers", "slow" });
        QVERIFY(cli.waitForStarted());
        // Wait until the stream has reported finished requests, then go away as a parent would.
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += cli.readAllStandardOutput()).contains("\"event\":\"requests\""), 60000);
        cli.closeWriteChannel();
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 130);
        out += cli.readAllStandardOutput();
        const std::vector<json> events = parseLines(out);
        QCOMPARE(events.back()["event"].get<std::string>(), std::string("done"));
        QCOMPARE(events.back()["exit_code"].get<int>(), 130);
        std::string endStatus;
        std::size_t streamed = 0;
        for (const json& event : events) {
            if (event["event"] == "run_end")
                endStatus = event["status"];
            if (event["event"] == "requests")
                streamed += event["items"].size();
        }
        QCOMPARE(endStatus, std::string("cancelled"));

        auto store = t2i::Store::open(db.toStdString());
        const auto runs = store->listRuns();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(int(runs.front().status), int(t2i::RunStatus::Cancelled));
        const auto records = store->records(runs.front().id);
        QVERIFY(!records.empty());
        QCOMPARE(streamed, records.size());
    }

    void aReaderThatGoesAwayLeavesACancelledRunNotADeadOne()
    {
        // As when the dashboard dies: nobody reads stdout any more (here `head` stops after three
        // lines, so the CLI's next writes meet a closed pipe) and stdin reaches end of file.
        const QString db = m_dir.filePath("gone.db");
        const QString config = m_dir.filePath("gone.json");
        json c = json::parse(twoProviderConfig(m_dir.filePath("gone-truth.jsonl").toStdString()));
        c["workload"]["warmup_requests"] = 0;
        c["workload"]["steps"] = json::array({ { { "kind", "closed" }, { "concurrency", 4 }, { "duration_s", 120 } } });
        writeFile(config, c.dump());
        QProcess pipeline;
        pipeline.start("sh",
            { "-c", "\"$0\" \"$@\" | head -n 3 >/dev/null", cliPath(), "run", config, "--db", db, "--events",
                "--cancel-on-stdin-close", "--providers", "slow" });
        QVERIFY(pipeline.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(t2itest::firstRunRecordCount(db) >= 4, 60000); // well after head has gone
        pipeline.closeWriteChannel();
        QVERIFY(pipeline.waitForFinished(60000));
        auto store = t2i::Store::open(db.toStdString());
        const auto runs = store->listRuns();
        QCOMPARE(runs.size(), std::size_t(1));
        // A CLI killed by SIGPIPE would have left the run "running" (then "interrupted").
        QCOMPARE(std::string(t2i::toString(runs.front().status)), std::string("cancelled"));
        QVERIFY(store->records(runs.front().id).size() >= 4);
    }
};

QTEST_GUILESS_MAIN(TestRunEvents)
#include "tst_runevents.moc"
