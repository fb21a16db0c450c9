// SPDX-License-Identifier: Apache-2.0
// `t2ibench-cli compare --json` and the dashboard's comparison (the summary table and the
// report's differences page, charts::loadComparison) judge every difference by one rule, the
// interval of the difference excluding 0 (docs/statistics.md): on the fixture library they
// agree cell by cell, and on a pair of runs whose own 95% intervals overlap while the interval
// of their difference excludes 0, both say significant.
#include "uifixture.h"

#include "charts/comparisonload.h"

#include <QProcess>
#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

using namespace t2i;
using nlohmann::json;

namespace {

struct Cli {
    int exitCode = -1;
    QByteArray out, err;
};

Cli runCli(const QStringList& arguments)
{
    const QString bin = qEnvironmentVariable("T2IBENCH_BIN_DIR", QStringLiteral("bin"));
    QProcess process;
    process.start(bin + QStringLiteral("/t2ibench-cli"), arguments);
    Cli cli;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        return cli;
    }
    cli.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    cli.out = process.readAllStandardOutput();
    cli.err = process.readAllStandardError();
    return cli;
}

// The dashboard's row names and their keys in `compare --json`.
const std::map<std::string, std::string>& jsonKeys()
{
    static const std::map<std::string, std::string> keys {
        { "latency p50 (ms)", "latency_p50_ms" },
        { "latency p95 (ms)", "latency_p95_ms" },
        { "latency distribution", "latency_distribution" },
        { "warm latency p50 (ms)", "warm_latency_p50_ms" },
        { "cold latency p50 (ms)", "cold_latency_p50_ms" },
        { "error rate", "error_rate" },
        { "cold-start rate", "cold_rate" },
        { "throughput (images/s)", "throughput_ips" },
        { "cost (USD per 1,000 images)", "cost_per_1000_usd" },
    };
    return keys;
}

// The JSON rounds latencies to 0.001 ms and rates to 1e-6; costs and p-values are as computed.
bool same(const std::string& key, double json, double dashboard)
{
    const double rounding = key.ends_with("_ms") ? 5e-4 : key.starts_with("cost") ? 0 : 5e-7;
    return std::abs(json - dashboard) <= rounding + 1e-12 + 1e-12 * std::abs(dashboard);
}

// Two runs of 100 warm requests, 1000..1990 ms and 1150..2140 ms: p50 1490 against 1640, each
// with a 95% interval about 100 ms either side (they overlap), the difference's [+10, +290].
test::FixtureRun shifted(const char* id, const char* provider, double warmLatencyMs)
{
    test::FixtureRun run;
    run.id = id;
    run.provider = provider;
    run.requests = 100;
    run.coldStarts = 0;
    run.warmLatencyMs = warmLatencyMs;
    return run;
}

} // namespace

class TestCliCompare : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cliAndDashboardAgreeCellByCell_data();
    void cliAndDashboardAgreeCellByCell();
    void overlappingIntervalsCanStillDiffer();

private:
    std::unique_ptr<test::FixtureDatabase> m_db;
};

void TestCliCompare::initTestCase()
{
    m_db = std::make_unique<test::FixtureDatabase>();
    for (const test::FixtureRun& run : test::FixtureDatabase::threeRuns())
        m_db->add(run);
    m_db->add(shifted("r20260102-120000-dddd04", "steady", 1000));
    m_db->add(shifted("r20260102-120100-eeee05", "steady", 1150));
}

void TestCliCompare::cliAndDashboardAgreeCellByCell_data()
{
    QTest::addColumn<QStringList>("ids"); // the first is the baseline
    QTest::newRow("steady, fast and cheap")
        << QStringList { "r20260101-120000-aaaa01", "r20260101-120100-bbbb02", "r20260101-120200-cccc03" };
    QTest::newRow("cheap against steady") << QStringList { "r20260101-120200-cccc03", "r20260101-120000-aaaa01" };
    QTest::newRow("two runs whose intervals overlap")
        << QStringList { "r20260102-120000-dddd04", "r20260102-120100-eeee05" };
}

