// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/benchmarkrunner.h"
#include "model/study.h"
#include "study/studycontext.h"
#include "study/studytypes.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace t2i {

class Store;

struct StudyRequest {
    std::string kind;
    std::string providerId; // "" : the configuration's only provider
    std::string variantId; // "" : the configuration's only variant
    std::vector<std::pair<std::string, std::string>> params; // --param key=value, as typed
};

struct StudyOutcome {
    std::string studyId;
    StudyStatus status = StudyStatus::Failed;
    std::string message;
    StudyResult result; // empty unless completed
};

// Runs one study of a configuration: records it in the library (the studies table), lets the
// study make its runs through BenchmarkRunner, one at a time, each stored like any run and tied
// to the study with its role, then stores the study's result.
class StudyRunner : public StudyContext {
public:
    StudyRunner(RunConfig config, std::string dbPath, AdapterFactory factory);
    ~StudyRunner() override;
    void setSecretResolver(SecretResolver resolver) { m_secretResolver = std::move(resolver); }
    // The provider types this program knows: descriptor() answers from it (before prepare()).
    void setProviderCatalog(ProviderCatalog catalog) { m_catalog = std::move(catalog); }
    // Problems found before anything runs: an unknown study or id, bad parameters, the
    // runner's preflight problems. Each names what was wrong and where.
    std::vector<std::string> prepare(const StudyRequest& request);
    StudyOutcome run(const std::function<void(const std::string&)>& progress);
    void cancel(); // any thread

    // StudyContext
    const RunConfig& config() const override { return m_config; }
    const ProviderConfig& provider() const override { return m_provider; }
    const VariantConfig& variant() const override { return m_variant; }
    const nlohmann::json& params() const override { return m_params; }
    const ProviderDescriptor* descriptor() const override;
    StudyProbe run(const WorkloadConfig& workload, const std::string& role, const ProviderConfig* provider) override;
    void progress(const std::string& message) override;
    bool cancelled() const override { return m_cancelled; }
    std::string apiKey() const override;
    std::vector<std::string> secrets() const override;

private:
    RunConfig m_config;
    std::string m_dbPath;
    AdapterFactory m_factory;
    SecretResolver m_secretResolver;
    ProviderCatalog m_catalog;
    const StudyType* m_type = nullptr;
    ProviderConfig m_provider;
    VariantConfig m_variant;
    nlohmann::json m_params;
    StudyInfo m_info;
    std::unique_ptr<Store> m_store;
    std::function<void(const std::string&)> m_progress;
    std::atomic<bool> m_cancelled { false };
    std::mutex m_runnerMutex;
    BenchmarkRunner* m_current = nullptr; // the run going now, for cancel()
    int m_probes = 0;
};

} // namespace t2i
