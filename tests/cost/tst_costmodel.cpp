// SPDX-License-Identifier: Apache-2.0
// Billing units and their rounding rules, the pricing catalog and how a config's pricing
// resolves. Every expected value is worked out by hand in the row or the comment beside it.
#include "cost/billing.h"
#include "cost/pricingcatalog.h"
#include "costfixtures.h"
#include "util/resources.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace t2i;
using nlohmann::json;

namespace {

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-12 + 1e-9 * std::abs(b);
}

} // namespace

class TestCostModel : public QObject {
    Q_OBJECT

private slots:
    void billedSecondsRounding_data();
    void billedSecondsRounding();
    void outputUnits_data();
    void outputUnits();
    void instanceHours_data();
    void instanceHours();
    void egressTiers_data();
    void egressTiers();
    void shippedCatalogLoads();
    void badCatalogNamesEntryAndKey();
    void resolveForms();
    void resolveErrors();
    void tokenUsagePricing_data();
    void tokenUsagePricing();
};

void TestCostModel::billedSecondsRounding_data()
{
    QTest::addColumn<double>("durationMs");
    QTest::addColumn<double>("incrementS");
    QTest::addColumn<double>("minimumS");
    QTest::addColumn<double>("billed");
    QTest::newRow("3.2 s at 1 s increments bills 4 s") << 3200.0 << 1.0 << 0.0 << 4.0;
    QTest::newRow("3.0 s at 1 s increments bills exactly 3 s") << 3000.0 << 1.0 << 0.0 << 3.0;
    QTest::newRow("1 ms at 1 s increments bills 1 s") << 1.0 << 1.0 << 0.0 << 1.0;
    QTest::newRow("0.35 s at 0.1 s increments bills 0.4 s") << 350.0 << 0.1 << 0.0 << 0.4;
    QTest::newRow("0.3 s at 0.1 s is a multiple despite float noise") << 300.0 << 0.1 << 0.0 << 0.3;
    QTest::newRow("10.8 s at a 60 s replica-minute bills 60 s") << 10800.0 << 60.0 << 0.0 << 60.0;
    QTest::newRow("61 s at 60 s increments bills 120 s") << 61000.0 << 60.0 << 0.0 << 120.0;
    QTest::newRow("0.3 s with a 1 s minimum bills 1 s") << 300.0 << 0.1 << 1.0 << 1.0;
    QTest::newRow("no increment bills the exact 3.2 s") << 3200.0 << 0.0 << 0.0 << 3.2;
    QTest::newRow("nothing ran bills nothing, minimum or not") << 0.0 << 1.0 << 5.0 << 0.0;
}

void TestCostModel::billedSecondsRounding()
{
    QFETCH(double, durationMs);
    QFETCH(double, incrementS);
    QFETCH(double, minimumS);
    QFETCH(double, billed);
    QVERIFY2(near(billedSeconds(durationMs, incrementS, minimumS), billed),
        qPrintable(QString::number(billedSeconds(durationMs, incrementS, minimumS), 'g', 17)));
}

void TestCostModel::outputUnits_data()
{
    QTest::addColumn<int>("unit");
    QTest::addColumn<double>("amount");
    QTest::addColumn<bool>("roundUp");
    QTest::addColumn<double>("credits");
    QTest::addColumn<int>("images");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("steps");
    QTest::addColumn<double>("cost");
    const auto unit = [](PriceUnit u) { return static_cast<int>(u); };
    // 3 x $0.04 = 0.12
    QTest::newRow("per image: 3 dall-e-3 images cost 0.12")
        << unit(PriceUnit::PerImage) << 0.04 << false << 0.0 << 3 << 1024 << 0 << 0.12;
    // 1024 x 1024 / 1e6 = 1.048576 MP x $0.02 = 0.02097152, RunPod's output.cost for FLUX dev
    QTest::newRow("per-megapixel 1024x1024 bills 1.048576 MP")
        << unit(PriceUnit::PerMegapixel) << 0.02 << false << 0.0 << 1 << 1024 << 0 << 0.02097152;
    // 512 x 512 = 0.262144 MP x 2 images x $0.02 = 0.01048576
    QTest::newRow("per-megapixel 2 images of 512x512")
        << unit(PriceUnit::PerMegapixel) << 0.02 << false << 0.0 << 2 << 512 << 0 << 0.01048576;
    // fal rounds 1.048576 MP up to 2 MP: 2 x $0.025 = 0.05
    QTest::newRow("per-megapixel rounded up bills 2 MP for 1024x1024")
        << unit(PriceUnit::PerMegapixel) << 0.025 << true << 0.0 << 1 << 1024 << 0 << 0.05;
    // 1000 x 1000 = exactly 1 MP: rounding up keeps 1 MP, 0.025
    QTest::newRow("per-megapixel rounded up keeps an exact 1 MP")
        << unit(PriceUnit::PerMegapixel) << 0.025 << true << 0.0 << 1 << 1000 << 0 << 0.025;
    // 30 steps x 2 images x $0.0001 = 0.006
    QTest::newRow("per step: 30 steps x 2 images")
        << unit(PriceUnit::PerStep) << 0.0001 << false << 0.0 << 2 << 1024 << 30 << 0.006;
    // 6.5 credits x 2 images x $0.01 = 0.13 (SD3.5 Large)
    QTest::newRow("per credit: 2 SD3.5 Large images at 6.5 credits")
        << unit(PriceUnit::PerCredit) << 0.01 << false << 6.5 << 2 << 1024 << 0 << 0.13;
    QTest::newRow("a time unit has no output cost")
        << unit(PriceUnit::PerSecond) << 0.00076 << false << 0.0 << 1 << 1024 << 30 << 0.0;
}

