// SPDX-License-Identifier: Apache-2.0
// Hugging Face Inference Endpoints' settings (docs/configuration.md, "Provider types";
// docs/providers.md, "hf_endpoint").
#include "config/providerrules.h"
#include "hfendpoint/hfendpointadapter.h"
#include "registry/providertype.h"

namespace t2i {

namespace {

using namespace configcheck;

void validateHfEndpoint(Checker& check, const json& p, const std::string& path)
{
    checkExtract(check, p, path, { "image" });
    if (const json* retry = objectAt(p, "scale_up_retry")) {
        const std::string at = child(path, "scale_up_retry");
        check.choice(*retry, at, "when", { "scale_up", "always", "never" });
        check.integer(*retry, at, "max", 0, 100000, "must be an integer >= 0");
        check.number(*retry, at, "delay_ms", 0, false, "must be a number of ms >= 0");
        check.checkKeys(*retry, at, { "when", "max", "delay_ms" }, "scale_up_retry");
    }
    if (const json* management = objectAt(p, "management")) {
        const std::string at = child(path, "management");
        for (const char* key : { "namespace", "name" })
            if (check.require(*management, at, key, "the endpoint's namespace and name on the management API"))
                check.string(*management, at, key);
        check.url(*management, at, "base_url");
        check.checkKeys(*management, at, { "namespace", "name", "base_url" }, "management");
    }
}

} // namespace

ProviderType hfEndpointProviderType()
{
    using K = SettingKind;
    ProviderDescriptor d;
    d.type = "hf_endpoint";
    d.title = "Hugging Face Inference Endpoint";
    d.summary = "a dedicated Hugging Face Inference Endpoint running the text-to-image task";
    d.settings = {
        { .key = "url", .kind = K::Url, .required = true, .help = "the endpoint's URL" },
        { .key = "scale_up_timeout_s",
            .kind = K::Number,
            .defaultValue = 600,
            .min = 0,
            .help = "how long HF's proxy holds a request while a replica starts (0: answer 503 at once)",
            .message = "must be a number >= 0" },
        { .key = "response_format",
            .kind = K::Choice,
            .defaultValue = "binary",
            .allowed = { "binary", "json" },
            .help = "binary: the image bytes; json: a custom handler's JSON (see extract)" },
        { .key = "extract", .kind = K::Object, .help = "the JSON pointer to the image in a json answer" },
        { .key = "scale_up_retry",
            .kind = K::Object,
            .help = "how 503s while the endpoint scales up are retried: when, max, delay_ms" },
        { .key = "management",
            .kind = K::Object,
            .help = "the endpoint's namespace and name on the management API, for health and cold probes" },
    };
    d.validate = validateHfEndpoint;
    d.billingUnit = "hour";
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            return std::make_unique<HfEndpointAdapter>(HfEndpointOptions::fromConfig(provider, context));
        } };
}

} // namespace t2i
