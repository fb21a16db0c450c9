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
    static RunPodOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// RunPod Serverless (shared/reference/providers.md §1): POST /run or /runsync, GET /status/{id},
// POST /cancel/{id}, GET /health. delayTime (queue + cold start) and executionTime are in ms.
class RunPodAdapter final : public Adapter {
public:
    explicit RunPodAdapter(RunPodOptions options);
    std::string type() const override { return "runpod"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState& job) const override;
    std::optional<HttpRequest> healthRequest() const override;
    std::optional<WorkerSample> parseHealth(const HttpResponse& response) const override;

private:
    HttpRequest make(std::string method, const std::string& path, std::string body = {}) const;
    HttpRequest statusRequest(const JobState& job) const;
    std::string endpointUrl() const;
    RunPodOptions m_options;
};

} // namespace t2i
