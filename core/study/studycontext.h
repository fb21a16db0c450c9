// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "config/providerdescriptor.h"
#include "cost/runcost.h"
#include "model/requestrecord.h"
#include "model/run.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace t2i {

// One run a study made, read back from the library once it ended.
struct StudyProbe {
    std::string runId;
    RunStatus status = RunStatus::Failed;
    std::string message;
    std::vector<RequestRecord> records; // ordered by seq, warm-up (step -1) included
    std::vector<WorkerSample> workerSamples; // the platform's health counters, ordered by time
    std::vector<GpuSample> gpuSamples;
    std::string environmentJson;
    // For an emulated provider that writes ground truth: this run's own truth file (each run
    // starts its own emulator, so each gets its own file: "<truth>.<n>", n from 1).
    std::string truthPath;
    // What the run cost as `t2ibench-cli cost` computes it (keep-warm workers and pings
    // included); nullopt with costError saying why when the run has no price.
    std::optional<CostBreakdown> cost;
    std::string costError;
    bool ok() const { return status == RunStatus::Completed; }
};

// What a study sees of the world: the chosen provider and variant, its parameters, and a way to
// make runs. Implemented over BenchmarkRunner and the library by StudyRunner, and by tests.
class StudyContext {
public:
    virtual ~StudyContext() = default;
    virtual const RunConfig& config() const = 0;
    virtual const ProviderConfig& provider() const = 0;
    virtual const VariantConfig& variant() const = 0;
    // The study's parameters, every key present (defaults filled in, docs/studies.md).
    virtual const nlohmann::json& params() const = 0;
    // What the provider's type can be configured with (e.g. whether t2ibench can keep minimum
    // workers warm on it); nullptr where the context does not know it.
    virtual const ProviderDescriptor* descriptor() const { return nullptr; }
    // Makes one run of the provider (or `provider`, a changed copy of it, e.g. another emulator
    // profile) x the variant with this workload, stores it in the library as one of the study's
    // runs under `role`, and returns it read back. A run that fails is returned, not thrown.
    virtual StudyProbe run(
        const WorkloadConfig& workload, const std::string& role, const ProviderConfig* provider = nullptr)
        = 0;
    virtual void progress(const std::string& message) = 0; // one line, for a human
    // The provider's API key however it is configured (environment or keyring; "" when none),
    // for a study that must send it itself (the deploy study's readiness GET). Memory only.
    virtual std::string apiKey() const { return {}; }
    // The provider's secrets (its API key and its "*_env" values), for a study that keeps text it
    // did not make itself (a deploy command's output) to redact them. Memory only. None by default.
    virtual std::vector<std::string> secrets() const { return {}; }
    virtual bool cancelled() const = 0; // the study should stop making runs and return
};

// Thrown by a study that cannot be done on this provider (e.g. keeping minimum workers warm on a
// platform whose API t2ibench cannot set), with the reason in words.
struct StudyRefused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

} // namespace t2i
