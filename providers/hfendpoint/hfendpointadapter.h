// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "apppayload/apppayload.h"
#include "engine/adapter.h"
#include "registry/registry.h"

namespace t2i {

struct HfEndpointOptions {
    std::string url; // https://<id>.<region>.<cloud>.endpoints.huggingface.cloud (base_url overrides)
    std::string apiKey; // hf_... token, sent as Bearer
    // X-Scale-Up-Timeout: how long HF's proxy holds a request while a replica starts; 0: not sent,
    // so a request to a scaled-to-zero endpoint is answered 503 at once.
    double scaleUpTimeoutS = 600;
    // "binary": Accept: image/png, the image is the body (the inference toolkit); "json": a custom
    // handler's JSON, read with `output`.
    std::string responseFormat = "binary";
    AppOutputSpec output = defaultOutput();
    // Which 503s are retried: "scale_up" (the body says the endpoint is loading / scaling /
    // scaled to zero, or gives estimated_time), "always", or "never".
    std::string retry503 = "scale_up";
    int max503Retries = 60; // then the request fails as Timeout; each retry counts as a poll
    double retry503DelayMs = 2000; // when the 503 names no estimated_time and no Retry-After
    // The management API (health: the endpoint's state and replicas), when namespace and name are set.
    std::string managementUrl = "https://api.endpoints.huggingface.cloud";
    std::string managementNamespace;
    std::string managementName;

    static AppOutputSpec defaultOutput(); // /image, /images, /generated_image
    static HfEndpointOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// Hugging Face Inference Endpoints, dedicated (docs/protocols.md §6): POST the
// text-to-image task payload {"inputs", "parameters"} to the endpoint's root, answered with the
// image bytes. Synchronous only: no job id, no cancel, no timings (queue and execution stay
// unknown). A scaled-to-zero endpoint answers 503 while a replica starts, unless X-Scale-Up-Timeout
// makes the proxy hold the request (then the cold start is latency). A 503 that says the endpoint is
// loading is retried within the request's timeout, after estimated_time, Retry-After or
// retry503DelayMs; each retry is counted in JobState::polls and named in providerStatus, and the
// request fails as Timeout after max503Retries.
class HfEndpointAdapter final : public Adapter {
public:
    explicit HfEndpointAdapter(HfEndpointOptions options);
    std::string type() const override { return "hf_endpoint"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState&) const override { return std::nullopt; }
    std::optional<HttpRequest> healthRequest() const override;
    std::optional<WorkerSample> parseHealth(const HttpResponse& response) const override;

    std::string requestBody(const Job& job) const;
    // Whether a 503's body says the endpoint is starting (and so worth waiting for).
    static bool saysScalingUp(const std::string& body);
    // The wait a 503 asks for: estimated_time (s), else Retry-After, else nullopt.
    static std::optional<double> scaleUpWaitMs(const HttpResponse& response);

private:
    Action onUnavailable(JobState& job, const HttpResponse& response);
    HfEndpointOptions m_options;
};

} // namespace t2i
