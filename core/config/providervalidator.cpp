// SPDX-License-Identifier: Apache-2.0
// providers[]: the common keys, then each type's own keys (docs/configuration.md, "Provider types").
#include "config/configcheck.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

namespace t2i::configcheck {

// The hosted image APIs' own keys (hostedvalidator.cpp).
void validateHttpProvider(Checker& check, const json& p, const std::string& path);
void validateTogetherKeys(Checker& check, const json& p, const std::string& path);
void validateStabilityKeys(Checker& check, const json& p, const std::string& path);

namespace {

const std::vector<std::string_view> kCommonKeys = { "id", "type", "base_url", "api_key_env", "api_key_keyring",
    "timeout_s", "pricing", "launch", "poll_interval_ms", "cold_threshold_ms", "http_version", "rate_limits",
    "max_answer_mb", "answer_memory_mb", "image_backlog_mb", "ca_file" };

// Each type's own keys, as the spec's table lists them.
const std::map<std::string, std::vector<std::string_view>, std::less<>>& typeKeys()
{
    static const std::map<std::string, std::vector<std::string_view>, std::less<>> keys = {
        // An emulated platform speaks a real protocol, so it takes that protocol's own keys too.
        { "emulated",
            { "profile", "protocol", "seed", "truth", "time_scale", "tls", "endpoint_id", "mode", "runsync_wait_ms",
                "poll", "status_sync_wait_ms", "input_format", "image_format", "model", "response_format", "deployment",
                "version", "wait_s", "app" } },
        { "runpod",
            { "endpoint_id", "mode", "runsync_wait_ms", "auth_scheme", "poll", "status_sync_wait_ms", "input_format",
                "image_format" } },
        { "replicate", { "model", "deployment", "version", "wait_s" } },
        { "fal", { "app", "mode" } },
        { "modal", { "url", "mode", "headers", "auth_scheme", "body_template", "extract", "spawn" } },
        { "sagemaker",
            { "region", "endpoint_name", "mode", "access_key_env", "secret_key_env", "session_token_env",
                "body_template", "content_type", "accept", "extract", "s3_input_prefix", "input_location",
                "s3_endpoint", "s3_path_style", "control_endpoint", "describe_endpoint", "custom_attributes",
                "target_variant", "target_model", "target_container_hostname", "inference_component", "request_ttl_s",
                "invocation_timeout_s" } },
        { "hf_endpoint",
            { "url", "scale_up_timeout_s", "response_format", "extract", "scale_up_retry", "management" } },
        { "baseten", { "model_id", "environment", "mode", "deployment_id", "body_template", "extract", "async" } },
        { "openai", { "model", "response_format" } },
        { "openai_compatible", { "model", "response_format" } },
        { "together",
            { "model", "response_format", "output_format", "send_guidance", "exec_s_pointer", "filtered_codes" } },
        { "stability", { "engine", "model", "accept", "output_format", "aspect_ratio" } },
        { "comfyui", { "workflow", "progress", "inputs" } },
        { "a1111", { "sampler" } },
        { "sdcpp", { "mode", "sampler" } },
        { "http", { "method", "url", "headers", "body", "extract", "poll", "cancel" } },
    };
    return keys;
}

// The validators match by hand, not with std::regex: libstdc++'s matcher recurses once per
// character and overflows the stack on a long string (found by tests/fuzz, docs/testing.md).
bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// "owner/name": one '/', something on each side, no whitespace.
bool isOwnerName(const std::string& s)
{
    const std::size_t slash = s.find('/');
    return slash != std::string::npos && slash > 0 && slash + 1 < s.size()
        && s.find('/', slash + 1) == std::string::npos && std::none_of(s.begin(), s.end(), isSpace);
}

// The names of the {{name}} placeholders in a text (a name holds no '}').
std::vector<std::string> placeholderNames(const std::string& text)
{
    std::vector<std::string> names;
    for (std::size_t at = text.find("{{"); at != std::string::npos;) {
        const std::size_t end = text.find('}', at + 2);
        if (end != std::string::npos && end + 1 < text.size() && text[end + 1] == '}') {
            names.push_back(text.substr(at + 2, end - at - 2));
            at = text.find("{{", end + 2);
        } else {
            at = text.find("{{", at + 1);
        }
    }
    return names;
}

// "<node id>.inputs.<input name>": ".inputs." with something before and after, on one line.
bool isComfySlot(const std::string& s)
{
    if (s.find_first_of("\n\r") != std::string::npos)
        return false;
    for (std::size_t at = s.find(".inputs."); at != std::string::npos; at = s.find(".inputs.", at + 1))
        if (at > 0 && at + 8 < s.size())
            return true;
    return false;
}

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

// An app-defined body (Modal, Baseten): a JSON object whose strings may hold the placeholders
// {{prompt}}, {{seed}}, {{width}}, {{height}}, {{steps}}, {{guidance}}, {{images}}.
void checkPlaceholders(Checker& check, const json& value, const std::string& path)
{
    static const std::vector<std::string> known
        = { "prompt", "seed", "width", "height", "steps", "guidance", "images" };
    if (value.is_object()) {
        for (const auto& [key, item] : value.items())
            checkPlaceholders(check, item, child(path, key));
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i)
            checkPlaceholders(check, value[i], element(path, i));
    } else if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        for (const std::string& name : placeholderNames(text))
            if (std::find(known.begin(), known.end(), name) == known.end())
                check.error(path, "unknown placeholder {{" + name + "}} (known: " + joinQuoted(known) + ")");
    }
}

