// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"
#include "openai/openaiadapter.h"
#include "registry/registry.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace t2i {

class JsonDoc;

struct SdCppOptions {
    std::string baseUrl = "http://127.0.0.1:1234"; // sd-server's default (--listen-ip, --listen-port)
    std::string apiKey; // sd-server has no auth; sent as Bearer only when set (a proxy in front)
    std::string mode = "async"; // "async" (native job API), "openai", "sdapi"
    std::string sampler; // sample_method (async, openai) or sampler_name (sdapi); empty: the server's
    int pollIntervalMs = 250;
    static SdCppOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// The arguments sd-server reads from an OpenAI prompt (docs/protocols.md §13.2):
// "<sd_cpp_extra_args>{seed, sample_params: {sample_steps, guidance: {txt_cfg}}}</sd_cpp_extra_args>".
std::string sdCppExtraArgs(const Job& job, const std::string& sampler);

// stable-diffusion.cpp's sd-server, native async API (docs/protocols.md §13.4):
// POST /sdcpp/v1/img_gen -> 202 {id, poll_url}; GET poll_url until completed, failed or cancelled;
// images inline as b64_json. Timestamps are whole unix seconds: queue = started - created and
// execution = completed - started, so both have a 1 s resolution. 429 when the job queue is full
// (no Retry-After: the engine backs off). Cancel: POST /sdcpp/v1/jobs/{id}/cancel, which cancels
// a queued job; a generating one cannot be stopped (409) and runs to its end.
// JobState::scratch holds the poll path.
class SdCppAdapter final : public Adapter {
public:
    explicit SdCppAdapter(SdCppOptions options);
    std::string type() const override { return "sdcpp"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState& job) const override;

    // The native img_gen body (exposed for tests and the docs' examples).
    nlohmann::json requestBody(const Job& job) const;

private:
    HttpRequest make(std::string method, const std::string& path, std::string body = {}) const;
    Action onJob(JobState& job, const JsonDoc& body);
    SdCppOptions m_options;
};

// sd-server's OpenAI-compatible route (mode "openai"): the OpenAI adapter's request and answer,
// with the variant's seed, steps and guidance carried in the prompt as sd_cpp_extra_args, since
// the OpenAI body has no place for them. No timings, no cancel.
class SdCppOpenAIAdapter final : public Adapter {
public:
    explicit SdCppOpenAIAdapter(SdCppOptions options);
    std::string type() const override { return "sdcpp"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState&) const override { return std::nullopt; }

private:
    SdCppOptions m_options;
    OpenAIAdapter m_openai;
};

// The adapter for a provider of type "sdcpp", by its mode; sdapi is the A1111 adapter without
// X-Process-Time, /progress or /interrupt, which sd-server lacks.
std::unique_ptr<Adapter> makeSdCppAdapter(const ProviderConfig& provider, const AdapterContext& context);

} // namespace t2i
