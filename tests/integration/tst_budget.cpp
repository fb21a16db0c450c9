// SPDX-License-Identifier: Apache-2.0
// A run's budget and thresholds through the real t2ibench-cli and emulator: a budget that allows
// about half the workload stops the run there, within the cap by the cost model and by the
// emulated platform's own ledger; a threshold the emulator cannot meet exits 99 and `show` marks
// the breach, one it meets exits 0 and `show` marks the pass (docs/cost.md, "Budget";
// docs/cli.md, "Exit codes").
#include "clifixture.h"

using namespace t2itest;
using nlohmann::json;

namespace {

// One worker at most, serving one job at a time for a second each after a 0.4 s boot, idling out
// 0.5 s after its last job, at $0.001 a second: a job's true cost is about a second of it, its
// worst case (2 s timeout + 0.5 s tail, billed 3 s) $0.003.
json budgetProfile()
{
    return { { "name", "budget" }, { "gpu", "test" }, { "gpu_memory_gb", 80 }, { "price_per_s", 0.001 },
        { "time_scale", 1.0 },
        { "workers", { { "min", 0 }, { "max", 1 }, { "concurrency", 1 }, { "idle_timeout_ms", 500 } } },
        { "cold_start",
            { { "boot_median_ms", 200 }, { "boot_sigma", 0 }, { "load_median_ms", 200 }, { "load_sigma", 0 } } },
        { "autoscaler", { { "scale_on", "request_count" }, { "requests_per_worker", 1 }, { "reaction_delay_ms", 0 } } },
        { "service", { { "base_ms", 1000 }, { "ms_per_megapixel_step", 0 }, { "noise_sigma", 0 } } },
        { "memory", { { "base_gb", 1 }, { "gb_per_megapixel", 0 } } }, { "failures", { { "rate", 0.0 } } } };
}

// Ten or twelve requests `concurrency` at a time on that profile; health sampled every 50 ms so
// the cost model sees the worker's boot (docs/cost.md, "Resolution").
json budgetConfig(
    const QString& profilePath, const QString& truthPath, const json& pricing, int concurrency, double timeoutS)
{
    json provider = { { "id", "capped" }, { "type", "emulated" }, { "profile", profilePath.toStdString() },
        { "seed", 5 }, { "truth", truthPath.toStdString() } };
    if (!pricing.is_null())
        provider["pricing"] = pricing;
    return {
        { "version", 1 },
        { "name", "budget" },
        { "providers", { provider } },
        { "variants",
            { { { "id", "sd512" }, { "model", "sd-1.5" }, { "width", 512 }, { "height", 512 }, { "steps", 20 },
                { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 42 } } },
        { "workload",
            { { "timeout_s", timeoutS }, { "poll_interval_ms", 50 }, { "health_interval_s", 0.05 },
                { "steps",
                    { { { "kind", "closed" }, { "concurrency", concurrency },
                        { "requests", concurrency == 1 ? 10 : 12 } } } } } },
    };
}

json showJson(const std::string& runId, const QString& db)
{
    const CliResult show = runCli({ "show", QString::fromStdString(runId), "--db", db, "--json" });
    if (show.exitCode != 0)
        return json();
    return json::parse(show.out.toStdString());
}

} // namespace

class TestBudget : public QObject {
    Q_OBJECT

private slots:
    void aBudgetStopsTheRunAtItsCap_data()
    {
        QTest::addColumn<QString>("pricing"); // the provider's "pricing", or "" for the profile's per-second price
        QTest::addColumn<double>("cap");
        QTest::addColumn<int>("fewest"); // requests the cap lets through
        QTest::addColumn<int>("most");
        QTest::addColumn<bool>("checkLedger"); // the ledger bills the profile's per-second price
        QTest::addColumn<int>("concurrency");
        QTest::addColumn<double>("timeoutS");
        // Per second: after k jobs the worker's life is about 0.4 + 1.01 k + 0.5 s, rounded up,
        // and a job commits $0.003 until it is settled: $0.0085 lets about five jobs in.
        QTest::newRow("per second, the worst case is the timeout and the idle tail")
            << QString() << 0.0085 << 3 << 7 << true << 1 << 2.0;
        // Three at a time on one worker, a 4 s timeout ($0.005 a job): jobs wait in the platform's
        // queue, and those still queued at the stop are cancelled (stored as cancelled errors).
        QTest::newRow("jobs still queued at the stop are cancelled")
            << QString() << 0.02 << 3 << 11 << true << 3 << 4.0;
        // Per image the worst case is exact: $0.055 lets five $0.01 images in, never a sixth.
        QTest::newRow("per image, the worst case is exact")
            << QString(R"({"per_image": 0.01})") << 0.055 << 5 << 5 << false << 1 << 2.0;
    }

