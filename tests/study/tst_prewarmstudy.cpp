// SPDX-License-Identifier: Apache-2.0
// The prewarm study against the emulator, on a profile where the ranking is implied: a 0.5 s
// idle timeout, a 0.3 s cold start and sparse arrivals (0.6/s, so most gaps outlast the
// timeout). Without pre-warming most requests meet a cold start; pings every 0.25 s, an
// always-on worker or both keep one warm. Then: p95 of none above every other strategy, no cold
// start with min_workers, none the cheapest per image, and each run's modelled cost within 5%
// of what the emulator's ledger billed (keep_warm_s included).
#include "integration/clifixture.h"

#include <cmath>

using namespace t2itest;
using nlohmann::json;

namespace {

json profile()
{
    return { { "name", "prewarm" }, { "price_per_s", 0.001 },
        { "workers", { { "min", 0 }, { "max", 3 }, { "concurrency", 2 }, { "idle_timeout_ms", 500 } } },
        { "cold_start", { { "boot_median_ms", 300 }, { "boot_sigma", 0 } } },
        { "autoscaler", { { "scale_on", "request_count" }, { "reaction_delay_ms", 0 } } },
        { "service", { { "base_ms", 50 }, { "ms_per_megapixel_step", 1 } } } };
}

std::string config(const std::string& profilePath, const std::string& truthPath)
{
    const json c = {
        { "version", 1 },
        { "name", "prewarm" },
        { "providers",
            { { { "id", "emu" }, { "type", "emulated" }, { "profile", profilePath }, { "seed", 9 },
                { "truth", truthPath }, { "cold_threshold_ms", 100 } } } },
        { "variants",
            { { { "id", "sd512" }, { "model", "sd-1.5" }, { "precision", "fp16" }, { "width", 512 }, { "height", 512 },
                { "steps", 4 }, { "guidance", 7.0 }, { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 42 } } },
        { "workload",
            { { "timeout_s", 30 }, { "poll_interval_ms", 50 }, { "health_interval_s", 0.05 },
                { "steps", { { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 1 } } } } } },
    };
    return c.dump(2);
}

double findingValue(const json& result, const std::string& key)
{
    for (const json& f : result.at("findings"))
        if (f.at("key") == key && f.at("value").is_number())
            return f.at("value").get<double>();
    return std::nan("");
}

constexpr double kPricePerS = 0.001; // the profile's
constexpr long long kEdgeMs = 20; // a life this close to a whole second may round either way (tst_costledger)

struct Ledger {
    double costUsd = std::nan("");
    int edgeLives = 0; // on-demand lives within kEdgeMs of a whole second: one billed second either way
};

// The ledger, from the last line of an emulator truth file.
Ledger ledgerOf(const QString& path)
{
    Ledger ledger;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return ledger;
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    const json last = json::parse(lines.back().toStdString(), nullptr, false);
    if (!last.contains("ledger"))
        return ledger;
    ledger.costUsd = last["ledger"].value("cost_usd", std::nan(""));
    for (const json& w : last["ledger"].value("workers", json::array())) {
        const long long lifeMs = w.value("stop_ms", 0LL) - w.value("boot_start_ms", 0LL);
        const long long offMs = lifeMs % 1000;
        ledger.edgeLives += !w.value("always_on", false) && (offMs <= kEdgeMs || offMs >= 1000 - kEdgeMs);
    }
    return ledger;
}

} // namespace

class TestPrewarmStudy : public QObject {
    Q_OBJECT
private slots:
    void pingsAndMinWorkersBeatNoneOnSparseTraffic()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString profilePath = dir.filePath("prewarm.json");
        writeFile(profilePath, profile().dump(2));
        const QString configPath = dir.filePath("config.json");
        writeFile(configPath, config(profilePath.toStdString(), dir.filePath("truth.jsonl").toStdString()));
        const CliResult cli = runCli({ "study", configPath, "--kind", "prewarm", "--param", "idle_timeout_s=0.5",
            "--param", "rate=0.6", "--param", "requests=8", "--db", dir.filePath("lib.db"), "--json" });
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        const json study = json::parse(cli.out.toStdString());
        const json& result = study.at("result");
        const QByteArray shown = QByteArray::fromStdString(result.dump(2));

        const double noneP95 = findingValue(result, "none_p95_s");
        for (const char* strategy : { "ping", "min_workers", "hybrid" })
            QVERIFY2(noneP95 > findingValue(result, std::string(strategy) + "_p95_s"), shown.constData());
        QVERIFY2(findingValue(result, "none_cold_share") > 0, shown.constData());
        QVERIFY2(findingValue(result, "min_workers_cold_share") == 0, shown.constData());
        const double noneCost = findingValue(result, "none_cost_per_1000_usd");
        for (const char* strategy : { "ping", "min_workers", "hybrid" })
            QVERIFY2(noneCost < findingValue(result, std::string(strategy) + "_cost_per_1000_usd"), shown.constData());

        // The ping run's pings are stored as step -2, "ping", and sent while the steps ran.
        auto store = t2i::Store::open(dir.filePath("lib.db").toStdString());
        int pings = 0, measured = 0;
        for (const json& run : study.at("runs"))
            if (run.at("role") == "prewarm ping")
                for (const t2i::RequestRecord& r : store->records(run.at("run_id").get<std::string>())) {
                    pings += r.step == -2 && r.stepKind == "ping";
                    measured += r.step == 0;
                }
        QCOMPARE(measured, 8);
        QVERIFY2(pings >= 5, qPrintable(QString::number(pings))); // ~13 s of arrivals, one ping every 0.25 s

        // Each run's modelled cost against the emulator's ledger (truth.jsonl.<n>, in the study's
        // order: none, ping, min_workers, hybrid): within 5%, the always-on workers' keep_warm_s
        // included, plus a second for each life that ends within 20 ms of a whole second.
        int n = 0;
        for (const char* strategy : { "none", "ping", "min_workers", "hybrid" }) {
            const Ledger ledger = ledgerOf(dir.filePath("truth.jsonl.") + QString::number(++n));
            const double modelled = findingValue(result, std::string(strategy) + "_cost_usd");
            QVERIFY2(std::abs(modelled - ledger.costUsd) <= 0.05 * ledger.costUsd + ledger.edgeLives * kPricePerS,
                qPrintable(QString("%1: modelled %2, ledger %3").arg(strategy).arg(modelled).arg(ledger.costUsd)));
        }
    }
};

QTEST_GUILESS_MAIN(TestPrewarmStudy)
#include "tst_prewarmstudy.moc"
