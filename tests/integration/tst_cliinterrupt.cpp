// SPDX-License-Identifier: Apache-2.0
// Stopping a run: Ctrl-C cancels in-flight jobs on the platform and keeps what finished;
// kill -9 leaves the committed records and an "interrupted" run behind.
#include "clifixture.h"

#include "store/store.h"

#include <csignal>

using namespace t2itest;
using nlohmann::json;

namespace {

// A long closed loop that keeps jobs in flight, so there is something to cancel.
std::string longConfig(const std::string& truthPath)
{
    json config = json::parse(smallConfig("steady", truthPath));
    config["workload"]["warmup_requests"] = 0;
    config["workload"]["steps"]
        = json::array({ { { "kind", "closed" }, { "concurrency", 6 }, { "duration_s", 120 } } });
    return config.dump();
}

} // namespace

class TestCliInterrupt : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void ctrlCCancelsInFlightJobsOnThePlatformAndKeepsRecords()
    {
        const QString db = m_dir.filePath("cancel.db");
        const QString truthPath = m_dir.filePath("cancel-truth.jsonl");
        const QString config = m_dir.filePath("long.json");
        writeFile(config, longConfig(truthPath.toStdString()));
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
        QVERIFY(records.size() >= 8);
        int cancelled = 0;
        for (const auto& r : records)
            cancelled += r.errorClass == t2i::ErrorClass::Cancelled;
        QVERIFY2(cancelled >= 1, "jobs in flight at Ctrl-C are recorded as cancelled");

        // Every job the client submitted ended on the platform (none left running and billing):
        // the emulator writes a truth line for each job that reaches a final state.
        const Truth truth = readTruth(truthPath);
        QVERIFY(!truth.ledger.is_null());
        for (const auto& r : records) {
            if (r.jobId.empty())
                continue;
            QVERIFY2(truth.jobs.count(r.jobId), r.jobId.c_str());
            const std::string status = truth.jobs.at(r.jobId)["status"].get<std::string>();
            if (r.errorClass == t2i::ErrorClass::Cancelled)
                QVERIFY2(status == "CANCELLED" || status == "COMPLETED", status.c_str());
        }
    }

    void killMinus9LeavesAnInterruptedRunWithItsRecords()
    {
        const QString db = m_dir.filePath("kill.db");
        const QString config = m_dir.filePath("long2.json");
        writeFile(config, longConfig(m_dir.filePath("kill-truth.jsonl").toStdString()));
        QProcess cli;
        cli.start(cliPath(), { "run", config, "--db", db });
        QVERIFY(cli.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(t2itest::firstRunRecordCount(db) >= 8, 60000);
        const std::size_t before = t2itest::firstRunRecordCount(db);
        ::kill(pid_t(cli.processId()), SIGKILL);
        QVERIFY(cli.waitForFinished(10000));

        auto store = t2i::Store::open(db.toStdString());
        QCOMPARE(store->interruptedOnOpen(), 1);
        const auto runs = store->listRuns();
        QCOMPARE(int(runs.front().status), int(t2i::RunStatus::Interrupted));
        QVERIFY(store->records(runs.front().id).size() >= before);
    }
};

QTEST_GUILESS_MAIN(TestCliInterrupt)
#include "tst_cliinterrupt.moc"