    void aBudgetStopsTheRunAtItsCap()
    {
        QFETCH(QString, pricing);
        QFETCH(double, cap);
        QFETCH(int, fewest);
        QFETCH(int, most);
        QFETCH(bool, checkLedger);
        QFETCH(int, concurrency);
        QFETCH(double, timeoutS);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString profile = dir.filePath("budget-profile.json");
        const QString truthPath = dir.filePath("truth.jsonl");
        const QString config = dir.filePath("budget.json");
        const QString db = dir.filePath("library.db");
        writeFile(profile, budgetProfile().dump(2));
        writeFile(config,
            budgetConfig(profile, truthPath, pricing.isEmpty() ? json() : json::parse(pricing.toStdString()),
                concurrency, timeoutS)
                .dump(2));

        // The flag is the cap (the configuration sets none here).
        const CliResult run = runCli({ "run", config, "--db", db, "--budget-usd", QString::number(cap, 'g', 10) });
        QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
        QVERIFY2(run.out.contains("  stopped  ") && run.out.contains("(budget: "), run.out.constData());
        const QStringList words = QString::fromUtf8(run.out).split(' ', Qt::SkipEmptyParts);
        QVERIFY(!words.isEmpty());
        const json shown = showJson(words.front().toStdString(), db);
        QVERIFY(shown.is_object());
        QCOMPARE(shown["status"].get<std::string>(), std::string("stopped"));
        QVERIFY2(shown["message"].get<std::string>().starts_with("budget: "), shown["message"].dump().c_str());
        const double worstCase = shown["budget"]["job_worst_case_usd"].get<double>();
        QCOMPARE(shown["budget"]["cap_usd"].get<double>(), cap);

        // Every request the run let in is stored, and about half the workload got in.
        const int requests = shown["requests"].get<int>();
        QVERIFY2(requests >= fewest && requests <= most, qPrintable(QString("%1 requests").arg(requests)));
        // Each one finished, or was cancelled while it still waited in the platform's queue.
        const int cancelled = shown["errors_by_class"].value("cancelled", 0);
        QCOMPARE(shown["ok"].get<int>() + cancelled, requests);
        QVERIFY(concurrency > 1 || cancelled == 0);

        // Spend by the cost model, and by the platform's own ledger, within one request's cost of the cap.
        const double modelled = shown["cost_usd"]["total"].get<double>();
        qInfo("cap $%.4f, worst case per job $%.4f: %d requests, modelled $%.6f", cap, worstCase, requests, modelled);
        QVERIFY2(modelled <= cap + worstCase + 1e-12, qPrintable(QString("modelled $%1").arg(modelled)));
        if (checkLedger) {
            const Truth truth = readTruth(truthPath);
            QVERIFY(int(truth.jobs.size()) <= requests); // a job cancelled before it left sent nothing
            const double billed = truth.ledger["cost_usd"].get<double>();
            qInfo("ledger $%.6f (%lld s billed)", billed, truth.ledger["billed_s"].get<long long>());
            QVERIFY2(billed <= cap + worstCase + 1e-12, qPrintable(QString("the ledger billed $%1").arg(billed)));
        }
    }

    // workload.max_in_flight: a burst of 12 on one worker that serves one job at a time piles up;
    // the fourth request would make 4 in flight past a guard of 3, so the run stops there, ended
    // "stopped" and saying why; the three it let in finish (or are cancelled if already queued).
    void anOverSaturatedRunStopsAtMaxInFlight()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString profile = dir.filePath("budget-profile.json");
        const QString config = dir.filePath("saturated.json");
        const QString db = dir.filePath("library.db");
        writeFile(profile, budgetProfile().dump(2));
        json c = budgetConfig(profile, dir.filePath("truth.jsonl"), json(), 1, 10);
        c["workload"]["steps"] = json::array({ { { "kind", "burst" }, { "requests", 12 } } });
        c["workload"]["max_in_flight"] = 3;
        writeFile(config, c.dump(2));
        const CliResult run = runCli({ "run", config, "--db", db });
        QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
        const QStringList words = QString::fromUtf8(run.out).split(' ', Qt::SkipEmptyParts);
        QVERIFY(!words.isEmpty());
        const json shown = showJson(words.front().toStdString(), db);
        QVERIFY(shown.is_object());
        QCOMPARE(shown["status"].get<std::string>(), std::string("stopped"));
        QVERIFY2(shown["message"].get<std::string>().starts_with(
                     "over-saturated: 3 requests in flight reached max_in_flight (3)"),
            shown["message"].dump().c_str());
        QCOMPARE(shown["requests"].get<int>(), 3); // the fourth was never sent
        const int cancelled = shown["errors_by_class"].value("cancelled", 0);
        QCOMPARE(shown["ok"].get<int>() + cancelled, 3);
    }

