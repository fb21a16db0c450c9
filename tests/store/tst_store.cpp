// SPDX-License-Identifier: Apache-2.0
// The run library's contents: round trips of every field, lookups and deletion.
// Opening, migration and interrupted runs are in tst_store_open.cpp.

#include "store/store.h"
#include "storetestutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <array>

using namespace t2i;
using namespace t2i::test;

namespace {
std::string dbIn(const QTemporaryDir& dir)
{
    return dir.filePath(QStringLiteral("library.db")).toStdString();
}
} // namespace

class TestStore : public QObject {
    Q_OBJECT

private slots:
    void recordRoundTrip_data();
    void recordRoundTrip();
    void runRoundTrip_data();
    void runRoundTrip();
    void workerSamplesRoundTrip();
    void gpuSamplesRoundTripWithUnknownFields();
    void listRunsNewestFirst();
    void findRun_data();
    void findRun();
    void deleteRunRemovesItsRows();
    void runNotesRoundTrip();
};

void TestStore::recordRoundTrip_data()
{
    QTest::addColumn<int>("variant");
    QTest::newRow("every field set comes back equal") << 0;
    QTest::newRow("absent optionals are stored as NULL and come back absent") << 1;
    QTest::newRow("a failed request keeps its error class, message and no HTTP answer") << 2;
}

void TestStore::recordRoundTrip()
{
    QFETCH(int, variant);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = Store::open(dbIn(dir));
    store->createRun(makeRun("r1"));

    RequestRecord want = makeFullRecord(7);
    if (variant >= 1) {
        want.acceptedMs.reset();
        want.startedMs.reset();
        want.downloadedMs.reset();
        want.queueMs.reset();
        want.execMs.reset();
        want.downloadMs.reset();
        want.width.reset();
        want.height.reset();
        want.cold = ColdLabel::Unknown;
        want.workerId.clear();
    }
    if (variant == 2) {
        want.ok = false;
        want.errorClass = ErrorClass::Transport;
        want.errorMessage = "connection refused";
        want.httpStatus = 0;
        want.providerStatus.clear();
        want.jobId.clear();
        want.imageHash.clear();
        want.images = 0;
    }
    const std::array records { want };
    store->insertRecords("r1", records);

    const auto got = store->records("r1");
    QCOMPARE(got.size(), std::size_t(1));
    compareRecords(got.front(), want);
    if (QTest::currentTestFailed())
        return;

    // What an analyst sees in SQL: unknown is NULL, never 0.
    RawDb raw(dbIn(dir));
    const std::string nullCount = raw.scalar(
        "SELECT (accepted_ms IS NULL) + (started_ms IS NULL) + (downloaded_ms IS NULL) + (queue_ms IS NULL)"
        " + (exec_ms IS NULL) + (download_ms IS NULL) + (width IS NULL) + (height IS NULL) + (worker_id IS NULL)"
        " FROM requests WHERE run_id = 'r1'");
    QCOMPARE(nullCount, variant == 0 ? std::string("0") : std::string("9"));
    QCOMPARE(std::stod(raw.scalar("SELECT latency_ms FROM requests")), want.latencyMs()); // derived, stored for SQL
    QCOMPARE(raw.scalar("SELECT typeof(http_status) || ',' || typeof(error_class) FROM requests"),
        variant == 2 ? std::string("null,text") : std::string("integer,null"));
}

void TestStore::runRoundTrip_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("finished");
    QTest::newRow("a completed run keeps every field")
        << int(RunStatus::Completed) << QStringLiteral("2026-01-31T12:10:00Z");
    QTest::newRow("a running run has no finish time") << int(RunStatus::Running) << QString();
    QTest::newRow("a failed run keeps its message") << int(RunStatus::Failed) << QStringLiteral("2026-01-31T12:01:00Z");
}

