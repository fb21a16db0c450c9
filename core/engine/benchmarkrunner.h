// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "engine/adapter.h"
#include "engine/runengine.h"
#include "model/run.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace t2i {

// Where an adapter sends its requests and with which key (the key lives only in memory).
struct AdapterContext {
    std::string baseUrl;
    std::string apiKey;
    int pollIntervalMs = 250;
};

using AdapterFactory = std::function<std::unique_ptr<Adapter>(const ProviderConfig&, const AdapterContext&)>;

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
};

// Runs every provider x variant pair of a configuration, one run after another: each gets its
// run in the library, its records written by a writer thread, and, for an emulated provider,
// its own built-in platform started on a free loopback port and stopped afterwards.
class BenchmarkRunner {
public:
    BenchmarkRunner(RunConfig config, std::string dbPath, AdapterFactory factory);
    // Problems found before anything runs (missing API keys, missing emulator): the caller
    // treats them like configuration errors (nothing is written).
    std::vector<std::string> preflight() const;
    std::vector<RunOutcome> runAll(const std::function<void(const RunnerProgress&)>& progress);
    void cancel(); // any thread: stops the current run (cancelling its jobs) and skips the rest

private:
    RunOutcome runOne(const ProviderConfig& provider, const VariantConfig& variant, std::size_t index, std::size_t count,
                      const std::function<void(const RunnerProgress&)>& progress);
    RunConfig m_config;
    std::string m_dbPath;
    AdapterFactory m_factory;
    std::atomic<bool> m_cancelled { false };
    std::mutex m_engineMutex;
    RunEngine* m_engine = nullptr; // the engine running now, for cancel()
};

// The path of the built-in emulator next to this program ($T2IBENCH_EMULATOR overrides).
std::string emulatorPath();
// Replaces every occurrence of secret in text by "***".
std::string redact(std::string text, const std::string& secret);

} // namespace t2i
