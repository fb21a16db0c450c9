// SPDX-License-Identifier: Apache-2.0
// A provider's `launch`: the runner starts a real local server (the built t2ibench-emulator,
// speaking RunPod's API on a port of our choosing), waits for its ready_url, times process start
// -> ready -> first image, samples the GPUs through a fake nvidia-smi, and stops the server (and
// everything it started) afterwards, on failure and on cancel too.
#include "clifixture.h"

#include "engine/benchmarkrunner.h"
#include "engine/gpusampler.h"
#include "engine/localserver.h"
#include "registry/registry.h"
#include "store/store.h"
#include "transport/httptransport.h"

#include <QRegularExpression>
#include <QTcpServer>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <thread>

using namespace t2itest;
using nlohmann::json;

namespace {

const char* kKeyVariable = "T2I_LAUNCH_KEY";
const char* kKey = "launch-key-5d41402abc4b2a76";

int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// Gone, or a zombie waiting for a parent to reap it (it runs nothing: in a container the adopting
// PID 1 may never reap an orphan).
bool processGone(int pid)
{
    if (pid <= 0)
        return false;
    if (::kill(pid, 0) != 0)
        return errno == ESRCH;
    QFile stat(QString("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close > 0 && line.size() > close + 2 && line[close + 2] == 'Z';
}

QString readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// A config with one launched provider; the workload is three requests, one at a time.
json launchConfig(const json& launch, const std::string& baseUrl)
{
    return {
        { "version", 1 },
        { "name", "launch" },
        { "providers",
            { { { "id", "local" }, { "type", "runpod" }, { "endpoint_id", "emulated" }, { "base_url", baseUrl },
                { "api_key_env", kKeyVariable }, { "launch", launch } } } },
        { "variants",
            { { { "id", "sd256" }, { "model", "sd-1.5" }, { "width", 256 }, { "height", 256 }, { "steps", 4 },
                { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 1 } } },
        { "workload",
            { { "timeout_s", 60 }, { "poll_interval_ms", 50 }, { "warmup_requests", 0 },
                { "steps", { { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 3 } } } } } },
    };
}

struct RunResult {
    t2i::RunOutcome outcome;
    t2i::RunInfo run;
    json launch;
};

// Runs the config in this process, as t2ibench-cli would; cancelAfter > 0 cancels from another
// thread after that long.
RunResult runConfig(const json& config, const QString& db, std::chrono::milliseconds cancelAfter = {})
{
    RunResult result;
    const t2i::ConfigResult parsed = t2i::parseConfig(config.dump(), "launch.json", t2i::providerCatalog());
    if (!parsed.config) {
        result.outcome.message = "config refused: " + parsed.errors.front().format();
        return result;
    }
    t2i::BenchmarkRunner runner(*parsed.config, db.toStdString(), t2i::makeAdapter);
    if (const auto problems = runner.preflight(); !problems.empty()) {
        result.outcome.message = "preflight: " + problems.front();
        return result;
    }
    std::thread canceller;
    if (cancelAfter.count() > 0)
        canceller = std::thread([&runner, cancelAfter] {
            std::this_thread::sleep_for(cancelAfter);
            runner.cancel();
        });
    const auto outcomes = runner.runAll({});
    if (canceller.joinable())
        canceller.join();
    if (outcomes.empty())
        return result;
    result.outcome = outcomes.front();
    auto store = t2i::Store::open(db.toStdString());
    result.run = *store->findRun(result.outcome.runId);
    result.launch = json::parse(result.run.environmentJson).value("launch", json());
    return result;
}

} // namespace

class TestLauncher : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_smiArgs;

private slots:
    void initTestCase()
    {
        t2i::initHttpGlobally();
        qputenv(kKeyVariable, kKey);
        // A fake nvidia-smi: records how it was called, then prints what the real one prints with
        // --format=csv,noheader,nounits, two GPUs, the second without a utilization reading.
        m_smiArgs = m_dir.filePath("smi-args.txt");
        const QString smi = m_dir.filePath("nvidia-smi");
        writeFile(smi,
            "#!/bin/sh\necho \"$@\" > '" + m_smiArgs.toStdString()
                + "'\nwhile :; do echo '0, 37, 1024, 81559'; echo '1, [N/A], 3, 81559'; sleep 0.1; done\n");
        QFile::setPermissions(smi, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv("T2IBENCH_NVIDIA_SMI", smi.toLocal8Bit());
    }

    void launchedServerIsTimedSampledAndStopped()
    {
        const int port = freePort();
        const std::string base = "http://127.0.0.1:" + std::to_string(port);
        const QString truth = m_dir.filePath("launch-truth.jsonl");
        const std::string emulator = (binDir() + "/t2ibench-emulator").toStdString();
        // A shell that says the key and something on stderr, then becomes the emulator (same pid):
        // the log must have both lines, the key redacted.
        const json launch = {
            { "command",
                { "/bin/sh", "-c", "echo \"key=$T2I_LAUNCH_KEY\"; echo to-stderr >&2; exec \"$0\" \"$@\"", emulator,
                    "--profile", "steady", "--port", std::to_string(port), "--protocol", "runpod", "--api-key-env",
                    kKeyVariable, "--time-scale", "0.2", "--seed", "3", "--truth", truth.toStdString(),
                    "--exit-with-stdin" } },
            { "ready_url", base + "/v2/emulated/health" },
            { "ready_headers", { { "Authorization", "Bearer {{api_key}}" } } },
            { "ready_timeout_s", 60 },
        };
        const QString db = m_dir.filePath("ok.db");
        const RunResult r = runConfig(launchConfig(launch, base + "/v2"), db);
        QVERIFY2(r.outcome.status == t2i::RunStatus::Completed, r.outcome.message.c_str());

        // Timings exist and are in order on the run's clock: start < ready < first image.
        const json& l = r.launch;
        QVERIFY2(l.is_object(), r.run.environmentJson.c_str());
        qInfo("launch: %s", l.dump().c_str());
        QVERIFY(l["process_start_ms"].get<double>() < l["ready_ms"].get<double>());
        QVERIFY(l["ready_ms"].get<double>() <= 0); // ready before the workload's clock started
        QVERIFY(l["first_image_ms"].get<double>() > l["ready_ms"].get<double>());
        QVERIFY(l["start_to_ready_ms"].get<double>() > 0);
        QVERIFY(l["ready_to_first_image_ms"].get<double>() > 0);
        QCOMPARE(l["start_to_first_image_ms"].get<double>(),
            l["first_image_ms"].get<double>() - l["process_start_ms"].get<double>());

        // The request that brought the first image is the cold one.
        auto store = t2i::Store::open(db.toStdString());
        const auto records = store->records(r.run.id);
        QCOMPARE(records.size(), std::size_t(3));
        const auto first = l["first_image_seq"].get<std::int64_t>();
        for (const auto& record : records) {
            QVERIFY2(record.ok, record.errorMessage.c_str());
            if (record.seq == first) {
                QCOMPARE(int(record.cold), int(t2i::ColdLabel::Cold));
                QCOMPARE(record.doneMs, l["first_image_ms"].get<double>());
            }
        }

        // GPU samples from the fake nvidia-smi, asked for exactly the documented query.
        const auto gpus = store->gpuSamples(r.run.id);
        QVERIFY2(gpus.size() >= 2, std::to_string(gpus.size()).c_str());
        bool sawZero = false, sawOne = false;
        for (const auto& g : gpus) {
            if (g.gpu == 0) {
                sawZero = true;
                QCOMPARE(*g.utilizationPct, 37.0);
                QCOMPARE(*g.memoryUsedMiB, 1024.0);
                QCOMPARE(*g.memoryTotalMiB, 81559.0);
            } else {
                sawOne = true;
                QVERIFY(!g.utilizationPct); // [N/A] is unknown, not 0
                QCOMPARE(*g.memoryUsedMiB, 3.0);
            }
        }
        QVERIFY(sawZero && sawOne);
        QCOMPARE(readAll(m_smiArgs).trimmed(),
            QString(
                "--query-gpu=index,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits -lms 1000"));
        QVERIFY(json::parse(r.run.environmentJson).contains("gpu_sampling"));

        // The server is gone, stopped with SIGTERM (the emulator then writes its ledger).
        QVERIFY(processGone(l["pid"].get<int>()));
        QCOMPARE(l["exit_status"].get<int>(), 0);
        const Truth t = readTruth(truth);
        QVERIFY(!t.ledger.is_null());
        QCOMPARE(t.jobs.size(), std::size_t(3));

        // Its output went to the log next to the database, the key redacted.
        const QString logPath = QString::fromStdString(l["log"].get<std::string>());
        QCOMPARE(logPath, QString::fromStdString(t2i::launchLogPath(db.toStdString(), r.run.id, "local")));
        QVERIFY(logPath.startsWith(m_dir.filePath("ok-logs/")));
        const QString log = readAll(logPath);
        QVERIFY2(log.contains("key=***") && log.contains("to-stderr") && log.contains("listening on"), qPrintable(log));
        QVERIFY(!log.contains(kKey));
        QVERIFY(r.run.environmentJson.find(kKey) == std::string::npos);
    }

    void readyTimeoutFailsClearlyAndKillsEveryProcess()
    {
        const int port = freePort(); // nobody listens there
        const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/ready";
        // A server that never gets ready and has a child of its own: both must go.
        const json launch = {
            { "command", { "/bin/sh", "-c", "sleep 60 & echo child=$!; wait" } },
            { "ready_url", url },
            { "ready_timeout_s", 1 },
        };
        const QString db = m_dir.filePath("timeout.db");
        const RunResult r = runConfig(launchConfig(launch, "http://127.0.0.1:" + std::to_string(port) + "/v2"), db);
        QCOMPARE(int(r.outcome.status), int(t2i::RunStatus::Failed));
        QVERIFY2(r.outcome.message.find(url) != std::string::npos, r.outcome.message.c_str());
        QVERIFY2(r.outcome.message.find("within 1 s") != std::string::npos, r.outcome.message.c_str());
        QCOMPARE(int(r.run.status), int(t2i::RunStatus::Failed));
        QVERIFY(processGone(r.launch["pid"].get<int>()));
        const QString log = readAll(QString::fromStdString(r.launch["log"].get<std::string>()));
        // The server's own line (the log's first line is the command, which says "child=$!").
        const auto match = QRegularExpression("^child=(\\d+)$", QRegularExpression::MultilineOption).match(log);
        QVERIFY2(match.hasMatch(), qPrintable(log));
        const int child = match.captured(1).toInt();
        QVERIFY2(processGone(child),
            qPrintable(QString::number(child) + ": " + readAll(QString("/proc/%1/stat").arg(child))));
        auto store = t2i::Store::open(db.toStdString());
        QCOMPARE(store->recordCount(r.run.id), std::int64_t(0));
        // The GPUs while it failed to start are kept, on a clock whose zero is the failure.
        const auto gpus = store->gpuSamples(r.run.id);
        QVERIFY(!gpus.empty());
        QVERIFY(std::all_of(gpus.begin(), gpus.end(), [](const t2i::GpuSample& g) { return g.tMs <= 0; }));
    }

    void serverThatExitsBeforeReadyFailsAtOnce()
    {
        const int port = freePort();
        const json launch = {
            { "command", { "/bin/sh", "-c", "echo 'model file missing' >&2; exit 3" } },
            { "ready_url", "http://127.0.0.1:" + std::to_string(port) + "/" },
            { "ready_timeout_s", 120 },
        };
        const RunResult r = runConfig(launchConfig(launch, "http://127.0.0.1:9/v2"), m_dir.filePath("exit.db"));
        QCOMPARE(int(r.outcome.status), int(t2i::RunStatus::Failed));
        QVERIFY2(r.outcome.message.find("exited with status 3") != std::string::npos, r.outcome.message.c_str());
        QCOMPARE(r.launch["exit_status"].get<int>(), 3);
        QVERIFY(readAll(QString::fromStdString(r.launch["log"].get<std::string>())).contains("model file missing"));
    }

    void cancelWhileStartingStopsTheServer()
    {
        const json launch = {
            { "command", { "sleep", "60" } },
            { "ready_url", "http://127.0.0.1:" + std::to_string(freePort()) + "/" },
            { "ready_timeout_s", 120 },
        };
        const RunResult r = runConfig(
            launchConfig(launch, "http://127.0.0.1:9/v2"), m_dir.filePath("cancel.db"), std::chrono::milliseconds(300));
        QCOMPARE(int(r.outcome.status), int(t2i::RunStatus::Cancelled));
        QVERIFY(processGone(r.launch["pid"].get<int>()));
    }

    void missingProgramIsAPreflightProblem()
    {
        const json launch
            = { { "command", { "no-such-inference-server-t2i" } }, { "ready_url", "http://127.0.0.1:9/" } };
        const RunResult r = runConfig(launchConfig(launch, "http://127.0.0.1:9/v2"), m_dir.filePath("missing.db"));
        QVERIFY2(r.outcome.message.find(
                     "preflight: launch.json: providers[0].launch.command[0]: \"no-such-inference-server-t2i\"")
                == 0,
            r.outcome.message.c_str());
    }

    void gpuSamplerReadsNvidiaSmiLines_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<bool>("parsed");
        QTest::addColumn<int>("gpu");
        QTest::addColumn<double>("utilization"); // -1: unknown
        QTest::newRow("a full line") << "0, 37, 1024, 81559" << true << 0 << 37.0;
        QTest::newRow("N/A utilization is unknown") << "3, [N/A], 10, 24576" << true << 3 << -1.0;
        QTest::newRow("Not Supported is unknown") << "1, [Not Supported], 10, 24576" << true << 1 << -1.0;
        QTest::newRow("the driver's complaint is no sample")
            << "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." << false << 0 << 0.0;
        QTest::newRow("a header is no sample")
            << "index, utilization.gpu [%], memory.used [MiB], memory.total [MiB]" << false << 0 << 0.0;
        QTest::newRow("too few fields is no sample") << "0, 37, 1024" << false << 0 << 0.0;
    }
    void gpuSamplerReadsNvidiaSmiLines()
    {
        QFETCH(QString, line);
        QFETCH(bool, parsed);
        QFETCH(int, gpu);
        QFETCH(double, utilization);
        const auto sample = t2i::GpuSampler::parseLine(line.toStdString(), 12.5);
        QCOMPARE(bool(sample), parsed);
        if (!sample)
            return;
        QCOMPARE(sample->gpu, gpu);
        QCOMPARE(sample->tMs, 12.5);
        QCOMPARE(sample->utilizationPct.value_or(-1.0), utilization);
    }

    void withoutNvidiaSmiNothingIsSampled()
    {
        qputenv("T2IBENCH_NVIDIA_SMI", m_dir.filePath("no-such-nvidia-smi").toLocal8Bit());
        int delivered = 0;
        {
            t2i::GpuSampler sampler([&delivered](const t2i::GpuSample&) { ++delivered; });
            sampler.setOrigin(std::chrono::steady_clock::now());
            QVERIFY(!sampler.started());
        }
        QCOMPARE(delivered, 0);
        qputenv("T2IBENCH_NVIDIA_SMI", m_dir.filePath("nvidia-smi").toLocal8Bit());
    }
};

QTEST_GUILESS_MAIN(TestLauncher)
#include "tst_launcher.moc"
