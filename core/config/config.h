// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/providerdescriptor.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace t2i {

// A run configuration, version 1 (docs/configuration.md). Values here are already validated.
struct ProviderConfig {
    std::string id;
    std::string type; // "emulated", "runpod", ...
    std::string baseUrl; // empty: the adapter's default
    std::string apiKeyEnv; // name of the environment variable holding the key (never the key)
    std::optional<double> timeoutS; // overrides workload.timeout_s
    nlohmann::json settings; // the whole provider object, for type-specific keys (profile, endpoint_id, mode, ...)
    std::string configDir; // the folder relative paths in settings resolve against (a ComfyUI workflow)
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
    bool operator==(const VariantConfig&) const = default;
};

enum class SeedPolicy { Fixed, Increment, Random };

struct PromptConfig {
    std::string set = "default"; // a named set in resources/prompts/, or empty when file is set
    std::string file; // a text file (one prompt a line) or a TSV with a "Prompt" column
    std::int64_t seed = 42;
    SeedPolicy seedPolicy = SeedPolicy::Increment;
    std::string order = "sequential"; // or "shuffle" (seeded)
    bool operator==(const PromptConfig&) const = default;
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
    // cold_probe: how long to wait, after idle_s, for the health endpoint to show no workers;
    // 0 asks it once and sends the probe whatever it shows (the idle_timeout study's probes).
    double waitForZeroS = 60;
    int repeat = 1; // cold_probe
    int levels() const { return kind == StepKind::Closed ? int(concurrency.size()) : 1; }
    bool operator==(const WorkloadStep&) const = default;
};

struct WorkloadConfig {
    double timeoutS = 300;
    int pollIntervalMs = 250;
    int warmupRequests = 0;
    double healthIntervalS = 1.0;
    // keep_warm.interval_s: one ping request every this many seconds while the steps run (step
    // -2, "ping": out of every headline figure, in the cost); nullopt: no pings.
    std::optional<double> keepWarmIntervalS;
    // max_in_flight: the over-saturation guard. A request that would make more than this many in
    // flight at once stops the run instead (ended "stopped", queued jobs cancelled); nullopt: none.
    std::optional<int> maxInFlight;
    std::vector<WorkloadStep> steps;
    bool operator==(const WorkloadConfig&) const = default;
};

// Where the client runs, in the user's words: latency between regions is the first thing an
// analyst asks about, and no machine knows its own region (docs/configuration.md, "client").
struct ClientConfig {
    std::string region; // "eu-west-1", "Frankfurt", ...; "" when not given
};

// Limits a run must stay within to pass (docs/configuration.md, "thresholds"): judged at its end
// against the summary `show` prints; `t2ibench-cli run` exits 99 when any is breached.
struct Thresholds {
    std::optional<double> p95Ms; // latency p95 of the measured successful requests, at most
    std::optional<double> p99Ms;
    std::optional<double> errorRate; // 0..1, at most
    std::optional<double> costPer1000Usd; // the cost model's USD per 1,000 images, at most
    bool empty() const { return !p95Ms && !p99Ms && !errorRate && !costPer1000Usd; }
    bool operator==(const Thresholds&) const = default;
};

struct RunConfig {
    int version = 1;
    std::string name;
    std::string path; // the file it was read from
    ClientConfig client;
    // The most each run of the configuration may spend, in USD (docs/cost.md, "Budget");
    // `t2ibench-cli run --budget-usd X` overrides it.
    std::optional<double> budgetUsd;
    Thresholds thresholds;
    std::vector<ProviderConfig> providers;
    std::vector<VariantConfig> variants;
    PromptConfig prompts;
    WorkloadConfig workload;
    // Each study's parameters by kind ({"idle_timeout": {"max_idle_s": 120}}), as written: the
    // study layer checks them when a study runs (docs/studies.md); here only their shape.
    nlohmann::json studies = nlohmann::json::object();
};

std::string_view toString(StepKind kind);
std::string_view toString(SeedPolicy policy); // "fixed", "increment", "random"

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

// Reads and validates a configuration file. Never throws on bad input. Each provider's type is
// looked up in the catalog (the registry's providerCatalog(): core names no provider type); a
// type outside it is refused, naming the catalog's types. loadConfig also checks that the prompt
// set or file can be read.
ConfigResult loadConfig(const std::string& path, const ProviderCatalog& catalog);
ConfigResult parseConfig(const std::string& text, const std::string& fileLabel, const ProviderCatalog& catalog);
// Validates an already parsed document; file only labels the errors and names the default run name.
ConfigResult validateConfig(const nlohmann::json& document, const std::string& file, const ProviderCatalog& catalog);

// JSON of a step, a variant, ... as stored with each run (keys as in the spec): what toJson
// writes, parseConfig reads back to the same values.
nlohmann::json toJson(const VariantConfig& variant);
nlohmann::json toJson(const WorkloadStep& step);
nlohmann::json toJson(const WorkloadConfig& workload);
nlohmann::json toJson(const PromptConfig& prompts);
nlohmann::json toJson(const ProviderConfig& provider); // its settings: the object as configured
nlohmann::json toJson(const Thresholds& thresholds); // only the keys that are set
nlohmann::json toJson(const RunConfig& config); // a whole version-1 file (path is not stored)

// The folder a configuration's relative paths (prompts.file, ...) are resolved against.
std::string configDir(const RunConfig& config);

// Prompt sets (resources/prompts/<set>.txt or .tsv, or prompts.file).
struct PromptSet {
    std::vector<std::string> prompts;
};
// The prompts a run cycles through: the named set, or `file` resolved against configDir (.tsv:
// the "Prompt" column; anything else: one prompt a line, blank and '#' lines skipped). nullopt,
// with *error (when given) saying why, if it cannot be read or holds no prompt.
std::optional<std::vector<std::string>> loadPrompts(
    const PromptConfig& prompts, const std::string& configDir, std::string* error);
// The names of the prompt sets shipped in resources/prompts/ (e.g. "default", "parti"), sorted.
std::vector<std::string> availablePromptSets();
// The seed of request seq: fixed: seed; increment: seed + seq; random: a deterministic
// splitmix64 mix of seed and seq in [0, 4294967294], a range every platform accepts.
std::int64_t seedFor(const PromptConfig& prompts, std::int64_t seq);
// The prompt of request seq among count prompts: sequential: seq % count; shuffle: every pass
// through the set is a fresh seeded permutation, so each prompt is used once per pass. -1 when
// count is 0.
int promptIndexFor(const PromptConfig& prompts, std::int64_t seq, std::size_t count);

} // namespace t2i
