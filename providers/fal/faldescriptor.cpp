// SPDX-License-Identifier: Apache-2.0
// fal.ai's settings (docs/configuration.md, "Provider types"; docs/providers.md).
#include "fal/faladapter.h"
#include "registry/providertype.h"

namespace t2i {

ProviderType falProviderType()
{
    using K = SettingKind;
    ProviderDescriptor d;
    d.type = "fal";
    d.title = "fal.ai";
    d.summary = "a fal.ai app through its queue API, or its sync route";
    d.settings = {
        { .key = "app", .kind = K::String, .required = true, .help = "the fal app, e.g. \"fal-ai/flux/dev\"" },
        { .key = "mode",
            .kind = K::Choice,
            .defaultValue = "queue",
            .allowed = { "queue", "sync" },
            .help = "queue: submit, then poll status_url; sync: one blocking POST" },
    };
    d.billingUnit = "image";
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            return std::make_unique<FalAdapter>(FalOptions::fromConfig(provider, context));
        } };
}

} // namespace t2i
