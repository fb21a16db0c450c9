// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"
#include "registry/registry.h"

#include <nlohmann/json.hpp>

namespace t2i {

class JsonDoc;

struct FalOptions {
    std::string queueBase = "https://queue.fal.run";
    std::string syncBase = "https://fal.run";
    std::string apiKey;
    std::string app = "fal-ai/fast-sdxl"; // "owner/app[/path]"
    bool sync = false; // mode "sync": one POST to the sync route; else the queue
    int pollIntervalMs = 250;
    static FalOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// The app id of a model id: its first two segments ("fal-ai/flux/dev" -> "fal-ai/flux"). The
// queue's status, result and cancel routes use only the app id (docs/protocols.md §3.1).
std::string falAppId(const std::string& app);

// fal.ai's queue API (docs/protocols.md §3): POST the input to {queue}/{app}, GET the
// returned status_url until COMPLETED (execution time from metrics.inference_time), then GET the
// response_url for the images. fal reports no queue time, so queueMs stays unknown. Mode sync:
// one POST to {sync}/{app} answered with the result (execution time from timings.inference).
// JobState::scratch holds {"phase", "status_url", "response_url", "cancel_url"}.
class FalAdapter final : public Adapter {
public:
    explicit FalAdapter(FalOptions options);
    std::string type() const override { return "fal"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState& job) const override;

    // The model input, sent as the whole body (fal has no wrapper object).
    std::string requestBody(const Job& job) const;

private:
    HttpRequest make(std::string method, std::string url, std::string body = {}) const;
    std::string requestUrl(const JobState& job, const char* which) const;
    Action onSubmitted(JobState& job, const JsonDoc& body);
    Action onStatus(JobState& job, const JsonDoc& body);
    Action onResult(JobState& job, const JsonDoc& body);
    FalOptions m_options;
};

} // namespace t2i
