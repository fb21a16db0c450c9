// SPDX-License-Identifier: Apache-2.0
// Replicate's settings (docs/configuration.md, "Provider types"; docs/providers.md).
#include "config/providerrules.h"
#include "model/ratelimit.h"
#include "registry/providertype.h"
#include "replicate/replicateadapter.h"

namespace t2i {

namespace {

using namespace configcheck;

void validateReplicate(Checker& check, const json& p, const std::string& path)
{
    const int given = int(p.contains("model")) + int(p.contains("deployment")) + int(p.contains("version"));
    if (given != 1)
        check.error(path, "give exactly one of model (owner/name), deployment (owner/name) or version (an id)");
    for (const char* key : { "model", "deployment" })
        if (const std::string* v = stringAt(p, key); v && !isOwnerName(*v))
            check.error(child(path, key), "must be \"owner/name\" (got \"" + *v + "\")");
}

} // namespace

ProviderType replicateProviderType()
{
    using K = SettingKind;
    ProviderDescriptor d;
    d.type = "replicate";
    d.title = "Replicate";
    d.summary = "Replicate's predictions API: a model, a deployment or a version, polled";
    d.settings = {
        { .key = "model", .kind = K::String, .help = "an official model, \"owner/name\"" },
        { .key = "deployment", .kind = K::String, .help = "a deployment, \"owner/name\"" },
        { .key = "version", .kind = K::String, .help = "a model version id" },
        { .key = "wait_s",
            .kind = K::Integer,
            .min = 1,
            .max = 60,
            .help = "how long the create call is held (Replicate's Prefer: wait), in seconds",
            .message = "must be an integer between 1 and 60 (Replicate's Prefer: wait)" },
    };
    d.defaultRateLimits = rateLimitsJson(ReplicateAdapter::platformRateLimits());
    d.validate = validateReplicate;
    d.billingUnit = "second";
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            return std::make_unique<ReplicateAdapter>(ReplicateOptions::fromConfig(provider, context));
        } };
}

} // namespace t2i
