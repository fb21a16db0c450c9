// SPDX-License-Identifier: Apache-2.0
// The whole document: top-level keys, version, name, variants and prompts; providers and the
// workload have their own files.
#include "config/configcheck.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>

namespace t2i {

using namespace configcheck;

namespace {

bool isSetName(const std::string& name)
{
    // A set is a file name in resources/prompts/, never a path.
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
            || c == '.';
    }) && name.find("..") == std::string::npos;
}

std::string defaultName(const std::string& file)
{
    const std::string stem = std::filesystem::path(file).stem().string();
    return stem.empty() ? "config" : stem;
}

} // namespace

namespace configcheck {

std::vector<VariantConfig> validateVariants(Checker& check, const json& document)
{
    std::vector<VariantConfig> variants;
    if (!check.require(document, "", "variants", "a non-empty list of model variants (model, size, steps, ...)"))
        return variants;
    const json& list = document["variants"];
    if (!list.is_array() || list.empty()) {
        check.error("variants", "must be a non-empty list of variant objects (got " + describe(list) + ")");
        return variants;
    }
    std::map<std::string, std::size_t> seenIds;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = element("variants", i);
        const json& v = list[i];
        if (!v.is_object()) {
            check.error(path, "must be an object with at least \"id\" and \"model\" (got " + describe(v) + ")");
            continue;
        }
        check.checkKeys(
            v, path, { "id", "model", "precision", "width", "height", "steps", "guidance", "images" }, "a variant");
        VariantConfig variant;
        if (check.require(v, path, "id", "a unique name within the file")) {
            if (auto id = check.string(v, path, "id")) {
                if (!isIdentifier(*id))
                    check.error(
                        child(path, "id"), "must be 1-64 letters, digits, '.', '_' or '-' (got \"" + *id + "\")");
                else if (auto [it, fresh] = seenIds.emplace(*id, i); !fresh)
                    check.error(child(path, "id"),
                        "duplicate id \"" + *id + "\" (also variants[" + std::to_string(it->second) + "])");
                variant.id = *id;
            }
        }
        if (check.require(v, path, "model", "the model's name, e.g. \"sdxl-base-1.0\""))
            if (auto model = check.string(v, path, "model"))
                variant.model = *model;
        if (auto p = check.choice(v, path, "precision", { "fp32", "fp16", "bf16", "fp8", "int8", "int4" }))
            variant.precision = *p;
        for (const char* key : { "width", "height" }) {
            if (!v.contains(key))
                continue;
            const std::string message = "must be a multiple of 8 between 64 and 4096";
            if (auto n = check.integer(v, path, key, 64, 4096, message)) {
                if (*n % 8 != 0)
                    check.error(child(path, key), message + " (got " + std::to_string(*n) + ")");
                else
                    (std::string_view(key) == "width" ? variant.width : variant.height) = int(*n);
            }
        }
        if (auto n = check.integer(v, path, "steps", 1, 1000, "must be an integer between 1 and 1000"))
            variant.steps = int(*n);
        if (auto g = check.number(v, path, "guidance", 0, false, "must be a number >= 0"))
            variant.guidance = *g;
        if (auto n = check.integer(v, path, "images", 1, 16, "must be an integer between 1 and 16"))
            variant.images = int(*n);
        variants.push_back(std::move(variant));
    }
    return variants;
}

PromptConfig validatePrompts(Checker& check, const json& document)
{
    PromptConfig prompts;
    const auto it = document.find("prompts");
    if (it == document.end())
        return prompts;
    const json& p = *it;
    const std::string path = "prompts";
    if (!p.is_object()) {
        check.error(path, "must be an object, e.g. {\"set\": \"default\", \"seed\": 42} (got " + describe(p) + ")");
        return prompts;
    }
    check.checkKeys(p, path, { "set", "file", "seed", "seed_policy", "order" }, "prompts");
    if (p.contains("set") && p.contains("file"))
        check.error(path, "give either set or file, not both");
    if (auto file = check.string(p, path, "file", "must be a file path (relative to the config's folder)")) {
        prompts.file = *file;
        prompts.set.clear();
    }
    if (auto set = check.string(p, path, "set", "must name a prompt set, e.g. \"default\" or \"parti\"")) {
        const std::vector<std::string> available = availablePromptSets();
        if (!isSetName(*set) || std::find(available.begin(), available.end(), *set) == available.end())
            check.error(child(path, "set"),
                "unknown prompt set \"" + *set
                    + "\" (available: " + (available.empty() ? "none found" : joinQuoted(available))
                    + "; use \"file\" for your own prompts)");
        prompts.set = *set;
    }
    if (auto seed = check.integer(p, path, "seed", 0, std::numeric_limits<long long>::max(), "must be an integer >= 0"))
        prompts.seed = *seed;
    if (auto policy = check.choice(p, path, "seed_policy", { "fixed", "increment", "random" }))
        prompts.seedPolicy = *policy == "fixed" ? SeedPolicy::Fixed
            : *policy == "random"               ? SeedPolicy::Random
                                                : SeedPolicy::Increment;
    if (auto order = check.choice(p, path, "order", { "sequential", "shuffle" }))
        prompts.order = *order;
    return prompts;
}

