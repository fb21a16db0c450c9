// SPDX-License-Identifier: Apache-2.0
// The saturation study against an emulated platform of known truth, through t2ibench-cli: one
// worker of 4 slots whose jobs run 3x slower when they start above 80% utilisation (so only at
// 4 of 4), no noise to speak of, no failures, short jobs. The knee must be found within one bin
// of 80%. And a provider that gives no utilisation is refused before anything runs.

#include "integration/clifixture.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace t2itest;
using nlohmann::json;

namespace {

json saturatingProfile()
{
    return {
        { "name", "saturating-test" },
        { "time_scale", 1.0 },
        { "workers", { { "min", 0 }, { "max", 1 }, { "concurrency", 4 }, { "idle_timeout_ms", 60000 } } },
        { "cold_start", { { "boot_median_ms", 50 }, { "load_median_ms", 50 } } },
        { "autoscaler", { { "scale_on", "request_count" }, { "requests_per_worker", 4 }, { "reaction_delay_ms", 0 } } },
        { "service",
            { { "base_ms", 250 }, { "ms_per_megapixel_step", 0 }, { "noise_sigma", 0.02 },
                { "saturation_threshold", 0.8 }, { "saturation_factor", 3.0 } } },
        { "failures", { { "rate", 0 } } },
    };
}

json studyConfig(const json& provider)
{
    return {
        { "version", 1 },
        { "name", "sat" },
        { "providers", { provider } },
        { "variants",
            { { { "id", "tiny" }, { "model", "sd-1.5" }, { "precision", "fp16" }, { "width", 64 }, { "height", 64 },
                { "steps", 1 }, { "guidance", 7.0 }, { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 42 } } },
        // The study replaces the steps with its own sweep; a configuration needs some.
        { "workload",
            { { "timeout_s", 60 }, { "poll_interval_ms", 50 },
                { "steps", { { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 1 } } } } } },
    };
}

} // namespace

class TestSaturationAccuracy : public QObject {
    Q_OBJECT
private slots:
    void kneeIsFoundNearTheProfilesThreshold();
    void providerWithoutUtilizationIsRefused();
};

void TestSaturationAccuracy::kneeIsFoundNearTheProfilesThreshold()
{
    QTemporaryDir dir;
    writeFile(dir.filePath("saturating.json"), saturatingProfile().dump(2));
    const json provider = { { "id", "emu" }, { "type", "emulated" },
        { "profile", dir.filePath("saturating.json").toStdString() }, { "seed", 5 }, { "truth", "truth.jsonl" } };
    writeFile(dir.filePath("cfg.json"), studyConfig(provider).dump(2));
    // Levels 1-3 run at 25-75% (fast), 4 and 6 at 100% (3x slower): about 8 s of jobs.
    const CliResult r = runCli({ "study", dir.filePath("cfg.json"), "--kind", "saturation", "--param",
        "concurrency=1,2,3,4,6", "--param", "requests_per_level=12", "--db", dir.filePath("lib.db"), "--json" });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const json study = json::parse(r.out.toStdString());
    const json& result = study["result"];
    json knee;
    for (const json& f : result["findings"])
        if (f["key"] == "knee_utilization_pct")
            knee = f;
    QVERIFY2(knee.contains("value") && knee["value"].is_number(), result.dump(2).c_str());
    const double value = knee["value"].get<double>();
    qInfo("knee %s; %s", knee["text"].get<std::string>().c_str(), result["answer"].get<std::string>().c_str());
    QVERIFY2(std::abs(value - 80.0) <= 10.0, result.dump(2).c_str()); // within one 10% bin of the truth
    QVERIFY2(knee["low"].get<double>() <= value && value <= knee["high"].get<double>(), knee.dump().c_str());
    // The per-run truth file the study read has the utilisation steps it was computed from.
    const Truth truth = readTruth(dir.filePath("truth.jsonl.1"));
    QVERIFY(!truth.utilization.empty());
    QVERIFY(!truth.jobs.empty());
    for (const auto& [id, job] : truth.jobs)
        QVERIFY2(job.contains("utilization_at_start"), id.c_str());
}

void TestSaturationAccuracy::providerWithoutUtilizationIsRefused()
{
    QTemporaryDir dir;
    const json provider = { { "id", "emu" }, { "type", "emulated" }, { "profile", "instant" } }; // no truth file
    writeFile(dir.filePath("cfg.json"), studyConfig(provider).dump(2));
    const CliResult r = runCli(
        { "study", dir.filePath("cfg.json"), "--kind", "saturation", "--db", dir.filePath("lib.db"), "--json" });
    QCOMPARE(r.exitCode, 1);
    const json study = json::parse(r.out.toStdString());
    QVERIFY2(study["runs"].empty(), r.out.constData()); // refused before any run
    QVERIFY2(r.out.contains("gives none") || r.err.contains("gives none"), r.out.constData());
}

QTEST_GUILESS_MAIN(TestSaturationAccuracy)
#include "tst_saturationaccuracy.moc"
