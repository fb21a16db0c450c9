// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "apppayload/apppayload.h"
#include "engine/adapter.h"
#include "registry/registry.h"

#include <nlohmann/json.hpp>

namespace t2i {

struct ModalOptions {
    std::string url; // the web endpoint, e.g. "https://ws--app-generate.modal.run" (base_url overrides)
    std::string mode = "sync"; // "sync": one POST answered with the image; "spawn": submit, then poll
    std::string apiKey;
    // "proxy": Modal's proxy auth, the key is "wk-...:ws-..." sent as Modal-Key and Modal-Secret;
    // "bearer": the app checks "Authorization: Bearer <key>" itself; "none": a public endpoint.
    std::string authScheme = "proxy";
    HttpHeaders headers; // the config's extra headers (never secrets)
    nlohmann::json bodyTemplate = defaultBodyTemplate();
    AppOutputSpec output = defaultOutput();
    // Spawn mode's routes on the app, per Modal's documented job-queue pattern (docs/protocols.md §4.2).
    std::string submitPath = "/accept";
    std::string resultPath = "/result/{call_id}";
    std::string cancelPath; // "": the app exposes no cancel route (Modal's web layer has none)
    std::string cancelMethod = "POST";
    std::string callIdPointer = "/call_id";
    int pollIntervalMs = 250;

    // {"prompt", "width", "height", "num_inference_steps", "guidance_scale", "seed", "num_images"}.
    static nlohmann::json defaultBodyTemplate();
    // Images at /images or /image; inference_s (app-measured seconds) as execution time;
    // container_id as the worker (our benchmark-app convention, docs/protocols.md §4.3).
    static AppOutputSpec defaultOutput();
    static ModalOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// Modal web endpoints (docs/protocols.md §4). Modal runs the user's app, so the body
// and the answer are the app's: a template and JSON pointers say where things are. An answer with
// an image/* content type is the image itself. Modal reports no timings: a cold start shows only as
// latency; execution time is read only when the app reports it (extract.exec_s). Long calls are
// answered with 303 to a result URL, which the transport follows. Mode spawn: POST {url}{submit_path}
// -> {"call_id"}, then GET {url}{result_path} until 200 (202 while running).
// JobState::scratch holds {"phase", "result_url"}.
class ModalAdapter final : public Adapter {
public:
    explicit ModalAdapter(ModalOptions options);
    std::string type() const override { return "modal"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState& job) const override;

    std::string requestBody(const Job& job) const;

private:
    HttpRequest make(std::string method, std::string url, std::string body = {}) const;
    std::string routeUrl(const std::string& path, const std::string& callId) const;
    Action onSubmitted(JobState& job, const HttpResponse& response);
    Action onResult(JobState& job, const HttpResponse& response, bool polling);
    Action failHttp(const HttpResponse& response, bool polling) const;
    ModalOptions m_options;
};

} // namespace t2i