void TestCostModel::outputUnits()
{
    QFETCH(int, unit);
    QFETCH(double, amount);
    QFETCH(bool, roundUp);
    QFETCH(double, credits);
    QFETCH(int, images);
    QFETCH(int, size);
    QFETCH(int, steps);
    QFETCH(double, cost);
    Price price;
    price.unit = static_cast<PriceUnit>(unit);
    price.amountUsd = amount;
    price.roundMegapixelsUp = roundUp;
    price.creditsPerImage = credits;
    const double got = outputCost(price, images, size, size, steps);
    QVERIFY2(near(got, cost), qPrintable(QString::number(got, 'g', 17)));
}

void TestCostModel::instanceHours_data()
{
    QTest::addColumn<double>("durationS");
    QTest::addColumn<double>("hourly");
    QTest::addColumn<double>("incrementS");
    QTest::addColumn<double>("cost");
    // 90 s / 3600 x $2.49 = 0.06225
    QTest::newRow("per-second proration: 90 s at $2.49/h") << 90.0 << 2.49 << 1.0 << 0.06225;
    // 89.2 s rounds up to 90 s: the same 0.06225
    QTest::newRow("per-second proration rounds 89.2 s up to 90 s") << 89.2 << 2.49 << 1.0 << 0.06225;
    // every started hour: 90 s bills 1 h = 2.49; 3601 s bills 2 h = 4.98
    QTest::newRow("hourly billing: 90 s bills a whole hour") << 90.0 << 2.49 << 3600.0 << 2.49;
    QTest::newRow("hourly billing: 3601 s bills two hours") << 3601.0 << 2.49 << 3600.0 << 4.98;
    // HF bills per minute: 61 s -> 120 s / 3600 x $1.80 = 0.06
    QTest::newRow("per-minute billing: 61 s at $1.80/h bills 2 minutes") << 61.0 << 1.80 << 60.0 << 0.06;
}

void TestCostModel::instanceHours()
{
    QFETCH(double, durationS);
    QFETCH(double, hourly);
    QFETCH(double, incrementS);
    QFETCH(double, cost);
    const double got = instanceCost(durationS, hourly, incrementS);
    QVERIFY2(near(got, cost), qPrintable(QString::number(got, 'g', 17)));
}

void TestCostModel::egressTiers_data()
{
    QTest::addColumn<double>("gb");
    QTest::addColumn<double>("cost");
    // Tiers: first 10240 GB at $0.09, up to 51200 GB at $0.085, beyond at $0.07.
    QTest::newRow("100 GB inside the first tier: 100 x 0.09 = 9") << 100.0 << 9.0;
    QTest::newRow("exactly the first tier: 10240 x 0.09 = 921.6") << 10240.0 << 921.6;
    // 921.6 + (20000 - 10240) x 0.085 = 921.6 + 829.6 = 1751.2
    QTest::newRow("20000 GB spans two tiers: 1751.2") << 20000.0 << 1751.2;
    // 921.6 + 40960 x 0.085 (= 3481.6) + 8800 x 0.07 (= 616) = 5019.2
    QTest::newRow("60000 GB reaches the open last tier: 5019.2") << 60000.0 << 5019.2;
    QTest::newRow("no bytes cost nothing") << 0.0 << 0.0;
}

void TestCostModel::egressTiers()
{
    QFETCH(double, gb);
    QFETCH(double, cost);
    const std::vector<EgressTier> tiers { { 10240, 0.09 }, { 51200, 0.085 },
        { std::numeric_limits<double>::infinity(), 0.07 } };
    const double got = egressCost(gb, tiers);
    QVERIFY2(near(got, cost), qPrintable(QString::number(got, 'g', 17)));
    // 6.5 MB = 0.0065 GB (decimal): 0.0065 x 0.09 = 0.000585
    QVERIFY(near(egressCost(bytesToGb(6'500'000), tiers), 0.000585));
}

