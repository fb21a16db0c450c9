// SPDX-License-Identifier: Apache-2.0
// ui/compare/ComparisonView: loads off the GUI thread and shows every chart, drops a stale load
// for a newer one, reports errors, keeps one colour per run, and exports the report.
#include "chartfixture.h"
#include "charts/chartview.h"
#include "compare/comparisonview.h"

#include <QFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace t2i;
using namespace t2i::charts;
using namespace t2i::ui;

class TestComparisonView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void showsEveryChartOfTheRuns();
    void newerRunsSupersedeAnOlderLoad();
    void oneRunWorks();
    void unknownRunIsReported();
    void exportsTheReport();

private:
    std::unique_ptr<test::FixtureComparison> m_fixture;
    QTemporaryDir m_dir;
};

void TestComparisonView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("t2ibench-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_comparisonview"));
    m_fixture = std::make_unique<test::FixtureComparison>(3);
}

void TestComparisonView::showsEveryChartOfTheRuns()
{
    ComparisonView view;
    view.resize(1200, 800);
    view.show();
    QSignalSpy ready(&view, &ComparisonView::ready);
    QSignalSpy loading(&view, &ComparisonView::loadingChanged);
    view.setDatabase(m_fixture->db.path());
    view.showRuns(m_fixture->ids());
    QVERIFY(ready.wait(30000));
    QCOMPARE(ready.count(), 1);
    QVERIFY(loading.count() >= 2);
    QCOMPARE(loading.last().first().toBool(), false);
    QVERIFY(!view.isLoading());
    QVERIFY(view.comparison());
    QCOMPARE(view.comparison()->runs.size(), std::size_t { 3 });
    for (int k = 0; k <= int(ChartKind::Throughput); ++k) {
        ChartView* chart = view.chartView(ChartKind(k));
        QVERIFY2(chart && chart->hasData() && chart->chart(), chartSlug(ChartKind(k)));
    }
    for (std::size_t r = 0; r < 3; ++r)
        QVERIFY(view.chartView(ChartKind::Timeline, r));
    QVERIFY(!view.chartView(ChartKind::Timeline, 3));
    auto* tabs = view.findChild<QTabWidget*>();
    QVERIFY(tabs);
    QCOMPARE(tabs->count(), 6); // Latency, Scaling, Cost, Time, GPU, Summary
    QVERIFY(!view.showsGpuCharts()); // the fixture's runs have no GPU samples: the GPU tab is hidden
    QVERIFY(!tabs->isTabVisible(4));
    const auto tables = view.findChildren<QTableView*>();
    QCOMPARE(tables.size(), qsizetype(2));
    QCOMPARE(tables[0]->model()->rowCount(), 3);
    QVERIFY(tables[1]->model()->rowCount() >= 2 * 6);
}

void TestComparisonView::newerRunsSupersedeAnOlderLoad()
{
    ComparisonView view;
    QSignalSpy ready(&view, &ComparisonView::ready);
    view.setDatabase(m_fixture->db.path());
    const QStringList ids = m_fixture->ids();
    view.showRuns({ ids[0], ids[1] });
    view.showRuns({ ids[1], ids[2] }); // before the first can finish: its result must never show
    QVERIFY(ready.wait(30000));
    QTest::qWait(200); // give a stale result time to (wrongly) arrive
    QCOMPARE(ready.count(), 1);
    QCOMPARE(view.comparison()->runs.front().info.id, ids[1].toStdString());
    QCOMPARE(view.comparison()->runs.back().info.id, ids[2].toStdString());
}

void TestComparisonView::oneRunWorks()
{
    ComparisonView view;
    QSignalSpy ready(&view, &ComparisonView::ready);
    view.setDatabase(m_fixture->db.path());
    view.showRuns({ m_fixture->ids()[0] });
    QVERIFY(ready.wait(30000));
    QVERIFY(view.comparison()->significance.empty());
}

void TestComparisonView::unknownRunIsReported()
{
    ComparisonView view;
    QSignalSpy error(&view, &ComparisonView::errorOccurred);
    QSignalSpy ready(&view, &ComparisonView::ready);
    view.setDatabase(m_fixture->db.path());
    view.showRuns({ QStringLiteral("r-does-not-exist") });
    QVERIFY(error.wait(30000));
    QVERIFY(error.first().first().toString().contains(QLatin1String("r-does-not-exist")));
    QCOMPARE(ready.count(), 0);
    QString why;
    QVERIFY(!view.exportReport(m_dir.filePath(QStringLiteral("nothing.pdf")), &why));
    QVERIFY(why.contains(QLatin1String("no comparison")));
}

void TestComparisonView::exportsTheReport()
{
    ComparisonView view;
    QSignalSpy ready(&view, &ComparisonView::ready);
    view.setDatabase(m_fixture->db.path());
    view.showRuns(m_fixture->ids());
    QVERIFY(ready.wait(30000));
    for (const char* name : { "report.pdf", "report.html" }) {
        const QString path = m_dir.filePath(QLatin1String(name));
        QString error;
        QVERIFY2(view.exportReport(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.size() > 10000);
    }
}

QTEST_MAIN(TestComparisonView)
#include "tst_comparisonview.moc"
