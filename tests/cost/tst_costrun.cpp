// SPDX-License-Identifier: Apache-2.0
// A run's cost from its records and worker samples, and the monthly projection against a
// dedicated instance. Every figure is worked out by hand in the comments.
#include "cost/billing.h"
#include "cost/projection.h"
#include "cost/runcost.h"
#include "cost/runcostfor.h"
#include "costfixtures.h"
#include "report/runreport.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace t2i;

namespace {

bool near(double a, double b, double rel = 1e-9)
{
    return std::abs(a - b) <= 1e-12 + rel * std::abs(b);
}

#define VERIFY_NEAR(a, b)                                                                                              \
    QVERIFY2(                                                                                                          \
        near((a), (b)), qPrintable(QString("%1 = %2, expected %3").arg(#a).arg((a), 0, 'g', 17).arg((b), 0, 'g', 17)))
#define VERIFY_CLOSE(a, b)                                                                                             \
    QVERIFY2(near((a), (b), 1e-5),                                                                                     \
        qPrintable(QString("%1 = %2, expected %3").arg(#a).arg((a), 0, 'g', 17).arg((b), 0, 'g', 17)))

Price a100Flex()
{
    Price p;
    p.unit = PriceUnit::PerSecond;
    p.amountUsd = 0.00076;
    p.billingIncrementS = 1;
    p.label = "catalog:runpod.flex.A100-80GB";
    p.read = "2026-07-01";
    return p;
}

CostOptions fixtureOptions()
{
    CostOptions o;
    o.idleTimeoutS = 5;
    o.runDurationS = 60;
    o.egress = { { EgressTier { std::numeric_limits<double>::infinity(), 0.09 } }, "config", "" };
    o.width = 1024;
    o.height = 1024;
    return o;
}

// The steady profile of the projection tests: an A100 flex worker, warm service 1.5 s and
// 2.5 s (mean 2 s: a worker's life is rounded once, not each job), a 10 s cold start, 5 s idle
// timeout; against a dedicated instance at $1.48/h that serves 0.5 images/s within the p95 target.
ProjectionInput steadyProfile(double imagesPerMonth)
{
    ProjectionInput in;
    in.imagesPerMonth = imagesPerMonth;
    in.shape = TrafficShape::Steady;
    in.p95TargetMs = 15000;
    in.warmServiceMs = { 1500, 2500 };
    in.coldStartMs = { 10000 };
    in.perSecondUsd = 0.00076;
    in.idleTimeoutS = 5;
    in.dedicatedHourlyUsd = 1.48;
    in.dedicatedImagesPerSecond = 0.5;
    return in;
}

} // namespace

class TestCostRun : public QObject {
    Q_OBJECT

private slots:
    void perSecondRunEveryComponent();
    void egressCountsHeadersAndBodies();
    void keepWarmAbsorbsItsOwnWork();
    void replicaMinuteRoundsTheSumOnce();
    void perMegapixelRun();
    void steadyFarBelowBreakEvenPicksServerless();
    void steadyFarAboveBreakEvenPicksDedicated();
    void perImageBreakEvenIsPriceRatio();
    void shapesSizeDedicatedForThePeak();
    void billingFromTheStoredConfig_data();
    void billingFromTheStoredConfig();
    void runWithoutAPriceSaysWhy();
    void measuredSteadyRunProjectsBothWays();
    void timePricedRunsBillWhatThePlatformBills_data();
    void timePricedRunsBillWhatThePlatformBills();
};

void TestCostRun::perSecondRunEveryComponent()
{
    const auto records = costfixtures::runRecords();
    const auto samples = costfixtures::runSamples();
    const CostBreakdown c = computeRunCost(records, samples, a100Flex(), fixtureOptions());
    // compute: ok execs 3.2, 2.5, 3.0, 2.1 s bill 4 + 3 + 3 + 3 = 13 s x 0.00076 = 0.00988
    VERIFY_NEAR(c.compute, 0.00988);
    // cold: warm queues 400, 600, 500 -> median 500; boots 12000 - 500 = 11500 and
    // 8500 - 500 = 8000 ms (19.5 s), billed 12 + 8 = 20 s x 0.00076 = 0.0152
    VERIFY_NEAR(c.coldBootS, 19.5);
    VERIFY_NEAR(c.coldStart, 0.0152);
    // idle: falls 2->1 at 40 s and 2->1 at 60 s, plus 1 alive at the end = 3 scale-downs;
    // 3 x 5 s x 0.00076 = 0.0114
    QCOMPARE(c.scaleDowns, 3);
    VERIFY_NEAR(c.idle, 0.0114);
    VERIFY_NEAR(c.keepWarm, 0.0);
    // failed: the platform failure ran 1.2 s -> 2 s x 0.00076 = 0.00152; the throttled one never ran
    VERIFY_NEAR(c.failed, 0.00152);
    // egress: 4 x 1.5 MB + 0.5 MB = 6.5e6 bytes = 0.0065 GB x $0.09 = 0.000585
    VERIFY_NEAR(c.egress, 0.000585);
    // total: 0.00988 + 0.0152 + 0.0114 + 0 + 0.000585 + 0.00152 = 0.038585
    VERIFY_NEAR(c.total, 0.038585);
    // images: r1-r3 (the warm-up's image is spend, not output) = 3; 0.038585 / 3
    QCOMPARE(c.images, 3);
    VERIFY_NEAR(c.perImage, 0.038585 / 3);
    VERIFY_NEAR(c.per1000, 38.585 / 3);
    // marginal warm: r1 and r2 bill 3 s each: 6 s x 0.00076 / 2 images = 0.00228
    VERIFY_NEAR(c.marginalWarmPerImage, 0.00228);
    QCOMPARE(c.priceLabel, std::string("catalog:runpod.flex.A100-80GB"));
    QCOMPARE(c.priceRead, std::string("2026-07-01"));
    QCOMPARE(c.egressLabel, std::string("config"));
    // With cold start not billed (Replicate public models) the boot costs nothing.
    CostOptions unbilled = fixtureOptions();
    unbilled.coldStartBilled = false;
    VERIFY_NEAR(computeRunCost(records, samples, a100Flex(), unbilled).coldStart, 0.0);
}

// Egress is priced on what the platform sent: each record's bodies and headers
// (docs/measurement.md, "Bytes").
void TestCostRun::egressCountsHeadersAndBodies()
{
    auto records = costfixtures::runRecords();
    std::int64_t headers = 0;
    for (RequestRecord& r : records) {
        r.headerBytes = 250'000; // 0.25 MB of headers a record, far more than real, to be seen
        headers += r.headerBytes;
    }
    const CostBreakdown c = computeRunCost(records, costfixtures::runSamples(), a100Flex(), fixtureOptions());
    // bodies 6.5e6 (perSecondRunEveryComponent) + headers 0.25e6 x records
    QCOMPARE(c.egressHeaderBytes, headers);
    QCOMPARE(c.egressBytes, std::int64_t(6'500'000) + headers);
    VERIFY_NEAR(c.egress, double(6'500'000 + headers) / 1e9 * 0.09);
    // The parts still add up.
    VERIFY_NEAR(c.total, c.compute + c.coldStart + c.idle + c.keepWarm + c.egress + c.failed);
}

void TestCostRun::keepWarmAbsorbsItsOwnWork()
{
    CostOptions o = fixtureOptions();
    o.keepWarmWorkers = 1;
    const auto records = costfixtures::runRecords();
    const auto samples = costfixtures::runSamples();
    const CostBreakdown c = computeRunCost(records, samples, a100Flex(), o);
    // keep-warm: 1 worker x 60 s x 0.00076 = 0.0456; its 60 s absorb all 13 billed exec seconds
    VERIFY_NEAR(c.keepWarm, 0.0456);
    VERIFY_NEAR(c.absorbedS, 13.0);
    VERIFY_NEAR(c.compute, 0.0);
    // the worker alive at the end is the kept-warm one: only the 2 falls scale down, 2 x 5 x 0.00076
    QCOMPARE(c.scaleDowns, 2);
    VERIFY_NEAR(c.idle, 0.0076);
}

void TestCostRun::replicaMinuteRoundsTheSumOnce()
{
    Price hf;
    hf.unit = PriceUnit::PerMinuteReplica;
    hf.amountUsd = 0.03; // $1.80/h
    hf.billingIncrementS = 60;
    CostOptions o = fixtureOptions();
    o.egress = {};
    o.idleTimeoutS = 0;
    const auto records = costfixtures::runRecords();
    const CostBreakdown c = computeRunCost(records, {}, hf, o);
    // ok execs 3200 + 2500 + 3000 + 2100 = 10800 ms, one replica-minute: 60 s x 0.0005 = 0.03
    VERIFY_NEAR(c.compute, 0.03);
    // marginal warm is not rounded to a minute: (2.5 + 3.0) s x 0.0005 / 2 = 0.001375
    VERIFY_NEAR(c.marginalWarmPerImage, 0.001375);
    // no samples: each of the 2 cold starts stands for one scale-down
    QCOMPARE(c.scaleDowns, 2);
}

void TestCostRun::perMegapixelRun()
{
    Price dev;
    dev.unit = PriceUnit::PerMegapixel;
    dev.amountUsd = 0.02;
    dev.label = "catalog:runpod.public.flux-dev";
    CostOptions o = fixtureOptions();
    o.egress = {};
    const auto records = costfixtures::runRecords();
    const auto samples = costfixtures::runSamples();
    const CostBreakdown c = computeRunCost(records, samples, dev, o);
    // 4 ok images (warm-up included: it was paid) x 0.02097152 = 0.08388608; no idle, no boot
    VERIFY_NEAR(c.compute, 0.08388608);
    VERIFY_NEAR(c.idle + c.coldStart + c.keepWarm + c.failed + c.egress, 0.0);
    VERIFY_NEAR(c.total, 0.08388608);
    // per image over the 3 measured images: 0.08388608 / 3; marginal is the unit price itself
    VERIFY_NEAR(c.perImage, 0.08388608 / 3);
    VERIFY_NEAR(c.marginalWarmPerImage, 0.02097152);
    // A platform that charges failures bills the failure that ran as one image at the
    // variant's size: + 0.02097152; the throttled request never ran and costs nothing.
    dev.failedCharged = true;
    VERIFY_NEAR(computeRunCost(records, samples, dev, o).failed, 0.02097152);
}

void TestCostRun::steadyFarBelowBreakEvenPicksServerless()
{
    const Projection p = projectMonthly(steadyProfile(10'000));
    // lambda = 10000 / 2628000 s = 0.0038052/s; one worker; rho = lambda x 2.0 = 0.0076104;
    // e^(-lambda x 5) = 0.981154.
    // compute = 10000 x 2.0 s x 0.00076 = 15.20
    VERIFY_NEAR(p.serverlessComputeUsd, 15.2);
    // cold starts = 10000 x 0.9923896 x 0.981154 = 9736.87; x 10 s x 0.00076 = 74.0002
    VERIFY_CLOSE(p.coldStartsPerMonth, 9736.870491);
    VERIFY_CLOSE(p.serverlessColdUsd, 74.000216);
    // idle = 2628000 x (1 - 0.0076104) x (1 - 0.981154) = 49150.43 s, plus each life's
    // rounding, 9736.87 x 0.5 s = 4868.44 s: 54018.87 s x 0.00076 = 41.0543
    VERIFY_CLOSE(p.serverlessIdleUsd, 41.054341);
    VERIFY_CLOSE(p.serverlessMonthlyUsd, 130.254557);
    // dedicated: 1 instance (0.0038 images/s << 0.5) x $1.48 x 730 h = 1080.40
    QCOMPARE(p.dedicatedInstances, 1);
    VERIFY_NEAR(p.dedicatedMonthlyUsd, 1080.4);
    // Why serverless: at this volume most requests start cold, yet $130 of busy, boot and
    // idle seconds is far below a month of a reserved instance.
    QVERIFY(p.cheaper == Deployment::Serverless);
    QVERIFY2(p.reason.starts_with("serverless is cheaper: $130.25 a month against $1080.40"), p.reason.c_str());
    QVERIFY2(p.reason.find("below the break-even") != std::string::npos, p.reason.c_str());
    // 97% of requests are cold: the p95 is a cold one, 10000 + 2500 = 12500 ms, within 15000
    VERIFY_NEAR(p.serverlessP95Ms, 12500.0);
    QVERIFY(p.serverlessMeetsP95);
    // The break-even lies between the two volumes tested, and there the costs agree.
    QVERIFY(p.breakEvenImagesPerMonth);
    QVERIFY(*p.breakEvenImagesPerMonth > 10'000 && *p.breakEvenImagesPerMonth < 1'000'000);
    const Projection atBreakEven = projectMonthly(steadyProfile(*p.breakEvenImagesPerMonth));
    VERIFY_CLOSE(atBreakEven.serverlessMonthlyUsd, atBreakEven.dedicatedMonthlyUsd);
}

void TestCostRun::steadyFarAboveBreakEvenPicksDedicated()
{
    const Projection p = projectMonthly(steadyProfile(1'000'000));
    // lambda = 0.380518/s, one worker at rho = 0.761035, e^(-lambda x 5) = 0.149182.
    // compute = 1e6 x 2.0 x 0.00076 = 1520; cold starts = 1e6 x 0.238965 x 0.149182 = 35649.3,
    // x 10 s x 0.00076 = 270.935; idle = 2628000 x 0.238965 x 0.850818 = 534313.6 s + 35649.3
    // x 0.5 s of rounding = 552138.3 s -> 419.625
    VERIFY_NEAR(p.serverlessComputeUsd, 1520.0);
    VERIFY_CLOSE(p.serverlessIdleUsd, 419.625098);
    VERIFY_CLOSE(p.serverlessColdUsd, 270.934690);
    VERIFY_CLOSE(p.serverlessMonthlyUsd, 2210.559788);
    // dedicated: 0.38 images/s fits one instance at 0.5/s: 1080.40
    QCOMPARE(p.dedicatedInstances, 1);
    VERIFY_NEAR(p.dedicatedMonthlyUsd, 1080.4);
    // Why dedicated: the busy seconds alone ($1520) already cost more than the reserved hours.
    QVERIFY(p.cheaper == Deployment::Dedicated);
    QVERIFY2(p.reason.starts_with("dedicated is cheaper: 1 dedicated instance cost $1080.40 a month against $2210.56"),
        p.reason.c_str());
    QVERIFY2(p.reason.find("above the break-even") != std::string::npos, p.reason.c_str());
}

void TestCostRun::perImageBreakEvenIsPriceRatio()
{
    ProjectionInput in = steadyProfile(100'000);
    in.perImageUsd = 0.0154; // Together FLUX dev
    const Projection p = projectMonthly(in);
    // 100000 x 0.0154 = 1540 > 1080.40: dedicated; break-even = 1080.4 / 0.0154 = 70155.84
    VERIFY_NEAR(p.serverlessMonthlyUsd, 1540.0);
    QVERIFY(p.cheaper == Deployment::Dedicated);
    QVERIFY(p.breakEvenImagesPerMonth);
    VERIFY_CLOSE(*p.breakEvenImagesPerMonth, 1080.4 / 0.0154);
}

void TestCostRun::shapesSizeDedicatedForThePeak()
{
    ProjectionInput diurnal = steadyProfile(1'000'000);
    diurnal.shape = TrafficShape::Diurnal; // 16 active hours a day
    const Projection d = projectMonthly(diurnal);
    // peak = 1e6 / (2628000 x 16/24 = 1752000 s) = 0.570776/s > 0.5: 2 instances = 2160.80
    VERIFY_NEAR(d.peakImagesPerSecond, 1e6 / 1'752'000.0);
    QCOMPARE(d.dedicatedInstances, 2);
    VERIFY_NEAR(d.dedicatedMonthlyUsd, 2160.8);

    ProjectionInput bursty = steadyProfile(100'000);
    bursty.shape = TrafficShape::Bursty;
    bursty.burstsPerDay = 24;
    bursty.burstSeconds = 60;
    const Projection b = projectMonthly(bursty);
    // 24 x 730/24 = 730 bursts of 60 s = 43800 s; peak = 100000 / 43800 = 2.28311/s
    // -> ceil(4.566) = 5 instances = 5402.00
    QCOMPARE(b.dedicatedInstances, 5);
    VERIFY_NEAR(b.dedicatedMonthlyUsd, 5402.0);
    // serverless: 2.28311 x 2.0 s = 4.57 -> 5 workers, each scaling down after every burst:
    // at least 730 x 5 = 3650 cold starts
    QVERIFY(b.coldStartsPerMonth >= 3650.0);
}

void TestCostRun::billingFromTheStoredConfig_data()
{
    using nlohmann::json;
    QTest::addColumn<QString>("provider"); // the stored provider object, as JSON
    QTest::addColumn<QString>("label");
    QTest::addColumn<double>("perSecond");
    QTest::addColumn<double>("idleTimeoutS");
    QTest::addColumn<int>("minWorkers");
    QTest::addColumn<bool>("bootBilled");
    const auto text = [](const json& j) { return QString::fromStdString(j.dump()); };
    // The emulator bills as its profile says: steady $0.00076/s, 3000 ms idle, no min workers.
    QTest::newRow("emulated: the profile's price and settings")
        << text({ { "id", "e" }, { "type", "emulated" }, { "profile", "steady" } }) << "emulator profile steady"
        << 0.00076 << 3.0 << 0 << true;
    // time_scale 2 doubles every platform duration: 6 s idle.
    QTest::newRow("emulated at time_scale 2: the idle timeout doubles")
        << text({ { "id", "e" }, { "type", "emulated" }, { "profile", "steady" }, { "time_scale", 2.0 } })
        << "emulator profile steady" << 0.00076 << 6.0 << 0 << true;
    QTest::newRow("emulated instant: 8 always-on workers")
        << text({ { "id", "e" }, { "type", "emulated" }, { "profile", "instant" } }) << "emulator profile instant"
        << 0.0001 << 5.0 << 8 << true;
    // A configured price wins over the profile's; the platform settings stay the profile's.
    QTest::newRow("emulated with a configured price") << text(
        { { "id", "e" }, { "type", "emulated" }, { "profile", "steady" }, { "pricing", { { "per_second", 0.001 } } } })
                                                      << "config" << 0.001 << 3.0 << 0 << true;
    // RunPod: the catalog entry, RunPod's documented 5 s idle timeout unless configured.
    QTest::newRow("runpod with a catalog ref: documented 5 s idle")
        << text({ { "id", "r" }, { "type", "runpod" }, { "pricing", { { "ref", "runpod.flex.A100-80GB" } } } })
        << "catalog:runpod.flex.A100-80GB" << 0.00076 << 5.0 << 0 << true;
    QTest::newRow("runpod with its endpoint's settings")
        << text({ { "id", "r" }, { "type", "runpod" },
               { "pricing", { { "ref", "runpod.flex.A100-80GB" }, { "idle_timeout_s", 30 }, { "min_workers", 1 } } } })
        << "catalog:runpod.flex.A100-80GB" << 0.00076 << 30.0 << 1 << true;
    // Replicate public models bill active time only: booting is not billed unless configured.
    QTest::newRow("replicate hardware: booting not billed")
        << text({ { "id", "p" }, { "type", "replicate" }, { "pricing", { { "ref", "replicate.hw.A100-80GB" } } } })
        << "catalog:replicate.hw.A100-80GB" << 0.0014 << 0.0 << 0 << false;
    QTest::newRow("openai dall-e-3 without pricing: the catalog's entry for the model")
        << text({ { "id", "o" }, { "type", "openai" }, { "model", "dall-e-3" } })
        << "catalog:openai.dall-e-3.standard-1024" << 0.0 << 0.0 << 0 << true;
}

void TestCostRun::billingFromTheStoredConfig()
{
    QFETCH(QString, provider);
    QFETCH(QString, label);
    QFETCH(double, perSecond);
    QFETCH(double, idleTimeoutS);
    QFETCH(int, minWorkers);
    QFETCH(bool, bootBilled);
    std::string error;
    const auto billing = billingOfRun(
        costfixtures::storedRun(nlohmann::json::parse(provider.toStdString())), defaultCatalog(), &error);
    QVERIFY2(billing, error.c_str());
    QCOMPARE(QString::fromStdString(billing->price.label), label);
    VERIFY_NEAR(billing->price.perSecondUsd(), perSecond);
    VERIFY_NEAR(billing->options.idleTimeoutS, idleTimeoutS);
    QCOMPARE(billing->options.keepWarmWorkers, minWorkers);
    QCOMPARE(billing->options.coldStartBilled, bootBilled);
    QCOMPARE(billing->options.width, 512); // the variant's size, for records that lack one
}

void TestCostRun::runWithoutAPriceSaysWhy()
{
    using nlohmann::json;
    std::string error;
    const auto records = costfixtures::steadyMeasuredRun();
    // A RunPod endpoint's GPU is not in its configuration: no price can be guessed.
    QVERIFY(!costOfRun(costfixtures::storedRun({ { "id", "r" }, { "type", "runpod" } }), records, {}, &error));
    QVERIFY2(error.find("no price for provider \"r\"") != std::string::npos, error.c_str());
    QVERIFY2(error.find("give it \"pricing\"") != std::string::npos, error.c_str());
    // A bad pricing names the key.
    QVERIFY(!costOfRun(costfixtures::storedRun({ { "id", "r" }, { "type", "runpod" },
                           { "pricing", { { "ref", "runpod.flex.A100-80GB" }, { "boot_billed", "yes" } } } }),
        records, {}, &error));
    QVERIFY2(error.find("\"boot_billed\" must be true or false") != std::string::npos, error.c_str());
    QVERIFY(!costOfRun(
        costfixtures::storedRun({ { "id", "r" }, { "type", "runpod" }, { "pricing", { { "ref", "nobody.H100" } } } }),
        records, {}, &error));
    QVERIFY2(error.find("no catalog entry \"nobody.H100\"") != std::string::npos, error.c_str());
}

void TestCostRun::measuredSteadyRunProjectsBothWays()
{
    // A run on the steady profile ($0.00076/s, 3 s idle timeout), measured without health
    // samples: warm service 440 ms (nine jobs), one boot of 4300 ms (the first job's wait beyond
    // the 0 ms later jobs waited). Projected against a dedicated A100 at $1.48/h, p95 target 2 s.
    const RunInfo run = costfixtures::storedRun({ { "id", "s" }, { "type", "emulated" }, { "profile", "steady" } });
    std::string error;
    const auto billing = billingOfRun(run, defaultCatalog(), &error);
    QVERIFY2(billing, error.c_str());
    const auto records = costfixtures::steadyMeasuredRun();
    ProjectionInput in = projectionInputOf(*billing, records, {});
    QCOMPARE(in.warmServiceMs.size(), std::size_t { 9 });
    QCOMPARE(in.coldStartMs, std::vector<double> { 4300.0 });
    VERIFY_NEAR(in.idleTimeoutS, 3.0);
    in.p95TargetMs = 2000;
    dedicatedFor(in, 1.48, 1);
    // One instance at 1 / 0.44 s = 2.27 jobs/s meets a 2 s p95 up to utilisation 0.408
    // (440 ms + ln(20 x 0.408) / (2.27 x 0.592) s = 2000 ms): 0.927 images/s.
    VERIFY_CLOSE(in.dedicatedImagesPerSecond, 0.927146);

    // Far below the break-even: 10,000 images a month. Serverless: 10000 x 0.44 s x 0.00076 =
    // $3.34 of compute, 9,870 cold starts x 4.3 s = $32.25, 34,714 idle seconds = $26.38:
    // $61.98, against a whole month of one reserved instance, $1,080.40.
    in.imagesPerMonth = 10'000;
    const Projection low = projectMonthly(in);
    VERIFY_NEAR(low.serverlessComputeUsd, 3.344);
    VERIFY_CLOSE(low.serverlessMonthlyUsd, 61.981946);
    VERIFY_NEAR(low.dedicatedMonthlyUsd, 1080.4);
    QVERIFY(low.cheaper == Deployment::Serverless);
    QVERIFY2(low.reason.starts_with("serverless is cheaper: $61.98 a month against $1080.40"), low.reason.c_str());

    // Far above: 10,000,000 a month = 3.8 images/s needs 5 workers either way (0.927/s each).
    // Serverless bills their busy time ($3,344), 678,229 cold starts ($2,216) and the idle gaps
    // under 3 s ($6,223): $11,783; 5 dedicated instances cost 5 x $1.48 x 730 = $5,402.
    in.imagesPerMonth = 10'000'000;
    const Projection high = projectMonthly(in);
    QCOMPARE(high.dedicatedInstances, 5);
    VERIFY_NEAR(high.dedicatedMonthlyUsd, 5402.0);
    VERIFY_CLOSE(high.serverlessMonthlyUsd, 11783.271951);
    QVERIFY(high.cheaper == Deployment::Dedicated);
    QVERIFY2(
        high.reason.starts_with("dedicated is cheaper: 5 dedicated instances cost $5402.00 a month against $11783.27"),
        high.reason.c_str());
    // The break-even lies between the two volumes.
    QVERIFY(low.breakEvenImagesPerMonth);
    QVERIFY(*low.breakEvenImagesPerMonth > 10'000 && *low.breakEvenImagesPerMonth < 10'000'000);
}

void TestCostRun::timePricedRunsBillWhatThePlatformBills_data()
{
    using nlohmann::json;
    QTest::addColumn<QString>("provider"); // the stored provider object, as JSON
    QTest::addColumn<double>("durationS"); // the run's duration
    QTest::addColumn<bool>("withExec"); // costfixtures::untimedRun(withExec)
    QTest::addColumn<QString>("samples"); // "" none, else instance counts every 10 s, e.g. "0 1 1 2 2 1"
    QTest::addColumn<double>("total");
    QTest::addColumn<double>("compute");
    QTest::addColumn<QString>("method"); // show --json's cost.method
    QTest::addColumn<bool>("estimate"); // a note says what was estimated
    const auto text = [](const json& j) { return QString::fromStdString(j.dump()); };
    // The four requests spend 3.2 + 2.5 + 3.0 + 2.1 = 10.8 s on the platform, one at a time.
    //
    // Dedicated endpoints and instances bill every instance for all the time it is up, busy or
    // idle; the requests' times only split that into compute and idle.
    // Hugging Face, no timings, no health route: one replica for the 60 s run = 1 replica-minute
    // x $0.03 = $0.03; busy 10.8 s x $0.0005/s = $0.0054.
    QTest::newRow("hf_endpoint without timings: a replica for the whole run")
        << text({ { "id", "hf" }, { "type", "hf_endpoint" }, { "pricing", { { "ref", "hf.aws.L40S" } } } }) << 60.0
        << false << "" << 0.03 << 0.0054 << "instance_time" << true;
    // With management: replicas 0, 1, 1, 2, 2, 1 for 10 s each = 70 replica-seconds, billed by the
    // started minute: 120 s x $0.0005 = $0.06 (replica 1 lived 50 s, replica 2 20 s: a minute each).
    QTest::newRow("hf_endpoint with management: the replicas it reported")
        << text({ { "id", "hf" }, { "type", "hf_endpoint" }, { "pricing", { { "ref", "hf.aws.L40S" } } } }) << 60.0
        << false << "0 1 1 2 2 1" << 0.06 << 0.0054 << "instance_time" << false;
    // SageMaker real-time, $1.41/h per second: 60 s = $0.0235; busy 10.8 s = $0.00423.
    QTest::newRow("sagemaker without container timings: the instance for the whole run")
        << text({ { "id", "sm" }, { "type", "sagemaker" }, { "pricing", { { "ref", "sagemaker.ml.g5.xlarge" } } } })
        << 60.0 << false << "" << 0.0235 << 0.00423 << "instance_time" << true;
    QTest::newRow("sagemaker with container timings: still the instance for the whole run")
        << text({ { "id", "sm" }, { "type", "sagemaker" }, { "pricing", { { "ref", "sagemaker.ml.g5.xlarge" } } } })
        << 60.0 << true << "" << 0.0235 << 0.00423 << "instance_time" << true;
    // Two instances configured: 120 instance-seconds = $0.047.
    QTest::newRow("sagemaker with 2 instances configured")
        << text({ { "id", "sm" }, { "type", "sagemaker" },
               { "pricing", { { "ref", "sagemaker.ml.g5.xlarge" }, { "min_workers", 2 } } } })
        << 60.0 << false << "" << 0.047 << 0.00423 << "instance_time" << false;
    // describe_endpoint: 1 instance for 30 s, then 2 for 30 s = 90 s = $0.03525.
    QTest::newRow("sagemaker with describe_endpoint: the instances it reported")
        << text({ { "id", "sm" }, { "type", "sagemaker" }, { "pricing", { { "ref", "sagemaker.ml.g5.xlarge" } } } })
        << 60.0 << false << "1 1 1 2 2 2" << 0.03525 << 0.00423 << "instance_time" << false;
    // Baseten bills each replica while it is up: $1/h x 60 s = $0.016667; busy $0.003.
    QTest::newRow("baseten without timings: the replica for the whole run")
        << text({ { "id", "b" }, { "type", "baseten" }, { "pricing", { { "per_hour", 1.0 } } } }) << 60.0 << false << ""
        << 1.0 / 60 << 0.003 << "instance_time" << true;
    // A Lambda A10 running AUTOMATIC1111 ($0.86/h) for a 10-minute run: 600 s = $0.143333, not
    // the 13 busy seconds ($0.003106) it used to bill; busy 10.8 s = $0.00258.
    QTest::newRow("a1111 on a Lambda instance: the instance-hours of the run, not the busy seconds")
        << text({ { "id", "a" }, { "type", "a1111" }, { "pricing", { { "ref", "lambda.1x-A10" } } } }) << 600.0 << true
        << "" << 600 * 0.86 / 3600 << 10.8 * 0.86 / 3600 << "instance_time" << true;
    QTest::newRow("comfyui on a Lambda A100 ($1.48/h)")
        << text({ { "id", "c" }, { "type", "comfyui" }, { "pricing", { { "per_hour", 1.48 } } } }) << 600.0 << true
        << "" << 600 * 1.48 / 3600 << 10.8 * 1.48 / 3600 << "instance_time" << true;
    QTest::newRow("http on a Lambda H100 (per hour): the instance")
        << text({ { "id", "h" }, { "type", "http" }, { "pricing", { { "ref", "lambda.1x-H100-PCIe" } } } }) << 60.0
        << true << "" << 60 * 2.86 / 3600 << 10.8 * 2.86 / 3600 << "instance_time" << true;
    QTest::newRow("openai_compatible per hour without timings: your GPU box")
        << text({ { "id", "o" }, { "type", "openai_compatible" }, { "pricing", { { "per_hour", 0.86 } } } }) << 60.0
        << false << "" << 60 * 0.86 / 3600 << 10.8 * 0.86 / 3600 << "instance_time" << true;
    // "billing" says what a time price pays for where the type does not: an http API priced per
    // second that is in fact one dedicated box: 60 s x $0.0005 = $0.03.
    QTest::newRow("http per second with billing: instances") << text(
        { { "id", "h" }, { "type", "http" }, { "pricing", { { "per_second", 0.0005 }, { "billing", "instances" } } } })
                                                             << 60.0 << false << "" << 0.03 << 0.0054 << "instance_time"
                                                             << true;
    //
    // Serverless platforms bill their workers' seconds; without execution times the time the
    // client saw each request on the platform is the estimate: 3.2, 2.5, 3.0, 2.1 s bill 4 + 3 +
    // 3 + 3 = 13 s.
    // Modal ($0.000542/s): 13 s = $0.007046, and the container idles out once after the last
    // request: 60 s x $0.000542 = $0.03252; $0.039566.
    QTest::newRow("modal without inference_s: client-observed time and one idle tail")
        << text({ { "id", "m" }, { "type", "modal" }, { "pricing", { { "ref", "modal.L40S" } } } }) << 60.0 << false
        << "" << 0.039566 << 0.007046 << "per_request" << true;
    QTest::newRow("openai_compatible per second (a serverless gateway): client-observed time")
        << text({ { "id", "o" }, { "type", "openai_compatible" }, { "pricing", { { "per_second", 0.0005 } } } }) << 60.0
        << false << "" << 0.0065 << 0.0065 << "per_request" << true;
    QTest::newRow("http per second without an exec pointer: client-observed time")
        << text({ { "id", "h" }, { "type", "http" }, { "pricing", { { "per_second", 0.0005 } } } }) << 60.0 << false
        << "" << 0.0065 << 0.0065 << "per_request" << true;
    // fal's serverless H100 is listed per hour ($1.89) and billed per second: 13 s = $0.006825.
    QTest::newRow("fal app without inference time: client-observed time")
        << text({ { "id", "f" }, { "type", "fal" }, { "pricing", { { "ref", "fal.serverless.H100" } } } }) << 60.0
        << false << "" << 13 * 1.89 / 3600 << 13 * 1.89 / 3600 << "per_request" << true;
}

void TestCostRun::timePricedRunsBillWhatThePlatformBills()
{
    QFETCH(QString, provider);
    QFETCH(double, durationS);
    QFETCH(bool, withExec);
    QFETCH(QString, samples);
    QFETCH(double, total);
    QFETCH(double, compute);
    QFETCH(QString, method);
    QFETCH(bool, estimate);
    const RunInfo run = costfixtures::storedRun(nlohmann::json::parse(provider.toStdString()), durationS * 1000.0);
    const auto records = costfixtures::untimedRun(withExec);
    std::vector<int> counts;
    for (const QString& count : samples.split(' ', Qt::SkipEmptyParts))
        counts.push_back(count.toInt());
    const auto health = costfixtures::instanceSamples(counts);
    std::string error;
    const auto cost = costOfRun(run, records, health, &error);
    QVERIFY2(cost, error.c_str());
    QVERIFY2(cost->total > 0, "a time-priced run that ran cost nothing");
    VERIFY_NEAR(cost->total, total);
    VERIFY_NEAR(cost->compute, compute);
    VERIFY_NEAR(cost->compute + cost->idle + cost->coldStart + cost->keepWarm + cost->failed + cost->egress, total);
    // The breakdown says how it was billed, and what of it is an estimate.
    const nlohmann::json show = showJson(makeReport(run, records, health));
    QCOMPARE(QString::fromStdString(show["cost"]["method"].get<std::string>()), method);
    QVERIFY2(!show["cost"].value("basis", std::string()).empty(), show["cost"].dump().c_str());
    bool estimated = false;
    for (const auto& note : show["cost"].value("notes", nlohmann::json::array()))
        estimated = estimated || note.get<std::string>().starts_with("estimate");
    QVERIFY2(estimated == estimate, show["cost"].dump().c_str());
    // The monthly projection serves with the same times: never 0 s.
    const auto billing = billingOfRun(run, defaultCatalog(), &error);
    QVERIFY2(billing, error.c_str());
    QCOMPARE(projectionInputOf(*billing, records, health).warmServiceMs,
        (std::vector<double> { 3200.0, 2500.0, 3000.0, 2100.0 }));
}

QTEST_APPLESS_MAIN(TestCostRun)
#include "tst_costrun.moc"