void checkBodyTemplate(Checker& check, const json& p, const std::string& path)
{
    if (const json* body = check.object(p, path, "body_template"))
        checkPlaceholders(check, *body, child(path, "body_template"));
}

// "extract": JSON pointers ("" switches a default off) under the names the type reads.
void checkExtract(Checker& check, const json& p, const std::string& path, const std::vector<std::string_view>& names)
{
    const json* extract = check.object(p, path, "extract");
    if (!extract)
        return;
    const std::string at = child(path, "extract");
    for (const auto& [name, pointer] : extract->items()) {
        const bool ok = pointer.is_string()
            && (pointer.get_ref<const std::string&>().empty() || pointer.get_ref<const std::string&>()[0] == '/');
        if (!ok)
            check.error(child(at, name),
                "must be a JSON pointer such as \"/images/0\", or \"\" (got " + describe(pointer) + ")");
    }
    check.checkKeys(*extract, at, names, "extract");
}

// ComfyUI: workflow (optional: the shipped SDXL workflow otherwise), progress, and an `inputs`
// mapping of job fields to "<node id>.inputs.<input name>" (a string or a list of them). Whether
// the nodes exist is checked when the workflow is read, where its folder is known.
void validateComfyUI(Checker& check, const json& p, const std::string& path)
{
    check.string(
        p, path, "workflow", "must be the path of an API-format workflow JSON (relative to this file's folder)");
    if (auto progress = check.choice(p, path, "progress", { "websocket", "history" });
        progress && *progress == "websocket")
        check.error(child(path, "progress"),
            "\"websocket\" is not available in this build (its HTTP engine, libcurl, has no WebSocket client); "
            "use \"history\": /queue and /history/{prompt_id} are polled every poll_interval_ms");
    const json* inputs = check.object(p, path, "inputs");
    if (!inputs)
        return;
    const std::string at = child(path, "inputs");
    for (const auto& [field, value] : inputs->items()) {
        const bool listOk = value.is_array() && !value.empty()
            && std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); });
        std::vector<std::string> slots;
        if (value.is_string())
            slots.push_back(value.get<std::string>());
        else if (listOk)
            for (const json& v : value)
                slots.push_back(v.get<std::string>());
        else
            check.error(child(at, field),
                "must be \"<node id>.inputs.<input name>\" or a non-empty list of them (got " + describe(value) + ")");
        for (const std::string& s : slots)
            if (!isComfySlot(s))
                check.error(child(at, field),
                    "\"" + s + "\" is not \"<node id>.inputs.<input name>\" (e.g. \"3.inputs.seed\")");
    }
    check.checkKeys(
        *inputs, at, { "prompt", "seed", "steps", "cfg", "width", "height", "batch_size", "model" }, "inputs");
}

// RunPod's own keys beyond the spec's: how jobs are followed and the input's shape.
void validateRunPodPolling(Checker& check, const json& p, const std::string& path)
{
    check.choice(p, path, "poll", { "status", "status-sync" });
    check.integer(p, path, "status_sync_wait_ms", 1000, 300000,
        "must be an integer between 1000 and 300000 (the ?wait= of /status-sync)");
    check.choice(p, path, "input_format", { "worker-sdxl", "public" });
    check.choice(p, path, "image_format", { "jpeg", "png" });
}

