// SPDX-License-Identifier: Apache-2.0
// A run's cost from its records and worker samples, and the monthly projection against a
// dedicated instance. Every figure is worked out by hand in the comments.
#include "cost/billing.h"
#include "cost/projection.h"
#include "cost/runcost.h"
#include "costfixtures.h"

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
// 2.5 s (billed 2 s and 3 s: mean 2.5 s), a 10 s cold start, 5 s idle timeout; against a
// dedicated instance at $1.48/h that serves 0.5 images/s within the p95 target.
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
    void keepWarmAbsorbsItsOwnWork();
    void replicaMinuteRoundsTheSumOnce();
    void perMegapixelRun();
    void steadyFarBelowBreakEvenPicksServerless();
    void steadyFarAboveBreakEvenPicksDedicated();
    void perImageBreakEvenIsPriceRatio();
    void shapesSizeDedicatedForThePeak();
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
    // lambda = 10000 / 2628000 s = 0.0038052/s; one worker; rho = lambda x 2.5 = 0.0095129;
    // e^(-lambda x 5) = 0.981154.
    // compute = 10000 x 2.5 s x 0.00076 = 19.00
    VERIFY_NEAR(p.serverlessComputeUsd, 19.0);
    // idle = 2628000 x (1 - 0.0095129) x (1 - 0.981154) = 49056.2 s x 0.00076 = 37.283
    VERIFY_CLOSE(p.serverlessIdleUsd, 37.28272);
    // cold starts = 10000 x 0.990487 x 0.981154 = 9718.2; x 10 s x 0.00076 = 73.858
    VERIFY_CLOSE(p.coldStartsPerMonth, 9718.203);
    VERIFY_CLOSE(p.serverlessColdUsd, 73.85834);
    VERIFY_CLOSE(p.serverlessMonthlyUsd, 130.14106);
    // dedicated: 1 instance (0.0038 images/s << 0.5) x $1.48 x 730 h = 1080.40
    QCOMPARE(p.dedicatedInstances, 1);
    VERIFY_NEAR(p.dedicatedMonthlyUsd, 1080.4);
    // Why serverless: at this volume most requests start cold, yet $130 of busy, boot and
    // idle seconds is far below a month of a reserved instance.
    QVERIFY(p.cheaper == Deployment::Serverless);
    QVERIFY2(p.reason.starts_with("serverless is cheaper: $130.14 a month against $1080.40"), p.reason.c_str());
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
    // lambda = 0.380518/s, one worker at rho = 0.951294, e^(-lambda x 5) = 0.149182.
    // compute = 1e6 x 2.5 x 0.00076 = 1900; idle = 2628000 x 0.048706 x 0.850818 = 108904.7 s
    // -> 82.768; cold = 1e6 x 0.048706 x 0.149182 = 7266.1 x 10 s x 0.00076 = 55.222
    VERIFY_NEAR(p.serverlessComputeUsd, 1900.0);
    VERIFY_CLOSE(p.serverlessIdleUsd, 82.76756);
    VERIFY_CLOSE(p.serverlessColdUsd, 55.22236);
    VERIFY_CLOSE(p.serverlessMonthlyUsd, 2037.98992);
    // dedicated: 0.38 images/s fits one instance at 0.5/s: 1080.40
    QCOMPARE(p.dedicatedInstances, 1);
    VERIFY_NEAR(p.dedicatedMonthlyUsd, 1080.4);
    // Why dedicated: the busy seconds alone ($1900) already cost more than the reserved hours.
    QVERIFY(p.cheaper == Deployment::Dedicated);
    QVERIFY2(p.reason.starts_with("dedicated is cheaper: 1 dedicated instance cost $1080.40 a month against $2037.99"),
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
    // serverless: 2.28311 x 2.5 s = 5.71 -> 6 workers, each scaling down after every burst:
    // at least 730 x 6 = 4380 cold starts
    QVERIFY(b.coldStartsPerMonth >= 4380.0);
}

QTEST_APPLESS_MAIN(TestCostRun)
#include "tst_costrun.moc"
