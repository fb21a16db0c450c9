// SPDX-License-Identifier: Apache-2.0
// The cost as show / compare / export present it, from a real run library (SQLite file): the
// platform-reported charge kept per request beside the modelled one, the JSON keys of
// docs/cli.md, and a run with no price saying why.
#include "config/config.h"
#include "costfixtures.h"
#include "registry/registry.h"
#include "report/runreport.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <sstream>

using namespace t2i;
using nlohmann::json;

namespace {

// Two 1024x1024 FLUX dev images on a RunPod public endpoint, each reporting output.cost
// 0.02097152 (1.048576 MP x $0.02), and one OpenAI-style usage report.
std::vector<RequestRecord> publicEndpointRun()
{
    std::vector<RequestRecord> records;
    for (int i = 0; i < 2; ++i) {
        RequestRecord r = costfixtures::record(0, true, ColdLabel::Warm, 100, 4000, 1, 0);
        r.seq = i;
        r.reportedCostUsd = 0.02097152;
        records.push_back(r);
    }
    return records;
}

} // namespace

class TestCostReport : public QObject {
    Q_OBJECT

private slots:
    void reportedChargeSurvivesTheStore();
    void showJsonCarriesTheCostKeys();
    void runWithoutAPriceHasNullCost();
    void pricingKeysAreValidated_data();
    void pricingKeysAreValidated();
};

void TestCostReport::reportedChargeSurvivesTheStore()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = Store::open(dir.filePath("library.db").toStdString());
    RunInfo run = costfixtures::storedRun(
        { { "id", "flux" }, { "type", "runpod" }, { "pricing", { { "ref", "runpod.public.flux-dev" } } } });
    run.created = "2026-11-28T12:00:00Z";
    store->createRun(run);
    auto records = publicEndpointRun();
    records[1].reportedUsage = json { { "output_tokens", 1056 } }.dump();
    store->insertRecords(run.id, records);
    const auto back = store->records(run.id);
    QCOMPARE(back.size(), std::size_t { 2 });
    QVERIFY(back[0].reportedCostUsd);
    QCOMPARE(*back[0].reportedCostUsd, 0.02097152);
    QVERIFY(back[0].reportedUsage.empty());
    QCOMPARE(back[1].reportedUsage, records[1].reportedUsage);

    // The export has both columns; an unreported value is empty, not 0.
    std::ostringstream csv;
    writeCsv(csv, back);
    const std::string text = csv.str();
    QVERIFY(text.find("reported_cost_usd,reported_usage") != std::string::npos);
    // reported_cost_usd, then an empty reported_usage, then the platform's own time (unknown here)
    QVERIFY2(text.find(",0.02097152,,,") != std::string::npos, text.c_str());
}

void TestCostReport::showJsonCarriesTheCostKeys()
{
    const RunInfo run = costfixtures::storedRun(
        { { "id", "flux" }, { "type", "runpod" }, { "pricing", { { "ref", "runpod.public.flux-dev" } } } });
    const auto records = publicEndpointRun();
    const RunReport report = makeReport(run, records, {});
    const json show = showJson(report);
    // Modelled: 2 images x 1.048576 MP x $0.02 = 0.04194304, all compute; the catalog's date.
    const json& c = show["cost_usd"];
    for (const char* key :
        { "total", "per_image", "per_1000", "compute", "cold_start", "idle", "keep_warm", "egress", "failed" })
        QVERIFY2(c.contains(key), key);
    QVERIFY(std::abs(c["total"].get<double>() - 0.04194304) < 1e-12);
    QVERIFY(std::abs(c["per_1000"].get<double>() - 20.97152) < 1e-9);
    QCOMPARE(show["price_date"].get<std::string>(), std::string("2026-08-20"));
    QCOMPARE(show["cost"]["price"].get<std::string>(), std::string("catalog:runpod.public.flux-dev"));
    QCOMPARE(show["cost"]["method"].get<std::string>(), std::string("per_output"));
    // Reported by the platform beside it: 2 x 0.02097152, the same figure.
    QVERIFY(std::abs(show["cost"]["reported_usd"].get<double>() - 0.04194304) < 1e-12);
    QCOMPARE(show["cost"]["reported_requests"].get<int>(), 2);

    std::ostringstream text;
    printShow(text, report);
    QVERIFY2(
        text.str().find("reported by the platform $0.041943 over 2 requests; modelled $0.041943") != std::string::npos,
        text.str().c_str());
    QVERIFY2(
        text.str().find("catalog:runpod.public.flux-dev (read 2026-08-20)") != std::string::npos, text.str().c_str());

    // compare shows it per run, with the difference of the cost per 1,000 images.
    const std::vector<RunReport> both { report, report };
    const json compared = compareJson(both);
    QVERIFY(compared["runs"][1]["cost_usd"].is_object());
    bool costMetric = false;
    for (const json& m : compared["differences"][0]["metrics"])
        costMetric = costMetric || m["metric"] == "cost_per_1000_usd";
    QVERIFY(costMetric);
}

