// SPDX-License-Identifier: Apache-2.0
// providers[]: the common keys, then each type's own keys (shared/spec/config.md, "Provider types").
#include "config/configcheck.h"

#include <algorithm>
#include <limits>
#include <map>
#include <regex>

namespace t2i::configcheck {

namespace {

const std::vector<std::string_view> kCommonKeys = { "id", "type", "base_url", "api_key_env", "api_key_keyring",
    "timeout_s", "pricing", "launch", "poll_interval_ms", "cold_threshold_ms", "http_version" };

// Each type's own keys, as the spec's table lists them.
const std::map<std::string, std::vector<std::string_view>, std::less<>>& typeKeys()
{
    static const std::map<std::string, std::vector<std::string_view>, std::less<>> keys = {
        // An emulated platform speaks a real protocol, so it takes that protocol's own keys too.
        { "emulated",
          { "profile", "protocol", "seed", "truth", "time_scale", "endpoint_id", "mode", "runsync_wait_ms", "model",
            "response_format", "deployment", "version", "wait_s", "app" } },
        { "runpod", { "endpoint_id", "mode", "runsync_wait_ms", "auth_scheme" } },
        { "replicate", { "model", "deployment", "version", "wait_s" } },
        { "fal", { "app", "mode" } },
        { "modal", { "url", "mode", "headers" } },
        { "sagemaker",
          { "region", "endpoint_name", "mode", "access_key_env", "secret_key_env", "session_token_env",
            "body_template" } },
        { "hf_endpoint", { "url", "scale_up_timeout_s" } },
        { "baseten", { "model_id", "environment", "mode" } },
        { "openai", { "model", "response_format" } },
        { "openai_compatible", { "model", "response_format" } },
        { "together", { "model" } },
        { "stability", { "engine" } },
        { "comfyui", { "workflow", "progress" } },
        { "a1111", { "sampler" } },
        { "sdcpp", { "mode" } },
        { "http", { "method", "url", "headers", "body", "extract", "poll" } },
    };
    return keys;
}

bool isOwnerName(const std::string& s)
{
    static const std::regex pattern(R"([^/\s]+/[^/\s]+)");
    return std::regex_match(s, pattern);
}

void validatePricing(Checker& check, const json& pricing, const std::string& path)
{
    // The cost model owns the finer points; here only what the spec names is checked, so a
    // new pricing key does not need a change of the validator.
    check.string(pricing, path, "ref", "must name a catalog entry, e.g. \"runpod.flex.A100-80GB\"");
    for (const char* key : { "per_second", "per_image", "per_megapixel", "per_hour", "egress_per_gb" })
        check.number(pricing, path, key, 0, false, "must be a price >= 0 in USD");
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
    check.url(launch, path, "ready_url");
    check.number(launch, path, "ready_timeout_s", 0, true, "must be a positive number");
}

void validateTypeKeys(Checker& check, const json& p, const std::string& path, const std::string& type)
{
    const auto requireString = [&](std::string_view key, std::string_view hint) {
        if (check.require(p, path, key, hint))
            check.string(p, path, key);
    };
    if (type == "emulated") {
        requireString("profile", "an emulator profile name in resources/emulator/ (e.g. \"steady\") or a path");
        check.choice(p, path, "protocol", { "runpod", "openai", "replicate", "fal" });
        check.integer(p, path, "seed", 0, std::numeric_limits<long long>::max(), "must be an integer >= 0");
        check.string(p, path, "truth", "must be a file path for the ground-truth JSON lines");
        check.number(p, path, "time_scale", 0, true, "must be a positive number");
        check.string(p, path, "endpoint_id");
        // "mode" is the spoken protocol's: fal's queue|sync, else RunPod's run|runsync.
        const bool fal = p.contains("protocol") && p["protocol"] == "fal";
        if (fal)
            check.choice(p, path, "mode", { "queue", "sync" });
        else
            check.choice(p, path, "mode", { "run", "runsync" });
        check.integer(p, path, "runsync_wait_ms", 1000, 300000, "must be an integer between 1000 and 300000 (RunPod's ?wait=)");
        check.choice(p, path, "response_format", { "b64_json", "url" });
        // fal's app, optional here (the emulator serves any); "owner/app[/path]" when given.
        if (auto v = check.string(p, path, "app"); v && v->find('/') == std::string::npos)
            check.error(child(path, "app"), "must be \"owner/app\" or \"owner/app/path\" (got \"" + *v + "\")");
        // Replicate's keys, as the replicate type checks them; none is required (any route works).
        const bool replicate = p.contains("protocol") && p["protocol"] == "replicate";
        for (const char* key : { "model", "deployment" })
            if (auto v = check.string(p, path, key); v && replicate && !isOwnerName(*v))
                check.error(child(path, key), "must be \"owner/name\" (got \"" + *v + "\")");
        check.string(p, path, "version");
        check.integer(p, path, "wait_s", 1, 60, "must be an integer between 1 and 60 (Replicate's Prefer: wait)");
    } else if (type == "runpod") {
        requireString("endpoint_id", "the RunPod endpoint id");
        check.choice(p, path, "mode", { "run", "runsync" });
        check.integer(p, path, "runsync_wait_ms", 1000, 300000, "must be an integer between 1000 and 300000 (RunPod's ?wait=)");
        check.choice(p, path, "auth_scheme", { "bearer", "bare" });
    } else if (type == "replicate") {
        const int given = int(p.contains("model")) + int(p.contains("deployment")) + int(p.contains("version"));
        if (given != 1)
            check.error(path, "give exactly one of model (owner/name), deployment (owner/name) or version (an id)");
        for (const char* key : { "model", "deployment" })
            if (auto v = check.string(p, path, key); v && !isOwnerName(*v))
                check.error(child(path, key), "must be \"owner/name\" (got \"" + *v + "\")");
        check.string(p, path, "version");
        check.integer(p, path, "wait_s", 1, 60, "must be an integer between 1 and 60 (Replicate's Prefer: wait)");
    } else if (type == "fal") {
        requireString("app", "the fal app, e.g. \"fal-ai/flux/dev\"");
        check.choice(p, path, "mode", { "queue", "sync" });
    } else if (type == "modal") {
        if (check.require(p, path, "url", "the web endpoint's URL"))
            check.url(p, path, "url");
        check.choice(p, path, "mode", { "sync", "spawn" });
        check.stringMap(p, path, "headers");
    } else if (type == "sagemaker") {
        requireString("region", "the AWS region, e.g. \"us-east-1\"");
        requireString("endpoint_name", "the SageMaker endpoint name");
        check.choice(p, path, "mode", { "realtime", "async" });
        for (const char* key : { "access_key_env", "secret_key_env", "session_token_env" })
            check.envName(p, path, key);
        if (p.contains("body_template") && !p["body_template"].is_string() && !p["body_template"].is_object())
            check.error(child(path, "body_template"), "must be a string or an object");
    } else if (type == "hf_endpoint") {
        if (check.require(p, path, "url", "the endpoint's URL"))
            check.url(p, path, "url");
        check.number(p, path, "scale_up_timeout_s", 0, false, "must be a number >= 0");
    } else if (type == "baseten") {
        requireString("model_id", "the Baseten model id");
        check.string(p, path, "environment");
        check.choice(p, path, "mode", { "sync", "async" });
    } else if (type == "openai" || type == "openai_compatible") {
        check.string(p, path, "model");
        check.choice(p, path, "response_format", { "b64_json", "url" });
        if (type == "openai_compatible")
            check.require(p, path, "base_url", "the server's URL, e.g. \"http://127.0.0.1:8000/v1\"");
    } else if (type == "together") {
        requireString("model", "the Together model, e.g. \"black-forest-labs/FLUX.1-schnell\"");
    } else if (type == "stability") {
        check.choice(p, path, "engine", { "core", "ultra", "sd3" });
    } else if (type == "comfyui") {
        requireString("workflow", "the path of an API-format workflow JSON");
        check.choice(p, path, "progress", { "websocket", "history" });
    } else if (type == "a1111") {
        check.string(p, path, "sampler");
    } else if (type == "sdcpp") {
        check.choice(p, path, "mode", { "async", "openai", "sdapi" });
    } else if (type == "http") {
        requireString("url", "the URL the request is sent to");
        check.choice(p, path, "method", { "GET", "POST", "PUT", "PATCH" });
        check.stringMap(p, path, "headers");
        if (const json* extract = check.object(p, path, "extract"))
            for (const auto& [name, pointer] : extract->items()) {
                const bool ok = pointer.is_string()
                    && (pointer.get_ref<const std::string&>().empty() || pointer.get_ref<const std::string&>()[0] == '/');
                if (!ok)
                    check.error(child(child(path, "extract"), name),
                                "must be a JSON pointer such as \"/images/0\" (got " + describe(pointer) + ")");
            }
        check.object(p, path, "poll");
    }
}

} // namespace

std::vector<ProviderConfig> validateProviders(Checker& check, const json& document,
                                              const std::vector<std::string>& supportedTypes)
{
    std::vector<ProviderConfig> providers;
    if (!check.require(document, "", "providers", "a non-empty list of providers to benchmark"))
        return providers;
    const json& list = document["providers"];
    if (!list.is_array() || list.empty()) {
        check.error("providers", "must be a non-empty list of provider objects (got " + describe(list) + ")");
        return providers;
    }
    const std::vector<std::string>& known = specProviderTypes();
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
                    check.error(child(path, "id"), "must be 1-64 letters, digits, '.', '_' or '-' (got \"" + *id + "\")");
                else if (auto [it, fresh] = seenIds.emplace(*id, i); !fresh)
                    check.error(child(path, "id"), "duplicate id \"" + *id + "\" (also providers[" + std::to_string(it->second) + "])");
                provider.id = *id;
            }
        }
        std::vector<std::string_view> allowed = kCommonKeys;
        bool typeKnown = false;
        if (check.require(p, path, "type", "one of " + joinQuoted(known, " or "))) {
            if (auto type = check.string(p, path, "type")) {
                provider.type = *type;
                typeKnown = std::find(known.begin(), known.end(), *type) != known.end();
                if (!typeKnown) {
                    check.error(child(path, "type"), "unknown type \"" + *type + "\" (known: " + joinQuoted(known) + ")");
                } else if (!supportedTypes.empty()
                           && std::find(supportedTypes.begin(), supportedTypes.end(), *type) == supportedTypes.end()) {
                    std::string names;
                    for (const std::string& s : supportedTypes)
                        names += (names.empty() ? "" : ", ") + s;
                    check.error(child(path, "type"), "\"" + *type + "\" is not supported by this build yet (supported: " + names + ")");
                }
            }
        }
        if (typeKnown) {
            const auto& own = typeKeys().find(provider.type)->second;
            allowed.insert(allowed.end(), own.begin(), own.end());
            validateTypeKeys(check, p, path, provider.type);
        }
        // Without a known type its own keys cannot be told from typos, so only the type is reported.
        if (typeKnown)
            check.checkKeys(p, path, allowed, "type \"" + provider.type + "\"");

        if (auto url = check.url(p, path, "base_url"))
            provider.baseUrl = *url;
        if (auto env = check.envName(p, path, "api_key_env"))
            provider.apiKeyEnv = *env;
        check.string(p, path, "api_key_keyring", "must name an OS keyring entry");
        if (p.contains("api_key_env") && p.contains("api_key_keyring"))
            check.error(child(path, "api_key_keyring"), "give api_key_env or api_key_keyring, not both");
        provider.timeoutS = check.number(p, path, "timeout_s", 0, true, "must be a positive number of seconds");
        if (const json* pricing = check.object(p, path, "pricing"))
            validatePricing(check, *pricing, child(path, "pricing"));
        if (const json* launch = check.object(p, path, "launch"))
            validateLaunch(check, *launch, child(path, "launch"));
        check.integer(p, path, "poll_interval_ms", 10, 60000, "must be an integer between 10 and 60000");
        check.number(p, path, "cold_threshold_ms", 0, false, "must be a number >= 0");
        check.choice(p, path, "http_version", { "1.1", "2", "2-prior-knowledge" });
        providers.push_back(std::move(provider));
    }
    return providers;
}

} // namespace t2i::configcheck
