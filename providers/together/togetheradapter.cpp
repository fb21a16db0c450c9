// SPDX-License-Identifier: Apache-2.0
#include "togetheradapter.h"

#include "util/base64.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace t2i {
namespace {

using nlohmann::json;

std::string text(const json& object, const char* key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// {"error": {"message", "type", "param", "code"}} (OpenAI's shape, docs/protocols.md §8.3); a bare string or a
// body that is not JSON at all is kept as the message.
struct ApiError {
    std::string message;
    std::string tag; // code, else type
};

ApiError readError(const json& body, const std::string& raw)
{
    const auto it = body.is_object() ? body.find("error") : body.end();
    if (it == body.end())
        return { raw.substr(0, 300), {} };
    if (it->is_string())
        return { it->get<std::string>(), {} };
    const std::string code = text(*it, "code");
    return { text(*it, "message"), code.empty() ? text(*it, "type") : code };
}

} // namespace

TogetherOptions TogetherOptions::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    TogetherOptions options;
    if (!context.baseUrl.empty())
        options.baseUrl = context.baseUrl;
    options.baseUrl = withoutTrailingSlashes(std::move(options.baseUrl));
    options.apiKey = context.apiKey;
    const json& s = provider.settings;
    if (!s.is_object())
        return options;
    options.model = s.value("model", std::string());
    options.responseFormat = s.value("response_format", options.responseFormat);
    options.outputFormat = s.value("output_format", std::string());
    options.sendGuidance = s.value("send_guidance", false);
    options.execSecondsPointer = s.value("exec_s_pointer", std::string());
    if (const auto codes = s.find("filtered_codes"); codes != s.end() && codes->is_array()) {
        options.filteredCodes.clear();
        for (const json& code : *codes)
            if (code.is_string())
                options.filteredCodes.push_back(code.get<std::string>());
    }
    return options;
}

TogetherAdapter::TogetherAdapter(TogetherOptions options)
    : m_options(std::move(options))
{
    // The config validator refuses a bad pointer; one that slips through is ignored, never thrown.
    if (!m_options.execSecondsPointer.empty()) {
        try {
            m_execSeconds = json::json_pointer(m_options.execSecondsPointer);
        } catch (const json::exception&) {
        }
    }
}

std::string TogetherAdapter::requestBody(const Job& job) const
{
    const VariantConfig& v = job.variant;
    json body = { { "model", m_options.model.empty() ? v.model : m_options.model }, { "prompt", job.prompt },
        { "width", v.width }, { "height", v.height }, { "steps", v.steps }, { "n", v.images }, { "seed", job.seed },
        { "response_format", m_options.responseFormat } };
    if (!m_options.outputFormat.empty())
        body["output_format"] = m_options.outputFormat;
    if (m_options.sendGuidance)
        body["guidance_scale"] = v.guidance;
    return body.dump();
}

HttpRequest TogetherAdapter::submit(JobState& job)
{
    return jsonRequest(
        "POST", m_options.baseUrl + "/images/generations", "Bearer " + m_options.apiKey, requestBody(job.job));
}

bool TogetherAdapter::isFilteredCode(const std::string& code) const
{
    return !code.empty()
        && std::find(m_options.filteredCodes.begin(), m_options.filteredCodes.end(), code)
        != m_options.filteredCodes.end();
}

Action TogetherAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return Action::fail(response.timedOut ? ErrorClass::Timeout : ErrorClass::Transport, response.transportError);
    const json body = json::parse(response.body, nullptr, false);
    if (response.status >= 400) {
        const ApiError error = readError(body, response.body);
        job.providerStatus = error.tag;
        const ErrorClass cls = response.status < 500 && isFilteredCode(error.tag) ? ErrorClass::ContentFiltered
                                                                                  : classifyHttpStatus(response.status);
        return Action::fail(cls,
            "HTTP " + std::to_string(response.status) + (error.tag.empty() ? "" : " " + error.tag) + ": "
                + error.message);
    }
    if (body.is_discarded() || !body.is_object())
        return Action::fail(ErrorClass::ServerError, "malformed JSON from Together: " + response.body.substr(0, 200));
    job.accepted = true;
    job.jobId = text(body, "id");
    job.providerStatus = "completed";
    if (m_execSeconds && body.contains(*m_execSeconds) && body.at(*m_execSeconds).is_number())
        job.execMs = std::round(body.at(*m_execSeconds).get<double>() * 1e6) / 1e3; // to the µs, no binary noise
    const auto data = body.find("data");
    if (data != body.end() && data->is_array())
        for (const json& item : *data) {
            // The item's own "type" says which field it carries; b64_json wins if both are there.
            const std::string b64 = text(item, "b64_json");
            const std::string url = text(item, "url");
            if (!b64.empty()) {
                if (!job.takeImage(b64))
                    return Action::fail(ErrorClass::InvalidImage, "data[].b64_json is not base64");
            } else if (!url.empty() && !job.takeImage(url)) {
                return Action::fail(ErrorClass::InvalidImage, "data[].url is not an http(s) URL or a data URI");
            }
        }
    if (job.images.empty() && job.imageUrls.empty())
        return Action::fail(ErrorClass::InvalidImage, "HTTP 200 without an image in data[]");
    return Action::done();
}

} // namespace t2i
