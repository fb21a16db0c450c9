// SPDX-License-Identifier: Apache-2.0
#include "openaiadapter.h"

#include "util/base64.h"
#include "json/answertext.h"
#include "json/jsondoc.h"

#include <nlohmann/json.hpp>

namespace t2i {
namespace {

using nlohmann::json;

std::optional<double> numberHeader(const HttpResponse& response, std::string_view name)
{
    return headerNumber(response.header(name));
}

// {"error": {"message", "type", "param", "code"}}; LocalAI and others may send less.
struct ApiError {
    std::string message;
    std::string type;
    std::string code;
};

ApiError readError(const JsonDoc& body, const std::string& raw)
{
    ApiError error;
    const JsonPointer at("/error");
    const JsonType type = body.type(at);
    if (type == JsonType::Absent) {
        error.message = bodyExcerpt(raw);
        return error;
    }
    if (type != JsonType::Object) {
        error.message = body.text(at);
        return error;
    }
    error.message = safeText(body.string(at / "message"), 1000);
    error.type = safeText(body.string(at / "type"), 200);
    error.code = safeText(body.string(at / "code"), 200);
    if (error.message.empty())
        error.message = body.text(at);
    return error;
}

} // namespace

OpenAIOptions OpenAIOptions::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    OpenAIOptions options;
    if (!context.baseUrl.empty())
        options.baseUrl = context.baseUrl;
    options.baseUrl = withoutTrailingSlashes(std::move(options.baseUrl));
    options.apiKey = context.apiKey;
    options.model = provider.settings.value("model", std::string());
    options.responseFormat = provider.settings.value("response_format", std::string());
    return options;
}

OpenAIAdapter::OpenAIAdapter(OpenAIOptions options, std::string type)
    : m_options(std::move(options))
    , m_type(std::move(type))
{
}

std::string OpenAIAdapter::requestBody(const Job& job) const
{
    const VariantConfig& v = job.variant;
    const std::string model = m_options.model.empty() ? v.model : m_options.model;
    // The API has no seed, steps or guidance; the variant's are not sent (docs/providers.md).
    json body = { { "model", model }, { "prompt", job.prompt }, { "n", v.images },
        { "size", std::to_string(v.width) + "x" + std::to_string(v.height) } };
    // GPT image models always answer b64_json and may refuse the field; dall-e defaults to url,
    // which would add a download the user did not ask for.
    if (!m_options.responseFormat.empty())
        body["response_format"] = m_options.responseFormat;
    else if (model.starts_with("dall-e"))
        body["response_format"] = "b64_json";
    return body.dump();
}

HttpRequest OpenAIAdapter::submit(JobState& job)
{
    return jsonRequest(
        "POST", m_options.baseUrl + "/images/generations", "Bearer " + m_options.apiKey, requestBody(job.job));
}

Action OpenAIAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return noAnswerFailure(response);
    // Known on errors too: it is what OpenAI's support asks for.
    if (const std::string id = safeText(response.header("x-request-id"), 200); !id.empty())
        job.jobId = id;
    if (const auto processing = numberHeader(response, "openai-processing-ms"))
        job.execMs = processing;
    const JsonDoc body(response.body);
    if (response.status >= 400) {
        const ApiError error = readError(body, response.body);
        job.providerStatus = error.code.empty() ? error.type : error.code;
        const bool filtered = error.code == "content_policy_violation" || error.code == "moderation_blocked";
        const ErrorClass cls
            = filtered && response.status == 400 ? ErrorClass::ContentFiltered : classifyHttpStatus(response.status);
        const std::string tag = error.code.empty() ? error.type : error.code;
        return Action::fail(
            cls, "HTTP " + std::to_string(response.status) + (tag.empty() ? "" : " " + tag) + ": " + error.message);
    }
    if (!body.valid())
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from the Images API (" + body.error() + "): " + bodyExcerpt(response.body, 200));
    if (body.rootType() != JsonType::Object)
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from the Images API: " + body.at("").mismatch("an object") + ": "
                + bodyExcerpt(response.body, 200));
    job.accepted = true;
    job.providerStatus = "completed";
    // Token usage (GPT image models) is what they bill by: kept verbatim for the cost model.
    if (body.type("/usage") == JsonType::Object)
        if (auto usage = body.json("/usage"))
            job.scratch = job.reportedUsage = std::move(*usage);
    const JsonPointer data("/data");
    const std::size_t n = body.elements(data);
    for (std::size_t i = 0; i < n; ++i) {
        const JsonPointer item = data / i;
        const bool inlined
            = body.withString(item / "b64_json", [&job](std::string_view b64) { job.takeInlineImage(b64); });
        if (!inlined)
            body.withString(item / "url", [&job](std::string_view url) {
                if (isUsableUrl(url))
                    job.imageUrls.emplace_back(url);
            });
    }
    if (job.images.empty() && job.imageUrls.empty())
        return Action::fail(ErrorClass::InvalidImage,
            "HTTP " + std::to_string(response.status) + " without an image in data[] (data is "
                + body.at(data).describe() + ")");
    return Action::done();
}

std::optional<double> OpenAIAdapter::retryAfterMs(const HttpResponse& response) const
{
    // The official SDKs prefer the millisecond header: it is finer and OpenAI sends both.
    if (const auto ms = numberHeader(response, "retry-after-ms"))
        return ms;
    return Adapter::retryAfterMs(response);
}

} // namespace t2i
