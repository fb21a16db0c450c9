// SPDX-License-Identifier: Apache-2.0
// Together AI's settings (docs/configuration.md, "Provider types"; docs/providers.md, "together").
#include "config/providerrules.h"
#include "registry/providertype.h"
#include "together/togetheradapter.h"

#include <algorithm>

namespace t2i {

namespace {

using namespace configcheck;

void validateTogether(Checker& check, const json& p, const std::string& path)
{
    if (const std::string* pointer = stringAt(p, "exec_s_pointer"); pointer && !isJsonPointer(*pointer))
        check.error(child(path, "exec_s_pointer"),
            "must be a JSON pointer such as \"/timings/inference\" (got \"" + *pointer + "\")");
    if (p.contains("filtered_codes")) {
        const json& codes = p["filtered_codes"];
        if (!codes.is_array() || !std::all_of(codes.begin(), codes.end(), [](const json& c) { return c.is_string(); }))
            check.error(child(path, "filtered_codes"),
                "must be a list of error codes, e.g. [\"content_policy_violation\"] (got " + describe(codes) + ")");
    }
}

} // namespace

ProviderType togetherProviderType()
{
    using K = SettingKind;
    ProviderDescriptor d;
    d.type = "together";
    d.title = "Together AI";
    d.summary = "Together AI's images API: one synchronous POST /v1/images/generations";
    d.settings = {
        { .key = "model",
            .kind = K::String,
            .required = true,
            .help = "the Together model, e.g. \"black-forest-labs/FLUX.1-schnell\"" },
        { .key = "response_format",
            .kind = K::Choice,
            .defaultValue = "base64",
            .allowed = { "base64", "url" },
            .help = "images inline (base64) or as URLs, downloaded and timed apart" },
        { .key = "output_format",
            .kind = K::Choice,
            .allowed = { "jpeg", "png" },
            .help = "the image format asked for" },
        { .key = "send_guidance",
            .kind = K::Boolean,
            .help = "whether the variant's guidance is sent (some models refuse it)",
            .message = "must be true or false" },
        { .key = "exec_s_pointer",
            .kind = K::String,
            .help = "a JSON pointer to an execution time in seconds, if your deployment sends one",
            .message = "must be a JSON pointer such as \"/timings/inference\"" },
        { .key = "filtered_codes",
            .kind = K::List,
            .help = "error codes that mean the image was filtered, e.g. [\"content_policy_violation\"]",
            .checkedByHook = true },
    };
    d.validate = validateTogether;
    d.billingUnit = "image";
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            return std::make_unique<TogetherAdapter>(TogetherOptions::fromConfig(provider, context));
        } };
}

} // namespace t2i
