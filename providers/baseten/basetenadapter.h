// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "apppayload/apppayload.h"
#include "engine/adapter.h"
#include "registry/registry.h"

#include <nlohmann/json.hpp>

namespace t2i {

struct BasetenOptions {
    std::string baseUrl; // https://model-{model_id}.api.baseten.co (base_url overrides)
    std::string modelId;
    std::string environment = "production";
    std::string deploymentId; // set: /deployment/{id}/... instead of /environments/{env}/...
    std::string apiKey; // sent as "Authorization: Api-Key <key>"
    std::string mode = "sync"; // "sync": /predict; "async": /async_predict, then /async_request/{id}
    nlohmann::json bodyTemplate = defaultBodyTemplate(); // the Truss's input (async: under model_input)
    AppOutputSpec output = defaultOutput(); // where the Truss's output holds the image and its time
    // Async: Baseten sends outputs only to a webhook. resultUrl is where the user's webhook
    // receiver serves the webhook body it got, with "{request_id}" in it; the model output is at
    // outputPointer within that body. Baseten's key is never sent there.
    std::string resultUrl;
    std::string webhookEndpoint; // sent as webhook_endpoint ("" when the deployment has a default)
    std::string outputPointer = "/data";
    std::optional<int> priority; // 0..2
    std::optional<int> maxTimeInQueueS; // 10..259200
    bool sampleQueue = false; // GET .../async_queue_status as the health sample ([UNCONFIRMED] route)
    int pollIntervalMs = 250;

    // The SDXL Truss's input: {"prompt", "width", "height", "num_inference_steps", "guidance_scale", "seed"}.
    static nlohmann::json defaultBodyTemplate();
    // The SDXL Truss's output {"status", "data": base64, "time": seconds}; /images and /image too.
    static AppOutputSpec defaultOutput();
    static BasetenOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// Baseten (docs/protocols.md §7). Sync: POST the Truss's input to
// /environments/{env}/predict (or /deployment/{id}/predict), answered with the Truss's output.
// Async: POST {"model_input", "webhook_endpoint", ...} to .../async_predict -> {"request_id"};
// GET /async_request/{id} until SUCCEEDED (QUEUED, IN_PROGRESS on the way; FAILED, EXPIRED,
// CANCELED, WEBHOOK_FAILED end it). Queue time is status_at(IN_PROGRESS) - created_at and
// execution time status_at(SUCCEEDED) - status_at(IN_PROGRESS), Baseten's own timestamps; unknown
// when IN_PROGRESS was never seen. Then the webhook body is fetched from resultUrl. Cancel: DELETE
// /async_request/{id} (Baseten cancels only QUEUED requests). The Truss's own "time" is read as
// execution time in sync mode (extract.exec_s). JobState::scratch holds {"phase", "created_us",
// "started_us"}.
class BasetenAdapter final : public Adapter {
public:
    explicit BasetenAdapter(BasetenOptions options);
    std::string type() const override { return "baseten"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState& job) const override;
    std::optional<HttpRequest> healthRequest() const override;
    std::optional<WorkerSample> parseHealth(const HttpResponse& response) const override;

    std::string requestBody(const Job& job) const;
    std::string routePrefix() const; // "/environments/production" or "/deployment/{id}"

private:
    HttpRequest make(std::string method, const std::string& path, std::string body = {}) const;
    HttpRequest statusRequest(const JobState& job) const;
    Action onSubmitted(JobState& job, const JsonDoc& body);
    Action onStatus(JobState& job, const JsonDoc& body);
    Action onAsyncResult(JobState& job, const HttpResponse& response);
    // The Truss's output: an image body, or the JSON at output in body.
    Action onOutput(JobState& job, const HttpResponse& response, const JsonDoc& body, const JsonPointer& output);
    BasetenOptions m_options;
};

} // namespace t2i
