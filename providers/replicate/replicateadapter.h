// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"
#include "registry/registry.h"

namespace t2i {

struct ReplicateOptions {
    std::string baseUrl = "https://api.replicate.com/v1"; // up to and including /v1
    std::string apiKey;
    // Exactly one is used, in this order: a deployment, a version id, else a model ("owner/name").
    std::string model;
    std::string deployment;
    std::string version;
    int waitS = 0; // Prefer: wait=N (1..60); 0: not sent, the first answer is "starting"
    int pollIntervalMs = 250;
    static ReplicateOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// Replicate's predictions API (docs/protocols.md §2): POST a prediction to the model,
// deployment or version route, then GET urls.get until a terminal status. Queue time (cold boot
// included) is started_at - created_at; execution time is metrics.predict_time. JobState::scratch
// holds {"urls": {"get", "cancel"}, "metrics": {...}}: the poll and cancel URLs the platform gave,
// and its metrics verbatim for the cost model.
class ReplicateAdapter final : public Adapter {
public:
    explicit ReplicateAdapter(ReplicateOptions options);
    std::string type() const override { return "replicate"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState& job) const override;
    RateLimits defaultRateLimits() const override { return platformRateLimits(); }
    // The platform's documented limits, also stated by the type's descriptor.
    static RateLimits platformRateLimits();
    std::vector<std::string> operations() const override;

    // The JSON body of a create request (exposed for tests and the docs' examples).
    std::string requestBody(const Job& job) const;

private:
    HttpRequest make(std::string method, std::string url, std::string body = {}) const;
    std::string savedUrl(const JobState& job, const char* which, const std::string& fallbackPath) const;
    ReplicateOptions m_options;
};

} // namespace t2i
