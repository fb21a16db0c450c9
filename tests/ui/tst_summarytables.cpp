// SPDX-License-Identifier: Apache-2.0
// The compare view's summary tables (ui/compare/summarytables): the text of each cell for the
// fixture library's three runs, and the table model under QAbstractItemModelTester.
#include "chartfixture.h"
#include "compare/summarytables.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace t2i;
using namespace t2i::ui;

namespace {

int column(const TableText& t, const QString& name)
{
    return static_cast<int>(t.header.indexOf(name));
}

} // namespace

class TestSummaryTables : public QObject {
    Q_OBJECT
    std::unique_ptr<test::FixtureComparison> m_fixture;

private slots:
    void initTestCase() { m_fixture = std::make_unique<test::FixtureComparison>(); }

    void runsTableHasOneRowPerRunInTheirOrder()
    {
        const TableText t = runsTable(*m_fixture->data);
        QCOMPARE(t.rows.size(), 3);
        for (const QStringList& row : t.rows)
            QCOMPARE(row.size(), t.header.size());
        const int requests = column(t, "requests");
        const int errors = column(t, "errors");
        QVERIFY(requests >= 0 && errors >= 0);
        // The warm-up request is not measured: 30 each.
        for (const QStringList& row : t.rows)
            QCOMPARE(row[requests], QStringLiteral("30"));
        QVERIFY2(t.rows[0][0].contains("steady"), qPrintable(t.rows[0][0]));
        QVERIFY2(t.rows[2][0].contains("cheap"), qPrintable(t.rows[2][0]));
        QVERIFY2(t.rows[0][errors].startsWith("0 "), qPrintable(t.rows[0][errors]));
        QVERIFY2(t.rows[2][errors].startsWith("3 "), qPrintable(t.rows[2][errors])); // 3 of 30 failed
        // The fast run had three cold starts, the others one.
        const int cold = column(t, "cold starts");
        QVERIFY2(t.rows[1][cold].startsWith("3 "), qPrintable(t.rows[1][cold]));
        QVERIFY2(t.rows[0][cold].startsWith("1 "), qPrintable(t.rows[0][cold]));
        // Every cost says which price it used, and its date where it has one.
        const int price = column(t, "price used");
        QVERIFY(price >= 0);
        // The fixture's "fast" and "cheap" runs name emulator profiles that do not exist: no
        // price, and the cell says why instead.
        for (int i = 0; i < t.rows.size(); ++i) {
            const charts::CostStack& cost = m_fixture->data->runs[i].cost;
            QCOMPARE(t.rows[i][price], QString::fromStdString(cost.available ? cost.price : cost.why));
        }
        QVERIFY2(t.rows[0][price].contains("steady"), qPrintable(t.rows[0][price]));
        QVERIFY2(t.rows[1][price].contains("cannot be read"), qPrintable(t.rows[1][price]));
    }

    void aClearlySlowerRunIsEmphasisedAsSignificant()
    {
        // cheap's warm latency is 3,000 ms + 10 ms a request against steady's 2,000 ms: its p50
        // difference cannot be chance, and the row says so in bold.
        const TableText t = differencesTable(*m_fixture->data);
        QVERIFY(!t.rows.isEmpty());
        const int verdict = column(t, "verdict at 5%");
        const int metric = column(t, "metric");
        bool found = false;
        for (int i = 0; i < t.rows.size(); ++i) {
            const QStringList& row = t.rows[i];
            if (!row[0].contains("cheap") || row[metric] != QStringLiteral("latency p50 (ms)"))
                continue;
            found = true;
            QCOMPARE(row[verdict], QStringLiteral("significant"));
            QVERIFY(t.emphasised.contains(i));
        }
        QVERIFY2(found, "no p50 row for the cheap run");
        for (int i : t.emphasised)
            QCOMPARE(t.rows[i][verdict], QStringLiteral("significant"));
    }

    void modelPassesTheTesterThroughResetsAndSorting()
    {
        TextTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setTable(runsTable(*m_fixture->data));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("run"));
        QVERIFY(!model.headerData(99, Qt::Horizontal).isValid());
        QVERIFY(!model.index(0, 0).parent().isValid());
        QCOMPARE(model.rowCount(model.index(0, 0)), 0); // a table: no children
        proxy.sort(0, Qt::DescendingOrder);
        QVERIFY(proxy.index(0, 0).data().toString().contains("steady"));
        model.setTable(differencesTable(*m_fixture->data));
        QVERIFY(model.rowCount() > 0);
        const int verdictColumn = static_cast<int>(differencesTable(*m_fixture->data).header.indexOf("verdict at 5%"));
        for (int r = 0; r < model.rowCount(); ++r) {
            const bool bold = model.index(r, 0).data(Qt::FontRole).value<QFont>().bold();
            QCOMPARE(bold, model.index(r, verdictColumn).data().toString() == QStringLiteral("significant"));
        }
        model.setTable({});
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 0);
    }
};

QTEST_MAIN(TestSummaryTables)
#include "tst_summarytables.moc"
