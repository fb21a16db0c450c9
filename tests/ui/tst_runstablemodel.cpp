// SPDX-License-Identifier: Apache-2.0
// The runs library model, its filter proxy and the background loads that feed them, over real
// SQLite fixture libraries.
#include "library/runlibrary.h"
#include "library/runsfilterproxy.h"
#include "library/runstablemodel.h"
#include "uifixture.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace t2i;
using namespace t2i::ui;
using t2i::test::FixtureDatabase;
using t2i::test::FixtureRun;

namespace {

const QString kSteady = QStringLiteral("r20260101-120000-aaaa01");
const QString kFast = QStringLiteral("r20260101-120100-bbbb02");
const QString kCheap = QStringLiteral("r20260101-120200-cccc03");

// Loads a library and waits until every row has its statistics.
bool loadFully(RunLibrary& library, const QString& path)
{
    QSignalSpy ready(&library, &RunLibrary::statsReady);
    library.setDatabase(path);
    return ready.wait(30000);
}

QStringList idsInProxyOrder(const QAbstractItemModel& proxy)
{
    QStringList ids;
    for (int row = 0; row < proxy.rowCount(); ++row)
        ids.append(proxy.index(row, 0).data(RunsTableModel::RunIdRole).toString());
    return ids;
}

} // namespace

