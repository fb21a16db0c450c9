// SPDX-License-Identifier: Apache-2.0
// Opening the run library: schema migrations, refusals, repeated opens, and the runs that an
// open finds left "running" by a process that is gone.

#include "store/store.h"
#include "storetestutil.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <fstream>

using namespace t2i;
using namespace t2i::test;

namespace {
std::string dbIn(const QTemporaryDir& dir)
{
    return dir.filePath(QStringLiteral("library.db")).toStdString();
}

std::string thisHost()
{
    std::array<char, 256> name {};
    gethostname(name.data(), name.size() - 1);
    return name.data();
}

// A pid that certainly belonged to a process which is now gone: a child that exited and was reaped.
pid_t deadPid()
{
    const pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, nullptr, 0);
    return child;
}
} // namespace

namespace {

// Takes a library back to before schema version 6, as it was released.
const std::string dropVersion6 = [] {
    std::string sql;
    for (const char* call : { "submit", "final", "download" })
        for (const char* phase : { "dns", "connect", "tls", "ttfb", "transfer" })
            sql += std::string("ALTER TABLE requests DROP COLUMN ") + call + "_" + phase + "_ms; ";
    for (const char* column : { "poll_network_ms", "calls", "new_connections", "tls_handshakes" })
        sql += std::string("ALTER TABLE requests DROP COLUMN ") + column + "; ";
    return sql;
}();

// A library holding one run of one full record, taken back to an older schema by `downgradeSql`
// and opened again (which migrates it); returns the record as written.
RequestRecord reopenedAfterDowngrade(const std::string& path, const std::string& downgradeSql)
{
    const RequestRecord written = makeFullRecord(0);
    {
        auto store = Store::open(path);
        store->createRun(makeRun("r1", RunStatus::Completed));
        const std::array records { written };
        store->insertRecords("r1", records);
    }
    // Every downgrade goes below version 8, which added the studies.
    RawDb(path).exec("DROP TABLE study_runs; DROP TABLE studies; " + downgradeSql);
    return written;
}

// What a record read from such a library says of the network: nothing known.
void forgetNetwork(RequestRecord& r)
{
    r.submitNet.reset();
    r.finalNet.reset();
    r.downloadNet.reset();
    r.pollNetworkMs = 0;
    r.calls = r.newConnections = r.tlsHandshakes = 0;
}

} // namespace

class TestStoreOpen : public QObject {
    Q_OBJECT

private slots:
    void openMigrates_data();
    void openMigrates();
    void openRefuses_data();
    void openRefuses();
    void openingTwiceIsIdempotent();
    void openExistingNeverCreates_data();
    void openExistingNeverCreates();
    void openExistingReadsALibrary();
    void aVersion4LibraryKeepsItsRecords();
    void aVersion5LibraryKeepsItsRecords();
    void aVersion6LibraryTakesStoppedRuns();
    void aVersion7LibraryGainsStudies();
    void runningRunsOnOpen_data();
    void runningRunsOnOpen();
};

void TestStoreOpen::aVersion7LibraryGainsStudies()
{
    QTemporaryDir dir;
    const RequestRecord want = reopenedAfterDowngrade(dbIn(dir), "PRAGMA user_version = 7");
    auto store = Store::open(dbIn(dir));
    QCOMPARE(RawDb(dbIn(dir)).scalar("PRAGMA user_version"), std::to_string(Store::schemaVersion()));
    compareRecords(store->records("r1").at(0), want);
    QVERIFY(store->listStudies().empty());
    StudyInfo study;
    study.id = "s1";
    study.kind = "cold_start";
    study.created = "2026-12-08T00:00:00Z";
    store->createStudy(study);
    store->addStudyRun("s1", { "r1", "probe" });
    QCOMPARE(store->findStudy("s1")->runs.at(0).runId, std::string("r1"));
}

void TestStoreOpen::openMigrates_data()
{
    QTest::addColumn<QString>("setupSql"); // run on a bare database before Store::open
    QTest::newRow("a new file is created at the current version") << QString();
    QTest::newRow("an empty version-0 database is migrated") << "PRAGMA user_version = 0";
    QTest::newRow("a version-0 database with foreign tables keeps them")
        << "CREATE TABLE mine (x); INSERT INTO mine VALUES (1)";
}

