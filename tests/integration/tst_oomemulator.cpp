// SPDX-License-Identifier: Apache-2.0
// An out-of-memory job on the emulator (a profile whose GPU is smaller than the model) ends with
// error class oom, through the real CLI, the RunPod front and the library.
#include "clifixture.h"

using namespace t2itest;
using nlohmann::json;

class TestOomEmulator : public QObject {
    Q_OBJECT
private slots:
    void anOutOfMemoryJobIsClassedOom()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // The model alone needs 8 GB; the GPU has 4: every job FAILs with torch's message.
        const json profile = { { "name", "tiny-gpu" }, { "gpu_memory_gb", 4 },
            { "workers", { { "min", 1 }, { "max", 1 }, { "concurrency", 4 } } },
            { "service", { { "base_ms", 20 }, { "ms_per_megapixel_step", 0 } } } };
        writeFile(dir.filePath("profile.json"), profile.dump(2));
        const json config = { { "version", 1 }, { "name", "oom" },
            { "providers",
                { { { "id", "emu" }, { "type", "emulated" }, { "profile", dir.filePath("profile.json").toStdString() },
                    { "truth", "truth.jsonl" } } } },
            { "variants",
                { { { "id", "sd512" }, { "model", "sd-1.5" }, { "precision", "fp16" }, { "width", 512 },
                    { "height", 512 }, { "steps", 20 }, { "guidance", 7.0 }, { "images", 1 } } } },
            { "prompts", { { "set", "default" }, { "seed", 42 } } },
            { "workload",
                { { "timeout_s", 30 }, { "poll_interval_ms", 50 },
                    { "steps", { { { "kind", "closed" }, { "concurrency", 2 }, { "requests", 4 } } } } } } };
        writeFile(dir.filePath("cfg.json"), config.dump(2));
        const QString db = dir.filePath("lib.db");
        const CliResult run = runCli({ "run", dir.filePath("cfg.json"), "--db", db }, 120000);
        QVERIFY2(run.exitCode == 0, run.err.constData());

        const Truth truth = readTruth(dir.filePath("truth.jsonl"));
        auto store = t2i::Store::open(db.toStdString());
        const auto records = store->records(store->listRuns().front().id);
        QCOMPARE(int(records.size()), 4);
        for (const t2i::RequestRecord& r : records) {
            QVERIFY(!r.ok);
            QCOMPARE(truth.jobs.at(r.jobId)["status"].get<std::string>(), std::string("FAILED"));
            QVERIFY2(r.errorClass == t2i::ErrorClass::OutOfMemory, r.errorMessage.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestOomEmulator)
#include "tst_oomemulator.moc"
