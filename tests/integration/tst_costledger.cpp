// SPDX-License-Identifier: Apache-2.0
// The cost model against the emulator's billing ledger, for every shipped profile: a small run
// through the real t2ibench-cli, then `show --json`'s cost_usd.total, modelled from what a real
// platform reports (each job's worker id and timings, /health's worker counts, the endpoint's
// idle timeout and min workers), must be within 1% of what the emulated platform billed.
#include "clifixture.h"

#include <algorithm>
#include <cmath>

using namespace t2itest;
using nlohmann::json;

namespace {

constexpr long long kEdgeMs = 20; // a life this close to a whole second may round either way
// With seed 2 every on-demand worker of the three scaling profiles lives at least 66 ms away
// from a whole second (2026-11-29), so the allowance below is a safeguard, not the rule.

// A warm-up, a Poisson step that makes the platform scale out, then one request at a time for
// longer than any boot, so that no worker is still booting when the run ends (its ready time
// would have to be guessed). The health route is sampled every 5 ms: a worker's boot start is
// known to the half interval, and its billed seconds are rounded up once, so the closer the
// better (docs/cost.md, "Resolution").
std::string ledgerConfig(const std::string& profile, const std::string& truthPath)
{
    const json config = {
        { "version", 1 },
        { "name", "ledger" },
        { "providers",
            { { { "id", profile }, { "type", "emulated" }, { "profile", profile }, { "seed", 2 },
                { "truth", truthPath } } } },
        { "variants",
            { { { "id", "sd512" }, { "model", "sd-1.5" }, { "precision", "fp16" }, { "width", 512 }, { "height", 512 },
                { "steps", 20 }, { "guidance", 7.0 }, { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 42 } } },
        { "workload",
            { { "timeout_s", 60 }, { "poll_interval_ms", 50 }, { "warmup_requests", 1 }, { "health_interval_s", 0.005 },
                { "steps",
                    { { { "kind", "poisson" }, { "rate", 12 }, { "requests", 36 } },
                        { { "kind", "closed" }, { "concurrency", 1 }, { "duration_s", 3.5 } } } } } },
    };
    return config.dump(2);
}

} // namespace

class TestCostLedger : public QObject {
    Q_OBJECT
    QTemporaryDir m_keep; // the steady run's library, for the cost command
    QString m_steadyDb;
    std::string m_steadyRun;
    double m_steadyTotal = 0;

private slots:
    void modelledCostMatchesTheLedger_data()
    {
        QTest::addColumn<QString>("profile");
        for (const char* profile : { "steady", "fast-scaling", "cheap-saturating", "instant" })
            QTest::newRow(profile) << QString(profile);
    }

