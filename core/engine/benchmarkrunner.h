// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "engine/adapter.h"
#include "engine/adaptercontext.h"
#include "engine/runengine.h"
#include "model/run.h"
#include "report/thresholds.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace t2i {

// Reads the key a provider's api_key_keyring names from the OS keyring. nullopt, with *error
// saying which entry and what failed, when it cannot. The programs inject one (app/secrets):
// core has no Qt and no keyring of its own.
using SecretResolver = std::function<std::optional<std::string>(const ProviderConfig&, std::string* error)>;

struct RunnerProgress {
    std::size_t runIndex = 0; // 0-based among the planned runs
    std::size_t runCount = 0;
    std::string runName;
    EngineProgress engine;
};

struct RunOutcome {
    std::string runId;
    std::string name;
    RunStatus status = RunStatus::Failed;
    std::string message;
    // The configuration's thresholds judged at the end of a completed or stopped run (empty
    // when it sets none): what `run` prints and exits 99 for.
    std::vector<ThresholdVerdict> thresholds;
};

// One run runAll() will make, in order: a provider x variant pair of the configuration.
struct PlannedRun {
    std::size_t index = 0;
    std::string name; // "<config name>/<provider id>/<variant id>", as the library names the run
    std::string providerId;
    std::string variantId;
};

// What a watcher of the runs hears as they happen (the CLI's --events stream). Every call comes
// on the thread that runs the engine, in the middle of its loop: a handler must be cheap (append
// to a buffer and return), never block on I/O. Any member may be empty.
struct RunnerObserver {
    std::function<void(std::size_t index, const std::string& runId, const std::string& name)> runStarted;
    std::function<void(std::size_t index, const RunOutcome& outcome)> runEnded; // after the run is stored
    std::function<void(std::size_t index, const RequestRecord& record)> record; // as stored (redacted)
    std::function<void(std::size_t index, const WorkerSample& sample)> workerSample;
};

// Runs every provider x variant pair of a configuration, one run after another: each gets its
// run in the library, its records written by a writer thread, and, for an emulated provider,
// its own built-in platform started on a free loopback port and stopped afterwards.
class BenchmarkRunner {
public:
    BenchmarkRunner(RunConfig config, std::string dbPath, AdapterFactory factory);
    // Without one, a provider with api_key_keyring is a preflight problem.
    void setSecretResolver(SecretResolver resolver) { m_secretResolver = std::move(resolver); }
    // Problems found before anything runs (missing API keys, keyring entries that cannot be read,
    // missing emulator or launch command): the caller treats them like configuration errors
    // (nothing is written). Keys read from the keyring here are kept in memory for the runs.
    std::vector<std::string> preflight() const;
    std::vector<PlannedRun> plannedRuns() const; // what runAll() runs, in its order
    void setObserver(RunnerObserver observer) { m_observer = std::move(observer); } // before runAll()
    std::vector<RunOutcome> runAll(const std::function<void(const RunnerProgress&)>& progress);
    void cancel(); // any thread: stops the current run (cancelling its jobs) and skips the rest

private:
    RunOutcome runOne(const ProviderConfig& provider, const VariantConfig& variant, std::size_t index,
        std::size_t count, const std::function<void(const RunnerProgress&)>& progress);
    // The provider's key from api_key_env or api_key_keyring ("" when it names none).
    std::optional<std::string> apiKeyOf(const ProviderConfig& provider, std::string* error) const;
    RunConfig m_config;
    SecretResolver m_secretResolver;
    mutable std::mutex m_keyringMutex;
    mutable std::map<std::string, std::string> m_keyringKeys; // provider id -> key, memory only
    std::string m_dbPath;
    AdapterFactory m_factory;
    RunnerObserver m_observer;
    std::atomic<bool> m_cancelled { false };
    std::mutex m_engineMutex;
    RunEngine* m_engine = nullptr; // the engine running now, for cancel()
};

// The path of the built-in emulator next to this program ($T2IBENCH_EMULATOR overrides).
std::string emulatorPath();
// Replaces every occurrence of secret in text by "***".
std::string redact(std::string text, const std::string& secret);
// The values of a provider's "<name>_env" keys other than api_key_env, by key ("" when unset).
std::map<std::string, std::string> secretsFromEnvironment(const ProviderConfig& provider);
std::string redact(std::string text, const std::map<std::string, std::string>& secrets);

} // namespace t2i
