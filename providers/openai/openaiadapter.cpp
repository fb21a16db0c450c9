// SPDX-License-Identifier: Apache-2.0
#include "openaiadapter.h"

#include "util/base64.h"

#include <nlohmann/json.hpp>

#include <charconv>

namespace t2i {
namespace {

using nlohmann::json;

std::optional<double> numberHeader(const HttpResponse& response, std::string_view name)
{
    const std::string value = response.header(name);
    double number = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || ec != std::errc() || number < 0)
        return std::nullopt;
    return number;
}

// {"error": {"message", "type", "param", "code"}}; LocalAI and others may send less.
struct ApiError {
    std::string message;
    std::string type;
    std::string code;
};

ApiError readError(const json& body, const std::string& raw)
{
    ApiError error;
    const auto it = body.is_object() ? body.find("error") : body.end();
    if (it == body.end()) {
        error.message = raw.substr(0, 300);
        return error;
    }
    if (it->is_string()) {
        error.message = it->get<std::string>();
        return error;
    }
    if (!it->is_object()) {
        error.message = it->dump();
        return error;
    }
    const auto text = [&](const char* key) {
        const auto field = it->find(key);
        return field != it->end() && field->is_string() ? field->get<std::string>() : std::string();
    };
    error.message = text("message");
    error.type = text("type");
    error.code = text("code");
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
        return Action::fail(response.timedOut ? ErrorClass::Timeout : ErrorClass::Transport, response.transportError);
    // Known on errors too: it is what OpenAI's support asks for.
    if (const std::string id = response.header("x-request-id"); !id.empty())
        job.jobId = id;
    if (const auto processing = numberHeader(response, "openai-processing-ms"))
        job.execMs = processing;
    const json body = json::parse(response.body, nullptr, false);
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
    if (body.is_discarded() || !body.is_object())
        return Action::fail(
            ErrorClass::ServerError, "malformed JSON from the Images API: " + response.body.substr(0, 200));
    job.accepted = true;
    job.providerStatus = "completed";
    // Token usage (GPT image models) is what they bill by: kept verbatim for the cost model.
    if (const auto usage = body.find("usage"); usage != body.end() && usage->is_object())
        job.scratch = job.reportedUsage = usage->dump();
    if (const auto data = body.find("data"); data != body.end() && data->is_array()) {
        for (const json& item : *data) {
            if (!item.is_object())
                continue;
            if (const auto b64 = item.find("b64_json"); b64 != item.end() && b64->is_string()) {
                if (auto bytes = decodeInlineImage(b64->get<std::string>()))
                    job.images.push_back(std::move(*bytes));
            } else if (const auto url = item.find("url"); url != item.end() && url->is_string()) {
                job.imageUrls.push_back(url->get<std::string>());
            }
        }
    }
    if (job.images.empty() && job.imageUrls.empty())
        return Action::fail(ErrorClass::InvalidImage, "HTTP 200 without an image in data[]");
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