void TestCliCompare::cliAndDashboardAgreeCellByCell()
{
    QFETCH(QStringList, ids);
    const Cli cli = runCli(QStringList { "compare" } << ids << "--db" << m_db->path() << "--json");
    QVERIFY2(cli.exitCode == 0, cli.err.constData());
    const json differences = json::parse(cli.out.toStdString())["differences"];
    std::vector<std::string> runIds;
    for (const QString& id : ids)
        runIds.push_back(id.toStdString());
    const charts::ComparisonData dashboard = charts::loadComparison(m_db->path().toStdString(), runIds);
    QCOMPARE(differences.size(), dashboard.significance.size());
    for (std::size_t r = 0; r < dashboard.significance.size(); ++r) {
        const charts::RunComparisonRow& row = dashboard.significance[r];
        const json& entry = differences[r];
        QCOMPARE(QString::fromStdString(entry["run"].get<std::string>()), ids[int(row.run)]);
        std::map<std::string, json> metrics;
        for (const json& m : entry["metrics"])
            metrics[m["metric"].get<std::string>()] = m;
        for (const charts::Difference& d : row.differences) {
            const auto key = jsonKeys().find(d.metric);
            QVERIFY2(key != jsonKeys().end(), d.metric.c_str());
            const auto found = metrics.find(key->second);
            QVERIFY2(found != metrics.end(),
                qPrintable(QString("compare --json has no %1 for %2: %3")
                               .arg(QString::fromStdString(key->second), ids[int(row.run)],
                                   QString::fromStdString(entry["metrics"].dump()))));
            const json& m = found->second;
            const QByteArray what = QByteArray::fromStdString(key->second + ": " + m.dump());
            const std::string& k = key->second;
            QVERIFY2(same(k, m["baseline"].get<double>(), d.baseline), what);
            QVERIFY2(same(k, m["value"].get<double>(), d.value), what);
            QVERIFY2(same(k, m["delta"].get<double>(), d.delta), what);
            QVERIFY2(m.contains("test") && m["test"].get<std::string>() == d.test, what);
            if (d.deltaCi) {
                QVERIFY2(m.contains("delta_ci95") && m["delta_ci95"].is_array(), what);
                QVERIFY2(same(k, m["delta_ci95"][0].get<double>(), d.deltaCi->lo), what);
                QVERIFY2(same(k, m["delta_ci95"][1].get<double>(), d.deltaCi->hi), what);
            } else {
                QVERIFY2(!m.contains("delta_ci95") || m["delta_ci95"].is_null(), what);
            }
            if (d.pValue) {
                QVERIFY2(m.contains("p_value") && same("p", m["p_value"].get<double>(), *d.pValue), what);
                QVERIFY2(m.contains("p_slower") && same("p", m["p_slower"].get<double>(), *d.effect), what);
            }
            // The verdict: significant, not significant, or not tested (null).
            QVERIFY2(m.contains("significant"), what);
            if (d.testable)
                QVERIFY2(m["significant"].is_boolean() && m["significant"].get<bool>() == d.significant, what);
            else
                QVERIFY2(m["significant"].is_null(), what);
            metrics.erase(found);
        }
        // Nothing the dashboard leaves out but the count of cold starts (its rate is tested).
        metrics.erase("cold_starts");
        QVERIFY2(metrics.empty(), metrics.empty() ? "" : metrics.begin()->first.c_str());
    }
}

void TestCliCompare::overlappingIntervalsCanStillDiffer()
{
    const QStringList ids { "r20260102-120000-dddd04", "r20260102-120100-eeee05" };
    const Cli cli = runCli(QStringList { "compare" } << ids << "--db" << m_db->path() << "--json");
    QVERIFY2(cli.exitCode == 0, cli.err.constData());
    const json compare = json::parse(cli.out.toStdString());
    const json baseCi = compare["runs"][0]["latency_ci95_ms"]["p50"];
    const json otherCi = compare["runs"][1]["latency_ci95_ms"]["p50"];
    QVERIFY2(otherCi[0].get<double>() <= baseCi[1].get<double>(), "the runs' own intervals must overlap");
    for (const json& m : compare["differences"][0]["metrics"])
        if (m["metric"] == "latency_p50_ms")
            QVERIFY2(m["significant"] == true, m.dump().c_str());
    // The dashboard says the same.
    const auto data
        = charts::loadComparison(m_db->path().toStdString(), { ids[0].toStdString(), ids[1].toStdString() });
    QCOMPARE(QString::fromStdString(data.significance[0].differences[0].metric), QStringLiteral("latency p50 (ms)"));
    QVERIFY(data.significance[0].differences[0].significant);
    // And so does the text of `compare`.
    const Cli text = runCli(QStringList { "compare" } << ids << "--db" << m_db->path());
    QVERIFY2(text.exitCode == 0, text.err.constData());
    QVERIFY2(text.out.contains("interval of the difference excludes 0"), text.out.constData());
}

QTEST_GUILESS_MAIN(TestCliCompare)
#include "tst_clicompare.moc"
