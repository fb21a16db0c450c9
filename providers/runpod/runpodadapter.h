// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"
#include "registry/registry.h"

namespace t2i {

struct RunPodOptions {
    std::string baseUrl = "https://api.runpod.ai/v2"; // without the endpoint id
    std::string endpointId;
    std::string apiKey;
    std::string mode = "run"; // "run" (submit, then poll /status) or "runsync" (block up to wait_ms, then poll)
    int pollIntervalMs = 250;
    int runsyncWaitMs = 90000; // ?wait= for /runsync, 1000..300000 per RunPod's docs
    bool bearerPrefix = true; // some RunPod examples send the bare key
    std::string imageField = "image_url"; // where worker-sdxl puts its first image; "images" is read too
    // How a job is followed after submit: "status" (GET /status/{id} every poll interval) or
    // "status-sync" (GET /status-sync/{id}?wait=ms, held by RunPod until the job ends or wait
    // passes, then asked again at once: no poll-interval error). Neither uses /stream.
    std::string poll = "status";
    int statusSyncWaitMs = 30000; // 1000..300000; the official JS SDK asks for up to 90000
    // The input's shape: "worker-sdxl" (runpod-workers/worker-sdxl, the default) or "public"
    // (RunPod's public endpoints, e.g. black-forest-labs-flux-1-dev: guidance, image_format, one image).
    std::string inputFormat = "worker-sdxl";
    std::string imageFormat; // public endpoints: "jpeg" (theirs by default) or "png"; empty: not sent
    static RunPodOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// RunPod Serverless (docs/protocols.md §1): POST /run or /runsync, GET /status/{id}
// or /status-sync/{id}, POST /cancel/{id}, GET /health. delayTime (queue + cold start) and
// executionTime are in ms. Job ids are used exactly as RunPod gave them ("...-u1", "...-e1",
// "sync-...-u1"), escaped only where a URL path needs it.
class RunPodAdapter final : public Adapter {
public:
    explicit RunPodAdapter(RunPodOptions options);
    std::string type() const override { return "runpod"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState& job) const override;
    std::optional<HttpRequest> healthRequest() const override;
    std::optional<WorkerSample> parseHealth(const HttpResponse& response) const override;
    RateLimits defaultRateLimits() const override { return platformRateLimits(); }
    // The platform's documented limits, also stated by the type's descriptor.
    static RateLimits platformRateLimits();
    std::vector<std::string> operations() const override;

private:
    HttpRequest make(
        std::string method, const std::string& path, std::string body = {}, std::string operation = {}) const;
    HttpRequest statusRequest(const JobState& job) const;
    double nextPollDelayMs(const JobState& job, const HttpResponse& response) const;
    nlohmann::json input(const Job& job) const;
    std::string endpointUrl() const;
    RunPodOptions m_options;
};

} // namespace t2i
