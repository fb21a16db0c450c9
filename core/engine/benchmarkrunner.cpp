// SPDX-License-Identifier: Apache-2.0
#include "benchmarkrunner.h"

#include "engine/gpusampler.h"
#include "engine/localserver.h"
#include "engine/runlimits.h"
#include "store/recordwriter.h"
#include "store/store.h"
#include "util/childprocess.h"
#include "util/runids.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sys/resource.h>
#include <unistd.h>

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
// Removes the file when the run is done with it.
struct RemoveFile {
    void operator()(const std::string* path) const
    {
        std::error_code ignored;
        std::filesystem::remove(*path, ignored);
        delete path;
    }
};

struct EmulatorInstance {
    ChildProcess process;
    std::string baseUrl;
    // Over HTTPS (the provider's `tls`): the certificate the emulator made, which the run trusts
    // and nothing else; removed when the run ends. Null over plain HTTP.
    std::unique_ptr<const std::string, RemoveFile> caFile;
};

std::optional<EmulatorInstance> startEmulator(
    const ProviderConfig& provider, const std::string& apiKey, const std::string& configDir, std::string* error)
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
    std::unique_ptr<const std::string, RemoveFile> caFile;
    if (provider.settings.value("tls", false)) {
        caFile.reset(new std::string(
            (std::filesystem::temp_directory_path() / ("t2ibench-emulator-" + randomToken() + ".pem")).string()));
        argv.insert(argv.end(), { "--tls", "--tls-ca-out", *caFile });
    }
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
    const std::string apiRoot = protocol == "fal"         ? ""
        : protocol == "openai" || protocol == "replicate" ? "/v1"
                                                          : "/v2";
    return EmulatorInstance { std::move(*process), line->substr(prefix.size()) + apiRoot, std::move(caFile) };
}

std::string keyringEntry(const ProviderConfig& provider)
{
    return provider.settings.value("api_key_keyring", std::string());
}

// A problem with a launch command's program, found before anything starts; empty when none.
std::string launchProgramProblem(const ProviderConfig& provider, const std::string& dir)
{
    const json command = provider.settings.at("launch").value("command", json::array());
    if (command.empty() || !command[0].is_string())
        return {};
    const std::string program = command[0].get<std::string>();
    if (program.find('/') == std::string::npos)
        return findExecutable(program).empty() ? "\"" + program + "\" is not a program on $PATH" : std::string();
    std::filesystem::path path = program;
    if (path.is_relative())
        path = std::filesystem::path(dir) / path;
    return ::access(path.c_str(), X_OK) == 0 ? std::string() : path.string() + " is not an executable file";
}

struct ProcessUsage {
    double cpuS = 0; // user + system, every thread of this process
    double peakRssMib = 0;
};

ProcessUsage processUsage()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return { double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6,
        double(usage.ru_maxrss) / 1024.0 };
}

// Milliseconds from origin (the run clock's zero) to t: negative before the workload began.
double runClockMs(std::chrono::steady_clock::time_point origin, std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration<double, std::milli>(t - origin).count();
}

