// SPDX-License-Identifier: Apache-2.0
// stable-diffusion.cpp sd-server's settings (docs/configuration.md, "Provider types").
#include "registry/providertype.h"
#include "sdcpp/sdcppadapter.h"

namespace t2i {

ProviderType sdcppProviderType()
{
    using K = SettingKind;
    ProviderDescriptor d;
    d.type = "sdcpp";
    d.title = "stable-diffusion.cpp";
    d.summary = "stable-diffusion.cpp's sd-server: its job API, or its OpenAI or sdapi route";
    d.settings = {
        { .key = "mode",
            .kind = K::Choice,
            .defaultValue = "async",
            .allowed = { "async", "openai", "sdapi" },
            .help = "async: the native job API, polled; openai or sdapi: one blocking call" },
        { .key = "sampler", .kind = K::String, .help = "the sample method (the server's default if empty)" },
    };
    d.billingUnit = "hour";
    return { std::move(d), &makeSdCppAdapter };
}

} // namespace t2i
