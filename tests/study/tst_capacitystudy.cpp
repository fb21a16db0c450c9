// SPDX-License-Identifier: Apache-2.0
// The capacity study against a profile whose knee is known: 4 always-on workers of one slot and
// jobs of exactly 0.2 s sustain 4 / 0.2 = 20 requests/s and no more. With an SLA loose enough
// that latency alone never breaks it, the queue's growth must find the knee within 10%.
#include "../integration/clifixture.h"

using namespace t2itest;
using nlohmann::json;

namespace {

constexpr double kWorkers = 4, kServiceMs = 200;
constexpr double kKnee = kWorkers / (kServiceMs / 1000.0);

json capacityProfile()
{
    return { { "name", "capacity-test" },
        { "workers",
            { { "min", int(kWorkers) }, { "max", int(kWorkers) }, { "concurrency", 1 },
                { "idle_timeout_ms", 60000 } } },
        { "autoscaler", { { "scale_on", "request_count" }, { "requests_per_worker", 1 } } },
        { "service", { { "base_ms", kServiceMs }, { "ms_per_megapixel_step", 0 }, { "noise_sigma", 0 } } } };
}

json config(const std::string& profilePath)
{
    return { { "version", 1 }, { "name", "cap" },
        { "providers",
            { { { "id", "emu" }, { "type", "emulated" }, { "profile", profilePath }, { "seed", 5 },
                { "mode", "runsync" } } } },
        { "variants",
            { { { "id", "sd512" }, { "model", "sd-1.5" }, { "precision", "fp16" }, { "width", 512 }, { "height", 512 },
                { "steps", 20 }, { "guidance", 7.0 }, { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 42 } } },
        { "workload",
            { { "timeout_s", 60 }, { "poll_interval_ms", 50 },
                { "steps", { { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 1 } } } } } } };
}

} // namespace

class TestCapacityStudy : public QObject {
    Q_OBJECT
private slots:
    void findsTheKneeOfTheQueue()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeFile(dir.filePath("profile.json"), capacityProfile().dump(2));
        writeFile(dir.filePath("cfg.json"), config(dir.filePath("profile.json").toStdString()).dump(2));
        const CliResult r = runCli({ "study", dir.filePath("cfg.json"), "--kind", "capacity", "--param", "p95_ms=3000",
            "--param", "start_rate=8", "--param", "warm_s=1", "--param", "window_s=3", "--param", "max_levels=8",
            "--db", dir.filePath("lib.db"), "--json" });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const json study = json::parse(r.out.toStdString());
        const json& capacity = study["result"]["findings"][0];
        QCOMPARE(capacity["key"].get<std::string>(), std::string("capacity_rps"));
        QVERIFY2(capacity["value"].is_number(), study.dump().c_str());
        QVERIFY2(std::abs(capacity["value"].get<double>() - kKnee) <= 0.1 * kKnee, study.dump().c_str());
        // Queue growth broke it, not latency: the SLA is loose on purpose.
        QVERIFY2(study["result"]["answer"].get<std::string>().find("kept growing") != std::string::npos,
            study.dump().c_str());
    }

    void needsAnSla()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("cfg.json"), config("instant").dump(2));
        const CliResult r
            = runCli({ "study", dir.filePath("cfg.json"), "--kind", "capacity", "--db", dir.filePath("lib.db") });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("thresholds.p95_ms"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCapacityStudy)
#include "tst_capacitystudy.moc"
