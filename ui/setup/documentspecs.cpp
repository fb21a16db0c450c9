// SPDX-License-Identifier: Apache-2.0
#include "setup/documentspecs.h"

#include "config/config.h"

#include <optional>

namespace t2i::ui {
namespace {

SettingSpec spec(const char* key, SettingKind kind, bool required, const char* help,
    std::optional<double> min = std::nullopt, std::optional<double> max = std::nullopt,
    nlohmann::json defaultValue = nullptr, std::vector<std::string> allowed = {})
{
    SettingSpec s;
    s.key = key;
    s.kind = kind;
    s.required = required;
    s.help = help;
    s.min = min;
    s.max = max;
    s.defaultValue = std::move(defaultValue);
    s.allowed = std::move(allowed);
    return s;
}

} // namespace

std::vector<SettingSpec> generalSettings()
{
    using K = SettingKind;
    return { spec("name", K::String, false, "names the runs <name>/<provider>/<variant> (the file's name if empty)"),
        spec("description", K::String, false, "free text") };
}

std::vector<SettingSpec> variantSettings()
{
    using K = SettingKind;
    return {
        spec("id", K::String, true, "the variant's name in runs: 1-64 letters, digits, '.', '_' or '-'"),
        spec("model", K::String, true, "the model, as the platform names it (a label for the emulator)"),
        spec("precision", K::Choice, false, "weights' precision, for comparisons", {}, {}, "fp16",
            { "fp32", "fp16", "bf16", "fp8", "int8", "int4" }),
        spec("width", K::Integer, false, "image width in pixels: a multiple of 8, 64..4096", 64, 4096, 1024),
        spec("height", K::Integer, false, "image height in pixels: a multiple of 8, 64..4096", 64, 4096, 1024),
        spec("steps", K::Integer, false, "denoising steps", 1, 1000, 30),
        spec("guidance", K::Number, false, "classifier-free guidance scale", 0, {}, 7.5),
        spec("images", K::Integer, false, "images per request", 1, 16, 1),
    };
}

std::vector<SettingSpec> promptSettings()
{
    using K = SettingKind;
    return {
        spec("set", K::Choice, false, "a prompt set shipped with t2ibench (not with file)", {}, {}, "default",
            availablePromptSets()),
        spec("file", K::Path, false,
            "your own prompts, relative to the config's folder: a .tsv with a Prompt column, or one prompt a line"),
        spec("seed", K::Integer, false, "the base of every request's seed, and of the shuffle", 0, {}, 42),
        spec("seed_policy", K::Choice, false, "fixed: one seed; increment: seed + request number; random: a seeded mix",
            {}, {}, "increment", { "fixed", "increment", "random" }),
        spec("order", K::Choice, false, "the order prompts are used in (shuffle: a seeded permutation per pass)", {},
            {}, "sequential", { "sequential", "shuffle" }),
    };
}

std::vector<SettingSpec> workloadSettings()
{
    using K = SettingKind;
    SettingSpec timeout
        = spec("timeout_s", K::Number, false, "a request not finished in this time is a timeout", 0, {}, 300);
    return {
        timeout,
        spec("poll_interval_ms", K::Integer, false, "how often a queued job's status is asked", 10, 60000, 250),
        spec("warmup_requests", K::Integer, false, "requests sent and discarded before the first step", 0, {}, 0),
        spec("health_interval_s", K::Number, false, "how often the platform's worker and queue counts are sampled", 0,
            {}, 1),
        spec("steps", K::List, true,
            "the steps, one after another: {\"kind\": \"closed\", \"concurrency\": [1, 2, 4], \"duration_s\": 30}, "
            "constant/poisson (rate), ramp (from, to), burst (requests), cold_probe (idle_s, repeat)"),
    };
}

} // namespace t2i::ui