// SageMaker (docs/protocols.md §5): AWS keys by environment variable, the container's payload and
// where its images are, and for async the S3 objects the payload is read from.
void validateSageMakerKeys(Checker& check, const json& p, const std::string& path)
{
    for (const char* key : { "access_key_env", "secret_key_env" })
        if (check.require(
                p, path, key, "the name of the environment variable holding the AWS key, e.g. \"AWS_ACCESS_KEY_ID\""))
            check.envName(p, path, key);
    check.envName(p, path, "session_token_env");
    const auto mode = check.choice(p, path, "mode", { "realtime", "async" });
    if (p.contains("body_template")) {
        if (!p["body_template"].is_string() && !p["body_template"].is_object())
            check.error(child(path, "body_template"), "must be a string or an object");
        else
            checkPlaceholders(check, p["body_template"], child(path, "body_template"));
    }
    check.string(p, path, "content_type", "must be a MIME type, e.g. \"application/json\"");
    check.string(p, path, "accept", "must be a MIME type, e.g. \"image/png\"");
    checkExtract(check, p, path, { "image", "exec_s", "exec_ms", "queue_ms", "worker_id" });
    for (const char* key : { "s3_input_prefix", "input_location" })
        if (auto uri = check.string(p, path, key);
            uri && (!uri->starts_with("s3://") || uri->size() <= 5 || (*uri)[5] == '/'))
            check.error(child(path, key), "must be an S3 URI such as \"s3://bucket/prefix/\" (got \"" + *uri + "\")");
    const bool prefix = p.contains("s3_input_prefix");
    const bool location = p.contains("input_location");
    if (mode == "async" && prefix == location)
        check.error(path,
            prefix ? "give s3_input_prefix or input_location, not both"
                   : "mode \"async\" reads its payload from S3: give s3_input_prefix (\"s3://bucket/prefix/\", "
                     "each payload is uploaded there) or input_location (one object already there)");
    check.url(p, path, "s3_endpoint");
    check.url(p, path, "control_endpoint");
    for (const char* key : { "s3_path_style", "describe_endpoint" })
        if (p.contains(key) && !p[key].is_boolean())
            check.error(child(path, key), "must be true or false (got " + describe(p[key]) + ")");
    for (const char* key :
        { "custom_attributes", "target_variant", "target_model", "target_container_hostname", "inference_component" })
        check.string(p, path, key);
    for (const char* key : { "request_ttl_s", "invocation_timeout_s" })
        check.integer(p, path, key, 1, std::numeric_limits<long long>::max(), "must be a whole number of seconds >= 1");
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
        if (p.contains("tls") && !p["tls"].is_boolean())
            check.error(path + ".tls", "must be true (serve HTTPS with a certificate the emulator makes) or false");
        check.string(p, path, "endpoint_id");
        // "mode" is the spoken protocol's: fal's queue|sync, else RunPod's run|runsync.
        const bool fal = p.contains("protocol") && p["protocol"] == "fal";
        if (fal)
            check.choice(p, path, "mode", { "queue", "sync" });
        else
            check.choice(p, path, "mode", { "run", "runsync" });
        check.integer(
            p, path, "runsync_wait_ms", 1000, 300000, "must be an integer between 1000 and 300000 (RunPod's ?wait=)");
        validateRunPodPolling(check, p, path);
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
        check.integer(
            p, path, "runsync_wait_ms", 1000, 300000, "must be an integer between 1000 and 300000 (RunPod's ?wait=)");
        validateRunPodPolling(check, p, path);
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
        check.choice(p, path, "auth_scheme", { "proxy", "bearer", "none" });
        checkBodyTemplate(check, p, path);
        checkExtract(check, p, path, { "image", "exec_s", "exec_ms", "queue_ms", "worker_id", "call_id" });
        if (const json* spawn = check.object(p, path, "spawn")) {
            const std::string at = child(path, "spawn");
            for (const char* key : { "submit_path", "result_path", "cancel_path" })
                if (auto v = check.string(*spawn, at, key); v && !v->starts_with("/"))
                    check.error(child(at, key), "must be a path on the app starting with '/' (got \"" + *v + "\")");
            check.choice(*spawn, at, "cancel_method", { "POST", "DELETE", "PUT", "GET" });
            check.checkKeys(*spawn, at, { "submit_path", "result_path", "cancel_path", "cancel_method" }, "spawn");
        }
    } else if (type == "sagemaker") {
        requireString("region", "the AWS region, e.g. \"us-east-1\"");
        requireString("endpoint_name", "the SageMaker endpoint name");
        check.choice(p, path, "mode", { "realtime", "async" });
        validateSageMakerKeys(check, p, path);
    } else if (type == "hf_endpoint") {
        if (check.require(p, path, "url", "the endpoint's URL"))
            check.url(p, path, "url");
        check.number(p, path, "scale_up_timeout_s", 0, false, "must be a number >= 0");
        check.choice(p, path, "response_format", { "binary", "json" });
        checkExtract(check, p, path, { "image" });
        if (const json* retry = check.object(p, path, "scale_up_retry")) {
            const std::string at = child(path, "scale_up_retry");
            check.choice(*retry, at, "when", { "scale_up", "always", "never" });
            check.integer(*retry, at, "max", 0, 100000, "must be an integer >= 0");
            check.number(*retry, at, "delay_ms", 0, false, "must be a number of ms >= 0");
            check.checkKeys(*retry, at, { "when", "max", "delay_ms" }, "scale_up_retry");
        }
        if (const json* management = check.object(p, path, "management")) {
            const std::string at = child(path, "management");
            for (const char* key : { "namespace", "name" })
                if (check.require(*management, at, key, "the endpoint's namespace and name on the management API"))
                    check.string(*management, at, key);
            check.url(*management, at, "base_url");
            check.checkKeys(*management, at, { "namespace", "name", "base_url" }, "management");
        }
    } else if (type == "baseten") {
        requireString("model_id", "the Baseten model id");
        check.string(p, path, "environment");
        check.choice(p, path, "mode", { "sync", "async" });
        check.string(p, path, "deployment_id");
        checkBodyTemplate(check, p, path);
        checkExtract(check, p, path, { "image", "exec_s", "exec_ms", "queue_ms", "worker_id" });
        const bool async = p.contains("mode") && p["mode"] == "async";
        if (async && !p.contains("async"))
            check.error(child(path, "async"),
                "mode async needs async.result_url: Baseten sends async outputs only to a webhook");
        if (const json* a = check.object(p, path, "async")) {
            const std::string at = child(path, "async");
            if (async)
                check.require(*a, at, "result_url", "where your webhook receiver serves outputs, with {request_id}");
            check.url(*a, at, "result_url");
            check.url(*a, at, "webhook_endpoint");
            if (auto v = check.string(*a, at, "output_pointer"); v && !v->starts_with("/"))
                check.error(
                    child(at, "output_pointer"), "must be a JSON pointer such as \"/data\" (got \"" + *v + "\")");
            check.integer(*a, at, "priority", 0, 2, "must be 0, 1 or 2");
            check.integer(*a, at, "max_time_in_queue_seconds", 10, 259200, "must be an integer between 10 and 259200");
            if (a->contains("queue_status") && !(*a)["queue_status"].is_boolean())
                check.error(child(at, "queue_status"), "must be true or false");
            check.checkKeys(*a, at,
                { "result_url", "webhook_endpoint", "output_pointer", "priority", "max_time_in_queue_seconds",
                    "queue_status" },
                "async");
        }
    } else if (type == "openai" || type == "openai_compatible") {
        check.string(p, path, "model");
        check.choice(p, path, "response_format", { "b64_json", "url" });
        if (type == "openai_compatible")
            check.require(p, path, "base_url", "the server's URL, e.g. \"http://127.0.0.1:8000/v1\"");
    } else if (type == "together") {
        requireString("model", "the Together model, e.g. \"black-forest-labs/FLUX.1-schnell\"");
        validateTogetherKeys(check, p, path); // hostedvalidator.cpp
    } else if (type == "stability") {
        check.choice(p, path, "engine", { "core", "ultra", "sd3" });
        validateStabilityKeys(check, p, path); // hostedvalidator.cpp
    } else if (type == "comfyui") {
        validateComfyUI(check, p, path);
    } else if (type == "a1111") {
        check.string(p, path, "sampler");
    } else if (type == "sdcpp") {
        check.choice(p, path, "mode", { "async", "openai", "sdapi" });
        check.string(p, path, "sampler");
    } else if (type == "http") {
        validateHttpProvider(check, p, path); // hostedvalidator.cpp
    }
}

} // namespace

