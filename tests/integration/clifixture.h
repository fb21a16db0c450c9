// SPDX-License-Identifier: Apache-2.0
// Runs the real t2ibench-cli (and through it the real emulator) for integration tests.
#pragma once

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "store/store.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace t2itest {

// The records of the library's first run so far: 0 while the CLI has not made the library or
// the run yet (tests wait on it while a run is going).
inline std::size_t firstRunRecordCount(const QString& db)
{
    if (!QFile::exists(db))
        return 0;
    try {
        auto store = t2i::Store::open(db.toStdString());
        const auto runs = store->listRuns();
        return runs.empty() ? 0 : store->records(runs.front().id).size();
    } catch (const t2i::StoreError&) {
        return 0;
    }
}

inline QString binDir()
{
    const QString dir = qEnvironmentVariable("T2IBENCH_BIN_DIR");
    return dir.isEmpty() ? QStringLiteral("bin") : dir;
}

inline QString cliPath()
{
    return binDir() + QStringLiteral("/t2ibench-cli");
}

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs t2ibench-cli to completion (at most timeoutMs).
inline CliResult runCli(const QStringList& arguments, int timeoutMs = 240000)
{
    QProcess process;
    process.start(cliPath(), arguments);
    CliResult result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

inline void writeFile(const QString& path, const std::string& text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text.data(), qint64(text.size()));
}

// A small workload against one emulated profile: a warm-up, a cold probe, a closed sweep and a
// Poisson step; about 15 s.
inline std::string smallConfig(const std::string& profile, const std::string& truthPath, int pollMs = 100)
{
    nlohmann::json config = {
        { "version", 1 },
        { "name", "it" },
        { "providers",
            { { { "id", profile }, { "type", "emulated" }, { "profile", profile }, { "seed", 7 },
                { "truth", truthPath } } } },
        { "variants",
            { { { "id", "sd512" }, { "model", "sd-1.5" }, { "precision", "fp16" }, { "width", 512 }, { "height", 512 },
                { "steps", 20 }, { "guidance", 7.0 }, { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 42 } } },
        { "workload",
            { { "timeout_s", 60 }, { "poll_interval_ms", pollMs }, { "warmup_requests", 1 },
                { "steps",
                    { { { "kind", "cold_probe" }, { "idle_s", 3 }, { "repeat", 1 } },
                        { { "kind", "closed" }, { "concurrency", { 1, 4 } }, { "duration_s", 2 } },
                        { { "kind", "poisson" }, { "rate", 10 }, { "requests", 20 } } } } } },
    };
    return config.dump(2);
}

// A short run on the emulator's "instant" profile (warm workers, no service time, so every byte
// served is an answer to the run): a warm-up and six requests two at a time, of one square
// SIZE x SIZE variant with `images` images; health sampled once. `provider` adds to (or
// overrides) an emulated provider with the given id, seed and truth file.
inline std::string instantRunConfig(
    const std::string& name, const nlohmann::json& provider, const std::string& truthPath, int size, int images)
{
    nlohmann::json p
        = { { "id", name }, { "type", "emulated" }, { "profile", "instant" }, { "seed", 3 }, { "truth", truthPath } };
    p.update(provider);
    const nlohmann::json config = {
        { "version", 1 },
        { "name", name },
        { "providers", { p } },
        { "variants",
            { { { "id", "v" + std::to_string(size) }, { "model", "sdxl" }, { "precision", "fp16" }, { "width", size },
                { "height", size }, { "steps", 20 }, { "guidance", 7.0 }, { "images", images } } } },
        { "prompts", { { "set", "default" }, { "seed", 42 } } },
        { "workload",
            { { "timeout_s", 60 }, { "poll_interval_ms", 50 }, { "warmup_requests", 1 }, { "health_interval_s", 60 },
                { "steps", { { { "kind", "closed" }, { "concurrency", 2 }, { "requests", 6 } } } } } },
    };
    return config.dump(2);
}

// Starts `t2ibench-emulator --tls` on the instant profile, speaking `protocol`, with the
// certificate it makes written to caPath; returns its port (from its first line), or 0.
inline quint16 startEmulatorTls(QProcess& process, const QString& protocol, const QString& caPath)
{
    process.start(binDir() + "/t2ibench-emulator",
        { "--profile", "instant", "--protocol", protocol, "--seed", "3", "--tls", "--tls-ca-out", caPath });
    if (!process.waitForStarted(10000))
        return 0;
    QSignalSpy output(&process, &QProcess::readyReadStandardOutput);
    while (!process.canReadLine() && process.state() == QProcess::Running)
        output.wait(10000);
    static const QRegularExpression first(QStringLiteral("^listening on https://127\\.0\\.0\\.1:(\\d+)\\n$"));
    const auto match = first.match(QString::fromUtf8(process.readLine()));
    return match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
}

// The emulator's ground truth: job id -> its line (the ledger line and the workers' utilisation
// steps are kept apart).
struct Truth {
    std::map<std::string, nlohmann::json> jobs;
    nlohmann::json ledger;
    std::vector<nlohmann::json> utilization; // {"t_ms", "worker_id", "running", "concurrency"}, as written
};

inline Truth readTruth(const QString& path)
{
    Truth truth;
    std::ifstream in(path.toStdString());
    for (std::string line; std::getline(in, line);) {
        if (line.empty())
            continue;
        const auto j = nlohmann::json::parse(line);
        if (j.contains("ledger"))
            truth.ledger = j["ledger"];
        else if (j.contains("utilization"))
            truth.utilization.push_back(j["utilization"]);
        else
            truth.jobs[j["job_id"].get<std::string>()] = j;
    }
    return truth;
}

} // namespace t2itest