void TestStoreOpen::openMigrates()
{
    QFETCH(QString, setupSql);
    QTemporaryDir dir;
    if (!setupSql.isEmpty())
        RawDb(dbIn(dir)).exec(setupSql.toStdString());
    auto store = Store::open(dbIn(dir));
    QVERIFY(Store::schemaVersion() >= 1);
    RawDb raw(dbIn(dir));
    QCOMPARE(raw.scalar("PRAGMA user_version"), std::to_string(Store::schemaVersion()));
    QCOMPARE(raw.scalar("PRAGMA journal_mode"), std::string("wal"));
    QCOMPARE(raw.scalar("SELECT count(*) FROM sqlite_schema WHERE name IN ('runs', 'requests', 'worker_samples')"),
        std::string("3"));
    if (setupSql.contains(QStringLiteral("mine")))
        QCOMPARE(raw.scalar("SELECT x FROM mine"), std::string("1"));
}

void TestStoreOpen::openRefuses_data()
{
    QTest::addColumn<QString>("setupSql");
    QTest::addColumn<QString>("fileContent"); // written raw when set
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("a database from a newer build is refused") << "PRAGMA user_version = 999" << QString() << "newer";
    QTest::newRow("a file that is not a database is refused") << QString() << "this is a CSV, not SQLite\n1,2,3\n"
                                                              << "not a database";
}

void TestStoreOpen::openRefuses()
{
    QFETCH(QString, setupSql);
    QFETCH(QString, fileContent);
    QFETCH(QString, messagePart);
    QTemporaryDir dir;
    const std::string path = dbIn(dir);
    if (!setupSql.isEmpty())
        RawDb(path).exec(setupSql.toStdString());
    if (!fileContent.isEmpty())
        std::ofstream(path) << fileContent.toStdString() << std::string(4096, 'x');
    try {
        Store::open(path);
        QFAIL("open() accepted it");
    } catch (const StoreError& e) {
        const QString message = QString::fromStdString(e.what());
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
        QVERIFY2(message.contains(messagePart), qPrintable(message));
    }
    if (!setupSql.isEmpty()) // a newer file is left exactly as it was
        QCOMPARE(RawDb(path).scalar("PRAGMA user_version"), std::string("999"));
}

void TestStoreOpen::openExistingNeverCreates_data()
{
    QTest::addColumn<QString>("name"); // under the test's folder
    QTest::addColumn<QString>("setupSql"); // run on a bare database at name first, when set
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("no file") << "missing.db" << QString() << "the file does not exist";
    QTest::newRow("no file in a folder that does not exist")
        << "no/such/folder/library.db" << QString() << "the file does not exist";
    QTest::newRow("a foreign database (version 0) is not migrated") << "foreign.db"
                                                                    << "CREATE TABLE theirs (x INTEGER)"
                                                                    << "not a t2ibench run library";
}

void TestStoreOpen::openExistingNeverCreates()
{
    QFETCH(QString, name);
    QFETCH(QString, setupSql);
    QFETCH(QString, messagePart);
    QTemporaryDir dir;
    const std::string path = dir.filePath(name).toStdString();
    if (!setupSql.isEmpty())
        RawDb(path).exec(setupSql.toStdString());
    try {
        Store::openExisting(path);
        QFAIL("openExisting() accepted it");
    } catch (const NoLibraryError& e) {
        const QString message = QString::fromStdString(e.what());
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
        QVERIFY2(message.contains(messagePart), qPrintable(message));
    }
    if (setupSql.isEmpty()) {
        QVERIFY(!QFileInfo::exists(QString::fromStdString(path)));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("no"))));
    } else { // left exactly as it was
        QCOMPARE(RawDb(path).scalar("PRAGMA user_version"), std::string("0"));
        QCOMPARE(RawDb(path).scalar("SELECT count(*) FROM sqlite_master"), std::string("1"));
    }
}

void TestStoreOpen::openExistingReadsALibrary()
{
    QTemporaryDir dir;
    Store::open(dbIn(dir))->createRun(makeRun("r1", RunStatus::Completed));
    QCOMPARE(Store::openExisting(dbIn(dir))->listRuns().size(), std::size_t(1));
}