std::vector<ProviderConfig> validateProviders(
    Checker& check, const json& document, const std::vector<std::string>& supportedTypes)
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
                    check.error(
                        child(path, "id"), "must be 1-64 letters, digits, '.', '_' or '-' (got \"" + *id + "\")");
                else if (auto [it, fresh] = seenIds.emplace(*id, i); !fresh)
                    check.error(child(path, "id"),
                        "duplicate id \"" + *id + "\" (also providers[" + std::to_string(it->second) + "])");
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
                    check.error(
                        child(path, "type"), "unknown type \"" + *type + "\" (known: " + joinQuoted(known) + ")");
                } else if (!supportedTypes.empty()
                    && std::find(supportedTypes.begin(), supportedTypes.end(), *type) == supportedTypes.end()) {
                    std::string names;
                    for (const std::string& s : supportedTypes)
                        names += (names.empty() ? "" : ", ") + s;
                    check.error(child(path, "type"),
                        "\"" + *type + "\" is not supported by this build yet (supported: " + names + ")");
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
        check.integer(p, path, "max_answer_mb", 1, 65536, "must be a whole number of MiB between 1 and 65536");
        check.integer(p, path, "answer_memory_mb", 1, 1048576, "must be a whole number of MiB between 1 and 1048576");
        check.integer(p, path, "image_backlog_mb", 0, 1048576, "must be a whole number of MiB between 0 and 1048576");
        validateRateLimits(check, p, path);
        validateCaFile(check, p, path);
        providers.push_back(std::move(provider));
    }
    return providers;
}

} // namespace t2i::configcheck
