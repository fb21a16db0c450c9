// SPDX-License-Identifier: Apache-2.0
#include "setup/launchestimator.h"

#include "config/config.h"
#include "cost/pricingcatalog.h"
#include "registry/registry.h"
#include "util/resources.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>

using nlohmann::json;

namespace t2i::ui {
namespace {

// A provider's emulator profile, by name (resources/emulator/) or path (relative to the
// configuration's folder): the document, or nullopt.
std::optional<json> profileOf(const json& provider, const std::string& configPath)
{
    const std::string profile = provider.value("profile", std::string());
    if (profile.empty())
        return std::nullopt;
    std::filesystem::path path;
    if (profile.find('/') == std::string::npos && !profile.ends_with(".json")) {
        const auto found = findResource("emulator/" + profile + ".json");
        if (!found)
            return std::nullopt;
        path = *found;
    } else {
        path = profile;
        if (path.is_relative())
            path = std::filesystem::path(configPath).parent_path() / path;
    }
    std::ifstream in(path);
    json document = in ? json::parse(in, nullptr, false) : json();
    return document.is_object() ? std::optional<json>(std::move(document)) : std::nullopt;
}

LatencyAssumption latencyOf(const json& provider, const VariantConfig& variant, const std::string& configPath)
{
    if (const auto profile = profileOf(provider, configPath)) {
        double timeScale = profile->value("time_scale", 1.0);
        if (provider.contains("time_scale") && provider["time_scale"].is_number())
            timeScale = provider["time_scale"].get<double>();
        if (const auto latency = profileLatency(*profile, provider.value("profile", std::string()), variant, timeScale))
            return *latency;
    }
    return guessedLatency(variant);
}

const PricingCatalog* catalog(std::string* error)
{
    // Loaded once, on the first estimate's worker thread (a function-local static is thread-safe).
    static const std::pair<std::optional<PricingCatalog>, std::string> loaded = []() {
        try {
            return std::pair<std::optional<PricingCatalog>, std::string>(PricingCatalog::loadDefault(), {});
        } catch (const std::exception& e) {
            return std::pair<std::optional<PricingCatalog>, std::string>(std::nullopt, e.what());
        }
    }();
    *error = loaded.second;
    return loaded.first ? &*loaded.first : nullptr;
}

bool chosen(const std::vector<std::string>& ids, const std::string& id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

} // namespace

LaunchEstimate estimateLaunch(const json& document, const std::string& configPath,
    const std::vector<std::string>& providerIds, const std::vector<std::string>& variantIds)
{
    return estimateLaunch(document, configPath, providerIds, variantIds, providerCatalog());
}

LaunchEstimate estimateLaunch(const json& document, const std::string& configPath,
    const std::vector<std::string>& providerIds, const std::vector<std::string>& variantIds,
    const ProviderCatalog& providers)
{
    LaunchEstimate out;
    const ConfigResult result = validateConfig(document, configPath.empty() ? "untitled.json" : configPath, providers);
    if (!result.config) {
        out.error = result.errors.empty() ? "the configuration is not valid" : result.errors.front().format();
        return out;
    }
    std::string catalogError;
    const PricingCatalog* prices = catalog(&catalogError);
    const RunConfig& config = *result.config;
    for (const ProviderConfig& provider : config.providers) {
        if (!chosen(providerIds, provider.id))
            continue;
        for (const VariantConfig& variant : config.variants) {
            if (!chosen(variantIds, variant.id))
                continue;
            PairBilling billing;
            if (prices)
                billing = billingOfProvider(provider.settings, variant, configPath, *prices);
            else
                billing.error = "the pricing catalog cannot be read: " + catalogError;
            out.pairs.push_back(estimatePair(
                provider.id, variant, config.workload, latencyOf(provider.settings, variant, configPath), billing));
        }
    }
    out.totals = totalsOf(out.pairs);
    return out;
}

} // namespace t2i::ui
