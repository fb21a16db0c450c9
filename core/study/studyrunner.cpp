// SPDX-License-Identifier: Apache-2.0
#include "study/studyrunner.h"

#include "cost/runcostfor.h"
#include "store/store.h"
#include "util/runids.h"

#include <cstdlib>
#include <filesystem>

namespace t2i {

namespace {

// "r2026..." run ids, "s2026..." study ids: the same sortable shape.
std::string newStudyId()
{
    std::string id = newRunId();
    if (!id.empty())
        id[0] = 's';
    return id;
}

template <typename T>
const T* pick(const std::vector<T>& items, const std::string& id, const char* what, std::vector<std::string>& errors)
{
    if (id.empty()) {
        if (items.size() == 1)
            return &items.front();
        std::string ids;
        for (const T& item : items)
            ids += (ids.empty() ? "" : ", ") + item.id;
        errors.push_back(
            std::string("the configuration has several ") + what + "s (" + ids + "): name one with --" + what + " ID");
        return nullptr;
    }
    for (const T& item : items)
        if (item.id == id)
            return &item;
    errors.push_back(std::string("no ") + what + " \"" + id + "\" in the configuration");
    return nullptr;
}

// Every string in j with each secret replaced by "***": a study's parameters may hold a command
// that names a key (the deploy study's), and they are stored in the library.
nlohmann::json redactStrings(nlohmann::json j, const std::vector<std::string>& secrets)
{
    if (j.is_string()) {
        std::string text = j.get<std::string>();
        for (const std::string& secret : secrets)
            text = redact(std::move(text), secret);
        return text;
    }
    if (j.is_structured())
        for (auto& item : j)
            item = redactStrings(std::move(item), secrets);
    return j;
}

} // namespace

StudyRunner::StudyRunner(RunConfig config, std::string dbPath, AdapterFactory factory)
    : m_config(std::move(config))
    , m_dbPath(std::move(dbPath))
    , m_factory(std::move(factory))
{
}

StudyRunner::~StudyRunner() = default;

const ProviderDescriptor* StudyRunner::descriptor() const
{
    for (const ProviderDescriptor* d : m_catalog)
        if (d && d->type == m_provider.type)
            return d;
    return nullptr;
}

std::vector<std::string> StudyRunner::prepare(const StudyRequest& request)
{
    std::vector<std::string> errors;
    m_type = findStudyType(request.kind);
    if (!m_type) {
        std::string kinds;
        for (const StudyType& t : studyTypes())
            kinds += (kinds.empty() ? "" : ", ") + t.kind;
        errors.push_back("unknown study \"" + request.kind + "\" (one of: " + kinds + ")");
        return errors;
    }
    const ProviderConfig* provider = pick(m_config.providers, request.providerId, "provider", errors);
    const VariantConfig* variant = pick(m_config.variants, request.variantId, "variant", errors);
    if (provider)
        m_provider = *provider;
    if (variant)
        m_variant = *variant;
    const nlohmann::json fromConfig
        = m_config.studies.contains(request.kind) ? m_config.studies[request.kind] : nlohmann::json();
    m_params = resolveStudyParams(*m_type, fromConfig, request.params, errors);
    if (!errors.empty())
        return errors;
    // The runner's own preflight (keys, keyring, emulator and launch commands) for this pair.
    RunConfig one = m_config;
    one.providers = { m_provider };
    one.variants = { m_variant };
    BenchmarkRunner probe(one, m_dbPath, m_factory);
    if (m_secretResolver)
        probe.setSecretResolver(m_secretResolver);
    for (std::string& problem : probe.preflight())
        errors.push_back(std::move(problem));
    return errors;
}

StudyOutcome StudyRunner::run(const std::function<void(const std::string&)>& progress)
{
    m_progress = progress;
    m_store = Store::open(m_dbPath);
    m_info.id = newStudyId();
    m_info.kind = m_type->kind;
    m_info.configName = m_config.name;
    m_info.providerId = m_provider.id;
    m_info.variantId = m_variant.id;
    m_info.status = StudyStatus::Running;
    m_info.created = isoNowUtc();
    const std::vector<std::string> secretValues = secrets();
    m_info.paramsJson = redactStrings(m_params, secretValues).dump();
    m_store->createStudy(m_info);

    StudyOutcome outcome;
    outcome.studyId = m_info.id;
    try {
        outcome.result = m_type->run(*this);
        outcome.result.kind = m_type->kind;
        outcome.status = m_cancelled ? StudyStatus::Cancelled : StudyStatus::Completed;
        if (m_cancelled)
            outcome.message = "cancelled: the result covers the runs made before the cancel";
    } catch (const StudyRefused& refused) {
        outcome.status = StudyStatus::Failed;
        outcome.message = std::string("refused: ") + refused.what();
    } catch (const std::exception& error) {
        outcome.status = m_cancelled ? StudyStatus::Cancelled : StudyStatus::Failed;
        outcome.message = redactStrings(error.what(), secretValues).get<std::string>();
    }
    m_info.status = outcome.status;
    m_info.message = outcome.message;
    m_info.finished = isoNowUtc();
    m_info.resultJson = outcome.status == StudyStatus::Failed ? std::string() : toJson(outcome.result).dump();
    m_store->finishStudy(m_info);
    return outcome;
}

void StudyRunner::cancel()
{
    m_cancelled = true;
    std::lock_guard lock(m_runnerMutex);
    if (m_current)
        m_current->cancel();
}

std::string StudyRunner::apiKey() const
{
    if (!m_provider.apiKeyEnv.empty()) {
        const char* key = std::getenv(m_provider.apiKeyEnv.c_str());
        return key ? key : "";
    }
    if (m_provider.settings.contains("api_key_keyring") && m_secretResolver) {
        std::string error;
        if (auto key = m_secretResolver(m_provider, &error))
            return *key;
    }
    return {};
}

std::vector<std::string> StudyRunner::secrets() const
{
    std::vector<std::string> values { apiKey() };
    for (auto& [key, value] : secretsFromEnvironment(m_provider))
        values.push_back(value);
    std::erase_if(values, [](const std::string& v) { return v.empty(); });
    return values;
}

void StudyRunner::progress(const std::string& message)
{
    if (m_progress)
        m_progress(message);
}

StudyProbe StudyRunner::run(const WorkloadConfig& workload, const std::string& role, const ProviderConfig* provider)
{
    StudyProbe probe;
    if (m_cancelled) {
        probe.status = RunStatus::Cancelled;
        probe.message = "the study was cancelled";
        return probe;
    }
    ++m_probes;
    RunConfig one = m_config;
    // The runs of a study are named after it, so the library's list groups them: "<config>.<kind>".
    one.name = m_config.name + "." + m_type->kind;
    one.providers = { provider ? *provider : m_provider };
    one.variants = { m_variant };
    one.workload = workload;
    ProviderConfig& p = one.providers.front();
    if (p.settings.contains("truth") && p.settings["truth"].is_string()) {
        // Each run starts its own emulator, whose truth file is truncated at its start: give each
        // run its own, "<truth>.<n>", so that all of them can be joined to the study's runs.
        std::filesystem::path truth = p.settings["truth"].get<std::string>();
        // Absolute, so the runner does not resolve it against the configuration's folder again.
        if (truth.is_relative())
            truth = std::filesystem::absolute(std::filesystem::path(configDir(m_config)) / truth);
        probe.truthPath = truth.string() + "." + std::to_string(m_probes);
        p.settings["truth"] = probe.truthPath;
    }
    BenchmarkRunner runner(one, m_dbPath, m_factory);
    if (m_secretResolver)
        runner.setSecretResolver(m_secretResolver);
    if (auto problems = runner.preflight(); !problems.empty()) {
        probe.message = problems.front();
        return probe;
    }
    progress(role);
    {
        std::lock_guard lock(m_runnerMutex);
        m_current = &runner;
    }
    if (m_cancelled) // a cancel between the check above and registering the runner
        runner.cancel();
    std::vector<RunOutcome> outcomes = runner.runAll([](const RunnerProgress&) {});
    {
        std::lock_guard lock(m_runnerMutex);
        m_current = nullptr;
    }
    if (outcomes.empty()) {
        probe.message = "the run did not start";
        return probe;
    }
    const RunOutcome& outcome = outcomes.front();
    probe.runId = outcome.runId;
    probe.status = outcome.status;
    probe.message = outcome.message;
    if (probe.runId.empty())
        return probe;
    m_store->addStudyRun(m_info.id, { probe.runId, role });
    m_info.runs.push_back({ probe.runId, role });
    probe.records = m_store->records(probe.runId);
    probe.workerSamples = m_store->workerSamples(probe.runId);
    probe.gpuSamples = m_store->gpuSamples(probe.runId);
    if (const auto info = m_store->findRun(probe.runId)) {
        probe.environmentJson = info->environmentJson;
        try {
            probe.cost = costOfRun(*info, probe.records, probe.workerSamples, &probe.costError);
        } catch (const std::exception& error) { // e.g. an unreadable pricing catalog: the run still counts
            probe.costError = error.what();
        }
    }
    return probe;
}

} // namespace t2i