    void modelledCostMatchesTheLedger()
    {
        QFETCH(QString, profile);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = (profile == "steady" ? m_keep.path() : dir.path()) + "/library.db";
        const QString config = dir.filePath("ledger.json");
        const QString truthPath = dir.filePath("truth.jsonl");
        writeFile(config, ledgerConfig(profile.toStdString(), truthPath.toStdString()));

        const CliResult run = runCli({ "run", config, "--db", db, "--json" });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const std::string runId = json::parse(run.out.toStdString())["runs"][0].get<std::string>();
        const CliResult show = runCli({ "show", QString::fromStdString(runId), "--db", db, "--json" });
        QVERIFY2(show.exitCode == 0, show.err.constData());
        const json shown = json::parse(show.out.toStdString());
        const Truth truth = readTruth(truthPath);
        QVERIFY2(!truth.ledger.is_null(), "the emulator wrote no ledger");

        QVERIFY2(shown["cost_usd"].is_object(), shown["cost"].dump().c_str());
        const double modelled = shown["cost_usd"]["total"].get<double>();
        const double billed = truth.ledger["cost_usd"].get<double>();
        qInfo("%s: modelled $%.6f (%d worker lives, %d without a job, %.0f s billed, keep-warm %.3f s) vs "
              "ledger $%.6f (%lld s, keep-warm %.3f s, %d workers started)",
            qPrintable(profile), modelled, shown["cost"]["workers"].get<int>(),
            shown["cost"]["jobless_workers"].get<int>(), shown["cost"]["billed_worker_s"].get<double>(),
            shown["cost"]["keep_warm_s"].get<double>(), billed, truth.ledger["billed_s"].get<long long>(),
            truth.ledger.value("keep_warm_s", 0.0), truth.ledger["workers_started"].get<int>());
        QVERIFY(billed > 0);
        // A worker whose life lies within a few ms of a whole second rounds up either way from
        // any measurement of it (a boot is seen to half a 5 ms sample interval, a stop to a
        // request's latency): its one second is allowed beside the 1%. The ledger's per-worker
        // truth decides only this allowance, never the modelled figure.
        int onTheEdge = 0;
        for (const json& w : truth.ledger["workers"]) {
            const auto lifeMs = w["stop_ms"].get<long long>() - w["boot_start_ms"].get<long long>();
            const long long past = lifeMs % 1000;
            onTheEdge += !w["always_on"].get<bool>() && std::min(past, 1000 - past) < kEdgeMs;
        }
        const double allowance = 0.01 * billed + onTheEdge * truth.ledger["price_per_s"].get<double>();
        QVERIFY2(std::abs(modelled - billed) <= allowance,
            qPrintable(
                QString("modelled $%1 is %2% off the ledger's $%3 (%4 worker lives within %5 ms of a whole second)")
                    .arg(modelled, 0, 'f', 6)
                    .arg(100.0 * (modelled - billed) / billed, 0, 'f', 2)
                    .arg(billed, 0, 'f', 6)
                    .arg(onTheEdge)
                    .arg(kEdgeMs)));
        // The parts add up, and the price is the profile's, undated (not a catalog price).
        const json& c = shown["cost_usd"];
        const double parts = c["compute"].get<double>() + c["cold_start"].get<double>() + c["idle"].get<double>()
            + c["keep_warm"].get<double>() + c["egress"].get<double>() + c["failed"].get<double>();
        QVERIFY(std::abs(parts - modelled) <= 1e-9 + 1e-9 * modelled);
        QCOMPARE(shown["cost"]["price"].get<std::string>(), "emulator profile " + profile.toStdString());
        QVERIFY(shown["price_date"].is_null());
        if (profile == "steady") {
            m_steadyDb = db;
            m_steadyRun = runId;
            m_steadyTotal = modelled;
        }
    }

    // The cost command on the measured steady run: its breakdown, and the projection against a
    // dedicated A100 (the catalog's lambda.1x-A100-40GB, $1.48/h) at a 2 s p95.
    void costCommandProjectsTheRun()
    {
        if (m_steadyRun.empty())
            QSKIP("the steady run did not complete");
        const QString id = QString::fromStdString(m_steadyRun);
        const auto project = [&](const QString& volume) {
            const CliResult r
                = runCli({ "cost", id, "--db", m_steadyDb, "--volume", volume, "--p95-ms", "2000", "--json" });
            return std::make_pair(r.exitCode, r.exitCode == 0 ? json::parse(r.out.toStdString()) : json());
        };
        const auto [lowExit, low] = project("1000");
        QCOMPARE(lowExit, 0);
        const json& run = low["runs"][0];
        QCOMPARE(run["cost_usd"]["total"].get<double>(), m_steadyTotal); // the same figure as show
        // 1,000 images a month: a few dollars of busy, boot and idle seconds against a reserved
        // month ($1,080.40): serverless.
        QCOMPARE(run["projection"]["cheaper"].get<std::string>(), std::string("serverless"));
        QVERIFY(run["projection"]["serverless_monthly_usd"].get<double>()
            < run["projection"]["dedicated_monthly_usd"].get<double>());
        QCOMPARE(
            run["projection"]["dedicated"]["price"].get<std::string>(), std::string("catalog:lambda.1x-A100-40GB"));
        QVERIFY(run["projection"]["break_even_images_per_month"].is_number());
        const double breakEven = run["projection"]["break_even_images_per_month"].get<double>();
        // 100 million a month: the busy seconds alone outgrow the instances sized for the same p95.
        const auto [highExit, high] = project("100000000");
        QCOMPARE(highExit, 0);
        QCOMPARE(high["runs"][0]["projection"]["cheaper"].get<std::string>(), std::string("dedicated"));
        QVERIFY(breakEven > 1000 && breakEven < 100'000'000);

        const CliResult text = runCli({ "cost", id, "--db", m_steadyDb });
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("break-even") && text.out.contains("emulator profile steady"), text.out.constData());

        const CliResult bad = runCli({ "cost", id, "--db", m_steadyDb, "--shape", "weekly" });
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--shape"), bad.err.constData());
        const CliResult badVolume = runCli({ "cost", id, "--db", m_steadyDb, "--volume", "lots" });
        QCOMPARE(badVolume.exitCode, 2);
        QVERIFY2(badVolume.err.contains("--volume"), badVolume.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCostLedger)
#include "tst_costledger.moc"
