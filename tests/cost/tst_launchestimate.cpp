// SPDX-License-Identifier: Apache-2.0
// The launch page's estimate (core/cost/launchestimate.h): requests and duration per workload
// step at an assumed latency, the cost under each kind of price, and where the latency and the
// price come from.
#include "config/config.h"
#include "cost/launchestimate.h"
#include "cost/pricingcatalog.h"
#include "registry/registry.h"

#include <QTest>

using nlohmann::json;
using namespace t2i;

namespace {

WorkloadConfig workloadOf(const char* stepsJson, int warmup = 0)
{
    json doc = { { "version", 1 },
        { "providers", json::array({ { { "id", "p" }, { "type", "emulated" }, { "profile", "steady" } } }) },
        { "variants", json::array({ { { "id", "v" }, { "model", "m" } } }) },
        { "workload", { { "warmup_requests", warmup }, { "steps", json::parse(stepsJson) } } } };
    const ConfigResult result = validateConfig(doc, "t.json", providerCatalog());
    if (!result.config)
        qFatal("bad test workload: %s", result.errors.front().format().c_str());
    return result.config->workload;
}

VariantConfig variant1024()
{
    VariantConfig v;
    v.id = "v";
    v.model = "sdxl";
    return v;
}

} // namespace

class TestLaunchEstimate : public QObject {
    Q_OBJECT
private slots:
    void requestsAndDurationPerStep_data();
    void requestsAndDurationPerStep();
    void costUnderEachKindOfPrice_data();
    void costUnderEachKindOfPrice();
    void aByteBilledPriceIsNotEstimated();
    void latencyFromAnEmulatorProfileFollowsTheEmulatorsModel();
    void latencyGuessIsStatedAsAGuess();
    void billingComesFromTheProvidersPricingItsProfileOrNothing();
    void totalsLeaveTheCostOpenWhenAPairHasNoPrice();
};

void TestLaunchEstimate::requestsAndDurationPerStep_data()
{
    QTest::addColumn<QString>("steps");
    QTest::addColumn<int>("warmup");
    QTest::addColumn<double>("latencyMs");
    QTest::addColumn<double>("requests");
    QTest::addColumn<double>("durationS");
    QTest::addColumn<QString>("says");
    QTest::newRow("closed sweep by requests: each level takes requests / concurrency latencies")
        << R"([{"kind": "closed", "concurrency": [1, 2, 4], "requests": 10}])" << 0 << 500.0 << 30.0 << 9.0
        << "closed loop at 1,2,4 in flight";
    QTest::newRow("closed by duration: each slot sends one request per latency")
        << R"([{"kind": "closed", "concurrency": 2, "duration_s": 10}])" << 0 << 500.0 << 40.0 << 10.0
        << "one request per 0.5 s";
    QTest::newRow("constant by duration: rate x duration, plus the last answer")
        << R"([{"kind": "constant", "rate": 4, "duration_s": 10}])" << 0 << 500.0 << 40.0 << 10.5 << "constant at 4.0";
    QTest::newRow("poisson by requests: requests / rate")
        << R"([{"kind": "poisson", "rate": 4, "requests": 40}])" << 0 << 500.0 << 40.0 << 10.5 << "poisson";
    QTest::newRow("ramp: the mean rate over its length")
        << R"([{"kind": "ramp", "from": 0, "to": 8, "duration_s": 10}])" << 0 << 500.0 << 40.0 << 10.5
        << "the mean rate";
    QTest::newRow("burst: all at once, one latency")
        << R"([{"kind": "burst", "requests": 32}])" << 0 << 500.0 << 32.0 << 0.5 << "fewer workers take longer";
    QTest::newRow("cold probe: idle then one request, repeated")
        << R"([{"kind": "cold_probe", "idle_s": 10, "repeat": 2}])" << 0 << 500.0 << 2.0 << 21.0 << "10 s idle";
    QTest::newRow("warm-up requests go first, one after another")
        << R"([{"kind": "burst", "requests": 4}])" << 2 << 1000.0 << 6.0 << 3.0 << "warm-up: 2 requests";
}

void TestLaunchEstimate::requestsAndDurationPerStep()
{
    QFETCH(QString, steps);
    QFETCH(int, warmup);
    QFETCH(double, latencyMs);
    QFETCH(double, requests);
    QFETCH(double, durationS);
    QFETCH(QString, says);
    const WorkloadEstimate estimate = estimateWorkload(workloadOf(qPrintable(steps), warmup), latencyMs);
    QCOMPARE(estimate.requests, requests);
    QCOMPARE(estimate.durationS, durationS);
    QString lines;
    for (const auto& line : estimate.steps)
        lines += QString::fromStdString(line) + '\n';
    QVERIFY2(lines.contains(says), qPrintable(lines));
}

void TestLaunchEstimate::costUnderEachKindOfPrice_data()
{
    QTest::addColumn<int>("unit");
    QTest::addColumn<double>("amount");
    QTest::addColumn<bool>("instances");
    QTest::addColumn<int>("images");
    QTest::addColumn<double>("usd");
    QTest::addColumn<QString>("says");
    // 10 requests of 500 ms over a 100 s run, 1024x1024.
    QTest::newRow("per second, serverless: busy time only")
        << int(PriceUnit::PerSecond) << 0.001 << false << 1 << 0.005 << "not counted, so the bill will be higher";
    QTest::newRow("per hour, dedicated: the whole run")
        << int(PriceUnit::PerHour) << 3.6 << true << 1 << 0.1 << "billed for the whole run";
    QTest::newRow("per image: requests x images")
        << int(PriceUnit::PerImage) << 0.04 << false << 2 << 0.8 << "2 image(s) at 1024x1024";
    QTest::newRow("per megapixel rounded up: 2 MP per 1024x1024 image")
        << int(PriceUnit::PerMegapixel) << 0.025 << false << 1 << 0.5 << "per_megapixel";
}

