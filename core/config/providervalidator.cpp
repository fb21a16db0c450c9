// SPDX-License-Identifier: Apache-2.0
// providers[]: the common keys, then each type's own keys as its descriptor states them
// (docs/configuration.md, "Provider types"; the descriptors live in providers/<type>/).
#include "config/configcheck.h"
#include "config/providerdescriptor.h"
#include "config/providerrules.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

namespace t2i::configcheck {

namespace {

// rate_limits: false (no client-side budget), or per operation an object {requests, window_s,
// concurrent}, or null/false to leave that operation unbudgeted (docs/configuration.md). Which
// operations a provider has is checked where its adapter is known (the runner's preflight).
void validateRateLimits(Checker& check, const json& p, const std::string& path)
{
    const auto it = p.find("rate_limits");
    if (it == p.end() || it->is_null() || (it->is_boolean() && !it->get<bool>()))
        return;
    const std::string where = child(path, "rate_limits");
    if (!it->is_object()) {
        check.error(
            where, "must be an object of operations (or false for no client-side budget), got " + describe(*it));
        return;
    }
    for (const auto& [operation, limit] : it->items()) {
        const std::string at = child(where, operation);
        if (limit.is_null() || (limit.is_boolean() && !limit.get<bool>()))
            continue;
        if (!limit.is_object()) {
            check.error(at,
                "must be {\"requests\": N, \"window_s\": S, \"concurrent\": C}, null or false, got " + describe(limit));
            continue;
        }
        check.checkKeys(limit, at, { "requests", "window_s", "concurrent" }, "a rate limit");
        check.integer(limit, at, "requests", 0, 100000000, "must be a whole number of requests per window >= 0");
        check.number(limit, at, "window_s", 0, true, "must be a window in seconds > 0");
        check.integer(limit, at, "concurrent", 0, 100000000, "must be a whole number of requests in flight >= 0");
    }
}

// ca_file: the PEM file of CA certificates the provider's server is verified against, instead of
// the system's (docs/configuration.md). Read now, so that a wrong path is an error before a run
// starts rather than a TLS failure of every request. Relative to the config's folder, as
// prompts.file is (configDir() is the folder of the file the checker reads).
void validateCaFile(Checker& check, const json& p, const std::string& path)
{
    const auto file = check.string(
        p, path, "ca_file", "must be the path of a PEM file of CA certificates (relative to the config's folder)");
    if (!file)
        return;
    namespace fs = std::filesystem;
    const fs::path folder = fs::path(check.file()).parent_path();
    const fs::path resolved = (folder.empty() ? fs::path(".") : folder) / *file; // an absolute file stays as it is
    const std::string named = "\"" + *file + "\"" + (resolved.string() == *file ? "" : " (" + resolved.string() + ")");
    const std::string at = child(path, "ca_file");
    std::error_code ec;
    // Only a regular file is read: a device or a pipe must not hang the check.
    if (!fs::is_regular_file(resolved, ec)) {
        check.error(at, "cannot read " + named + ": " + (fs::exists(resolved, ec) ? "not a file" : "no such file"));
        return;
    }
    constexpr std::uintmax_t kMaxBytes = 16 << 20; // the system's whole CA bundle is about 200 KB
    const std::uintmax_t size = fs::file_size(resolved, ec);
    if (ec || size > kMaxBytes) {
        check.error(at,
            ec ? "cannot read " + named + ": " + ec.message()
               : named + " is larger than a file of CA certificates would be (over 16 MiB)");
        return;
    }
    errno = 0;
    std::ifstream in(resolved, std::ios::binary);
    std::string text(std::size_t(size), '\0');
    if (!in.is_open() || !in.read(text.data(), std::streamsize(size))) {
        check.error(at, "cannot read " + named + ": " + std::strerror(errno ? errno : EIO));
        return;
    }
    if (text.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        check.error(at, named + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
}

void validatePricing(Checker& check, const json& pricing, const std::string& path)
{
    // The cost model owns the finer points; here only what the spec names is checked, so a
    // new pricing key does not need a change of the validator.
    check.string(pricing, path, "ref", "must name a catalog entry, e.g. \"runpod.flex.A100-80GB\"");
    for (const char* key : { "per_second", "per_image", "per_megapixel", "per_hour", "egress_per_gb" })
        check.number(pricing, path, key, 0, false, "must be a price >= 0 in USD");
    // How the platform bills beyond the price (docs/cost.md): its scale-down window, its
    // always-on workers, whether booting is billed, and the dedicated instance to compare with.
    check.number(pricing, path, "idle_timeout_s", 0, false, "must be a number of seconds >= 0");
    check.integer(pricing, path, "min_workers", 0, 100000, "must be a whole number of workers >= 0");
    if (pricing.contains("boot_billed") && !pricing["boot_billed"].is_boolean())
        check.error(child(path, "boot_billed"), "must be true or false");
    if (pricing.contains("billing") && pricing["billing"] != "instances" && pricing["billing"] != "workers")
        check.error(child(path, "billing"),
            "must be \"instances\" (a dedicated endpoint or instance, billed while up) or \"workers\" (serverless)");
    if (const json* dedicated = check.object(pricing, path, "dedicated"))
        validatePricing(check, *dedicated, child(path, "dedicated"));
}

void validateLaunch(Checker& check, const json& launch, const std::string& path)
{
    if (check.require(launch, path, "command", "the server's command line as a list, e.g. [\"python\", \"main.py\"]")) {
        const json& command = launch["command"];
        const bool ok = command.is_array() && !command.empty()
            && std::all_of(command.begin(), command.end(), [](const json& a) { return a.is_string(); });
        if (!ok)
            check.error(child(path, "command"), "must be a non-empty list of strings (got " + describe(command) + ")");
    }
    if (check.require(launch, path, "ready_url", "the URL that answers HTTP 200 once the server is ready"))
        check.url(launch, path, "ready_url");
    check.stringMap(launch, path, "ready_headers"); // "{{api_key}}" in a value is the provider's key
    check.number(launch, path, "ready_timeout_s", 0, true, "must be a positive number");
    check.checkKeys(launch, path, { "command", "ready_url", "ready_headers", "ready_timeout_s" }, "launch");
}

// One of a type's own keys, by its kind (core/config/providerdescriptor.h). A key whose rule is
// more than its kind is left to the type's validate hook, which sees only values of the right type.
void checkSetting(Checker& check, const json& p, const std::string& path, const SettingSpec& spec)
{
    if (spec.required && !check.require(p, path, spec.key, spec.help))
        return;
    const auto it = p.find(spec.key);
    if (spec.checkedByHook || it == p.end())
        return;
    const auto said
        = [&](std::string_view usual) { return spec.message.empty() ? usual : std::string_view(spec.message); };
    switch (spec.kind) {
    case SettingKind::String:
    case SettingKind::Path:
        check.string(p, path, spec.key, said("must be a non-empty string"));
        break;
    case SettingKind::Integer: {
        const long long lo = spec.min ? static_cast<long long>(*spec.min) : std::numeric_limits<long long>::min();
        const long long hi = spec.max ? static_cast<long long>(*spec.max) : std::numeric_limits<long long>::max();
        const std::string usual = spec.max
            ? "must be an integer between " + std::to_string(lo) + " and " + std::to_string(hi)
            : "must be an integer >= " + std::to_string(lo);
        check.integer(p, path, spec.key, lo, hi, said(usual));
        break;
    }
    case SettingKind::Number: {
        const double lo = spec.min.value_or(-std::numeric_limits<double>::infinity());
        const auto value = check.number(p, path, spec.key, lo, spec.minExclusive, said("must be a number"));
        if (value && spec.max && *value > *spec.max)
            check.error(child(path, spec.key), std::string(said("must be a number")) + " (got " + describe(*it) + ")");
        break;
    }
    case SettingKind::Boolean:
        if (!it->is_boolean())
            check.error(child(path, spec.key),
                spec.message.empty() ? "must be true or false (got " + describe(*it) + ")" : spec.message);
        break;
    case SettingKind::Choice:
        check.choice(p, path, spec.key, spec.allowed);
        break;
    case SettingKind::Url:
        check.url(p, path, spec.key);
        break;
    case SettingKind::EnvName:
        check.envName(p, path, spec.key);
        break;
    case SettingKind::Object:
        check.object(p, path, spec.key);
        break;
    case SettingKind::List:
        if (!it->is_array())
            check.error(child(path, spec.key), std::string(said("must be a list")) + " (got " + describe(*it) + ")");
        break;
    }
}

// A type's own keys: each by its kind, the common keys it requires, then its hook for the rules
// beyond one key's own.
void validateTypeKeys(Checker& check, const json& p, const std::string& path, const ProviderDescriptor& type)
{
    for (const SettingSpec& spec : type.settings)
        checkSetting(check, p, path, spec);
    for (const SettingSpec& spec : type.requiredCommon)
        check.require(p, path, spec.key, spec.help);
    if (type.validate)
        type.validate(check, p, path);
}

} // namespace

std::vector<ProviderConfig> validateProviders(Checker& check, const json& document, const ProviderCatalog& catalog)
{
    std::vector<ProviderConfig> providers;
    if (!check.require(document, "", "providers", "a non-empty list of providers to benchmark"))
        return providers;
    const json& list = document["providers"];
    if (!list.is_array() || list.empty()) {
        check.error("providers", "must be a non-empty list of provider objects (got " + describe(list) + ")");
        return providers;
    }
    std::vector<std::string> known;
    for (const ProviderDescriptor* type : catalog)
        known.push_back(type->type);
    std::vector<std::string_view> commonKeys;
    for (const SettingSpec& spec : commonProviderSettings())
        commonKeys.push_back(spec.key);
    std::map<std::string, std::size_t> seenIds;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = element("providers", i);
        const json& p = list[i];
        if (!p.is_object()) {
            check.error(path, "must be an object with at least \"id\" and \"type\" (got " + describe(p) + ")");
            continue;
        }
        ProviderConfig provider;
        provider.settings = p;
        if (check.require(p, path, "id", "a unique name within the file")) {
            if (auto id = check.string(p, path, "id")) {
                if (!isIdentifier(*id))
                    check.error(
                        child(path, "id"), "must be 1-64 letters, digits, '.', '_' or '-' (got \"" + *id + "\")");
                else if (auto [it, fresh] = seenIds.emplace(*id, i); !fresh)
                    check.error(child(path, "id"),
                        "duplicate id \"" + *id + "\" (also providers[" + std::to_string(it->second) + "])");
                provider.id = *id;
            }
        }
        const ProviderDescriptor* type = nullptr;
        if (check.require(p, path, "type", "one of " + joinQuoted(known, " or "))) {
            if (auto name = check.string(p, path, "type")) {
                provider.type = *name;
                const auto it = std::find_if(
                    catalog.begin(), catalog.end(), [&](const ProviderDescriptor* d) { return d->type == *name; });
                type = it == catalog.end() ? nullptr : *it;
                if (!type)
                    check.error(
                        child(path, "type"), "unknown type \"" + *name + "\" (known: " + joinQuoted(known) + ")");
            }
        }
        // Without a known type its own keys cannot be told from typos, so only the type is reported.
        if (type) {
            validateTypeKeys(check, p, path, *type);
            std::vector<std::string_view> allowed = commonKeys;
            for (const SettingSpec& spec : type->settings)
                allowed.push_back(spec.key);
            check.checkKeys(p, path, allowed, "type \"" + provider.type + "\"");
        }

        // The common keys by their kinds, as the setup page knows them (id and type were read above).
        for (const SettingSpec& spec : commonProviderSettings())
            if (spec.key != "id" && spec.key != "type")
                checkSetting(check, p, path, spec);
        // A provider with an error is never used, so what is read here needs no second check.
        if (const std::string* url = stringAt(p, "base_url"))
            provider.baseUrl = *url;
        if (const std::string* env = stringAt(p, "api_key_env"))
            provider.apiKeyEnv = *env;
        if (p.contains("timeout_s") && p["timeout_s"].is_number())
            provider.timeoutS = p["timeout_s"].get<double>();
        if (p.contains("api_key_env") && p.contains("api_key_keyring"))
            check.error(child(path, "api_key_keyring"), "give api_key_env or api_key_keyring, not both");
        if (const json* pricing = check.object(p, path, "pricing"))
            validatePricing(check, *pricing, child(path, "pricing"));
        if (const json* launch = check.object(p, path, "launch"))
            validateLaunch(check, *launch, child(path, "launch"));
        validateRateLimits(check, p, path);
        validateCaFile(check, p, path);
        providers.push_back(std::move(provider));
    }
    return providers;
}

} // namespace t2i::configcheck