void TestCostReport::runWithoutAPriceHasNullCost()
{
    const RunInfo run = costfixtures::storedRun({ { "id", "r" }, { "type", "runpod" } });
    const auto records = publicEndpointRun();
    const json show = showJson(makeReport(run, records, {}));
    QVERIFY(show["cost_usd"].is_null());
    QVERIFY(show["price_date"].is_null());
    QVERIFY2(show["cost"]["error"].get<std::string>().find("give it \"pricing\"") != std::string::npos,
        show["cost"].dump().c_str());
}

void TestCostReport::pricingKeysAreValidated_data()
{
    QTest::addColumn<QString>("pricing"); // the provider's pricing object, as JSON
    QTest::addColumn<QString>("error"); // "" when it is accepted
    const auto text = [](const json& j) { return QString::fromStdString(j.dump()); };
    QTest::newRow("an endpoint's billing settings and a dedicated instance are accepted") << text(
        { { "ref", "runpod.flex.A100-80GB" }, { "idle_timeout_s", 5 }, { "min_workers", 1 }, { "boot_billed", true },
            { "dedicated", { { "per_hour", 1.29 } } } }) << QString();
    QTest::newRow("a negative idle timeout names the key")
        << text({ { "ref", "runpod.flex.A100-80GB" }, { "idle_timeout_s", -1 } })
        << "providers[0].pricing.idle_timeout_s";
    QTest::newRow("half a worker names the key")
        << text({ { "ref", "runpod.flex.A100-80GB" }, { "min_workers", 0.5 } }) << "providers[0].pricing.min_workers";
    QTest::newRow("boot_billed must be true or false")
        << text({ { "ref", "runpod.flex.A100-80GB" }, { "boot_billed", "yes" } }) << "providers[0].pricing.boot_billed";
    QTest::newRow("what a time price pays for: instances")
        << text({ { "per_hour", 1.48 }, { "billing", "instances" }, { "min_workers", 2 } }) << QString();
    QTest::newRow("what a time price pays for: workers")
        << text({ { "per_second", 0.0005 }, { "billing", "workers" } }) << QString();
    QTest::newRow("billing must name instances or workers")
        << text({ { "per_hour", 1.48 }, { "billing", "hourly" } }) << "providers[0].pricing.billing";
    QTest::newRow("a dedicated price is checked like any price")
        << text({ { "ref", "runpod.flex.A100-80GB" }, { "dedicated", { { "per_hour", -2 } } } })
        << "providers[0].pricing.dedicated.per_hour";
}

void TestCostReport::pricingKeysAreValidated()
{
    QFETCH(QString, pricing);
    QFETCH(QString, error);
    const json document = { { "version", 1 },
        { "providers",
            { { { "id", "r" }, { "type", "runpod" }, { "endpoint_id", "abc" },
                { "pricing", json::parse(pricing.toStdString()) } } } },
        { "variants", { { { "id", "v" }, { "model", "sdxl" } } } },
        { "workload", { { "steps", { { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 1 } } } } } } };
    const ConfigResult result = validateConfig(document, "c.json", providerCatalog());
    std::string all;
    for (const ConfigError& e : result.errors)
        all += e.format() + "\n";
    if (error.isEmpty()) {
        QVERIFY2(result.errors.empty(), all.c_str());
        return;
    }
    QVERIFY2(all.find(error.toStdString()) != std::string::npos, all.c_str());
}

QTEST_APPLESS_MAIN(TestCostReport)
#include "tst_costreport.moc"