// Operations in rate_limits that the provider's requests never count against: a typo would
// otherwise leave the budget silently unapplied.
std::vector<std::string> rateLimitProblems(const Adapter& adapter, const ProviderConfig& provider)
{
    std::vector<std::string> problems;
    const json configured = provider.settings.value("rate_limits", json());
    if (!configured.is_object())
        return problems;
    const std::vector<std::string> known = adapter.operations();
    for (const auto& [operation, limit] : configured.items())
        if (std::find(known.begin(), known.end(), operation) == known.end()) {
            std::string list;
            for (const std::string& name : known)
                list += (list.empty() ? "" : ", ") + name;
            problems.push_back(operation + ": " + provider.type + " requests never count against \"" + operation
                + "\" (its operations: " + list + ")");
        }
    return problems;
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

std::map<std::string, std::string> secretsFromEnvironment(const ProviderConfig& provider)
{
    std::map<std::string, std::string> secrets;
    if (!provider.settings.is_object())
        return secrets;
    for (const auto& [key, value] : provider.settings.items())
        if (key.ends_with("_env") && key != "api_key_env" && value.is_string())
            secrets[key] = envOr(value.get<std::string>().c_str(), "");
    return secrets;
}

std::string redact(std::string text, const std::map<std::string, std::string>& secrets)
{
    for (const auto& [key, secret] : secrets)
        text = redact(std::move(text), secret);
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
        for (const auto& [key, secret] : secretsFromEnvironment(provider)) {
            const std::string variable = provider.settings[key].get<std::string>();
            if (std::getenv(variable.c_str()) == nullptr)
                problems.push_back(where + "." + key + ": the environment variable " + variable + " is not set");
        }
        if (provider.type == "emulated" && !std::filesystem::exists(emulatorPath()))
            problems.push_back(where + ": the built-in emulator is missing at " + emulatorPath());
        if (!keyringEntry(provider).empty()) {
            std::string error;
            if (!apiKeyOf(provider, &error))
                problems.push_back(where + "." + error);
        }
        if (provider.settings.contains("launch"))
            if (const std::string problem = launchProgramProblem(provider, configDir(m_config)); !problem.empty())
                problems.push_back(where + ".launch.command[0]: " + problem);
        for (std::string& problem : limitProblems(m_config, provider, where))
            problems.push_back(std::move(problem));
        // An adapter may refuse its settings by throwing (e.g. a ComfyUI workflow that cannot be
        // read): that is a configuration problem, reported before anything runs.
        try {
            const auto adapter = m_factory(provider, AdapterContext { "http://127.0.0.1", "", 250 });
            if (!adapter)
                problems.push_back(where + ".type: no adapter for \"" + provider.type + "\" in this build");
            else
                for (const std::string& problem : rateLimitProblems(*adapter, provider))
                    problems.push_back(where + ".rate_limits." + problem);
        } catch (const std::exception& e) {
            problems.push_back(where + ": " + e.what());
        }
    }
    return problems;
}

std::optional<std::string> BenchmarkRunner::apiKeyOf(const ProviderConfig& provider, std::string* error) const
{
    if (!provider.apiKeyEnv.empty())
        return envOr(provider.apiKeyEnv.c_str(), "");
    const std::string entry = keyringEntry(provider);
    if (entry.empty())
        return std::string();
    {
        std::lock_guard lock(m_keyringMutex);
        if (const auto it = m_keyringKeys.find(provider.id); it != m_keyringKeys.end())
            return it->second;
    }
    if (!m_secretResolver) {
        *error = "api_key_keyring: this program cannot read the OS keyring (entry \"" + entry + "\"); use api_key_env";
        return std::nullopt;
    }
    std::string why;
    auto key = m_secretResolver(provider, &why);
    if (!key || key->empty()) {
        *error = "api_key_keyring: " + (key ? "the keyring entry \"" + entry + "\" is empty" : why);
        return std::nullopt;
    }
    std::lock_guard lock(m_keyringMutex);
    m_keyringKeys[provider.id] = *key;
    return key;
}

void BenchmarkRunner::cancel()
{
    m_cancelled = true;
    std::lock_guard lock(m_engineMutex);
    if (m_engine)
        m_engine->cancel();
}

