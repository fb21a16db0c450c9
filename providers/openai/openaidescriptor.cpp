// SPDX-License-Identifier: Apache-2.0
// The OpenAI Images API's settings, and those of the servers that copy it (docs/providers.md).
#include "openai/openaiadapter.h"
#include "registry/providertype.h"

namespace t2i {

namespace {

std::vector<SettingSpec> openaiSettings()
{
    using K = SettingKind;
    return {
        { .key = "model", .kind = K::String, .help = "the model asked for (the variant's model if empty)" },
        { .key = "response_format",
            .kind = K::Choice,
            .allowed = { "b64_json", "url" },
            .help = "images inline (b64_json) or as URLs, downloaded and timed apart" },
    };
}

} // namespace

ProviderType openaiProviderType()
{
    ProviderDescriptor d;
    d.type = "openai";
    d.title = "OpenAI Images";
    d.summary = "OpenAI's Images API: one synchronous POST /images/generations";
    d.settings = openaiSettings();
    d.billingUnit = "image";
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            return std::make_unique<OpenAIAdapter>(OpenAIOptions::fromConfig(provider, context));
        } };
}

ProviderType openaiCompatibleProviderType()
{
    ProviderDescriptor d;
    d.type = "openai_compatible";
    d.title = "OpenAI-compatible server";
    d.summary = "the OpenAI Images API on another server (LocalAI, gateways, your own)";
    d.settings = openaiSettings();
    d.billingUnit = "none";
    d.requiredCommon = {
        { .key = "base_url",
            .kind = SettingKind::Url,
            .required = true,
            .help = "the server's URL, e.g. \"http://127.0.0.1:8000/v1\"" },
    };
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            // A compatible server has no default address: without one there is nothing to talk to.
            if (context.baseUrl.empty())
                return nullptr;
            return std::make_unique<OpenAIAdapter>(OpenAIOptions::fromConfig(provider, context), "openai_compatible");
        } };
}

} // namespace t2i
