// SPDX-License-Identifier: Apache-2.0
// Stability AI's settings (docs/configuration.md, "Provider types"; docs/providers.md, "stability").
#include "config/providerrules.h"
#include "registry/providertype.h"
#include "stability/stabilityadapter.h"

namespace t2i {

namespace {

using namespace configcheck;

void validateStability(Checker& check, const json& p, const std::string& path)
{
    if (p.contains("model") && p.value("engine", std::string("core")) != "sd3")
        check.error(child(path, "model"), "is used by engine \"sd3\" only");
}

} // namespace

ProviderType stabilityProviderType()
{
    using K = SettingKind;
    ProviderDescriptor d;
    d.type = "stability";
    d.title = "Stability AI";
    d.summary = "Stability AI's Stable Image v2beta: one synchronous multipart POST";
    d.settings = {
        { .key = "engine",
            .kind = K::Choice,
            .defaultValue = "core",
            .allowed = { "core", "ultra", "sd3" },
            .help = "the generate route: core, ultra or sd3" },
        { .key = "model",
            .kind = K::String,
            .help = "the sd3 model (engine sd3 only), e.g. \"sd3.5-large\"",
            .message = "must name an sd3 model, e.g. \"sd3.5-large\"" },
        { .key = "accept",
            .kind = K::Choice,
            .defaultValue = "image",
            .allowed = { "image", "json" },
            .help = "image: the bytes (Accept: image/*); json: base64 in JSON" },
        { .key = "output_format",
            .kind = K::Choice,
            .allowed = { "png", "jpeg", "webp" },
            .help = "the image format asked for" },
        { .key = "aspect_ratio",
            .kind = K::Choice,
            .allowed = { "16:9", "1:1", "21:9", "2:3", "3:2", "4:5", "5:4", "9:16", "9:21" },
            .help = "the ratio asked for (the nearest to the variant's width and height if empty)" },
    };
    d.validate = validateStability;
    d.billingUnit = "image";
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            return std::make_unique<StabilityAdapter>(StabilityOptions::fromConfig(provider, context));
        } };
}

} // namespace t2i
