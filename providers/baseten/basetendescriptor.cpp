// SPDX-License-Identifier: Apache-2.0
// Baseten's settings (docs/configuration.md, "Provider types"; docs/providers.md, "baseten").
#include "baseten/basetenadapter.h"
#include "config/providerrules.h"
#include "registry/providertype.h"

namespace t2i {

namespace {

using namespace configcheck;

void validateBaseten(Checker& check, const json& p, const std::string& path)
{
    checkBodyTemplate(check, p, path);
    checkExtract(check, p, path, { "image", "exec_s", "exec_ms", "queue_ms", "worker_id" });
    const bool async = p.contains("mode") && p["mode"] == "async";
    if (async && !p.contains("async"))
        check.error(
            child(path, "async"), "mode async needs async.result_url: Baseten sends async outputs only to a webhook");
    const json* a = objectAt(p, "async");
    if (!a)
        return;
    const std::string at = child(path, "async");
    if (async)
        check.require(*a, at, "result_url", "where your webhook receiver serves outputs, with {request_id}");
    check.url(*a, at, "result_url");
    check.url(*a, at, "webhook_endpoint");
    if (auto v = check.string(*a, at, "output_pointer"); v && !v->starts_with("/"))
        check.error(child(at, "output_pointer"), "must be a JSON pointer such as \"/data\" (got \"" + *v + "\")");
    check.integer(*a, at, "priority", 0, 2, "must be 0, 1 or 2");
    check.integer(*a, at, "max_time_in_queue_seconds", 10, 259200, "must be an integer between 10 and 259200");
    checkBoolean(check, *a, at, "queue_status");
    check.checkKeys(*a, at,
        { "result_url", "webhook_endpoint", "output_pointer", "priority", "max_time_in_queue_seconds", "queue_status" },
        "async");
}

} // namespace

ProviderType basetenProviderType()
{
    using K = SettingKind;
    ProviderDescriptor d;
    d.type = "baseten";
    d.title = "Baseten";
    d.summary = "a Baseten model: a synchronous predict, or async_predict polled";
    d.settings = {
        { .key = "model_id", .kind = K::String, .required = true, .help = "the Baseten model id" },
        { .key = "environment",
            .kind = K::String,
            .help = "the environment whose deployment is called (production if neither it nor deployment_id)" },
        { .key = "mode",
            .kind = K::Choice,
            .defaultValue = "sync",
            .allowed = { "sync", "async" },
            .help = "sync: one predict call; async: async_predict, polled, outputs from your webhook" },
        { .key = "deployment_id", .kind = K::String, .help = "a deployment called by its id instead" },
        { .key = "body_template",
            .kind = K::Object,
            .help = "the Truss's input, with {{prompt}}, {{seed}}, {{width}}, ... placeholders" },
        { .key = "extract",
            .kind = K::Object,
            .help = "JSON pointers to image, exec_s, exec_ms, queue_ms, worker_id in the output" },
        { .key = "async",
            .kind = K::Object,
            .help = "async mode: result_url (your webhook receiver), webhook_endpoint, priority, ..." },
    };
    d.validate = validateBaseten;
    d.billingUnit = "hour";
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            return std::make_unique<BasetenAdapter>(BasetenOptions::fromConfig(provider, context));
        } };
}

} // namespace t2i
