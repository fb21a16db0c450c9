// SPDX-License-Identifier: Apache-2.0
// The built-in platform's settings (docs/emulator.md): its own, and the keys of the protocol it
// speaks, taken from that protocol's descriptor so that the two cannot drift apart.
#include "config/providerrules.h"
#include "registry/providertype.h"
#include "registry/registry.h"

#include <algorithm>

namespace t2i {

namespace {

using namespace configcheck;

// The rules of the spoken protocol's keys that depend on which protocol that is.
void validateEmulated(Checker& check, const json& p, const std::string& path)
{
    const auto speaks = [&](const char* protocol) { return p.contains("protocol") && p["protocol"] == protocol; };
    // "mode" is the spoken protocol's: fal's queue|sync, else RunPod's run|runsync.
    if (speaks("fal"))
        check.choice(p, path, "mode", { "queue", "sync" });
    else
        check.choice(p, path, "mode", { "run", "runsync" });
    // fal's app, optional here (the emulator serves any); "owner/app[/path]" when given.
    if (const std::string* app = stringAt(p, "app"); app && app->find('/') == std::string::npos)
        check.error(child(path, "app"), "must be \"owner/app\" or \"owner/app/path\" (got \"" + *app + "\")");
    // Replicate's keys, as the replicate type checks them; none is required (any route works).
    for (const char* key : { "model", "deployment" })
        if (const std::string* v = stringAt(p, key); v && speaks("replicate") && !isOwnerName(*v))
            check.error(child(path, key), "must be \"owner/name\" (got \"" + *v + "\")");
}

// Adds the keys of a protocol's settings not yet in `settings`, none of them required: the
// emulator serves any endpoint, model or app.
void adopt(std::vector<SettingSpec>& settings, const std::vector<SettingSpec>& protocolSettings,
    const std::vector<std::string_view>& skipped = {})
{
    for (SettingSpec spec : protocolSettings) {
        const bool present
            = std::any_of(settings.begin(), settings.end(), [&](const SettingSpec& s) { return s.key == spec.key; });
        if (present || std::find(skipped.begin(), skipped.end(), spec.key) != skipped.end())
            continue;
        spec.required = false;
        settings.push_back(std::move(spec));
    }
}

std::vector<SettingSpec> emulatedSettings()
{
    using K = SettingKind;
    std::vector<SettingSpec> settings = {
        { .key = "profile",
            .kind = K::String,
            .required = true,
            .help = "an emulator profile name in resources/emulator/ (e.g. \"steady\") or a path" },
        { .key = "protocol",
            .kind = K::Choice,
            .defaultValue = "runpod",
            .allowed = { "runpod", "openai", "replicate", "fal" },
            .help = "the platform protocol the emulator speaks (and so the adapter that talks to it)" },
        { .key = "seed",
            .kind = K::Integer,
            .min = 0,
            .help = "the emulated platform's random seed",
            .message = "must be an integer >= 0" },
        { .key = "truth",
            .kind = K::Path,
            .help = "where the ground truth of every job is written, as JSON lines",
            .message = "must be a file path for the ground-truth JSON lines" },
        { .key = "time_scale",
            .kind = K::Number,
            .defaultValue = 1,
            .min = 0,
            .help = "below 1 runs the emulated platform faster than real time",
            .message = "must be a positive number",
            .minExclusive = true },
        { .key = "min_workers",
            .kind = K::Integer,
            .min = 0,
            .max = 10000,
            .help = "always-on workers, warm from the start: overrides the profile's workers.min",
            .message = "must be an integer from 0 to 10000" },
        { .key = "tls",
            .kind = K::Boolean,
            .defaultValue = false,
            .help = "serve HTTPS with a certificate the emulator makes at start",
            .message = "must be true (serve HTTPS with a certificate the emulator makes) or false" },
    };
    // RunPod's keys but auth_scheme (the emulator takes any key). "mode" is the spoken protocol's:
    // fal's queue|sync, else RunPod's run|runsync, so the validate hook checks it.
    adopt(settings, runpodProviderType().descriptor.settings, { "auth_scheme" });
    const auto mode
        = std::find_if(settings.begin(), settings.end(), [](const SettingSpec& s) { return s.key == "mode"; });
    mode->allowed = { "run", "runsync", "queue", "sync" };
    mode->help = "RunPod's run or runsync; fal's queue or sync when protocol is fal";
    mode->defaultValue = nullptr;
    mode->checkedByHook = true;
    adopt(settings, openaiProviderType().descriptor.settings);
    adopt(settings, replicateProviderType().descriptor.settings);
    adopt(settings, falProviderType().descriptor.settings);
    return settings;
}

} // namespace

ProviderType emulatedProviderType()
{
    ProviderDescriptor d;
    d.type = "emulated";
    d.title = "Built-in emulated platform";
    d.summary = "t2ibench-emulator on loopback: a serverless GPU platform with ground truth, no account needed";
    d.settings = emulatedSettings();
    // The spoken protocol's limits apply; these are those of the default one, RunPod.
    d.defaultRateLimits = runpodProviderType().descriptor.defaultRateLimits;
    d.validate = validateEmulated;
    d.billingUnit = "second";
    d.minWorkersSetting = "min_workers"; // passed to the emulator as --min-workers
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            // The real adapter of the spoken protocol talks to the emulator unchanged.
            const std::string protocol = emulatedProtocol(provider);
            const ProviderType* spoken = protocol == "emulated" ? nullptr : findProviderType(protocol);
            return spoken ? spoken->factory(provider, context) : nullptr;
        } };
}

} // namespace t2i
