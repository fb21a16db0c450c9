// SPDX-License-Identifier: Apache-2.0
// The Studies page over a fixture library (studyfixture.h): the list of studies, loaded off the
// GUI thread, and the selected study drawn from its result alone: answer, findings, each
// table's cells, each chart with its series, the runs it made; a failed study's message.
#include "studies/studiespage.h"
#include "studies/studiestablemodel.h"
#include "studies/studylauncher.h"
#include "studies/studyview.h"
#include "studyfixture.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace t2i;
using namespace t2i::ui;
using t2i::test::FixtureDatabase;

class TestStudiesPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_db = std::make_unique<FixtureDatabase>();
        test::addFixtureStudies(*m_db);
    }

    void listsEveryStudy_data()
    {
        QTest::addColumn<QString>("studyId");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("text");
        QTest::newRow("a completed study shows its answer")
            << test::kCompletedStudy << int(StudiesTableModel::Answer) << test::kStudyAnswer;
        QTest::newRow("its kind") << test::kCompletedStudy << int(StudiesTableModel::Kind) << "cold_start";
        QTest::newRow("its provider and variant")
            << test::kCompletedStudy << int(StudiesTableModel::Target) << "steady / sdxl";
        QTest::newRow("a failed study says so") << test::kFailedStudy << int(StudiesTableModel::Status) << "failed";
        QTest::newRow("and why, in place of an answer")
            << test::kFailedStudy << int(StudiesTableModel::Answer) << test::kStudyFailure;
        QTest::newRow("a running study has no answer yet")
            << test::kRunningStudy << int(StudiesTableModel::Answer) << "";
    }
    void listsEveryStudy()
    {
        QFETCH(QString, studyId);
        QFETCH(int, column);
        QFETCH(QString, text);
        StudiesPage page;
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy listed(&page, &StudiesPage::listed);
        page.setDatabase(m_db->path());
        QVERIFY(listed.wait(10000));
        QCOMPARE(page.model()->rowCount(), 3);
        const int row = page.model()->rowOf(studyId);
        QVERIFY(row >= 0);
        QCOMPARE(page.model()->index(row, column).data().toString(), text);
        // Newest first, and the newest is shown once listed.
        QCOMPARE(page.table()->model()->index(0, 0).data(StudiesTableModel::StudyIdRole).toString(),
            QString::fromLatin1(test::kRunningStudy));
        QCOMPARE(page.view()->studyId(), QString::fromLatin1(test::kRunningStudy));
    }

    void showsTheSelectedStudysResult()
    {
        StudiesPage page;
        loadInto(page);
        page.selectStudy(test::kCompletedStudy);
        const StudyView* view = page.view();
        QCOMPARE(view->studyId(), QString::fromLatin1(test::kCompletedStudy));
        QCOMPARE(view->answerLabel()->text(), QString::fromLatin1(test::kStudyAnswer));
        QVERIFY(view->messageLabel()->isHidden());
        QCOMPARE(view->findingsTable()->rowCount(), 2);
        QCOMPARE(view->findingsTable()->item(0, 1)->text(), QStringLiteral("6.00 s (5.90-6.10)"));
        QCOMPARE(view->runsTable()->rowCount(), 1);
        QCOMPARE(view->runsTable()->item(0, 1)->text(), QStringLiteral("cold and warm"));
    }

    void showsEachTableCell_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("text");
        QTest::newRow("header") << -1 << 2 << "p50";
        QTest::newRow("first row, first cell") << 0 << 0 << "warm";
        QTest::newRow("second row, last cell") << 1 << 2 << "8.00 s";
    }
    void showsEachTableCell()
    {
        QFETCH(int, row);
        QFETCH(int, column);
        QFETCH(QString, text);
        StudiesPage page;
        loadInto(page);
        page.selectStudy(test::kCompletedStudy);
        QCOMPARE(page.view()->resultTables().size(), std::size_t(1));
        const QTableWidget* table = page.view()->resultTables().front();
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(row < 0 ? table->horizontalHeaderItem(column)->text() : table->item(row, column)->text(), text);
    }

    void drawsEachChartStyle_data()
    {
        QTest::addColumn<int>("chart");
        QTest::addColumn<QString>("title");
        QTest::addColumn<int>("seriesCount");
        QTest::addColumn<bool>("scatter");
        QTest::addColumn<int>("pointsOfFirst"); // as drawn: a step holds each value to the next x
        QTest::newRow("line: its points joined") << 0 << "Latency by request" << 2 << false << 3;
        QTest::newRow("scatter: its points marked") << 1 << "Latency against idle time" << 1 << true << 4;
        QTest::newRow("step: each value held to the next point") << 2 << "Share of requests" << 3 << false << 3;
    }
    void drawsEachChartStyle()
    {
        QFETCH(int, chart);
        QFETCH(QString, title);
        QFETCH(int, seriesCount);
        QFETCH(bool, scatter);
        QFETCH(int, pointsOfFirst);
        StudiesPage page;
        loadInto(page);
        page.selectStudy(test::kCompletedStudy);
        QCOMPARE(page.view()->chartViews().size(), std::size_t(3));
        const QChart* drawn = page.view()->chartViews().at(static_cast<std::size_t>(chart))->chart();
        QCOMPARE(drawn->property("t2iTitle").toString(), title);
        QCOMPARE(drawn->series().size(), seriesCount);
        auto* first = qobject_cast<QXYSeries*>(drawn->series().front());
        QVERIFY(first);
        QCOMPARE(qobject_cast<QScatterSeries*>(first) != nullptr, scatter);
        QCOMPARE(first->count(), pointsOfFirst);
        QVERIFY(drawn->legend()->isVisible());
        QCOMPARE(drawn->axes(Qt::Horizontal).size(), 1);
        QVERIFY(!drawn->axes(Qt::Horizontal).front()->titleText().isEmpty());
    }

    void aFailedStudyShowsItsMessage()
    {
        StudiesPage page;
        loadInto(page);
        page.selectStudy(test::kFailedStudy);
        QVERIFY(!page.view()->messageLabel()->isHidden());
        QCOMPARE(page.view()->messageLabel()->text(), QString::fromLatin1(test::kStudyFailure));
        QVERIFY(page.view()->answerLabel()->text().isEmpty());
        QVERIFY(page.view()->chartViews().empty());
        QVERIFY(page.view()->resultTables().empty());
    }

    void doubleClickingARunOpensIt()
    {
        StudiesPage page;
        loadInto(page);
        page.selectStudy(test::kCompletedStudy);
        QSignalSpy open(&page, &StudiesPage::openRunRequested);
        emit page.view()->runsTable()->cellDoubleClicked(0, 0);
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.front().front().toString(), QString::fromStdString(test::FixtureRun().id));
    }

    void aReloadKeepsTheStudyOnScreen()
    {
        StudiesPage page;
        loadInto(page);
        page.selectStudy(test::kCompletedStudy);
        // A study made meanwhile (by the CLI) lists; the study on screen stays there.
        StudyInfo added = test::fixtureStudy("s20260101-140000-dddd04", "2026-01-01T14:00:00Z");
        m_db->store().createStudy(added);
        QSignalSpy listed(&page, &StudiesPage::listed);
        page.reload();
        QVERIFY(listed.wait(10000));
        QCOMPARE(page.model()->rowCount(), 4);
        m_db->store().deleteStudy(added.id);
        QCOMPARE(page.view()->studyId(), QString::fromLatin1(test::kCompletedStudy));
        QCOMPARE(page.view()->chartViews().size(), std::size_t(3));
    }

    void aMissingLibraryListsNothing()
    {
        StudiesPage page;
        QSignalSpy listed(&page, &StudiesPage::listed);
        page.setDatabase(m_db->path() + QStringLiteral(".absent"));
        QVERIFY(listed.wait(10000));
        QCOMPARE(page.model()->rowCount(), 0);
        QVERIFY(page.view()->studyId().isEmpty());
        QVERIFY(!QFileInfo::exists(m_db->path() + QStringLiteral(".absent"))); // not created by a look
    }

    // "Run Study…": the real CLI makes a study on a fast emulated profile into a new library;
    // the list then shows it, selected.
    void runsAStudyAndShowsIt()
    {
        QTemporaryDir dir;
        const QString config = writeQuickConfig(dir);
        StudiesPage page;
        page.launcher()->setProgram(cli());
        loadIntoMissing(page, dir.filePath(QStringLiteral("made.db")));
        QSignalSpy finished(&page, &StudiesPage::studyFinished);
        page.runStudy({ config, QStringLiteral("cold_start"), {}, {},
            { QStringLiteral("cold_samples=1"), QStringLiteral("warm_requests=2"), QStringLiteral("idle_s=0.5") } });
        QVERIFY(page.launcher()->isRunning());
        QVERIFY(finished.wait(90000));
        QVERIFY2(finished.front().at(0).toInt() == 0, qPrintable(finished.front().at(1).toString()));
        QCOMPARE(page.model()->rowCount(), 1);
        QCOMPARE(page.view()->studyId(), page.model()->study(0).id);
        QCOMPARE(page.model()->study(0).status, QStringLiteral("completed"));
        QVERIFY(page.view()->answerLabel()->text().startsWith(QStringLiteral("A cold start adds")));
        QCOMPARE(page.view()->runsTable()->rowCount(), 1);
        QCOMPARE(page.launchStatus()->text(), QStringLiteral("The study completed."));
    }

    void aRefusedStudySaysWhy()
    {
        QTemporaryDir dir;
        const QString config = writeQuickConfig(dir);
        StudiesPage page;
        page.launcher()->setProgram(cli());
        loadIntoMissing(page, dir.filePath(QStringLiteral("refused.db")));
        QSignalSpy finished(&page, &StudiesPage::studyFinished);
        page.runStudy({ config, QStringLiteral("cold_start"), {}, {}, { QStringLiteral("cold_samples=0") } });
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.front().at(0).toInt(), 2);
        QVERIFY2(page.launchStatus()->text().contains(QStringLiteral("cold_samples")),
            qPrintable(page.launchStatus()->text()));
        QCOMPARE(page.model()->rowCount(), 0);
    }

