// SPDX-License-Identifier: Apache-2.0
// A platform that answers 429 with Retry-After: every refused request waits as told, is sent
// again, is counted, and its wait is part of its latency. No silent retries.
#include "clifixture.h"

#include "store/store.h"

using namespace t2itest;
using nlohmann::json;

class TestThrottling : public QObject {
    Q_OBJECT
private slots:
    void retryAfterIsHonouredCountedAndTimed()
    {
        QTemporaryDir dir;
        // The instant platform, but /runsync admits only 3 requests at once and says
        // "Retry-After: 1" to the rest.
        QFile base(qEnvironmentVariable("T2IBENCH_RESOURCES") + "/emulator/instant.json");
        QVERIFY(base.open(QIODevice::ReadOnly));
        json profile = json::parse(base.readAll().toStdString());
        profile["name"] = "tight";
        profile["service"]["base_ms"] = 300; // so the first three are still running when the rest arrive
        profile["rate_limits"]["retry_after_s"] = 1;
        profile["rate_limits"]["runsync"] = { { "per_10s", 0 }, { "concurrent", 3 } };
        const QString profilePath = dir.filePath("tight.json");
        writeFile(profilePath, profile.dump());

        json config = json::parse(smallConfig("instant", dir.filePath("truth.jsonl").toStdString()));
        config["providers"][0]["profile"] = profilePath.toStdString();
        config["providers"][0]["mode"] = "runsync";
        config["workload"]["warmup_requests"] = 0;
        config["workload"]["steps"] = json::array({ { { "kind", "burst" }, { "requests", 8 } } });
        const QString configPath = dir.filePath("burst.json");
        writeFile(configPath, config.dump());
        const QString db = dir.filePath("lib.db");

        const CliResult run = runCli({ "run", configPath, "--db", db });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        auto store = t2i::Store::open(db.toStdString());
        const auto records = store->records(store->listRuns().front().id);
        QCOMPARE(records.size(), std::size_t(8));
        int throttled = 0;
        for (const auto& r : records) {
            QVERIFY2(r.ok, r.errorMessage.c_str()); // waited and got through: a 429 is not a failure by itself
            throttled += r.throttled;
            if (r.throttled > 0) // it waited at least the second it was told to
                QVERIFY2(r.latencyMs() >= 1000.0 * r.throttled, qPrintable(QString::number(r.latencyMs())));
        }
        QVERIFY2(throttled >= 5, qPrintable(QString::number(throttled))); // 8 at once, 3 admitted
    }
};

QTEST_GUILESS_MAIN(TestThrottling)
#include "tst_throttling.moc"
