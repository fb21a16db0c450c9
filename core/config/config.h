// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace t2i {

// A run configuration, version 1 (shared/spec/config.md). Values here are already validated.
struct ProviderConfig {
    std::string id;
    std::string type; // "emulated", "runpod", ...
    std::string baseUrl; // empty: the adapter's default
    std::string apiKeyEnv; // name of the environment variable holding the key (never the key)
    std::optional<double> timeoutS; // overrides workload.timeout_s
    nlohmann::json settings; // the whole provider object, for type-specific keys (profile, endpoint_id, mode, ...)
};

struct VariantConfig {
    std::string id;
    std::string model;
    std::string precision = "fp16";
    int width = 1024;
    int height = 1024;
    int steps = 30;
    double guidance = 7.5;
    int images = 1;
    double megapixels() const { return double(width) * height / 1e6; }
};

enum class SeedPolicy { Fixed, Increment, Random };

struct PromptConfig {
    std::string set = "default"; // a named set in resources/prompts/, or empty when file is set
    std::string file; // a text file (one prompt a line) or a TSV with a "Prompt" column
    std::int64_t seed = 42;
    SeedPolicy seedPolicy = SeedPolicy::Increment;
    std::string order = "sequential"; // or "shuffle" (seeded)
};

enum class StepKind { Closed, Constant, Poisson, Ramp, Burst, ColdProbe };

struct WorkloadStep {
    StepKind kind = StepKind::Closed;
    std::vector<int> concurrency; // closed: one entry per sweep level
    double rate = 0; // constant, poisson
    double rateFrom = 0, rateTo = 0; // ramp
    std::optional<double> durationS; // per level for a sweep
    std::optional<int> requests; // per level for a sweep; burst: all at once
    double idleS = 0; // cold_probe
    int repeat = 1; // cold_probe
    int levels() const { return kind == StepKind::Closed ? int(concurrency.size()) : 1; }
};

struct WorkloadConfig {
    double timeoutS = 300;
    int pollIntervalMs = 250;
    int warmupRequests = 0;
    double healthIntervalS = 1.0;
    std::vector<WorkloadStep> steps;
};

struct RunConfig {
    int version = 1;
    std::string name;
    std::string path; // the file it was read from
    std::vector<ProviderConfig> providers;
    std::vector<VariantConfig> variants;
    PromptConfig prompts;
    WorkloadConfig workload;
};

std::string_view toString(StepKind kind);

// A configuration error: the file, the JSON path (e.g. "workload.steps[2].rate") and what was expected.
struct ConfigError {
    std::string file;
    std::string path;
    std::string message;
    std::string format() const; // "FILE: PATH: MESSAGE"
};

struct ConfigResult {
    std::optional<RunConfig> config;
    std::vector<ConfigError> errors; // every problem found, not just the first
};

// Reads and validates a configuration file. Never throws on bad input.
ConfigResult loadConfig(const std::string& path);
ConfigResult parseConfig(const std::string& text, const std::string& fileLabel);

// JSON of a step, a variant, ... as stored with each run (keys as in the spec).
nlohmann::json toJson(const VariantConfig& variant);
nlohmann::json toJson(const WorkloadConfig& workload);
nlohmann::json toJson(const PromptConfig& prompts);

} // namespace t2i