void TestLaunchEstimate::costUnderEachKindOfPrice()
{
    QFETCH(int, unit);
    QFETCH(double, amount);
    QFETCH(bool, instances);
    QFETCH(int, images);
    QFETCH(double, usd);
    QFETCH(QString, says);
    Price price;
    price.unit = PriceUnit(unit);
    price.amountUsd = amount;
    price.billingIncrementS = 0.1;
    price.roundMegapixelsUp = true;
    price.label = "config";
    CostOptions options;
    options.timeBilling = instances ? TimeBilling::Instances : TimeBilling::Workers;
    VariantConfig v = variant1024();
    v.images = images;
    const auto cost = estimateCost(price, options, v, 10, 100, 500);
    QVERIFY(cost);
    QVERIFY2(qAbs(cost->usd - usd) < 1e-9, qPrintable(QString::number(cost->usd)));
    QVERIFY2(QString::fromStdString(cost->how).contains(says), cost->how.c_str());
}

void TestLaunchEstimate::aByteBilledPriceIsNotEstimated()
{
    Price price;
    price.unit = PriceUnit::PerGb;
    price.amountUsd = 0.09;
    QVERIFY(!estimateCost(price, {}, variant1024(), 10, 100, 500));
    PairBilling billing;
    billing.price = price;
    const PairEstimate pair = estimatePair(
        "p", variant1024(), workloadOf(R"([{"kind": "burst", "requests": 3}])"), { 500, "given" }, billing);
    QVERIFY(!pair.cost);
    QVERIFY(QString::fromStdString(pair.costNote).contains("cannot be estimated"));
}

void TestLaunchEstimate::latencyFromAnEmulatorProfileFollowsTheEmulatorsModel()
{
    const json profile = json::parse(R"({"service": {"base_ms": 100, "ms_per_megapixel_step": 13,
        "precision_factors": {"fp16": 1.0, "fp32": 2.0}}})");
    VariantConfig v = variant1024();
    const auto fp16 = profileLatency(profile, "steady", v, 1.0);
    QVERIFY(fp16);
    QCOMPARE(fp16->ms, 100 + 13 * 1.048576 * 30);
    QVERIFY(QString::fromStdString(fp16->source).startsWith("emulator profile steady"));
    v.precision = "fp32";
    v.images = 2;
    QCOMPARE(profileLatency(profile, "steady", v, 0.5)->ms, (100 + 13 * 1.048576 * 30 * 2) * 2.0 * 0.5);
    QVERIFY(!profileLatency(json::object(), "empty", v, 1.0));
}

void TestLaunchEstimate::latencyGuessIsStatedAsAGuess()
{
    const LatencyAssumption guess = guessedLatency(variant1024());
    QCOMPARE(guess.ms, 300 + 140 * 1.048576 * 30);
    QVERIFY(QString::fromStdString(guess.source).startsWith("a guess"));
}

void TestLaunchEstimate::billingComesFromTheProvidersPricingItsProfileOrNothing()
{
    const PricingCatalog catalog = PricingCatalog::loadDefault();
    const VariantConfig v = variant1024();
    const PairBilling emulated
        = billingOfProvider(json { { "id", "e" }, { "type", "emulated" }, { "profile", "steady" } }, v, "", catalog);
    QVERIFY2(emulated.price, emulated.error.c_str());
    QCOMPARE(emulated.price->perSecondUsd(), 0.00076);
    const PairBilling priced = billingOfProvider(
        json { { "id", "r" }, { "type", "runpod" }, { "pricing", { { "per_second", 0.002 } } } }, v, "", catalog);
    QVERIFY(priced.price);
    QCOMPARE(priced.price->label, std::string("config"));
    const PairBilling none = billingOfProvider(json { { "id", "r" }, { "type", "runpod" } }, v, "", catalog);
    QVERIFY(!none.price);
    QVERIFY2(QString::fromStdString(none.error).contains("no price"), none.error.c_str());
}

void TestLaunchEstimate::totalsLeaveTheCostOpenWhenAPairHasNoPrice()
{
    PairEstimate a, b;
    a.workload.requests = 10;
    a.workload.durationS = 5;
    a.cost = CostEstimate { 0.5, "" };
    b.workload.requests = 4;
    b.workload.durationS = 2;
    LaunchTotals totals = totalsOf({ a, b });
    QCOMPARE(totals.requests, 14.0);
    QCOMPARE(totals.durationS, 7.0);
    QVERIFY(!totals.costUsd);
    QCOMPARE(totals.knownCostUsd, 0.5);
    QCOMPARE(totals.unpricedPairs, 1);
    b.cost = CostEstimate { 0.25, "" };
    totals = totalsOf({ a, b });
    QCOMPARE(totals.costUsd.value_or(-1), 0.75);
}

QTEST_GUILESS_MAIN(TestLaunchEstimate)
#include "tst_launchestimate.moc"
