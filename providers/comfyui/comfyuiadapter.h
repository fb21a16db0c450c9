// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "comfyworkflow.h"
#include "engine/adapter.h"
#include "registry/registry.h"

#include "json/jsondoc.h"

#include <nlohmann/json.hpp>

namespace t2i {

struct ComfyUIOptions {
    std::string baseUrl = "http://127.0.0.1:8188"; // a proxy's prefix may be included (".../api")
    std::string apiKey; // ComfyUI has no auth; sent as Bearer only when set (a server behind an auth proxy)
    std::string workflowLabel; // where the workflow came from, for messages
    nlohmann::json workflow; // API format
    WorkflowSlots placed;
    std::string clientId; // one per adapter, as the web UI uses one per tab
    int pollIntervalMs = 250;
    int historyRetries = 2; // polls of an empty /history/{id} after the prompt left the queue
    // The workflow comes from provider.settings.workflow (resolved against provider.configDir),
    // else resources/comfyui/sdxl_txt2img_api.json; its `inputs` mapping, if any, places the
    // job's fields. Throws WorkflowError when the workflow cannot be read or a field has no place.
    static ComfyUIOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// The default workflow shipped in resources/ (SDXL base, txt2img, SaveImage).
std::string defaultComfyWorkflowPath();

// ComfyUI (docs/protocols.md §11): POST /prompt {prompt, client_id, prompt_id} with the
// variant's fields placed in the workflow; GET /queue while the prompt waits or runs (it tells which,
// and so which cancel route applies); then GET /history/{prompt_id} once, for the outcome, the
// execution timestamps and the output files, downloaded through /view (timed apart).
// Execution time = execution_success (or _error / _interrupted) - execution_start; queue time =
// execution_start - extra_data.create_time, both server-clock ms. Servers older than create_time
// leave the queue time unknown. Cancel: POST /queue {"delete": [id]} while pending, POST /interrupt
// {"prompt_id": id} once running. Health: GET /queue counts.
// JobState::scratch holds the phase: "queue" or "history:<empty answers so far>".
class ComfyUIAdapter final : public Adapter {
public:
    explicit ComfyUIAdapter(ComfyUIOptions options);
    std::string type() const override { return "comfyui"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState& job) const override;
    std::optional<HttpRequest> healthRequest() const override;
    std::optional<WorkerSample> parseHealth(const HttpResponse& response) const override;

    // The POST /prompt body (exposed for tests and the docs' examples).
    nlohmann::json requestBody(const Job& job, const std::string& promptId) const;

private:
    HttpRequest make(std::string method, const std::string& path, std::string body = {}) const;
    Action onSubmitted(JobState& job, const HttpResponse& response);
    Action onQueue(JobState& job, const JsonDoc& body);
    Action onHistory(JobState& job, const JsonDoc& body);
    std::string viewUrl(const JsonDoc& body, const JsonPointer& file) const;
    ComfyUIOptions m_options;
};

} // namespace t2i
