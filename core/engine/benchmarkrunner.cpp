// SPDX-License-Identifier: Apache-2.0
#include "benchmarkrunner.h"

#include "store/recordwriter.h"
#include "store/store.h"
#include "util/childprocess.h"
#include "util/runids.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>

namespace t2i {
namespace {

using nlohmann::json;

std::string envOr(const char* name, const std::string& fallback)
{
    const char* value = std::getenv(name);
    return value && *value ? std::string(value) : fallback;
}

// The built-in platform for an "emulated" provider: started on a free port, stopped (and its
// ledger written) when this object goes away.
struct EmulatorInstance {
    ChildProcess process;
    std::string baseUrl;
};

std::optional<EmulatorInstance> startEmulator(const ProviderConfig& provider, const std::string& apiKey,
                                              const std::string& configDir, std::string* error)
{
    std::string profile = provider.settings.value("profile", std::string());
    if (profile.find('/') != std::string::npos && !std::filesystem::path(profile).is_absolute())
        profile = (std::filesystem::path(configDir) / profile).string(); // a profile file next to the config
    const std::string protocol = provider.settings.value("protocol", std::string("runpod"));
    std::vector<std::string> argv { emulatorPath(), "--profile", profile, "--port", "0", "--seed",
        std::to_string(provider.settings.value("seed", 1)), "--protocol", protocol, "--exit-with-stdin" };
    if (provider.settings.contains("truth")) {
        std::filesystem::path truth = provider.settings["truth"].get<std::string>();
        if (truth.is_relative())
            truth = std::filesystem::path(configDir) / truth;
        argv.insert(argv.end(), { "--truth", truth.string() });
    }
    if (provider.settings.contains("time_scale"))
        argv.insert(argv.end(), { "--time-scale", std::to_string(provider.settings["time_scale"].get<double>()) });
    auto process = ChildProcess::start(argv, { "T2IBENCH_EMULATOR_KEY=" + apiKey }, error);
    if (!process)
        return std::nullopt;
    const auto line = process->readLine(std::chrono::seconds(15));
    const std::string prefix = "listening on ";
    if (!line || !line->starts_with(prefix)) {
        *error = "the built-in emulator (" + argv[0] + ") did not start" + (line ? ": " + *line : std::string());
        return std::nullopt;
    }
    // Where each protocol's API lives on the emulator, as on the real platform.
    const std::string apiRoot = protocol == "fal" ? "" : protocol == "openai" || protocol == "replicate" ? "/v1" : "/v2";
    return EmulatorInstance { std::move(*process), line->substr(prefix.size()) + apiRoot };
}

json environmentJson(const RunConfig& config)
{
    return { { "tool", "t2ibench" }, { "version", T2I_VERSION }, { "host", hostName() }, { "os", osDescription() },
        { "started", isoNowUtc() }, { "config_file", config.path } };
}

} // namespace

std::string emulatorPath()
{
    if (const char* path = std::getenv("T2IBENCH_EMULATOR"); path && *path)
        return path;
    return (std::filesystem::path(envOr("T2IBENCH_BIN_DIR", executableDir())) / "t2ibench-emulator").string();
}

std::string redact(std::string text, const std::string& secret)
{
    if (secret.empty())
        return text;
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
        text.replace(at, secret.size(), "***");
    return text;
}

BenchmarkRunner::BenchmarkRunner(RunConfig config, std::string dbPath, AdapterFactory factory)
    : m_config(std::move(config))
    , m_dbPath(std::move(dbPath))
    , m_factory(std::move(factory))
{
}

std::vector<std::string> BenchmarkRunner::preflight() const
{
    std::vector<std::string> problems;
    for (std::size_t i = 0; i < m_config.providers.size(); ++i) {
        const ProviderConfig& provider = m_config.providers[i];
        const std::string where = m_config.path + ": providers[" + std::to_string(i) + "]";
        if (!provider.apiKeyEnv.empty() && std::getenv(provider.apiKeyEnv.c_str()) == nullptr)
            problems.push_back(where + ".api_key_env: the environment variable " + provider.apiKeyEnv + " is not set");
        if (provider.type == "emulated" && !std::filesystem::exists(emulatorPath()))
            problems.push_back(where + ": the built-in emulator is missing at " + emulatorPath());
        if (!m_factory(provider, AdapterContext { "http://127.0.0.1", "", 250 }))
            problems.push_back(where + ".type: no adapter for \"" + provider.type + "\" in this build");
    }
    return problems;
}

void BenchmarkRunner::cancel()
{
    m_cancelled = true;
    std::lock_guard lock(m_engineMutex);
    if (m_engine)
        m_engine->cancel();
}

std::vector<RunOutcome> BenchmarkRunner::runAll(const std::function<void(const RunnerProgress&)>& progress)
{
    std::vector<RunOutcome> outcomes;
    const std::size_t count = m_config.providers.size() * m_config.variants.size();
    for (const ProviderConfig& provider : m_config.providers)
        for (const VariantConfig& variant : m_config.variants) {
            if (m_cancelled)
                return outcomes;
            outcomes.push_back(runOne(provider, variant, outcomes.size(), count, progress));
        }
    return outcomes;
}

RunOutcome BenchmarkRunner::runOne(const ProviderConfig& provider, const VariantConfig& variant, std::size_t index,
                                   std::size_t count, const std::function<void(const RunnerProgress&)>& progress)
{
    auto store = Store::open(m_dbPath);
    RunInfo run;
    run.id = newRunId();
    run.name = m_config.name + "/" + provider.id + "/" + variant.id;
    run.providerId = provider.id;
    run.providerType = provider.type;
    run.variantId = variant.id;
    run.configJson = json { { "provider", toJson(provider) }, { "variant", toJson(variant) },
        { "prompts", toJson(m_config.prompts) }, { "workload", toJson(m_config.workload) } }
                         .dump();
    json environment = environmentJson(m_config);
    run.environmentJson = environment.dump();
    run.created = isoNowUtc();
    run.status = RunStatus::Running;
    store->createRun(run);

    RunOutcome outcome { run.id, run.name, RunStatus::Failed, {} };
    auto finish = [&](RunStatus status, std::string message, double durationMs) {
        run.status = status;
        run.message = message;
        run.finished = isoNowUtc();
        run.durationMs = durationMs;
        store->updateRun(run);
        outcome.status = status;
        outcome.message = std::move(message);
        return outcome;
    };

    std::string apiKey = provider.apiKeyEnv.empty() ? std::string() : envOr(provider.apiKeyEnv.c_str(), "");
    AdapterContext context { provider.baseUrl, apiKey, provider.settings.value("poll_interval_ms", m_config.workload.pollIntervalMs) };
    std::optional<EmulatorInstance> emulator;
    if (provider.type == "emulated") {
        context.apiKey = apiKey = randomToken();
        std::string error;
        emulator = startEmulator(provider, apiKey, configDir(m_config), &error);
        if (!emulator)
            return finish(RunStatus::Failed, error, 0);
        context.baseUrl = emulator->baseUrl;
        environment["emulator"] = { { "profile", provider.settings.value("profile", "") }, { "seed", provider.settings.value("seed", 1) } };
        run.environmentJson = environment.dump();
    }
    std::string promptError;
    auto prompts = loadPrompts(m_config.prompts, configDir(m_config), &promptError);
    if (!prompts)
        return finish(RunStatus::Failed, promptError, 0);
    auto adapter = m_factory(provider, context);
    if (!adapter)
        return finish(RunStatus::Failed, "no adapter for provider type " + provider.type, 0);

    EngineSettings settings;
    settings.workload = m_config.workload;
    settings.variant = variant;
    settings.promptConfig = m_config.prompts;
    settings.prompts = std::move(*prompts);
    settings.timeoutMs = provider.timeoutS.value_or(m_config.workload.timeoutS) * 1000.0;
    settings.coldThresholdMs = provider.settings.value("cold_threshold_ms", settings.coldThresholdMs);
    settings.transport.httpVersion = provider.settings.value("http_version", std::string("1.1"));

    RecordWriter writer(m_dbPath, run.id);
    EngineCallbacks callbacks;
    callbacks.record = [&writer, &apiKey](RequestRecord record) {
        record.errorMessage = redact(std::move(record.errorMessage), apiKey);
        writer.push(std::move(record));
    };
    callbacks.workerSample = [&writer](const WorkerSample& sample) { writer.push(sample); };
    callbacks.progress = [&](const EngineProgress& engineProgress) {
        if (progress)
            progress(RunnerProgress { index, count, run.name, engineProgress });
    };
    RunEngine engine(*adapter, std::move(settings), std::move(callbacks));
    {
        std::lock_guard lock(m_engineMutex);
        m_engine = &engine;
    }
    if (m_cancelled)
        engine.cancel();
    const EngineResult result = engine.run();
    {
        std::lock_guard lock(m_engineMutex);
        m_engine = nullptr;
    }
    writer.close();
    if (emulator)
        emulator->process.stop();
    if (!writer.error().empty())
        return finish(RunStatus::Failed, "writing records failed: " + writer.error(), result.durationMs);
    switch (result.outcome) {
    case EngineOutcome::Completed:
        return finish(RunStatus::Completed, {}, result.durationMs);
    case EngineOutcome::Cancelled:
        return finish(RunStatus::Cancelled, result.message, result.durationMs);
    default:
        return finish(RunStatus::Failed, redact(result.message, apiKey), result.durationMs);
    }
}

} // namespace t2i
