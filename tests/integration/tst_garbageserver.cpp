// SPDX-License-Identifier: Apache-2.0
// t2ibench-cli against a RunPod-speaking server that answers garbage to most jobs and to its
// health route (tests/fakes/garbagefake.h): the run still ends `completed` and the CLI exits 0
// (docs/cli.md: 0 when every run completed, failed requests or not); each garbage answer is a
// failed request whose class and message say what was wrong with it (docs/design.md: no platform
// answer, however malformed, ends a run).
#include "clifixture.h"

#include "garbagefake.h"
#include "store/store.h"

#include <map>

using namespace t2itest;
using nlohmann::json;

namespace {

std::string configFor(const std::string& baseUrl, int requests)
{
    const json config = {
        { "version", 1 },
        { "name", "garbage" },
        { "providers",
            { { { "id", "garbage" }, { "type", "runpod" }, { "base_url", baseUrl + "/v2" }, { "endpoint_id", "ep" },
                { "api_key_env", "T2I_GARBAGE_KEY" } } } },
        { "variants",
            { { { "id", "tiny" }, { "model", "sdxl" }, { "width", 64 }, { "height", 64 }, { "steps", 4 },
                { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 1 } } },
        { "workload",
            { { "timeout_s", 20 }, { "poll_interval_ms", 50 }, { "health_interval_s", 0.1 }, { "warmup_requests", 0 },
                { "steps", { { { "kind", "closed" }, { "concurrency", 2 }, { "requests", requests } } } } } },
    };
    return config.dump(2);
}

} // namespace

class TestGarbageServer : public QObject {
    Q_OBJECT
private slots:
    void garbageAnswersAreClassifiedAndTheRunCompletes()
    {
        GarbageFake fake;
        FakeServer server([&fake](const FakeRequest& r) { return fake.handle(r); });
        QTemporaryDir dir;
        const int kinds = int(GarbageFake::kinds().size());
        const int requests = 2 * kinds; // every kind twice
        const QString configPath = dir.filePath("garbage.json");
        writeFile(configPath, configFor(server.baseUrl(), requests));
        const QString db = dir.filePath("lib.db");
        qputenv("T2I_GARBAGE_KEY", "garbage-key");

        const CliResult run = runCli({ "run", configPath, "--db", db });
        QVERIFY2(run.exitCode == 0, (run.err + run.out).constData());

        auto store = t2i::Store::open(db.toStdString());
        const auto runs = store->listRuns();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(std::string(t2i::toString(runs.front().status))), QString("completed"));
        const auto records = store->records(runs.front().id);
        QCOMPARE(int(records.size()), requests);

        // What each kind of garbage must come out as: the class, and a part of the message.
        const std::map<std::string, std::pair<std::string, std::string>> expected = {
            { "status null", { "server_error", "status is null (expected a string)" } },
            { "id a number", { "server_error", "id is the number 5" } },
            { "html page", { "server_error", "502 Bad Gateway" } },
            { "truncated", { "server_error", "not closed" } },
            { "invalid utf-8", { "server_error", "invalid UTF-8" } },
            { "completed without image", { "invalid_image", "COMPLETED without an image in output" } },
        };
        std::map<std::string, int> seen;
        int ok = 0;
        for (const t2i::RequestRecord& r : records) {
            if (r.ok) {
                ++ok;
                continue;
            }
            const std::string cls(t2i::toString(r.errorClass));
            bool matched = false;
            for (const auto& [kind, want] : expected)
                if (cls == want.first && r.errorMessage.find(want.second) != std::string::npos) {
                    ++seen[kind];
                    matched = true;
                }
            QVERIFY2(matched, (cls + ": " + r.errorMessage).c_str());
        }
        std::string all;
        for (const t2i::RequestRecord& r : records)
            all += std::string(t2i::toString(r.errorClass)) + ": " + r.errorMessage.substr(0, 160) + "\n";
        for (const auto& [kind, want] : expected)
            QVERIFY2(seen[kind] == 2, (kind + " in\n" + all).c_str());
        // "ok" and "odd timings" (timings of the wrong type are unknown, not a failure) succeed.
        QCOMPARE(ok, 4);
        for (const t2i::RequestRecord& r : records)
            if (r.ok)
                QVERIFY(!r.queueMs || *r.queueMs >= 0);
        // The health route answered garbage three times in four: those were no samples, and
        // the run went on; the good answers were stored.
        QVERIFY(fake.healthAnswers() > 0);
        for (const t2i::WorkerSample& s : store->workerSamples(runs.front().id))
            QVERIFY(s.idle >= 0 && s.running >= 0);
    }
};

QTEST_GUILESS_MAIN(TestGarbageServer)
#include "tst_garbageserver.moc"
