// SPDX-License-Identifier: Apache-2.0
// RunPod Serverless's settings (docs/configuration.md, "Provider types"; docs/providers.md).
#include "model/ratelimit.h"
#include "registry/providertype.h"
#include "runpod/runpodadapter.h"

namespace t2i {

ProviderType runpodProviderType()
{
    using K = SettingKind;
    ProviderDescriptor d;
    d.type = "runpod";
    d.title = "RunPod Serverless";
    d.summary = "a RunPod Serverless endpoint through its job API (/run, /runsync, /status)";
    d.settings = {
        { .key = "endpoint_id", .kind = K::String, .required = true, .help = "the RunPod endpoint id" },
        { .key = "mode",
            .kind = K::Choice,
            .defaultValue = "run",
            .allowed = { "run", "runsync" },
            .help = "run: submit, then poll; runsync: block up to runsync_wait_ms, then poll" },
        { .key = "runsync_wait_ms",
            .kind = K::Integer,
            .defaultValue = 90000,
            .min = 1000,
            .max = 300000,
            .help = "how long a /runsync call is held, in ms (RunPod's ?wait=)",
            .message = "must be an integer between 1000 and 300000 (RunPod's ?wait=)" },
        { .key = "auth_scheme",
            .kind = K::Choice,
            .defaultValue = "bearer",
            .allowed = { "bearer", "bare" },
            .help = "bearer: Authorization: Bearer KEY; bare: the bare key, as older examples send it" },
        { .key = "poll",
            .kind = K::Choice,
            .defaultValue = "status",
            .allowed = { "status", "status-sync" },
            .help = "status: GET /status every poll interval; status-sync: a held GET /status-sync" },
        { .key = "status_sync_wait_ms",
            .kind = K::Integer,
            .defaultValue = 30000,
            .min = 1000,
            .max = 300000,
            .help = "how long a /status-sync call is held, in ms",
            .message = "must be an integer between 1000 and 300000 (the ?wait= of /status-sync)" },
        { .key = "input_format",
            .kind = K::Choice,
            .defaultValue = "worker-sdxl",
            .allowed = { "worker-sdxl", "public" },
            .help = "worker-sdxl's input, or the input of RunPod's public endpoints" },
        { .key = "image_format",
            .kind = K::Choice,
            .allowed = { "jpeg", "png" },
            .help = "the image format a public endpoint is asked for" },
    };
    d.defaultRateLimits = rateLimitsJson(RunPodAdapter::platformRateLimits());
    d.billingUnit = "second";
    d.minWorkersRefusal = "RunPod's minimum workers (workersMin) are set in its console or its GraphQL API, "
                          "which t2ibench does not call";
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            return std::make_unique<RunPodAdapter>(RunPodOptions::fromConfig(provider, context));
        } };
}

} // namespace t2i
