// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"
#include "registry/registry.h"

namespace t2i {

struct OpenAIOptions {
    std::string baseUrl = "https://api.openai.com/v1"; // up to and including /v1
    std::string apiKey;
    std::string model; // empty: the variant's model
    std::string responseFormat; // "b64_json" or "url"; empty: sent only for dall-e models (as b64_json)
    static OpenAIOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// OpenAI's Images API (docs/protocols.md §9) and servers that copy it (LocalAI, §14):
// one synchronous POST /images/generations whose answer is final. No job API: no polling, no
// cancel, no health endpoint, no queue time. openai-processing-ms, where sent, is the server's
// whole time (queueing inside it cannot be told apart), read as execution time.
class OpenAIAdapter final : public Adapter {
public:
    explicit OpenAIAdapter(OpenAIOptions options, std::string type = "openai");
    std::string type() const override { return m_type; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState&) const override { return std::nullopt; }
    // retry-after-ms (ms) when present, else retry-after (s).
    std::optional<double> retryAfterMs(const HttpResponse& response) const override;

    // The JSON body of a generation request (exposed for tests and the docs' examples).
    std::string requestBody(const Job& job) const;

private:
    OpenAIOptions m_options;
    std::string m_type;
};

} // namespace t2i
