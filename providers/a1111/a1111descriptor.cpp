// SPDX-License-Identifier: Apache-2.0
// AUTOMATIC1111 / Forge WebUI's settings (docs/configuration.md, "Provider types").
#include "a1111/a1111adapter.h"
#include "registry/providertype.h"

namespace t2i {

ProviderType a1111ProviderType()
{
    ProviderDescriptor d;
    d.type = "a1111";
    d.title = "AUTOMATIC1111 / Forge";
    d.summary = "an AUTOMATIC1111 or Forge WebUI server: one blocking POST /sdapi/v1/txt2img";
    d.settings = {
        { .key = "sampler", .kind = SettingKind::String, .help = "the sampler_name (the server's default if empty)" },
    };
    d.billingUnit = "hour";
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            return std::make_unique<A1111Adapter>(A1111Options::fromConfig(provider, context));
        } };
}

} // namespace t2i
