// SPDX-License-Identifier: Apache-2.0
// The scaling study against the emulator's ground truth, through the real t2ibench-cli: a burst
// on a small, time-compressed profile of known workers; the study's times and maximum must match
// the workers the emulator's ledger says it started.
#include "../integration/clifixture.h"

#include <algorithm>

using namespace t2itest;
using nlohmann::json;

namespace {

constexpr int kMaxWorkers = 8;

// 8 workers at most, one job each, a fixed 0.8 s cold start, 0.6 s jobs, a 1 s idle timeout.
json scalingProfile()
{
    return { { "name", "scaling-test" }, { "time_scale", 1.0 },
        { "workers", { { "min", 0 }, { "max", kMaxWorkers }, { "concurrency", 1 }, { "idle_timeout_ms", 1000 } } },
        { "cold_start",
            { { "boot_median_ms", 300 }, { "boot_sigma", 0 }, { "load_median_ms", 500 }, { "load_sigma", 0 } } },
        { "autoscaler",
            { { "scale_on", "request_count" }, { "requests_per_worker", 1 }, { "reaction_delay_ms", 100 } } },
        { "service", { { "base_ms", 600 }, { "ms_per_megapixel_step", 0 }, { "noise_sigma", 0 } } } };
}

json config(const std::string& profilePath)
{
    return { { "version", 1 }, { "name", "scale" },
        { "providers",
            { { { "id", "emu" }, { "type", "emulated" }, { "profile", profilePath }, { "seed", 5 },
                { "truth", "truth.jsonl" } } } },
        { "variants",
            { { { "id", "sd512" }, { "model", "sd-1.5" }, { "precision", "fp16" }, { "width", 512 }, { "height", 512 },
                { "steps", 20 }, { "guidance", 7.0 }, { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 42 } } },
        { "workload",
            { { "timeout_s", 60 }, { "poll_interval_ms", 50 }, { "steps", { { { "kind", "closed" } } } } } } };
}

std::map<std::string, json> findings(const json& study)
{
    std::map<std::string, json> out;
    for (const json& f : study["result"]["findings"])
        out[f["key"].get<std::string>()] = f["value"];
    return out;
}

} // namespace

class TestScalingStudy : public QObject {
    Q_OBJECT
private slots:
    void matchesTheEmulatorsWorkers()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeFile(dir.filePath("profile.json"), scalingProfile().dump(2));
        json cfg = config(dir.filePath("profile.json").toStdString());
        cfg["workload"]["steps"] = json::array({ { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 1 } } });
        writeFile(dir.filePath("cfg.json"), cfg.dump(2));
        const QString db = dir.filePath("lib.db");
        const CliResult r
            = runCli({ "study", dir.filePath("cfg.json"), "--kind", "scaling", "--param", "requests=16", "--param",
                "k=6", "--param", "health_interval_s=0.2", "--param", "scale_down_wait_s=20", "--db", db, "--json" });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const json study = json::parse(r.out.toStdString());
        const auto found = findings(study);
        const Truth truth = readTruth(dir.filePath("truth.jsonl.1"));
        QVERIFY(!truth.ledger.is_null());

        // The run's clock against the emulator's: the offset that maps a send to its arrival.
        auto store = t2i::Store::open(db.toStdString());
        const auto records = store->records(study["runs"][0]["run_id"].get<std::string>());
        std::vector<double> offsets;
        double burstStart = 1e300, lastDone = 0, watchSent = 1e300;
        for (const t2i::RequestRecord& rec : records) {
            if (const auto it = truth.jobs.find(rec.jobId); it != truth.jobs.end())
                offsets.push_back(it->second["arrival_ms"].get<double>() - rec.sentMs);
            if (rec.step == 0) {
                burstStart = std::min(burstStart, rec.sentMs);
                lastDone = std::max(lastDone, rec.doneMs);
            } else {
                watchSent = std::min(watchSent, rec.sentMs);
            }
        }
        QCOMPARE(int(offsets.size()), int(records.size()));
        std::sort(offsets.begin(), offsets.end());
        const double offset = offsets[offsets.size() / 2];

        // The burst's workers: those that began booting before the watch's own request.
        std::vector<double> boots, stops;
        for (const json& w : truth.ledger["workers"])
            if (w["boot_start_ms"].get<double>() < watchSent + offset) {
                boots.push_back(w["boot_start_ms"].get<double>() - (burstStart + offset));
                stops.push_back(w["stop_ms"].get<double>() - (lastDone + offset));
            }
        std::sort(boots.begin(), boots.end());
        QCOMPARE(int(boots.size()), kMaxWorkers);
        QCOMPARE(found.at("max_replicas").get<double>(), double(kMaxWorkers));
        const auto within1s = [](const json& measuredS, double truthMs) {
            return measuredS.is_number() && std::abs(measuredS.get<double>() * 1000.0 - truthMs) <= 1000.0;
        };
        QVERIFY2(within1s(found.at("first_worker_s"), boots[0]), study.dump().c_str());
        QVERIFY2(within1s(found.at("k_workers_s"), boots[5]), study.dump().c_str());
        QVERIFY2(
            within1s(found.at("scale_to_zero_s"), *std::max_element(stops.begin(), stops.end())), study.dump().c_str());
        QCOMPARE(found.at("peak_error_rate_pct").get<double>(), 0.0);
    }

    void refusesAPlatformWithoutAHealthEndpoint()
    {
        // The emulator's OpenAI front has no health route: no worker counts to read.
        QTemporaryDir dir;
        json cfg = config("instant");
        cfg["providers"][0]["protocol"] = "openai";
        cfg["providers"][0].erase("truth");
        cfg["workload"]["steps"] = json::array({ { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 1 } } });
        writeFile(dir.filePath("cfg.json"), cfg.dump(2));
        const CliResult r = runCli({ "study", dir.filePath("cfg.json"), "--kind", "scaling", "--param", "requests=2",
            "--param", "scale_down_wait_s=0", "--db", dir.filePath("lib.db") });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("refused") && r.err.contains("health endpoint"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestScalingStudy)
#include "tst_scalingstudy.moc"
