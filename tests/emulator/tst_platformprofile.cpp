// SPDX-License-Identifier: Apache-2.0
// Emulator profiles: the built-in ones load and keep the demo's time budget; bad ones are
// refused with the file and the key named.
#include "platformprofile.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace t2i;

class TestPlatformProfile : public QObject {
    Q_OBJECT
private slots:
    void builtInProfilesLoad_data();
    void builtInProfilesLoad();
    void instantProfileIsAnOverheadBaseline();
    void burstProfileScalesWideAndFast();
    void badProfilesNameTheKey_data();
    void badProfilesNameTheKey();
    void defaultsFollowRunPodsDocumentedNumbers();
    void unknownProfileNameIsRefused();
    void imagesSectionIsRead();
};

void TestPlatformProfile::builtInProfilesLoad_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("steady") << "steady";
    QTest::newRow("fast-scaling") << "fast-scaling";
    QTest::newRow("cheap-saturating") << "cheap-saturating";
}

// The quickstart runs ~20-30 s per profile only if the built-in profiles stay time-compressed.
void TestPlatformProfile::builtInProfilesLoad()
{
    QFETCH(QString, name);
    const PlatformProfile p = PlatformProfile::load(name.toStdString());
    QCOMPARE(QString::fromStdString(p.name), name);
    const double megapixelSteps = 1024.0 * 1024.0 / 1e6 * 30;
    const double serviceMs = (p.baseMs + p.msPerMegapixelStep * megapixelSteps) * p.precisionFactors.at("fp16");
    QVERIFY2(serviceMs >= 400 && serviceMs <= 1000, qPrintable(QString::number(serviceMs)));
    const double coldMs = p.coldBoot.medianMs + p.coldLoad.medianMs;
    QVERIFY2(coldMs >= 1500 && coldMs <= 5000, qPrintable(QString::number(coldMs)));
    QVERIFY(p.idleTimeoutMs >= 2000 && p.idleTimeoutMs <= 3000);
    QVERIFY(p.maxWorkers >= 4 && p.maxWorkers <= 10);
    QCOMPARE(p.minWorkers, 0);
    QCOMPARE(p.timeScale, 1.0);
}

void TestPlatformProfile::instantProfileIsAnOverheadBaseline()
{
    const PlatformProfile p = PlatformProfile::load("instant");
    QCOMPARE(p.minWorkers, p.maxWorkers);
    QCOMPARE(p.coldBoot.medianMs + p.coldLoad.medianMs, 0.0);
    QCOMPARE(p.baseMs + p.msPerMegapixelStep, 0.0);
    const RateLimit runsync = p.rateLimits.at("runsync");
    QVERIFY(runsync.concurrent == 0 || runsync.concurrent >= 2000);
    QVERIFY(runsync.per10s == 0 || runsync.per10s >= 100000);
    QVERIFY(p.workerConcurrency * p.maxWorkers >= 2000);
}

// burst-scaling is for the scaling study's demo: many workers, added at once, time-compressed.
void TestPlatformProfile::burstProfileScalesWideAndFast()
{
    const PlatformProfile p = PlatformProfile::load("burst-scaling");
    QCOMPARE(p.maxWorkers, 32);
    QVERIFY(p.scaleOn == ScaleOn::RequestCount);
    QCOMPARE(p.minWorkers, 0);
    const double coldMs = p.coldBoot.medianMs + p.coldLoad.medianMs;
    QVERIFY2(coldMs >= 1000 && coldMs <= 2000, qPrintable(QString::number(coldMs)));
    QCOMPARE(p.timeScale, 1.0);
}

