// SPDX-License-Identifier: Apache-2.0
// t2ibench-cli check CONFIG --provider ID [--json]: does this provider answer? One request of the
// configuration's first variant (one image), run as a real run would be (keys from the
// environment or the keyring, an emulated platform started, a local server launched), into a
// temporary library that is removed afterwards; what came back said in words. The dashboard's
// "Test connection" runs it as a child process.
#include "clicommands.h"

#include "engine/benchmarkrunner.h"
#include "keyringresolver.h"
#include "registry/registry.h"
#include "store/store.h"
#include "transport/httptransport.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>

namespace t2i::cli {
namespace {

// The temporary library of one check, removed with everything beside it (WAL files).
class TemporaryLibrary {
public:
    TemporaryLibrary()
    {
        std::random_device random;
        m_dir = std::filesystem::temp_directory_path() / ("t2ibench-check-" + std::to_string(random()));
        std::filesystem::create_directories(m_dir);
    }
    ~TemporaryLibrary()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
    TemporaryLibrary(const TemporaryLibrary&) = delete;
    TemporaryLibrary& operator=(const TemporaryLibrary&) = delete;
    std::string path() const { return (m_dir / "check.db").string(); }

private:
    std::filesystem::path m_dir;
};

std::string fixed(double value, int decimals)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

// What the answer to the one request means, in a line a person acts on.
std::string summaryOf(const RequestRecord& record, const std::vector<WorkerSample>& samples)
{
    std::string workers;
    if (!samples.empty()) {
        const WorkerSample& last = samples.back();
        workers = ": " + std::to_string(last.idle) + " worker" + (last.idle == 1 ? "" : "s") + " idle, "
            + std::to_string(last.running) + " running, " + std::to_string(last.inQueue) + " in queue";
    }
    if (record.ok)
        return "OK" + workers + " (one image in " + fixed(record.latencyMs() / 1000.0, 1) + " s)";
    const int status = record.httpStatus;
    if (status == 401 || status == 403)
        return std::to_string(status) + ": the key was refused (" + record.errorMessage + ")";
    if (status == 404)
        return "404: wrong endpoint or id (" + record.errorMessage + ")";
    if (status == 429)
        return "429: the platform is throttling this key; it answers, try again later";
    if (record.errorClass == ErrorClass::Transport || status == 0)
        return "unreachable: " + record.errorMessage;
    if (record.errorClass == ErrorClass::Timeout)
        return "no answer in time: " + record.errorMessage;
    return std::to_string(status) + ": " + record.errorMessage;
}

int report(
    const Args& args, const std::string& provider, bool ok, const nlohmann::json& detail, const std::string& summary)
{
    if (args.json) {
        nlohmann::json out = detail;
        out["provider"] = provider;
        out["ok"] = ok;
        out["summary"] = summary;
        std::cout << out.dump() << '\n';
    } else {
        std::cout << provider << ": " << summary << '\n';
    }
    return ok ? Success : Failure;
}

} // namespace

int checkCommand(const Args& args)
{
    if (args.positional.size() != 1 || args.provider.empty()) {
        std::cerr << "t2ibench-cli: check takes one CONFIG file and --provider ID\n";
        return BadUsage;
    }
    const ConfigResult loaded = loadConfig(args.positional.front(), providerCatalog());
    if (!loaded.config) {
        for (const ConfigError& error : loaded.errors)
            std::cerr << error.format() << '\n';
        std::cerr << "t2ibench-cli: the configuration was refused; nothing was sent\n";
        return BadUsage;
    }
    RunConfig config = *loaded.config;
    std::erase_if(config.providers, [&args](const ProviderConfig& p) { return p.id != args.provider; });
    if (config.providers.empty()) {
        std::cerr << "t2ibench-cli: no provider \"" << args.provider << "\" in " << args.positional.front() << '\n';
        return BadUsage;
    }
    // The smallest request the configuration makes: its first variant, one image, sent once.
    config.variants.resize(1);
    config.variants.front().images = 1;
    config.workload.warmupRequests = 0;
    WorkloadStep once;
    once.kind = StepKind::Closed;
    once.concurrency = { 1 };
    once.requests = 1;
    config.workload.steps = { once };

    TemporaryLibrary library;
    BenchmarkRunner runner(config, library.path(), makeAdapter);
    runner.setSecretResolver(keyringSecretResolver());
    if (const auto problems = runner.preflight(); !problems.empty()) {
        std::string joined;
        for (const std::string& problem : problems)
            joined += (joined.empty() ? "" : "; ") + problem;
        return report(args, args.provider, false, { { "stage", "preflight" } }, "not ready: " + joined);
    }
    initHttpGlobally();
    const std::vector<RunOutcome> outcomes = runner.runAll([](const RunnerProgress&) {});
    if (outcomes.empty())
        return report(args, args.provider, false, { { "stage", "run" } }, "not run");
    std::unique_ptr<Store> store;
    try {
        store = Store::openExisting(library.path());
    } catch (const StoreError&) {
        // The run failed before writing its library: no request to read, said below.
    }
    const auto records = store ? store->records(outcomes.front().runId) : std::vector<RequestRecord>();
    if (records.empty())
        return report(args, args.provider, false, { { "stage", "run" } },
            "no request was sent: "
                + (outcomes.front().message.empty() ? std::string("the run ended first") : outcomes.front().message));
    const RequestRecord& record = records.front();
    const auto samples = store->workerSamples(outcomes.front().runId);
    nlohmann::json detail = { { "stage", "request" }, { "http_status", record.httpStatus },
        { "error_class", std::string(toString(record.errorClass)) }, { "message", record.errorMessage } };
    if (record.ok)
        detail["latency_ms"] = record.latencyMs();
    if (!samples.empty())
        detail["workers"] = { { "idle", samples.back().idle }, { "running", samples.back().running },
            { "in_queue", samples.back().inQueue } };
    return report(args, args.provider, record.ok, detail, summaryOf(record, samples));
}

} // namespace t2i::cli
