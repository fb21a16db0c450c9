// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"
#include "registry/registry.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace t2i {

struct TogetherOptions {
    std::string baseUrl = "https://api.together.xyz/v1"; // up to and including /v1
    std::string apiKey;
    std::string model; // empty: the variant's model
    std::string responseFormat = "base64"; // "base64" (inline b64_json) or "url" (downloaded, timed apart)
    std::string outputFormat; // "png" or "jpeg"; empty: not sent (Together's default, jpeg)
    bool sendGuidance = false; // guidance_scale is not used by every model (FLUX schnell ignores it)
    // Together documents no timing in the answer (docs/protocols.md §8.2). A deployment that sends one
    // names it here: a JSON pointer to an execution time in seconds. Empty: execution stays unknown.
    std::string execSecondsPointer;
    // error.code / error.type values that mean the prompt or image was refused by a safety filter.
    // Together's error codes are not documented ([UNCONFIRMED], docs/protocols.md §8.3); OpenAI's are the default.
    std::vector<std::string> filteredCodes = { "content_policy_violation", "moderation_blocked", "nsfw" };
    static TogetherOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// Together AI's images API (docs/protocols.md §8): one synchronous
// POST /images/generations with Together's own field names (width, height, steps, n, seed,
// response_format "base64" | "url"); the answer's data[] holds b64_json or url items. No job
// API: no polling, no cancel, no health route, no queue time.
class TogetherAdapter final : public Adapter {
public:
    explicit TogetherAdapter(TogetherOptions options);
    std::string type() const override { return "together"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState&) const override { return std::nullopt; }

    // The JSON body of a generation request (exposed for tests and the docs' examples).
    std::string requestBody(const Job& job) const;

private:
    bool isFilteredCode(const std::string& code) const;
    TogetherOptions m_options;
    std::optional<std::string> m_execSeconds; // the exec_s_pointer; unset when empty or not a pointer
};

} // namespace t2i