void TestStore::runRoundTrip()
{
    QFETCH(int, status);
    QFETCH(QString, finished);
    QTemporaryDir dir;
    auto store = Store::open(dbIn(dir));
    RunInfo want = makeRun("r20260131-120000-3fa2", RunStatus::Created);
    store->createRun(want);
    want.status = static_cast<RunStatus>(status);
    want.finished = finished.toStdString();
    want.durationMs = 600'123.5;
    want.message = want.status == RunStatus::Failed ? "401 from the platform: check the key" : "";
    want.environmentJson = R"({"tool":"t2ibench 0.1.0","os":"Debian 12"})";
    store->updateRun(want);

    const auto got = store->findRun(want.id);
    QVERIFY(got.has_value());
    QCOMPARE(got->id, want.id);
    QCOMPARE(got->name, want.name);
    QCOMPARE(name(got->status), name(want.status));
    QCOMPARE(got->providerId, want.providerId);
    QCOMPARE(got->providerType, want.providerType);
    QCOMPARE(got->variantId, want.variantId);
    QCOMPARE(got->configJson, want.configJson);
    QCOMPARE(got->environmentJson, want.environmentJson);
    QCOMPARE(got->created, want.created);
    QCOMPARE(got->finished, want.finished);
    QCOMPARE(got->durationMs, want.durationMs);
    QCOMPARE(got->message, want.message);
    RawDb raw(dbIn(dir));
    QCOMPARE(raw.scalar("SELECT typeof(finished) FROM runs"),
        finished.isEmpty() ? std::string("null") : std::string("text"));
    QCOMPARE(raw.scalar("SELECT owner_pid FROM runs"), std::to_string(getpid()));
}

