// SPDX-License-Identifier: Apache-2.0
#include "togetheradapter.h"

#include "util/base64.h"
#include "json/answertext.h"
#include "json/jsondoc.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace t2i {
namespace {

using nlohmann::json;

// {"error": {"message", "type", "param", "code"}} (OpenAI's shape, docs/protocols.md §8.3); a bare string or a
// body that is not JSON at all is kept as the message.
struct ApiError {
    std::string message;
    std::string tag; // code, else type
};

ApiError readError(const JsonDoc& body, const std::string& raw)
{
    const JsonPointer at("/error");
    const JsonType type = body.type(at);
    if (type == JsonType::Absent)
        return { bodyExcerpt(raw), {} };
    if (type != JsonType::Object)
        return { body.text(at), {} };
    const std::string code = safeText(body.string(at / "code"), 200);
    std::string message = safeText(body.string(at / "message"), 1000);
    if (message.empty())
        message = body.text(at);
    return { message, code.empty() ? safeText(body.string(at / "type"), 200) : code };
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
    // The config validator refuses a bad pointer; one that slips through leads nowhere.
    if (m_options.execSecondsPointer.starts_with("/"))
        m_execSeconds = m_options.execSecondsPointer;
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
        return noAnswerFailure(response);
    const JsonDoc body(response.body);
    if (response.status >= 400) {
        const ApiError error = readError(body, response.body);
        job.providerStatus = error.tag;
        const ErrorClass cls = response.status < 500 && isFilteredCode(error.tag) ? ErrorClass::ContentFiltered
                                                                                  : classifyHttpStatus(response.status);
        return Action::fail(cls,
            "HTTP " + std::to_string(response.status) + (error.tag.empty() ? "" : " " + error.tag) + ": "
                + error.message);
    }
    if (!body.valid())
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from Together (" + body.error() + "): " + bodyExcerpt(response.body, 200));
    if (body.rootType() != JsonType::Object)
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from Together: " + body.at("").mismatch("an object") + ": "
                + bodyExcerpt(response.body, 200));
    job.accepted = true;
    job.jobId = body.string("/id");
    job.providerStatus = "completed";
    if (m_execSeconds)
        if (const auto ms = secondsToMs(body.number(*m_execSeconds))) // to the µs, no binary noise
            job.execMs = ms;
    const JsonPointer data("/data");
    const std::size_t n = body.elements(data);
    for (std::size_t i = 0; i < n; ++i) {
        // The item's own "type" says which field it carries; b64_json wins if both are there.
        const JsonPointer item = data / i;
        bool took = false;
        std::size_t length = 0;
        const auto take = [&](std::string_view text) {
            length = text.size();
            took = !text.empty() && job.takeImage(text);
        };
        if (body.withString(item / "b64_json", take) && length > 0) {
            if (!took)
                return Action::fail(ErrorClass::InvalidImage, "data[].b64_json is not base64");
        } else if (body.withString(item / "url", take) && length > 0 && !took) {
            return Action::fail(ErrorClass::InvalidImage, "data[].url is not an http(s) URL or a data URI");
        }
    }
    if (job.images.empty() && job.imageUrls.empty())
        return Action::fail(ErrorClass::InvalidImage,
            "HTTP " + std::to_string(response.status) + " without an image in data[] (data is "
                + body.at(data).describe() + ")");
    return Action::done();
}

} // namespace t2i
