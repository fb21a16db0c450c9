// SPDX-License-Identifier: Apache-2.0
// The idle_timeout study against the emulator, whose idle timeout is known: the real
// t2ibench-cli runs the study (one emulator per probe run) and its answer must be within 10% of
// the profile's workers.idle_timeout_ms; with max_idle_s below it, the answer is "no scale to zero".
#include "integration/clifixture.h"

#include <cmath>

using namespace t2itest;
using nlohmann::json;

namespace {

// Short, noiseless timings so each probe run takes a few seconds: a 0.6 s cold start (well above
// the 250 ms cold threshold, so a new worker's first job is labelled cold), ~0.1 s per image.
json profile(int idleTimeoutMs)
{
    return { { "name", "idle" }, { "price_per_s", 0.001 },
        { "workers", { { "min", 0 }, { "max", 2 }, { "concurrency", 1 }, { "idle_timeout_ms", idleTimeoutMs } } },
        { "cold_start", { { "boot_median_ms", 600 }, { "boot_sigma", 0 } } },
        { "autoscaler", { { "scale_on", "request_count" }, { "reaction_delay_ms", 0 } } },
        { "service", { { "base_ms", 100 }, { "ms_per_megapixel_step", 1 } } } };
}

std::string config(const std::string& profilePath)
{
    const json c = {
        { "version", 1 },
        { "name", "idle" },
        { "providers", { { { "id", "emu" }, { "type", "emulated" }, { "profile", profilePath }, { "seed", 5 } } } },
        { "variants",
            { { { "id", "sd512" }, { "model", "sd-1.5" }, { "precision", "fp16" }, { "width", 512 }, { "height", 512 },
                { "steps", 4 }, { "guidance", 7.0 }, { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 42 } } },
        { "workload",
            { { "timeout_s", 30 }, { "poll_interval_ms", 50 }, { "health_interval_s", 0.5 },
                { "steps", { { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 1 } } } } } },
    };
    return c.dump(2);
}

} // namespace

class TestIdleTimeoutStudy : public QObject {
    Q_OBJECT
private slots:
    void theAnswerIsTheProfilesIdleTimeout_data()
    {
        QTest::addColumn<int>("idleTimeoutMs");
        QTest::addColumn<QString>("minIdleS");
        QTest::addColumn<QString>("maxIdleS");
        QTest::addColumn<bool>("scalesToZero");
        QTest::newRow("a 1.5 s idle timeout is found within 10%") << 1500 << "0.4"
                                                                  << "30" << true;
        QTest::newRow("max_idle_s below the idle timeout: no scale to zero") << 1500 << "0.3"
                                                                             << "0.6" << false;
    }
    void theAnswerIsTheProfilesIdleTimeout()
    {
        QFETCH(int, idleTimeoutMs);
        QFETCH(QString, minIdleS);
        QFETCH(QString, maxIdleS);
        QFETCH(bool, scalesToZero);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString profilePath = dir.filePath("idle.json");
        writeFile(profilePath, profile(idleTimeoutMs).dump(2));
        const QString configPath = dir.filePath("config.json");
        writeFile(configPath, config(profilePath.toStdString()));
        const CliResult cli
            = runCli({ "study", configPath, "--kind", "idle_timeout", "--param", "min_idle_s=" + minIdleS, "--param",
                "max_idle_s=" + maxIdleS, "--param", "precision=0.05", "--db", dir.filePath("lib.db"), "--json" });
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        const json study = json::parse(cli.out.toStdString());
        const json& result = study.at("result");
        json finding;
        for (const json& f : result.at("findings"))
            if (f.at("key") == "idle_timeout_s")
                finding = f;
        QVERIFY2(finding.is_object(), result.dump(2).c_str());
        if (!scalesToZero) {
            QVERIFY2(finding.value("value", json()).is_null(), result.dump(2).c_str());
            QVERIFY2(
                result.at("answer").get<std::string>().find("No scale to zero within max_idle_s") != std::string::npos,
                result.dump(2).c_str());
            return;
        }
        const double truthS = idleTimeoutMs / 1000.0;
        const double answer = finding.at("value").get<double>();
        QVERIFY2(std::abs(answer - truthS) <= 0.1 * truthS, result.dump(2).c_str());
        QVERIFY2(finding.at("low").get<double>() <= truthS + 0.05 && finding.at("high").get<double>() >= truthS - 0.05,
            result.dump(2).c_str());
        // Every probe is a run of the study, stored in the library.
        QCOMPARE(study.at("runs").size(), result.at("tables").at(0).at("rows").size());
    }
};

QTEST_GUILESS_MAIN(TestIdleTimeoutStudy)
#include "tst_idletimeoutstudy.moc"