    void aThresholdDecidesTheExitCode_data()
    {
        QTest::addColumn<QString>("thresholds");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<bool>("passed");
        // A second's service never comes back within 10 microseconds.
        QTest::newRow("a p95 the emulator cannot meet exits 99")
            << QString(R"({"p95_ms": 0.01, "error_rate": 0.5})") << 99 << false;
        QTest::newRow("thresholds it meets exit 0") << QString(R"({"p95_ms": 60000, "error_rate": 0.5})") << 0 << true;
    }

    void aThresholdDecidesTheExitCode()
    {
        QFETCH(QString, thresholds);
        QFETCH(int, exitCode);
        QFETCH(bool, passed);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString config = dir.filePath("thresholds.json");
        const QString db = dir.filePath("library.db");
        json document
            = json::parse(instantRunConfig("limits", json::object(), dir.filePath("t.jsonl").toStdString(), 64, 1));
        document["thresholds"] = json::parse(thresholds.toStdString());
        writeFile(config, document.dump(2));

        const CliResult run = runCli({ "run", config, "--db", db, "--json" });
        QVERIFY2(run.exitCode == exitCode, (run.out + run.err).constData());
        const std::string runId = json::parse(run.out.toStdString())["runs"][0].get<std::string>();
        QCOMPARE(run.err.contains("threshold p95_ms: "), !passed); // which threshold failed, and by how much
        if (!passed)
            QVERIFY2(run.err.contains("over the 0.01 ms limit by"), run.err.constData());

        const json shown = showJson(runId, db);
        QVERIFY(shown.is_object());
        QCOMPARE(shown["status"].get<std::string>(), std::string("completed"));
        QCOMPARE(shown["thresholds"]["passed"].get<bool>(), passed);
        const json& checks = shown["thresholds"]["checks"];
        QCOMPARE(int(checks.size()), 2);
        QCOMPARE(checks[0]["metric"].get<std::string>(), std::string("p95_ms"));
        QCOMPARE(checks[0]["passed"].get<bool>(), passed);
        // The measured value is the summary's p95, the one `show` prints.
        QCOMPARE(checks[0]["value"].get<double>() > checks[0]["limit"].get<double>(), !passed);
        QVERIFY(std::abs(checks[0]["value"].get<double>() - shown["latency_ms"]["p95"].get<double>()) < 0.001);
        QCOMPARE(checks[1]["metric"].get<std::string>(), std::string("error_rate"));
        QVERIFY(checks[1]["passed"].get<bool>());

        const CliResult text = runCli({ "show", QString::fromStdString(runId), "--db", db });
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(passed ? "thresholds: all passed" : "thresholds: BREACHED"), text.out.constData());
        QVERIFY2(text.out.contains(passed ? "pass  p95_ms: " : "FAIL  p95_ms: "), text.out.constData());
    }

    // No price, no budget: refused before anything runs.
    void aBudgetWithoutAPriceIsRefused()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath("noprice.json");
        json document
            = json::parse(instantRunConfig("noprice", json::object(), dir.filePath("t.jsonl").toStdString(), 64, 1));
        document["providers"][0] = { { "id", "box" }, { "type", "http" }, { "url", "http://127.0.0.1:9/gen" },
            { "body", { { "p", "{{prompt}}" } } }, { "extract", { { "image", "/images/0" } } } };
        writeFile(config, document.dump(2));
        const CliResult run = runCli({ "run", config, "--db", dir.filePath("library.db"), "--budget-usd", "1" });
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("budget_usd needs a price: no price for provider \"box\""), run.err.constData());
        QVERIFY(!QFileInfo::exists(dir.filePath("library.db")));
        const CliResult bad = runCli({ "run", config, "--db", dir.filePath("library.db"), "--budget-usd", "-1" });
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--budget-usd must be a number > 0"), bad.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestBudget)
#include "tst_budget.moc"