void TestPlatformProfile::badProfilesNameTheKey_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("key");
    QTest::newRow("misspelt key") << R"({"workers": {"maxx": 3}})"
                                  << "workers.maxx: unknown key";
    QTest::newRow("price as a string") << R"({"price_per_s": "cheap"})"
                                       << "price_per_s: expected a number";
    QTest::newRow("failure rate above 1") << R"({"failures": {"rate": 1.5}})"
                                          << "failures.rate: out of range";
    QTest::newRow("unknown scaler") << R"({"autoscaler": {"scale_on": "vibes"}})"
                                    << "autoscaler.scale_on";
    QTest::newRow("min above max") << R"({"workers": {"min": 5, "max": 2}})"
                                   << "workers.min";
    QTest::newRow("fractional worker count") << R"({"workers": {"max": 2.5}})"
                                             << "workers.max: expected an integer";
    QTest::newRow("default precision not in the map")
        << R"({"service": {"precision_factors": {"fp16": 1}, "default_precision": "fp32"}})"
        << "service.default_precision";
    QTest::newRow("unknown rate-limited operation") << R"({"rate_limits": {"teleport": {"per_10s": 1}}})"
                                                    << "rate_limits.teleport: unknown key";
    QTest::newRow("unknown image format") << R"({"images": {"format": "gif"}})"
                                          << "images.format";
    QTest::newRow("image quality above 100") << R"({"images": {"quality": 101}})"
                                             << "images.quality: out of range";
    QTest::newRow("negative bytes per megapixel") << R"({"images": {"bytes_per_megapixel": -1}})"
                                                  << "images.bytes_per_megapixel: out of range";
    QTest::newRow("misspelt image key") << R"({"images": {"fromat": "png"}})"
                                        << "images.fromat: unknown key";
    QTest::newRow("top level not an object") << R"([1, 2])"
                                             << "(top level)";
}

void TestPlatformProfile::badProfilesNameTheKey()
{
    QFETCH(QString, json);
    QFETCH(QString, key);
    try {
        PlatformProfile::fromJson(nlohmann::json::parse(json.toStdString()), "bad.json");
        QFAIL("the profile was accepted");
    } catch (const ProfileError& error) {
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.startsWith("bad.json: "), qPrintable(message));
        QVERIFY2(message.contains(key), qPrintable(message));
    }
}

void TestPlatformProfile::defaultsFollowRunPodsDocumentedNumbers()
{
    const PlatformProfile p = PlatformProfile::fromJson(nlohmann::json::object(), "empty.json");
    QCOMPARE(p.rateLimits.at("runsync").per10s, 2000);
    QCOMPARE(p.rateLimits.at("runsync").concurrent, 400);
    QCOMPARE(p.rateLimits.at("run").per10s, 1000);
    QCOMPARE(p.rateLimits.at("cancel").per10s, 100);
    QCOMPARE(p.rateLimits.at("purge_queue").per10s, 2);
    QCOMPARE(p.maxWorkers, 3);
    QCOMPARE(p.idleTimeoutMs, 5000.0);
    QCOMPARE(p.queueDelayMs, 4000.0);
    QCOMPARE(p.retentionRunS, 1800.0);
    QCOMPARE(p.retentionRunsyncS, 60.0);
}

void TestPlatformProfile::unknownProfileNameIsRefused()
{
    QVERIFY_THROWS_EXCEPTION(ProfileError, PlatformProfile::load("no-such-profile"));
    QVERIFY_THROWS_EXCEPTION(ProfileError, PlatformProfile::load("/nonexistent/profile.json"));
}

void TestPlatformProfile::imagesSectionIsRead()
{
    const PlatformProfile defaults = PlatformProfile::fromJson(nlohmann::json::object(), "empty.json");
    QVERIFY(defaults.images.format == ImageFormat::Png);
    QCOMPARE(defaults.images.quality, 90);
    QCOMPARE(defaults.images.bytesPerMegapixel, 0.0);
    const PlatformProfile p = PlatformProfile::fromJson(
        nlohmann::json::parse(R"({"images": {"format": "webp", "quality": 75, "bytes_per_megapixel": 250000}})"),
        "webp.json");
    QVERIFY(p.images.format == ImageFormat::Webp);
    QCOMPARE(p.images.quality, 75);
    QCOMPARE(p.images.bytesPerMegapixel, 250000.0);
}

QTEST_APPLESS_MAIN(TestPlatformProfile)
#include "tst_platformprofile.moc"