void TestCostModel::shippedCatalogLoads()
{
    const PricingCatalog catalog = PricingCatalog::loadDefault();
    QVERIFY(catalog.entries().size() > 40);
    for (const auto& [ref, entry] : catalog.entries()) {
        QVERIFY2(!entry.read.empty() && !entry.source.empty(), ref.c_str());
        QVERIFY2(entry.unit == PriceUnit::PerGb || entry.priceUsd > 0, ref.c_str());
    }
    // The example RunPod's docs give: FLUX dev at 1024x1024 costs 0.02097152.
    const Price dev = catalog.price("runpod.public.flux-dev");
    QVERIFY(near(outputCost(dev, 1, 1024, 1024, 0), 0.02097152));
    QCOMPARE(dev.label, std::string("catalog:runpod.public.flux-dev"));
    QCOMPARE(dev.read, std::string("2026-08-20"));
    // Per-second A100 flex: 1 s increments, $0.00076/s, priced free egress.
    const Price a100 = catalog.price("runpod.flex.A100-80GB");
    QVERIFY(a100.unit == PriceUnit::PerSecond);
    QCOMPARE(a100.amountUsd, 0.00076);
    QCOMPARE(a100.billingIncrementS, 1.0);
    QCOMPARE(a100.egress.label, std::string("catalog:runpod.egress"));
    // HF bills per minute of replica: $1.80/h is $0.03 a minute, in 60 s increments.
    const Price l40s = catalog.price("hf.aws.L40S");
    QVERIFY(l40s.unit == PriceUnit::PerMinuteReplica);
    QCOMPARE(l40s.billingIncrementS, 60.0);
    QVERIFY(near(l40s.perSecondUsd(), 0.0005));
    // Entries with no documented price in the reference are marked.
    QVERIFY(catalog.at("lambda.1x-H100-PCIe").unconfirmed);
    QVERIFY(catalog.at("sagemaker.ml.inf2.xlarge").unconfirmed);
}

void TestCostModel::badCatalogNamesEntryAndKey()
{
    for (const costfixtures::BadCatalog& bad : costfixtures::badCatalogs()) {
        try {
            PricingCatalog::fromJson(json::parse(bad.json));
            QFAIL(bad.name);
        } catch (const PricingError& e) {
            const std::string what = e.what();
            QVERIFY2(
                what.find(bad.message) != std::string::npos, qPrintable(QString("%1: %2").arg(bad.name, what.c_str())));
        }
    }
    QVERIFY_THROWS_EXCEPTION(PricingError, PricingCatalog::load("/nonexistent/catalog.json"));
}

void TestCostModel::resolveForms()
{
    const PricingCatalog catalog = PricingCatalog::fromJson(costfixtures::smallCatalog());

    const Price ref = resolvePrice(json { { "ref", "runpod.flex.A100-80GB" } }, catalog);
    QVERIFY(ref.unit == PriceUnit::PerSecond);
    QCOMPARE(ref.amountUsd, 0.00076);
    QCOMPARE(ref.label, std::string("catalog:runpod.flex.A100-80GB"));
    QCOMPARE(ref.read, std::string("2026-07-01"));
    QCOMPARE(ref.egress.label, std::string("catalog:aws.egress.internet"));
    QCOMPARE(ref.egress.tiers.size(), std::size_t(3));

    const Price perSecond = resolvePrice(json { { "per_second", 0.00076 } }, catalog);
    QVERIFY(perSecond.unit == PriceUnit::PerSecond);
    QCOMPARE(perSecond.label, std::string("config"));
    QVERIFY(perSecond.read.empty());
    QCOMPARE(perSecond.billingIncrementS, 1.0);
    QVERIFY(perSecond.egress.tiers.empty());

    const Price perImage = resolvePrice(json { { "per_image", 0.003 } }, catalog);
    QVERIFY(perImage.unit == PriceUnit::PerImage);
    QCOMPARE(perImage.amountUsd, 0.003);

    const Price perMp = resolvePrice(json { { "per_megapixel", 0.02 }, { "egress_per_gb", 0.09 } }, catalog);
    QVERIFY(perMp.unit == PriceUnit::PerMegapixel);
    QCOMPARE(perMp.egress.tiers.size(), std::size_t(1));
    QCOMPARE(perMp.egress.tiers[0].priceUsd, 0.09);
    QCOMPARE(perMp.egress.label, std::string("config"));

    // $2.49/h prorated per second: 3600 s cost exactly 2.49.
    const Price perHour = resolvePrice(json { { "per_hour", 2.49 } }, catalog);
    QVERIFY(perHour.unit == PriceUnit::PerHour);
    QVERIFY(near(timeCost(3'600'000, perHour), 2.49));

    // An override keeps the catalog entry's rounding and says it is the config's number.
    const Price overridden = resolvePrice(json { { "ref", "hf.aws.L40S" }, { "per_hour", 2.0 } }, catalog);
    QVERIFY(overridden.unit == PriceUnit::PerHour);
    QCOMPARE(overridden.amountUsd, 2.0);
    QCOMPARE(overridden.label, std::string("config (over catalog:hf.aws.L40S)"));
    QVERIFY(overridden.read.empty());
    const Price sameUnit = resolvePrice(json { { "ref", "runpod.flex.A100-80GB" }, { "per_second", 0.0007 } }, catalog);
    QCOMPARE(sameUnit.amountUsd, 0.0007);
    QCOMPARE(sameUnit.billingIncrementS, 1.0);
    QCOMPARE(sameUnit.egress.label, std::string("catalog:aws.egress.internet"));
}

