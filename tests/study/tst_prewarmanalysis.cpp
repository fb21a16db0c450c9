// SPDX-License-Identifier: Apache-2.0
// The prewarm study's analysis with hand-made runs: the table's figures and changes against
// none, a refused strategy's row, and the warm-up and keep-warm pings left out of the latency.
#include "study/prewarmstudy.h"

#include <QtTest>

using namespace t2i;

namespace {

RequestRecord request(int step, double latencyMs, bool cold)
{
    RequestRecord r;
    r.step = step;
    r.stepKind = step == -2 ? "ping" : step == -1 ? "warmup" : "poisson";
    r.ok = true;
    r.intendedMs = 1000;
    r.sentMs = 1000;
    r.finishedMs = 1000 + latencyMs;
    r.doneMs = r.finishedMs;
    r.cold = cold ? ColdLabel::Cold : ColdLabel::Warm;
    return r;
}

// n measured requests of which `cold` took 2 s and the rest 0.5 s, a 9 s warm-up and 30 s pings
// (which must not count), and a cost of per1000 USD per 1,000 images.
PrewarmRun runOf(const std::string& name, int n, int cold, double per1000)
{
    PrewarmRun run;
    run.strategy = name;
    run.records.push_back(request(-1, 9000, true));
    run.records.push_back(request(-2, 30000, false));
    for (int i = 0; i < n; ++i)
        run.records.push_back(request(0, i < cold ? 2000 : 500, i < cold));
    CostBreakdown cost;
    cost.images = n;
    cost.per1000 = per1000;
    cost.total = per1000 * n / 1000.0;
    run.cost = cost;
    return run;
}

const std::vector<std::string>& rowOf(const StudyResult& r, const std::string& strategy)
{
    for (const auto& row : r.tables.front().rows)
        if (row.front() == strategy)
            return row;
    static const std::vector<std::string> none;
    return none;
}

} // namespace

class TestPrewarmAnalysis : public QObject {
    Q_OBJECT
private slots:
    void theTableComparesEachStrategyWithNone_data()
    {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<QStringList>("cells"); // p50, p95, cold-start share, cost / 1,000, p95 and cost change
        QTest::newRow("none is the reference")
            << "none" << QStringList { "0.50 s", "2.00 s", "50%", "$1.00", "-", "-" };
        QTest::newRow("ping: warm p95, its pings and warm-up left out")
            << "ping" << QStringList { "0.50 s", "0.50 s", "0%", "$3.00", "-75%", "+200%" };
        QTest::newRow("min_workers refused on this platform: the reason in the row")
            << "min_workers" << QStringList { "refused: no API", "", "", "", "", "" };
        QTest::newRow("hybrid: two cold of twenty")
            << "hybrid" << QStringList { "0.50 s", "2.00 s", "10%", "$4.00", "+0%", "+300%" };
    }
    void theTableComparesEachStrategyWithNone()
    {
        QFETCH(QString, strategy);
        QFETCH(QStringList, cells);
        PrewarmRun refused;
        refused.strategy = "min_workers";
        refused.refused = "no API";
        const StudyResult r = analyzePrewarm(
            { runOf("none", 20, 10, 1.0), runOf("ping", 20, 0, 3.0), refused, runOf("hybrid", 20, 2, 4.0) });
        const std::vector<std::string>& row = rowOf(r, strategy.toStdString());
        QCOMPARE(row.size(), std::size_t(7));
        QStringList got;
        for (std::size_t i = 1; i < row.size(); ++i)
            got << QString::fromStdString(row[i]);
        QCOMPARE(got, cells);
    }

    void theAnswerNamesTheStrategyWithTheLowestP95()
    {
        const StudyResult r = analyzePrewarm(
            { runOf("none", 20, 10, 1.0), runOf("ping", 20, 0, 3.0), runOf("min_workers", 20, 0, 2.0) });
        QVERIFY2(r.answer.starts_with("ping gives the lowest p95"), r.answer.c_str());
        const StudyFinding* coldShare = r.finding("min_workers_cold_share");
        QVERIFY(coldShare && coldShare->value);
        QCOMPARE(*coldShare->value, 0.0);
        QCOMPARE(*r.finding("none_cost_per_1000_usd")->value, 1.0);
        QCOMPARE(r.charts.front().series.size(), std::size_t(2));
        QCOMPARE(r.charts.front().series[0].points.size(), std::size_t(3));
    }
};

QTEST_APPLESS_MAIN(TestPrewarmAnalysis)
#include "tst_prewarmanalysis.moc"