// "thresholds": {"p95_ms": X, "p99_ms": X, "error_rate": 0..1, "cost_per_1000_usd": X}, any subset.
Thresholds validateThresholds(Checker& check, const json& document)
{
    Thresholds thresholds;
    const json* t = check.object(document, "", "thresholds");
    if (!t)
        return thresholds;
    const std::string path = "thresholds";
    check.checkKeys(*t, path, { "p95_ms", "p99_ms", "error_rate", "cost_per_1000_usd" }, "thresholds");
    if (auto v = check.number(*t, path, "p95_ms", 0, true, "must be a latency in ms > 0"))
        thresholds.p95Ms = *v;
    if (auto v = check.number(*t, path, "p99_ms", 0, true, "must be a latency in ms > 0"))
        thresholds.p99Ms = *v;
    if (auto v = check.number(*t, path, "error_rate", 0, false, "must be a fraction between 0 and 1")) {
        if (*v > 1)
            check.error(child(path, "error_rate"),
                "must be a fraction between 0 and 1 (got " + describe((*t)["error_rate"]) + ")");
        else
            thresholds.errorRate = *v;
    }
    if (auto v = check.number(*t, path, "cost_per_1000_usd", 0, true, "must be a number > 0 (USD per 1,000 images)"))
        thresholds.costPer1000Usd = *v;
    return thresholds;
}

} // namespace configcheck

ConfigResult validateConfig(const nlohmann::json& document, const std::string& file, const ProviderCatalog& catalog)
{
    Checker check(file);
    ConfigResult result;
    if (!document.is_object()) {
        check.error(
            "", "the configuration must be a JSON object, e.g. {\"version\": 1, ...} (got " + describe(document) + ")");
        result.errors = check.take();
        return result;
    }
    checkSecrets(check, document, "");
    check.checkKeys(document, "",
        { "version", "name", "description", "client", "providers", "variants", "prompts", "workload", "budget_usd",
            "thresholds", "studies" },
        "the configuration");

    RunConfig config;
    config.path = file;
    if (check.require(document, "", "version", "must be 1"))
        if (auto v = check.integer(document, "", "version", 1, 1, "must be 1"))
            config.version = int(*v);
    config.name = defaultName(file);
    if (auto name = check.string(document, "", "name")) {
        if (name->find('/') != std::string::npos || name->size() > 200)
            check.error(
                "name", "must be at most 200 characters and hold no '/' (run names are \"name/provider/variant\")");
        config.name = *name;
    }
    check.string(document, "", "description", "must be a string");
    if (const json* client = check.object(document, "", "client")) {
        check.checkKeys(*client, "client", { "region" }, "client");
        if (auto region = check.string(
                *client, "client", "region", "must be a non-empty string, e.g. \"eu-west-1\" or \"Frankfurt\"")) {
            if (region->size() > 200)
                check.error("client.region", "must be at most 200 characters");
            config.client.region = *region;
        }
    }

    if (auto budget = check.number(document, "", "budget_usd", 0, true,
            "must be a number > 0: the most each run may spend, in USD (docs/cost.md, \"Budget\")"))
        config.budgetUsd = *budget;
    config.thresholds = validateThresholds(check, document);
    if (const json* studies = check.object(document, "", "studies")) {
        for (const auto& [kind, params] : studies->items())
            if (!params.is_object())
                check.error("studies." + kind, "must be an object of the study's parameters (docs/studies.md)");
        config.studies = *studies;
    }

    config.providers = validateProviders(check, document, catalog);
    for (ProviderConfig& provider : config.providers)
        provider.configDir = configDir(config);
    config.variants = validateVariants(check, document);
    config.prompts = validatePrompts(check, document);
    config.workload = validateWorkload(check, document);

    result.errors = check.take();
    if (result.errors.empty())
        result.config = std::move(config);
    return result;
}

} // namespace t2i
