// SPDX-License-Identifier: Apache-2.0
// Ctrl-C on a run against each emulator front whose platform has a cancel route (RunPod
// POST /cancel/{id}, Replicate POST /v1/predictions/{id}/cancel, fal PUT .../requests/{id}/cancel):
// no job is left running on the platform. The emulator writes a truth line for every job that
// reaches a final state, and drops jobs still queued or running when it stops, so a job the client
// submitted and did not see end is one without a truth line.
#include "clifixture.h"

#include "store/store.h"

#include <algorithm>
#include <csignal>

using namespace t2itest;
using nlohmann::json;

namespace {

// A long closed loop that keeps jobs in flight, so there is something to cancel.
std::string longConfig(const std::string& protocol, const std::string& truthPath)
{
    json config = json::parse(smallConfig("steady", truthPath));
    json& provider = config["providers"][0];
    provider["protocol"] = protocol;
    if (protocol == "fal")
        provider["app"] = "fal-ai/fast-sdxl";
    config["workload"]["warmup_requests"] = 0;
    config["workload"]["steps"]
        = json::array({ { { "kind", "closed" }, { "concurrency", 6 }, { "duration_s", 120 } } });
    return config.dump();
}

} // namespace

class TestCancelFronts : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void ctrlCLeavesNoJobRunning_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::newRow("runpod") << "runpod";
        QTest::newRow("replicate") << "replicate";
        QTest::newRow("fal") << "fal";
    }
    void ctrlCLeavesNoJobRunning()
    {
        QFETCH(QString, protocol);
        const QString db = m_dir.filePath(protocol + ".db");
        const QString truthPath = m_dir.filePath(protocol + "-truth.jsonl");
        const QString config = m_dir.filePath(protocol + ".json");
        writeFile(config, longConfig(protocol.toStdString(), truthPath.toStdString()));
        QProcess cli;
        cli.start(cliPath(), { "run", config, "--db", db });
        QVERIFY(cli.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(t2itest::firstRunRecordCount(db) >= 8, 60000);
        ::kill(pid_t(cli.processId()), SIGINT);
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 130);

        auto store = t2i::Store::open(db.toStdString());
        const auto runs = store->listRuns();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(int(runs.front().status), int(t2i::RunStatus::Cancelled));
        const auto records = store->records(runs.front().id);
        int cancelled = 0;
        for (const auto& r : records)
            cancelled += r.errorClass == t2i::ErrorClass::Cancelled;
        QVERIFY2(cancelled >= 1, "jobs in flight at Ctrl-C are recorded as cancelled");

        // The emulator stopped in order (its ledger is the last line), and every job the client
        // submitted had ended there before: cancelled, or finished in the race with the cancel.
        const Truth truth = readTruth(truthPath);
        QVERIFY(!truth.ledger.is_null());
        for (const auto& r : records) {
            if (r.jobId.empty())
                continue;
            QVERIFY2(truth.jobs.count(r.jobId), ("left running on the platform: " + r.jobId).c_str());
            const json& job = truth.jobs.at(r.jobId);
            QCOMPARE(QString::fromStdString(job["front"].get<std::string>()), protocol);
            const std::string status = job["status"].get<std::string>();
            if (r.errorClass == t2i::ErrorClass::Cancelled)
                QVERIFY2(status == "CANCELLED" || status == "COMPLETED", (r.jobId + ": " + status).c_str());
            else
                QVERIFY2(status != "IN_QUEUE" && status != "IN_PROGRESS", (r.jobId + ": " + status).c_str());
        }
        // And nothing ran there that the client did not know of.
        for (const auto& [id, job] : truth.jobs) {
            const bool known
                = std::any_of(records.begin(), records.end(), [&](const auto& r) { return r.jobId == id; });
            QVERIFY2(known, ("a job the run never recorded: " + id).c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestCancelFronts)
#include "tst_cancelfronts.moc"
