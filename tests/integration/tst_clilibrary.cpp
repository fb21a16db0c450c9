// SPDX-License-Identifier: Apache-2.0
// Which commands may create the run library: only `run`. Every command that only reads it
// (runs, show, compare, export, cost, report) refuses a --db that holds no library, names the
// path on stderr, exits 2 (bad usage) and leaves no file or folder behind.
#include "clifixture.h"

#include <QFileInfo>

using namespace t2itest;
using nlohmann::json;

namespace {

// One request on the emulator's instant profile (always-on workers): a run of a second or two.
std::string oneRequestConfig()
{
    json config = json::parse(smallConfig("instant", ""));
    config["providers"][0].erase("truth");
    config["workload"]["warmup_requests"] = 0;
    config["workload"]["steps"] = json::array({ { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 1 } } });
    return config.dump();
}

} // namespace

class TestCliLibrary : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void readOnlyCommandsRefuseAMissingLibrary_data();
    void readOnlyCommandsRefuseAMissingLibrary();
    void readOnlyCommandsLeaveAnEmptyFileAlone();
    void runCreatesTheLibraryAndItsFolder();
};

void TestCliLibrary::readOnlyCommandsRefuseAMissingLibrary_data()
{
    QTest::addColumn<QStringList>("arguments"); // --db PATH is added
    QTest::addColumn<QString>("db"); // relative to the test's folder, one per row
    QTest::newRow("runs on a mistyped file") << QStringList { "runs" } << "typo-runs.db";
    QTest::newRow("runs --json on a mistyped file") << QStringList { "runs", "--json" } << "typo-runs-json.db";
    QTest::newRow("show on a mistyped file") << QStringList { "show", "r-any" } << "typo-show.db";
    QTest::newRow("show in a folder that does not exist")
        << QStringList { "show", "r-any", "--json" } << "no/such/folder/library.db";
    QTest::newRow("compare on a mistyped file") << QStringList { "compare", "r-a", "r-b" } << "typo-compare.db";
    QTest::newRow("export on a mistyped file")
        << QStringList { "export", "r-any", "--format", "csv" } << "typo-export.db";
    QTest::newRow("cost on a mistyped file") << QStringList { "cost", "r-any", "--json" } << "typo-cost.db";
    QTest::newRow("report on a mistyped file")
        << QStringList { "report", "r-any", "--out", m_dir.filePath("report.html") } << "typo-report.db";
}

void TestCliLibrary::readOnlyCommandsRefuseAMissingLibrary()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, db);
    const QString path = m_dir.filePath(db);
    const CliResult cli = runCli(arguments << "--db" << path, 60000);
    QVERIFY2(cli.exitCode == 2, qPrintable(QString("exit %1: %2").arg(cli.exitCode).arg(QString(cli.err))));
    QVERIFY2(cli.err.contains(path.toUtf8()), cli.err.constData()); // names the path
    QVERIFY2(cli.err.contains("no run library"), cli.err.constData());
    QVERIFY(cli.out.isEmpty());
    QVERIFY2(!QFileInfo::exists(path), "the library file was created");
    QVERIFY2(!QFileInfo::exists(m_dir.filePath("no")), "the library's folder was created");
    QVERIFY(!QFileInfo::exists(m_dir.filePath("report.html")));
}

void TestCliLibrary::readOnlyCommandsLeaveAnEmptyFileAlone()
{
    // An empty file (touch) is no library either: migrating it would write t2ibench's tables.
    const QString path = m_dir.filePath("empty.db");
    writeFile(path, "");
    const CliResult cli = runCli({ "show", "r-any", "--db", path }, 60000);
    QCOMPARE(cli.exitCode, 2);
    QVERIFY2(cli.err.contains(path.toUtf8()), cli.err.constData());
    QCOMPARE(QFileInfo(path).size(), qint64(0));
}

void TestCliLibrary::runCreatesTheLibraryAndItsFolder()
{
    const QString config = m_dir.filePath("one.json");
    writeFile(config, oneRequestConfig());
    const QString db = m_dir.filePath("new/folder/library.db");
    const CliResult run = runCli({ "run", config, "--db", db, "--json" }, 120000);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY(QFileInfo::exists(db));
    // ... and the read-only commands read what it made.
    const CliResult runs = runCli({ "runs", "--db", db, "--json" }, 60000);
    QVERIFY2(runs.exitCode == 0, runs.err.constData());
    QCOMPARE(json::parse(runs.out.toStdString()).size(), std::size_t(1));
}

QTEST_GUILESS_MAIN(TestCliLibrary)
#include "tst_clilibrary.moc"
