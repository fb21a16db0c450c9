// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"
#include "registry/registry.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace t2i {

class JsonDoc;

// Where the answers keep what the benchmark reads: JSON pointers (RFC 6901), "" when not used.
// `images` may hold one "*" token for every element of an array ("/data/*/url"). Images may be
// URLs (downloaded, timed apart), data URIs or raw base64; a response whose Content-Type is
// image/* is the image itself.
struct HttpExtract {
    std::string image; // one image
    std::string images; // an array of images
    std::string status; // the job's state (poll: compared with done_values / failed_values)
    std::string queueMs, queueS; // queue time, in ms or in seconds
    std::string execMs, execS; // execution time, in ms or in seconds
    std::string jobId; // the platform's id of the job (fills {{job_id}})
    std::string error; // a failure's message
    std::string workerId;
    static HttpExtract fromJson(const nlohmann::json& extract);
};

struct HttpEndpoint {
    std::string method;
    std::string url; // a template; already joined to base_url
};

// Async APIs: after the submit, GET `url` every interval until the status is done or failed.
struct HttpPoll {
    HttpEndpoint request { "GET", {} };
    int intervalMs = 0; // 0: the run's poll interval
    std::vector<std::string> doneValues;
    std::vector<std::string> failedValues;
    std::optional<HttpEndpoint> result; // fetched once done, when the status answer holds no image
};

struct HttpAdapterOptions {
    HttpEndpoint submit { "POST", {} };
    std::vector<std::pair<std::string, std::string>> headers; // templates; sent with every request
    nlohmann::json body; // a JSON template (object/array), or a string template of JSON text; null: no body
    HttpExtract extract;
    std::optional<HttpPoll> poll;
    std::optional<HttpEndpoint> cancel;
    std::string apiKey;
    int pollIntervalMs = 250;
    static HttpAdapterOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// A URL of the config against the provider's base_url: a path ("/generate") is appended to it; an
// absolute URL keeps its path and query but takes base_url's scheme, host and path prefix, so a
// config written for production can be pointed at a private deployment or a fake.
std::string joinBaseUrl(const std::string& baseUrl, const std::string& url);

// Any HTTP API described by the config (docs/configuration.md, type "http"): a templated submit,
// then, for an async API, polls of a templated status URL until the status is one of
// done_values or failed_values, then optionally a result URL. Times and images are read with
// JSON pointers. JobState::scratch holds the phase: "submit", "poll" or "result".
class HttpAdapter final : public Adapter {
public:
    explicit HttpAdapter(HttpAdapterOptions options);
    std::string type() const override { return "http"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState& job) const override;

    // The request body of a job (exposed for tests and the docs' examples).
    std::string requestBody(const Job& job) const;

private:
    HttpRequest make(const HttpEndpoint& endpoint, const Job& job, const std::string& jobId, std::string body) const;
    void readTimes(JobState& job, const JsonDoc& body) const;
    Action takeImages(JobState& job, const HttpResponse& response, const JsonDoc& body) const;
    Action onStatus(JobState& job, const HttpResponse& response, const JsonDoc& body);
    HttpAdapterOptions m_options;
};

} // namespace t2i