std::vector<PlannedRun> BenchmarkRunner::plannedRuns() const
{
    std::vector<PlannedRun> plan;
    for (const ProviderConfig& provider : m_config.providers)
        for (const VariantConfig& variant : m_config.variants)
            plan.push_back(
                { plan.size(), m_config.name + "/" + provider.id + "/" + variant.id, provider.id, variant.id });
    return plan;
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
    run.name = m_config.name + "/" + provider.id + "/" + variant.id; // as plannedRuns() names it
    run.providerId = provider.id;
    run.providerType = provider.type;
    run.variantId = variant.id;
    run.configJson = runConfigJson(m_config, provider, variant).dump();
    json environment = environmentJson(m_config);
    run.environmentJson = environment.dump();
    run.created = isoNowUtc();
    run.status = RunStatus::Running;
    store->createRun(run);
    if (m_observer.runStarted)
        m_observer.runStarted(index, run.id, run.name);

    RunOutcome outcome { run.id, run.name, RunStatus::Failed, {}, {} };
    auto finish = [&](RunStatus status, std::string message, double durationMs) {
        run.status = status;
        run.message = message;
        run.finished = isoNowUtc();
        run.durationMs = durationMs;
        store->updateRun(run);
        outcome.status = status;
        outcome.message = std::move(message);
        if (m_observer.runEnded)
            m_observer.runEnded(index, outcome);
        return outcome;
    };

    std::string keyError;
    const auto configuredKey = apiKeyOf(provider, &keyError);
    if (!configuredKey)
        return finish(RunStatus::Failed, m_config.path + ": " + provider.id + ": " + keyError, 0);
    std::string apiKey = *configuredKey;
    AdapterContext context { provider.baseUrl, apiKey,
        provider.settings.value("poll_interval_ms", m_config.workload.pollIntervalMs) };
    context.secrets = secretsFromEnvironment(provider);
    std::optional<EmulatorInstance> emulator;
    if (provider.type == "emulated") {
        context.apiKey = apiKey = randomToken();
        std::string error;
        emulator = startEmulator(provider, apiKey, configDir(m_config), &error);
        if (!emulator)
            return finish(RunStatus::Failed, error, 0);
        context.baseUrl = emulator->baseUrl;
        environment["emulator"]
            = { { "profile", provider.settings.value("profile", "") }, { "seed", provider.settings.value("seed", 1) } };
        run.environmentJson = environment.dump();
    }
    std::string promptError;
    auto prompts = loadPrompts(m_config.prompts, configDir(m_config), &promptError);
    if (!prompts)
        return finish(RunStatus::Failed, promptError, 0);
    std::unique_ptr<Adapter> adapter;
    try {
        adapter = m_factory(provider, context);
    } catch (const std::exception& e) {
        return finish(RunStatus::Failed, redact(e.what(), context.apiKey), 0);
    }
    if (!adapter)
        return finish(RunStatus::Failed, "no adapter for provider type " + provider.type, 0);

    EngineSettings settings;
    settings.workload = m_config.workload;
    settings.variant = variant;
    settings.promptConfig = m_config.prompts;
    settings.prompts = std::move(*prompts);
    settings.timeoutMs = provider.timeoutS.value_or(m_config.workload.timeoutS) * 1000.0;
    settings.coldThresholdMs = provider.settings.value("cold_threshold_ms", settings.coldThresholdMs);
    settings.scaleToZeroWaitMs = provider.settings.value("scale_to_zero_wait_s", 60.0) * 1000.0;
    settings.transport.httpVersion = provider.settings.value("http_version", std::string("1.1"));
    settings.transport.maxAnswerBytes = provider.settings.value("max_answer_mb", std::int64_t(64)) << 20;
    settings.transport.maxBufferedAnswerBytes = provider.settings.value("answer_memory_mb", std::int64_t(128)) << 20;
    if (provider.settings.contains("ca_file")) // relative to the config's folder, as the validator read it
        settings.transport.caFile
            = (std::filesystem::path(configDir(m_config)) / provider.settings.at("ca_file").get<std::string>())
                  .string();
    if (emulator && emulator->caFile)
        settings.transport.caFile = *emulator->caFile; // the certificate it made, and no other
    settings.imageBacklogBytes = std::size_t(provider.settings.value("image_backlog_mb", std::int64_t(256))) << 20;
    // The platform's request budget: its documented limits, as the config adjusts them; kept with
    // the run so a reader knows what pace the client held itself to.
    settings.rateLimits = mergeRateLimits(adapter->defaultRateLimits(), provider.settings.value("rate_limits", json()));
    json limits = json::object();
    for (const RateLimit& limit : settings.rateLimits)
        limits[limit.operation] = { { "requests", limit.requests }, { "window_s", limit.windowMs / 1000.0 },
            { "concurrent", limit.concurrent } };
    environment["rate_limits"] = limits;
    run.environmentJson = environment.dump();
    // The budget (docs/cost.md, "Budget"): priced here, kept by the engine.
    std::string budgetError;
    const auto budget = engineBudgetFor(m_config, run, settings.timeoutMs, environment, &budgetError);
    if (!budget)
        return finish(RunStatus::Failed, budgetError, 0);
    settings.budget = *budget;
    run.environmentJson = environment.dump();

    RecordWriter writer(m_dbPath, run.id);
    // The local GPUs, sampled from before a launched server starts (its model load shows) to the
    // end of the workload; nothing without nvidia-smi.
    std::unique_ptr<GpuSampler> gpu;
    if (runsOnThisMachine(provider)) {
        gpu = std::make_unique<GpuSampler>([&writer](const GpuSample& sample) { writer.push(sample); });
        if (gpu->started())
            environment["gpu_sampling"] = { { "program", GpuSampler::program() }, { "interval_ms", 1000 } };
        else
            gpu.reset();
        run.environmentJson = environment.dump();
    }
    // A local server the run starts itself: process start -> ready -> first image is its cold
    // start (docs/measurement.md, "Local servers"), kept in environment.launch.
    std::unique_ptr<LocalServer> server;
    json launch;
    const auto keepLaunch = [&] {
        environment["launch"] = launch;
        run.environmentJson = environment.dump();
    };
    // A launch that failed never starts the run's clock: its GPU samples (the model load that
    // ran out of memory, say) are kept on a clock whose zero is the failure.
    const auto keepFailedLaunch = [&] {
        if (gpu) {
            gpu->stop();
            gpu->setOrigin(std::chrono::steady_clock::now());
        }
        keepLaunch();
    };
    if (provider.settings.contains("launch")) {
        LaunchSettings launchSettings = LaunchSettings::fromConfig(
            provider, configDir(m_config), launchLogPath(m_dbPath, run.id, provider.id), apiKey);
        for (const auto& [key, secret] : context.secrets)
            if (!secret.empty())
                launchSettings.secrets.push_back(secret); // the server's log never shows them either
        json command = json::array();
        for (const std::string& arg : launchSettings.command)
            command.push_back(redact(redact(arg, apiKey), context.secrets));
        launch = { { "command", command }, { "ready_url", launchSettings.readyUrl },
            { "ready_timeout_s", launchSettings.readyTimeoutS }, { "log", launchSettings.logPath } };
        std::string error;
        server = LocalServer::start(launchSettings, &error);
        if (!server) {
            keepFailedLaunch();
            return finish(RunStatus::Failed, redact(redact(error, apiKey), context.secrets), 0);
        }
        launch["pid"] = server->pid();
        if (!server->waitUntilReady(m_cancelled, &error)) {
            launch["exit_status"] = server->stop();
            keepFailedLaunch();
            if (m_cancelled)
                return finish(RunStatus::Cancelled, "cancelled while the local server was starting", 0);
            return finish(RunStatus::Failed, redact(redact(error, apiKey), context.secrets), 0);
        }
    }

    EngineCallbacks callbacks;
    // The request whose image came first from a server this run launched paid its cold start.
    std::optional<RequestRecord> firstImage;
    callbacks.record
        = [this, index, &writer, &apiKey, &context, &firstImage, launched = server != nullptr](RequestRecord record) {
              record.errorMessage = redact(redact(std::move(record.errorMessage), apiKey), context.secrets);
              if (launched && record.ok && !firstImage) {
                  record.cold = ColdLabel::Cold;
                  firstImage = record;
              }
              if (m_observer.record)
                  m_observer.record(index, record);
              writer.push(std::move(record));
          };
    callbacks.workerSample = [this, index, &writer](const WorkerSample& sample) {
        if (m_observer.workerSample)
            m_observer.workerSample(index, sample);
        writer.push(sample);
    };
    callbacks.progress = [&](const EngineProgress& engineProgress) {
        if (progress)
            progress(RunnerProgress { index, count, run.name, engineProgress });
    };
    // The engine's clock starts as it is made: this is its zero, within microseconds.
    const auto origin = std::chrono::steady_clock::now();
    const ProcessUsage usageBefore = processUsage();
    if (gpu)
        gpu->setOrigin(origin);
    const std::size_t imageBacklogBytes = settings.imageBacklogBytes;
    const std::int64_t answerMemoryBytes = settings.transport.maxBufferedAnswerBytes;
    RunEngine engine(*adapter, std::move(settings), std::move(callbacks));
    {
        std::lock_guard lock(m_engineMutex);
        m_engine = &engine;
    }
    if (m_cancelled)
        engine.cancel();
    EngineResult result;
    try {
        result = engine.run();
    } catch (const std::exception& e) {
        // Whatever escaped the engine's own boundaries ends this run as failed, with what finished kept.
        result.outcome = EngineOutcome::Failed;
        result.message = std::string("the engine stopped: ") + e.what();
    }
    {
        std::lock_guard lock(m_engineMutex);
        m_engine = nullptr;
    }
    if (gpu)
        gpu->stop();
    // Was the client itself a bottleneck? Its CPU over the workload and its peak memory.
    const ProcessUsage usageAfter = processUsage();
    environment["client"] = { { "host", hostName() },
        { "region", m_config.client.region.empty() ? json() : json(m_config.client.region) },
        { "cpu_s", usageAfter.cpuS - usageBefore.cpuS }, { "peak_rss_mib", usageAfter.peakRssMib },
        { "wall_s", runClockMs(origin, std::chrono::steady_clock::now()) / 1000.0 },
        // Where delivered images waited for their check: memory up to image_backlog_mb, then a
        // temporary file (docs/performance.md).
        { "image_check",
            { { "memory_budget_mib", double(imageBacklogBytes) / (1 << 20) },
                { "peak_memory_mib", double(result.imageBacklogPeakBytes) / (1 << 20) },
                { "spilled_jobs", result.imagesSpilled },
                { "peak_spill_mib", double(result.imageSpillPeakBytes) / (1 << 20) },
                { "spill_failures", result.imageSpillFailures } } },
        // Answer bodies while they arrived: the most held at once, and how many waited for
        // room under answer_memory_mb.
        { "answer_memory",
            { { "limit_mib", double(answerMemoryBytes) / (1 << 20) },
                { "peak_mib", double(result.answerMemoryPeakBytes) / (1 << 20) },
                { "paused_answers", result.answersPaused } } } };
    // Where each host the run called resolved to: the region or CDN edge it reached.
    json addresses = json::object();
    for (const auto& [host, ips] : result.remoteAddresses)
        addresses[host] = ips;
    environment["network"] = { { "addresses", addresses } };
    run.environmentJson = environment.dump();
    if (server) {
        launch["exit_status"] = server->stop();
        const double startMs = runClockMs(origin, server->startedAt());
        const double readyMs = runClockMs(origin, *server->readyAt());
        launch["process_start_ms"] = startMs;
        launch["ready_ms"] = readyMs;
        launch["start_to_ready_ms"] = readyMs - startMs;
        launch["first_image_seq"] = firstImage ? json(firstImage->seq) : json();
        launch["first_image_ms"] = firstImage ? json(firstImage->doneMs) : json();
        launch["ready_to_first_image_ms"] = firstImage ? json(firstImage->doneMs - readyMs) : json();
        launch["start_to_first_image_ms"] = firstImage ? json(firstImage->doneMs - startMs) : json();
        keepLaunch();
    }
    writer.close();
    if (emulator)
        emulator->process.stop();
    if (!writer.error().empty())
        return finish(RunStatus::Failed, "writing records failed: " + writer.error(), result.durationMs);
    // The thresholds are judged on what the run measured, as `show` summarizes it, and the
    // verdict is kept with the run (docs/configuration.md, "thresholds").
    if (result.outcome == EngineOutcome::Completed || result.outcome == EngineOutcome::Stopped) {
        run.durationMs = result.durationMs; // the cost model's keep-warm and instance time
        outcome.thresholds = judgeRun(m_config.thresholds, *store, run);
        if (!outcome.thresholds.empty()) {
            environment["thresholds"] = thresholdsJson(outcome.thresholds);
            run.environmentJson = environment.dump();
        }
    }
    switch (result.outcome) {
    case EngineOutcome::Completed:
        return finish(RunStatus::Completed, {}, result.durationMs);
    case EngineOutcome::Stopped:
        return finish(RunStatus::Stopped, result.message, result.durationMs);
    case EngineOutcome::Cancelled:
        return finish(RunStatus::Cancelled, result.message, result.durationMs);
    default:
        return finish(RunStatus::Failed, redact(redact(result.message, apiKey), context.secrets), result.durationMs);
    }
}

} // namespace t2i