void TestStore::workerSamplesRoundTrip()
{
    QTemporaryDir dir;
    auto store = Store::open(dbIn(dir));
    store->createRun(makeRun("r1"));
    WorkerSample later { 2000.0, 1, 2, 3, 4, 5, 6, 7, 8, 9'000'000'000L, 10 };
    WorkerSample earlier { 1000.0, 0, 1, 0, 1, 0, 0, 12, 1, 5, 0 };
    const std::array samples { later, earlier };
    store->insertWorkerSamples("r1", samples);
    const auto got = store->workerSamples("r1");
    QCOMPARE(got.size(), std::size_t(2));
    QCOMPARE(got[0].tMs, 1000.0);
    QCOMPARE(got[0].inQueue, 12);
    QCOMPARE(got[1].idle, 1);
    QCOMPARE(got[1].running, 2);
    QCOMPARE(got[1].initializing, 3);
    QCOMPARE(got[1].ready, 4);
    QCOMPARE(got[1].throttled, 5);
    QCOMPARE(got[1].unhealthy, 6);
    QCOMPARE(got[1].inQueue, 7);
    QCOMPARE(got[1].inProgress, 8);
    QCOMPARE(got[1].completed, 9'000'000'000L);
    QCOMPARE(got[1].failed, 10L);
}

void TestStore::gpuSamplesRoundTripWithUnknownFields()
{
    QTemporaryDir dir;
    auto store = Store::open(dbIn(dir));
    store->createRun(makeRun("r1"));
    store->insertGpuSample("r1", GpuSample { 500.0, 1, std::nullopt, 3.0, 81559.0 });
    store->insertGpuSample(
        "r1", GpuSample { -1200.5, 0, 37.0, 1024.0, 81559.0 }); // before the workload: a model loading
    store->insertGpuSample("r1", GpuSample { 500.0, 0, 99.0, 60000.0, 81559.0 });
    const auto got = store->gpuSamples("r1");
    QCOMPARE(got.size(), std::size_t(3));
    QCOMPARE(got[0].tMs, -1200.5);
    QCOMPARE(*got[0].utilizationPct, 37.0);
    QCOMPARE(got[1].gpu, 0); // same time: ordered by GPU
    QCOMPARE(got[2].gpu, 1);
    QVERIFY(!got[2].utilizationPct); // NULL, not 0
    QCOMPARE(*got[2].memoryUsedMiB, 3.0);
    RawDb raw(dbIn(dir));
    QCOMPARE(raw.scalar("SELECT count(*) FROM gpu_samples WHERE utilization_pct IS NULL"), std::string("1"));
}

void TestStore::listRunsNewestFirst()
{
    QTemporaryDir dir;
    auto store = Store::open(dbIn(dir));
    store->createRun(makeRun("b", RunStatus::Completed, "2026-01-02T00:00:00Z"));
    store->createRun(makeRun("c", RunStatus::Completed, "2026-01-03T00:00:00Z"));
    store->createRun(makeRun("a", RunStatus::Completed, "2026-01-01T00:00:00Z"));
    store->createRun(makeRun("c2", RunStatus::Completed, "2026-01-03T00:00:00Z")); // same second, created later
    const auto runs = store->listRuns();
    QCOMPARE(runs.size(), std::size_t(4));
    QCOMPARE(runs[0].id, std::string("c2"));
    QCOMPARE(runs[1].id, std::string("c"));
    QCOMPARE(runs[2].id, std::string("b"));
    QCOMPARE(runs[3].id, std::string("a"));
}

void TestStore::findRun_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("expected"); // empty: nothing found
    QTest::newRow("a full id is found") << "r20260131-120000-3fa2"
                                        << "r20260131-120000-3fa2";
    QTest::newRow("a unique prefix is found") << "r20260131-12"
                                              << "r20260131-120000-3fa2";
    QTest::newRow("an ambiguous prefix finds nothing") << "r2026"
                                                       << "";
    QTest::newRow("an id that prefixes another is found exactly") << "r20260201-0900"
                                                                  << "r20260201-0900";
    QTest::newRow("an unknown id finds nothing") << "x"
                                                 << "";
    QTest::newRow("an empty query finds nothing") << ""
                                                  << "";
    QTest::newRow("prefix matching is case-sensitive") << "R20260131"
                                                       << "";
    QTest::newRow("an underscore is not a wildcard") << "r2026013_"
                                                     << "";
}

void TestStore::findRun()
{
    QFETCH(QString, query);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    auto store = Store::open(dbIn(dir));
    for (const char* id : { "r20260131-120000-3fa2", "r20260201-0900", "r20260201-0900-b" })
        store->createRun(makeRun(id, RunStatus::Completed));
    const auto found = store->findRun(query.toStdString());
    QCOMPARE(found.has_value(), !expected.isEmpty());
    if (found)
        QCOMPARE(found->id, expected.toStdString());
}

void TestStore::deleteRunRemovesItsRows()
{
    QTemporaryDir dir;
    auto store = Store::open(dbIn(dir));
    for (const char* id : { "keep", "drop" }) {
        store->createRun(makeRun(id, RunStatus::Completed));
        const std::array records { makeFullRecord(0), makeFullRecord(1) };
        store->insertRecords(id, records);
        const std::array samples { WorkerSample { 1.0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0 } };
        store->insertWorkerSamples(id, samples);
        store->insertGpuSample(id, GpuSample { 1.0, 0, 50.0, 1.0, 2.0 });
    }
    QVERIFY(store->deleteRun("drop"));
    QVERIFY(!store->deleteRun("drop"));
    QVERIFY(!store->findRun("drop"));
    QCOMPARE(store->recordCount("drop"), std::int64_t(0));
    QCOMPARE(store->recordCount("keep"), std::int64_t(2));
    RawDb raw(dbIn(dir));
    QCOMPARE(raw.scalar("SELECT count(*) FROM worker_samples WHERE run_id = 'drop'"), std::string("0"));
    QCOMPARE(raw.scalar("SELECT count(*) FROM worker_samples WHERE run_id = 'keep'"), std::string("1"));
    QCOMPARE(raw.scalar("SELECT count(*) FROM gpu_samples WHERE run_id = 'drop'"), std::string("0"));
    QCOMPARE(raw.scalar("SELECT count(*) FROM gpu_samples WHERE run_id = 'keep'"), std::string("1"));
}

void TestStore::runNotesRoundTrip()
{
    QTemporaryDir dir;
    auto store = Store::open(dbIn(dir));
    store->createRun(makeRun("r1", RunStatus::Completed));
    QCOMPARE(store->runNotes("r1")->tags, std::string());
    store->setRunNotes("r1", { "baseline,sdxl", "first try after the driver update" });
    QCOMPARE(store->runNotes("r1")->tags, std::string("baseline,sdxl"));
    QCOMPARE(store->runNotes("r1")->notes, std::string("first try after the driver update"));
    QVERIFY(!store->runNotes("nope"));
    QVERIFY_THROWS_EXCEPTION(StoreError, store->setRunNotes("nope", {}));
}

QTEST_APPLESS_MAIN(TestStore)
#include "tst_store.moc"
