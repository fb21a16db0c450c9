// SPDX-License-Identifier: Apache-2.0
// The generic HTTP provider's settings (docs/configuration.md, "Provider types";
// docs/providers.md, "http"): any API, described by templates and JSON pointers.
#include "http/httpadapter.h"
#include "http/httpconfigrules.h"
#include "registry/providertype.h"

namespace t2i {

ProviderType httpProviderType()
{
    using K = SettingKind;
    ProviderDescriptor d;
    d.type = "http";
    d.title = "Any HTTP API";
    d.summary = "any HTTP API, described in the config: a templated request, polls and JSON pointers";
    d.settings = {
        { .key = "method",
            .kind = K::Choice,
            .defaultValue = "POST",
            .allowed = { "GET", "POST", "PUT", "PATCH" },
            .help = "the submit request's method" },
        // A URL or a path joined to base_url, with placeholders: more than the Url kind takes.
        { .key = "url",
            .kind = K::String,
            .required = true,
            .help = "the URL the request is sent to (or a path joined to base_url)",
            .checkedByHook = true },
        { .key = "headers", .kind = K::Object, .help = "request headers, templates such as \"Bearer {{api_key}}\"" },
        { .key = "body",
            .kind = K::Object,
            .help = "the request body: a JSON template, or a string template of JSON text",
            .checkedByHook = true },
        { .key = "extract",
            .kind = K::Object,
            .help = "JSON pointers into the answers: image(s), status, job_id, queue/exec times, worker_id, error" },
        { .key = "poll",
            .kind = K::Object,
            .help = "an async API's status request: url, method, interval_ms, done_values, failed_values, result" },
        { .key = "cancel", .kind = K::Object, .help = "the request that cancels a job: url, method" },
    };
    d.validate = configcheck::validateHttpProvider;
    d.billingUnit = "none";
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            return std::make_unique<HttpAdapter>(HttpAdapterOptions::fromConfig(provider, context));
        } };
}

} // namespace t2i