// Schema v5 added header_bytes: a library written before opens, migrates, and reads its records
// as they were, with 0 header bytes (their egress counts bodies only, docs/schema.md).
void TestStoreOpen::aVersion4LibraryKeepsItsRecords()
{
    QTemporaryDir dir;
    // Back to version 4 as it was released: the columns v5 and v6 added are not there.
    RequestRecord want = reopenedAfterDowngrade(
        dbIn(dir), dropVersion6 + "ALTER TABLE requests DROP COLUMN header_bytes; PRAGMA user_version = 4");
    auto store = Store::open(dbIn(dir));
    QCOMPARE(RawDb(dbIn(dir)).scalar("PRAGMA user_version"), std::to_string(Store::schemaVersion()));
    const auto got = store->records("r1");
    QCOMPARE(got.size(), std::size_t(1));
    want.headerBytes = 0;
    forgetNetwork(want);
    compareRecords(got[0], want);
    RunColumns columns = store->runColumns("r1", true);
    QCOMPARE(columns.headerBytes, std::vector<std::int64_t>({ 0 }));
    QCOMPARE(columns.bytes, std::vector<std::int64_t>({ want.bytes }));
}

// A library written before schema version 6 opens with its records whole: no call's phases
// known (NULL), no calls counted, and the columns the charts read say "unknown" (NaN).
void TestStoreOpen::aVersion5LibraryKeepsItsRecords()
{
    QTemporaryDir dir;
    RequestRecord want = reopenedAfterDowngrade(dbIn(dir), dropVersion6 + "PRAGMA user_version = 5");
    auto store = Store::open(dbIn(dir));
    QCOMPARE(RawDb(dbIn(dir)).scalar("PRAGMA user_version"), std::to_string(Store::schemaVersion()));
    const auto got = store->records("r1");
    QCOMPARE(got.size(), std::size_t(1));
    forgetNetwork(want);
    compareRecords(got[0], want);
    const RunColumns columns = store->runColumns("r1", false);
    QVERIFY(!RunColumns::known(columns.netDnsMs[0]));
    QVERIFY(!RunColumns::known(columns.firstByteBeyondMs[0]));
    QCOMPARE(columns.calls, std::vector<std::int32_t>({ 0 }));
}

// Schema v7 rebuilt `runs` so a run may be "stopped" (its budget ran out): a library written
// before, whose CHECK refuses that status, keeps every run and record through the rebuild (no
// cascade from the dropped table) and then takes the new status.
void TestStoreOpen::aVersion6LibraryTakesStoppedRuns()
{
    QTemporaryDir dir;
    const std::string downgrade = R"sql(
        CREATE TABLE runs_v6 (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN
                ('created', 'running', 'completed', 'cancelled', 'failed', 'interrupted')),
            provider_id TEXT NOT NULL DEFAULT '', provider_type TEXT NOT NULL DEFAULT '',
            variant_id TEXT NOT NULL DEFAULT '', config_json TEXT NOT NULL DEFAULT '',
            environment_json TEXT NOT NULL DEFAULT '', created TEXT NOT NULL, finished TEXT,
            duration_ms REAL NOT NULL DEFAULT 0, message TEXT NOT NULL DEFAULT '', owner_pid INTEGER,
            owner_host TEXT, heartbeat INTEGER, tags TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '');
        INSERT INTO runs_v6 SELECT * FROM runs;
        DROP TABLE runs;
        ALTER TABLE runs_v6 RENAME TO runs;
        CREATE INDEX runs_status ON runs (status);
        PRAGMA user_version = 6;)sql";
    const RequestRecord want = reopenedAfterDowngrade(dbIn(dir), downgrade);
    QVERIFY(RawDb(dbIn(dir)).scalar("SELECT sql FROM sqlite_master WHERE name = 'runs'").find("'stopped'")
        == std::string::npos);
    auto store = Store::open(dbIn(dir));
    QCOMPARE(RawDb(dbIn(dir)).scalar("PRAGMA user_version"), std::to_string(Store::schemaVersion()));
    const auto got = store->records("r1");
    QCOMPARE(got.size(), std::size_t(1));
    compareRecords(got[0], want);
    RunInfo run = store->listRuns().at(0);
    run.status = RunStatus::Stopped;
    run.message = "budget: $0.05 cap reached";
    store->updateRun(run);
    QVERIFY(Store::open(dbIn(dir))->listRuns().at(0).status == RunStatus::Stopped);
    QCOMPARE(RawDb(dbIn(dir)).scalar("SELECT count(*) FROM requests"), std::string("1"));
}