void TestCostModel::resolveErrors()
{
    const PricingCatalog catalog = PricingCatalog::fromJson(costfixtures::smallCatalog());
    const auto message = [&](const json& pricing) {
        try {
            resolvePrice(pricing, catalog);
        } catch (const PricingError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    QCOMPARE(message(json { { "ref", "nobody.H100" } }), std::string("pricing: no catalog entry \"nobody.H100\""));
    QVERIFY(message(json { { "ref", "aws.egress.internet" } }).find("prices egress") != std::string::npos);
    QVERIFY(
        message(json { { "per_second", -1 } }).find("key \"per_second\" must be a price >= 0") != std::string::npos);
    QVERIFY(message(json { { "per_second", 1 }, { "per_image", 1 } }).find("give one of") != std::string::npos);
    QVERIFY(message(json::object()).find("needs \"ref\"") != std::string::npos);
}

void TestCostModel::tokenUsagePricing_data()
{
    // gpt-image-1's prices per million tokens: text input $5, image input $10, image output $40.
    QTest::addColumn<QString>("usage");
    QTest::addColumn<double>("expected"); // < 0: not a usage report
    const auto text = [](const json& j) { return QString::fromStdString(j.dump()); };
    // 50 x 5e-6 + 1056 x 40e-6 = 0.00025 + 0.04224
    QTest::newRow("details: 50 text tokens in, 1056 image tokens out") << text({ { "input_tokens", 50 },
        { "input_tokens_details", { { "text_tokens", 50 }, { "image_tokens", 0 } } }, { "output_tokens", 1056 },
        { "output_tokens_details", { { "image_tokens", 1056 }, { "text_tokens", 0 } } } })
                                                                       << 0.04249;
    // 100 x 10e-6 (image input) + 200 x 5e-6 + 4160 x 40e-6 = 0.001 + 0.001 + 0.1664
    QTest::newRow("image input priced apart from text") << text(
        { { "input_tokens", 300 }, { "input_tokens_details", { { "text_tokens", 200 }, { "image_tokens", 100 } } },
            { "output_tokens", 4160 }, { "output_tokens_details", { { "image_tokens", 4160 } } } })
                                                        << 0.1684;
    // Without details: input as text, output as image: 100 x 5e-6 + 272 x 40e-6 = 0.0005 + 0.01088
    QTest::newRow("no details: input is text, output is image")
        << text({ { "input_tokens", 100 }, { "output_tokens", 272 } }) << 0.01138;
    QTest::newRow("an object without token counts is no report") << text(json::object()) << -1.0;
    QTest::newRow("text that is not JSON is no report") << QString("tokens: 12") << -1.0;
}

void TestCostModel::tokenUsagePricing()
{
    QFETCH(QString, usage);
    QFETCH(double, expected);
    const PricingCatalog catalog = PricingCatalog::loadDefault();
    const Price medium = catalog.price("openai.gpt-image-1.medium-1024");
    QCOMPARE(medium.tokenUsdPerMillion.at("image_output"), 40.0);
    const auto cost = tokenUsageCost(usage.toStdString(), medium.tokenUsdPerMillion);
    if (expected < 0) {
        QVERIFY(!cost);
        return;
    }
    QVERIFY(cost);
    QVERIFY2(near(*cost, expected), qPrintable(QString::number(*cost, 'g', 17)));
    // No token prices: nothing to price it with.
    QVERIFY(!tokenUsageCost(usage.toStdString(), {}));
}

QTEST_APPLESS_MAIN(TestCostModel)
#include "tst_costmodel.moc"