private:
    static QString cli()
    {
        return qEnvironmentVariable("T2IBENCH_BIN_DIR", QStringLiteral("bin")) + QStringLiteral("/t2ibench-cli");
    }

    // A one-provider configuration on an emulated profile that scales to zero 0.3 s after its
    // last request and boots in 0.3 s, so a cold_start study takes a couple of seconds.
    static QString writeQuickConfig(const QTemporaryDir& dir)
    {
        const QString profile = dir.filePath(QStringLiteral("quick.json"));
        const QJsonObject quick {
            { QStringLiteral("name"), QStringLiteral("quick") },
            { QStringLiteral("price_per_s"), 0.0005 },
            { QStringLiteral("workers"),
                QJsonObject { { QStringLiteral("min"), 0 }, { QStringLiteral("max"), 2 },
                    { QStringLiteral("concurrency"), 1 }, { QStringLiteral("idle_timeout_ms"), 300 } } },
            { QStringLiteral("cold_start"),
                QJsonObject { { QStringLiteral("boot_median_ms"), 150 }, { QStringLiteral("load_median_ms"), 150 } } },
            { QStringLiteral("autoscaler"),
                QJsonObject { { QStringLiteral("queue_delay_ms"), 50 }, { QStringLiteral("reaction_delay_ms"), 50 } } },
            { QStringLiteral("service"),
                QJsonObject { { QStringLiteral("base_ms"), 30 }, { QStringLiteral("ms_per_megapixel_step"), 1 } } },
        };
        QFile profileFile(profile);
        if (!profileFile.open(QIODevice::WriteOnly) || profileFile.write(QJsonDocument(quick).toJson()) < 0)
            return {};
        const QString config = dir.filePath(QStringLiteral("quick-config.json"));
        QFile configFile(config);
        const QByteArray text = QStringLiteral(
            R"({"version": 1, "name": "quick",
 "providers": [{"id": "quick", "type": "emulated", "profile": "%1"}],
 "variants": [{"id": "small", "model": "sdxl-base-1.0", "precision": "fp16", "width": 512, "height": 512, "steps": 4, "images": 1}],
 "prompts": {"set": "default", "seed": 42},
 "workload": {"timeout_s": 30, "poll_interval_ms": 50, "warmup_requests": 0, "steps": [{"kind": "closed", "concurrency": [1], "requests": 2}]}})")
                                    .arg(profile)
                                    .toUtf8();
        if (!configFile.open(QIODevice::WriteOnly) || configFile.write(text) != text.size())
            return {};
        return config;
    }

    void loadIntoMissing(StudiesPage& page, const QString& dbPath)
    {
        QSignalSpy listed(&page, &StudiesPage::listed);
        page.setDatabase(dbPath);
        QVERIFY(listed.wait(10000));
    }

    void loadInto(StudiesPage& page)
    {
        QSignalSpy listed(&page, &StudiesPage::listed);
        page.setDatabase(m_db->path());
        QVERIFY(listed.wait(10000));
    }

    std::unique_ptr<FixtureDatabase> m_db;
};

QTEST_MAIN(TestStudiesPage)
#include "tst_studiespage.moc"