void TestStoreOpen::openingTwiceIsIdempotent()
{
    QTemporaryDir dir;
    auto first = Store::open(dbIn(dir));
    first->createRun(makeRun("r1", RunStatus::Completed));
    const std::array records { makeFullRecord(0) };
    first->insertRecords("r1", records);
    auto second = Store::open(dbIn(dir)); // while the first is still open
    first.reset();
    auto third = Store::open(dbIn(dir));
    QCOMPARE(third->listRuns().size(), std::size_t(1));
    QCOMPARE(third->recordCount("r1"), std::int64_t(1));
    QCOMPARE(second->recordCount("r1"), std::int64_t(1));
    QCOMPARE(RawDb(dbIn(dir)).scalar("PRAGMA user_version"), std::to_string(Store::schemaVersion()));
}

void TestStoreOpen::runningRunsOnOpen_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("owner"); // "self", "dead", or another host's name
    QTest::addColumn<int>("heartbeatAgeS");
    QTest::addColumn<int>("expected");
    QTest::addColumn<QString>("messagePart");
    const int running = int(RunStatus::Running);
    const int interrupted = int(RunStatus::Interrupted);
    QTest::newRow("a run of a live process with a fresh heartbeat stays running")
        << running << "self" << 0 << running << "";
    QTest::newRow("a run whose process is gone is interrupted")
        << running << "dead" << 0 << interrupted << "ended without finishing";
    QTest::newRow("a run on another host with a fresh heartbeat stays running")
        << running << "elsewhere" << 2 << running << "";
    QTest::newRow("a run on another host silent for 60 s is interrupted")
        << running << "elsewhere" << 60 << interrupted << "no heartbeat for 60 s";
    QTest::newRow("a run of a live process silent for 60 s is interrupted")
        << running << "self" << 60 << interrupted << "no heartbeat";
    QTest::newRow("a completed run of a gone process is left alone")
        << int(RunStatus::Completed) << "dead" << 600 << int(RunStatus::Completed) << "";
}

void TestStoreOpen::runningRunsOnOpen()
{
    QFETCH(int, status);
    QFETCH(QString, owner);
    QFETCH(int, heartbeatAgeS);
    QFETCH(int, expected);
    QFETCH(QString, messagePart);
    QTemporaryDir dir;
    Store::open(dbIn(dir))->createRun(makeRun("r1", static_cast<RunStatus>(status)));
    // Forge the owner and age the heartbeat: only another process could make them otherwise.
    const std::string pid = owner == "dead" ? std::to_string(deadPid()) : std::to_string(getpid());
    const std::string host = (owner == "self" || owner == "dead") ? thisHost() : owner.toStdString();
    RawDb(dbIn(dir)).exec("UPDATE runs SET owner_pid = " + pid + ", owner_host = '" + host
        + "', heartbeat = heartbeat - " + std::to_string(heartbeatAgeS * 1000));

    auto store = Store::open(dbIn(dir));
    const bool marked = expected == int(RunStatus::Interrupted);
    QCOMPARE(store->interruptedOnOpen(), marked ? 1 : 0);
    const auto run = store->findRun("r1");
    QVERIFY(run.has_value());
    QCOMPARE(name(run->status), name(static_cast<RunStatus>(expected)));
    QVERIFY2(QString::fromStdString(run->message).contains(messagePart), run->message.c_str());
    if (marked)
        QVERIFY(!run->finished.empty()); // the last heartbeat stands in for the end
    QCOMPARE(Store::open(dbIn(dir))->interruptedOnOpen(), 0); // marked once, not again
}

QTEST_APPLESS_MAIN(TestStoreOpen)
#include "tst_store_open.moc"