class TestRunsTableModel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        m_db = std::make_unique<FixtureDatabase>();
        for (const FixtureRun& run : FixtureDatabase::threeRuns())
            m_db->add(run);
    }

    void listsRunsNewestFirstWithStatistics()
    {
        RunLibrary library;
        QAbstractItemModelTester tester(library.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(loadFully(library, m_db->path()));
        const RunsTableModel& model = *library.model();
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(RunsTableModel::ColumnCount));
        QCOMPARE(model.run(0).id, kCheap);
        QCOMPARE(model.run(2).id, kSteady);
        for (const RunRow& row : model.rows())
            QVERIFY2(row.stats.has_value(), qPrintable(row.id));
    }

    // Exact values: fixture latencies are warm + 10 ms per request, nearest-rank percentiles.
    void columnText_data()
    {
        QTest::addColumn<QString>("runId");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("text");
        QTest::newRow("steady name") << kSteady << int(RunsTableModel::Name) << "fixture/steady/sdxl";
        QTest::newRow("steady provider") << kSteady << int(RunsTableModel::Provider) << "steady";
        QTest::newRow("steady variant") << kSteady << int(RunsTableModel::Variant) << "sdxl";
        QTest::newRow("steady status") << kSteady << int(RunsTableModel::Status) << "completed";
        QTest::newRow("steady requests exclude warm-up") << kSteady << int(RunsTableModel::Requests) << "30";
        QTest::newRow("steady p50 is the 15th of 30") << kSteady << int(RunsTableModel::P50) << "2.15";
        QTest::newRow("steady p95 is the 29th of 30") << kSteady << int(RunsTableModel::P95) << "2.29";
        QTest::newRow("steady no errors") << kSteady << int(RunsTableModel::ErrorRate) << "0.0 %";
        QTest::newRow("fast p50") << kFast << int(RunsTableModel::P50) << "1.67";
        QTest::newRow("fast p95 reaches a cold start") << kFast << int(RunsTableModel::P95) << "4.51";
        QTest::newRow("cheap p50 over 27 successes") << kCheap << int(RunsTableModel::P50) << "3.14";
        QTest::newRow("cheap p95") << kCheap << int(RunsTableModel::P95) << "3.26";
        QTest::newRow("cheap 3 of 30 failed") << kCheap << int(RunsTableModel::ErrorRate) << "10.0 %";
    }
    void columnText()
    {
        QFETCH(QString, runId);
        QFETCH(int, column);
        QFETCH(QString, text);
        RunLibrary library;
        QVERIFY(loadFully(library, m_db->path()));
        const RunsTableModel& model = *library.model();
        const int row = model.rowOf(runId);
        QVERIFY(row >= 0);
        QCOMPARE(model.index(row, column).data().toString(), text);
    }

    void p95ToolTipCarriesTheConfidenceInterval()
    {
        RunLibrary library;
        QVERIFY(loadFully(library, m_db->path()));
        const RunsTableModel& model = *library.model();
        const QString tip = model.index(model.rowOf(kSteady), RunsTableModel::P95).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.startsWith(QLatin1String("p95 2.290 s (95% CI ")), qPrintable(tip));
    }

    void sortsByRawValuesNotText()
    {
        RunLibrary library;
        QVERIFY(loadFully(library, m_db->path()));
        RunsFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(library.model());
        proxy.sort(RunsTableModel::P95, Qt::AscendingOrder);
        QCOMPARE(idsInProxyOrder(proxy), (QStringList { kSteady, kCheap, kFast }));
        proxy.sort(RunsTableModel::Date, Qt::AscendingOrder);
        QCOMPARE(idsInProxyOrder(proxy), (QStringList { kSteady, kFast, kCheap }));
    }

    void filterQuery_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("ids");
        QTest::newRow("empty shows all") << "" << QStringList { kCheap, kFast, kSteady };
        QTest::newRow("plain word in any column") << "steady" << QStringList { kSteady };
        QTest::newRow("plain word is case-insensitive") << "FAST" << QStringList { kFast };
        QTest::newRow("run id prefix") << "r20260101-1202" << QStringList { kCheap };
        QTest::newRow("column:text") << "provider:che" << QStringList { kCheap };
        QTest::newRow("numeric greater than") << "p95>3" << QStringList { kCheap, kFast };
        QTest::newRow("numeric in percent") << "errors>5" << QStringList { kCheap };
        QTest::newRow("words are and-ed") << "status:completed p50<2" << QStringList { kFast };
        QTest::newRow("no match") << "nosuchthing" << QStringList {};
        QTest::newRow("comparison on a text column is text") << "name>x" << QStringList {};
        QTest::newRow("unknown key is text") << "colour:red" << QStringList {};
    }
    void filterQuery()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, ids);
        RunLibrary library;
        QVERIFY(loadFully(library, m_db->path()));
        RunsFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(library.model());
        proxy.setQuery(query);
        QCOMPARE(idsInProxyOrder(proxy), ids);
    }

    void finishedRunsKeepTheirStatisticsAcrossReloads()
    {
        RunLibrary library;
        QVERIFY(loadFully(library, m_db->path()));
        QSignalSpy listed(&library, &RunLibrary::listed);
        QSignalSpy ready(&library, &RunLibrary::statsReady);
        QSignalSpy progress(&library, &RunLibrary::progressChanged);
        library.reload();
        QVERIFY(ready.wait(30000));
        QCOMPARE(listed.count(), 1);
        // Nothing was recomputed: progress went straight from 0 to 100.
        QCOMPARE(progress.count(), 2);
        QCOMPARE(library.model()->index(0, RunsTableModel::P50).data().toString(), QStringLiteral("3.14"));
    }

    void aNewDatabaseSupersedesALoadInFlight()
    {
        FixtureDatabase other;
        FixtureRun lone;
        lone.id = "r20260202-080000-dddd04";
        lone.provider = "lone";
        other.add(lone);
        RunLibrary library;
        QAbstractItemModelTester tester(library.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy ready(&library, &RunLibrary::statsReady);
        library.setDatabase(m_db->path());
        library.setDatabase(other.path());
        QVERIFY(ready.wait(30000));
        QTest::qWait(50); // a stale delivery would land now
        QCOMPARE(library.model()->rowCount(), 1);
        QCOMPARE(library.model()->run(0).id, QStringLiteral("r20260202-080000-dddd04"));
    }

    void notesAreShownAtOnceAndSaved()
    {
        FixtureDatabase db;
        db.add(FixtureRun {});
        RunLibrary library;
        QVERIFY(loadFully(library, db.path()));
        library.setNotes(kSteady, QStringLiteral("baseline, fp16"), QStringLiteral("before the driver update"));
        QCOMPARE(library.model()->index(0, RunsTableModel::Tags).data().toString(), QStringLiteral("baseline, fp16"));
        QTRY_COMPARE_WITH_TIMEOUT(
            QString::fromStdString(db.store().runNotes(kSteady.toStdString()).value_or(Store::RunNotes {}).tags),
            QStringLiteral("baseline, fp16"), 10000);
        QCOMPARE(db.store().runNotes(kSteady.toStdString())->notes, std::string("before the driver update"));
        // And a fresh load reads them back.
        RunLibrary again;
        QVERIFY(loadFully(again, db.path()));
        QCOMPARE(again.model()->run(0).notes, QStringLiteral("before the driver update"));
    }

    void deleteRemovesRowsAndTheirData()
    {
        FixtureDatabase db;
        for (const FixtureRun& run : FixtureDatabase::threeRuns())
            db.add(run);
        RunLibrary library;
        QAbstractItemModelTester tester(library.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(loadFully(library, db.path()));
        QSignalSpy deleted(&library, &RunLibrary::runsDeleted);
        library.deleteRuns({ kFast, kCheap });
        QCOMPARE(library.model()->rowCount(), 1);
        QCOMPARE(deleted.count(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!db.store().findRun(kFast.toStdString()), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!db.store().findRun(kCheap.toStdString()), 10000);
        QCOMPARE(db.store().recordCount(kCheap.toStdString()), 0);
        QVERIFY(db.store().findRun(kSteady.toStdString()).has_value());
    }

    void resolve_data()
    {
        QTest::addColumn<QStringList>("wanted");
        QTest::addColumn<QStringList>("ids");
        QTest::addColumn<QString>("error");
        QTest::newRow("full ids") << QStringList { kSteady, kFast } << QStringList { kSteady, kFast } << "";
        QTest::newRow("unique prefixes") << QStringList { "r20260101-1202", "r20260101-1200" }
                                         << QStringList { kCheap, kSteady } << "";
        QTest::newRow("ambiguous prefix") << QStringList { "r2026" } << QStringList {} << "\"r2026\" matches 3 runs";
        QTest::newRow("unknown run") << QStringList { "r1999" } << QStringList {} << "No run \"r1999\"";
    }
    void resolve()
    {
        QFETCH(QStringList, wanted);
        QFETCH(QStringList, ids);
        QFETCH(QString, error);
        RunLibrary library;
        QVERIFY(loadFully(library, m_db->path()));
        QString got;
        QCOMPARE(library.resolve(wanted, &got), ids);
        if (error.isEmpty())
            QVERIFY2(got.isEmpty(), qPrintable(got));
        else
            QVERIFY2(got.startsWith(error), qPrintable(got));
    }

    void anUnreadableLibraryIsReportedByName()
    {
        QTemporaryDir dir;
        RunLibrary library;
        QSignalSpy error(&library, &RunLibrary::errorOccurred);
        QSignalSpy loading(&library, &RunLibrary::loadingChanged);
        library.setDatabase(dir.path()); // a directory is no database
        QVERIFY(error.wait(10000));
        QVERIFY2(error.at(0).at(0).toString().contains(dir.path()), qPrintable(error.at(0).at(0).toString()));
        QVERIFY(!library.isLoading());
        QCOMPARE(library.model()->rowCount(), 0);
    }

private:
    std::unique_ptr<FixtureDatabase> m_db;
};

QTEST_MAIN(TestRunsTableModel)
#include "tst_runstablemodel.moc"
