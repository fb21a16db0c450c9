// SPDX-License-Identifier: Apache-2.0
#include "httpadapter.h"

#include "httptemplate.h"
#include "json/answertext.h"
#include "json/jsondoc.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace t2i {
namespace {

using nlohmann::json;

// A string setting of the provider's configuration (read with nlohmann: configurations are
// validated before a run; platform answers are read with JsonDoc).
std::string setting(const json& object, const char* key, std::string fallback = {})
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

std::vector<std::string> strings(const json& object, const char* key)
{
    std::vector<std::string> out;
    if (!object.is_object() || !object.contains(key) || !object[key].is_array())
        return out;
    for (const json& item : object[key])
        out.push_back(item.is_string() ? item.get<std::string>() : item.dump()); // numeric states: 2 -> "2"
    return out;
}

std::optional<HttpEndpoint> endpoint(const json& object, const std::string& baseUrl, const char* method)
{
    if (!object.is_object() || setting(object, "url").empty())
        return std::nullopt;
    return HttpEndpoint { setting(object, "method", method), joinBaseUrl(baseUrl, setting(object, "url")) };
}

// The first value a pointer ("*" for every element of an array) reaches, if any.
std::optional<JsonPointer> first(const JsonDoc& body, const std::string& pointer)
{
    if (pointer.empty())
        return std::nullopt;
    auto found = body.expand(JsonPointer(pointer));
    if (found.empty())
        return std::nullopt;
    return std::move(found.front());
}

// A status or message as text: strings as they are, other scalars as JSON (2, true); "" for
// null and nothing.
std::string asText(const JsonDoc& body, const std::optional<JsonPointer>& at)
{
    if (!at)
        return {};
    const JsonType type = body.type(*at);
    if (type == JsonType::Absent || type == JsonType::Null)
        return {};
    return body.text(*at);
}

// An id (a job's, a worker's): a string, or a number as written (42); a container or null is no id.
std::string idText(const JsonDoc& body, const std::optional<JsonPointer>& at)
{
    if (!at)
        return {};
    const JsonType type = body.type(*at);
    if (type != JsonType::String && type != JsonType::Number)
        return {};
    return safeText(body.text(*at), 1000);
}

std::optional<double> number(const JsonDoc& body, const std::string& pointer, double scale)
{
    const auto at = first(body, pointer);
    const auto value = at ? body.number(*at) : std::nullopt;
    if (!value || *value < 0)
        return std::nullopt;
    // Rounded to the µs so that a seconds value x1000 adds no binary noise.
    const double ms = std::round(*value * scale * 1e3) / 1e3;
    return std::isfinite(ms) ? std::optional<double>(ms) : std::nullopt;
}

bool contains(const std::vector<std::string>& list, const std::string& value)
{
    return std::find(list.begin(), list.end(), value) != list.end();
}

bool isImageBody(const HttpResponse& response)
{
    return response.header("content-type").starts_with("image/");
}

// "scheme://host[:port]" of a URL ("" when it has none).
std::string originOf(const std::string& url)
{
    const auto scheme = url.find("://");
    if (scheme == std::string::npos)
        return {};
    return url.substr(0, url.find('/', scheme + 3));
}

} // namespace

HttpExtract HttpExtract::fromJson(const json& extract)
{
    HttpExtract e;
    e.image = setting(extract, "image");
    e.images = setting(extract, "images");
    e.status = setting(extract, "status");
    e.queueMs = setting(extract, "queue_ms");
    e.queueS = setting(extract, "queue_s");
    e.execMs = setting(extract, "exec_ms");
    e.execS = setting(extract, "exec_s");
    e.jobId = setting(extract, "job_id");
    e.error = setting(extract, "error");
    e.workerId = setting(extract, "worker_id");
    return e;
}

std::string joinBaseUrl(const std::string& baseUrl, const std::string& url)
{
    const std::string base = withoutTrailingSlashes(baseUrl);
    if (base.empty())
        return url;
    if (url.starts_with("/"))
        return base + url;
    const auto scheme = url.find("://");
    if (scheme == std::string::npos)
        return url;
    const auto pathStart = url.find('/', scheme + 3);
    return base + (pathStart == std::string::npos ? std::string() : url.substr(pathStart));
}

HttpAdapterOptions HttpAdapterOptions::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    HttpAdapterOptions options;
    options.apiKey = context.apiKey;
    options.pollIntervalMs = context.pollIntervalMs;
    const json& s = provider.settings;
    if (!s.is_object())
        return options;
    options.submit = { setting(s, "method", "POST"), joinBaseUrl(context.baseUrl, setting(s, "url")) };
    if (s.contains("headers") && s["headers"].is_object())
        for (const auto& [name, value] : s["headers"].items())
            if (value.is_string())
                options.headers.emplace_back(name, value.get<std::string>());
    if (s.contains("body"))
        options.body = s["body"];
    if (s.contains("extract"))
        options.extract = HttpExtract::fromJson(s["extract"]);
    if (s.contains("poll") && s["poll"].is_object()) {
        const json& p = s["poll"];
        if (auto request = endpoint(p, context.baseUrl, "GET")) {
            HttpPoll poll;
            poll.request = *request;
            poll.intervalMs = p.value("interval_ms", 0);
            poll.doneValues = strings(p, "done_values");
            poll.failedValues = strings(p, "failed_values");
            if (p.contains("result"))
                poll.result = endpoint(p["result"], context.baseUrl, "GET");
            options.poll = std::move(poll);
        }
    }
    if (s.contains("cancel"))
        options.cancel = endpoint(s["cancel"], context.baseUrl, "POST");
    return options;
}

HttpAdapter::HttpAdapter(HttpAdapterOptions options)
    : m_options(std::move(options))
{
}

std::string HttpAdapter::requestBody(const Job& job) const
{
    const TemplateValues values { &job, {}, {} }; // the key never goes into a body (the validator refuses it)
    if (m_options.body.is_null())
        return {};
    if (m_options.body.is_string())
        return fillText(m_options.body.get_ref<const std::string&>(), values, TemplateEscape::Json);
    return fillJson(m_options.body, values).dump();
}

HttpRequest HttpAdapter::make(
    const HttpEndpoint& endpoint, const Job& job, const std::string& jobId, std::string body) const
{
    const TemplateValues values { &job, m_options.apiKey, jobId };
    HttpRequest request;
    request.method = endpoint.method;
    request.url = fillText(endpoint.url, values, TemplateEscape::Url);
    bool contentType = false;
    for (const auto& [name, value] : m_options.headers) {
        request.headers.emplace_back(name, fillText(value, values, TemplateEscape::Header));
        std::string lower = name;
        std::transform(
            lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        contentType = contentType || lower == "content-type";
    }
    if (!body.empty() && !contentType)
        request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
    return request;
}

HttpRequest HttpAdapter::submit(JobState& job)
{
    job.scratch = "submit";
    return make(m_options.submit, job.job, {}, requestBody(job.job));
}

void HttpAdapter::readTimes(JobState& job, const JsonDoc& body) const
{
    const HttpExtract& e = m_options.extract;
    if (auto ms = number(body, e.queueMs, 1.0))
        job.queueMs = ms;
    else if (auto s = number(body, e.queueS, 1000.0))
        job.queueMs = s;
    if (auto ms = number(body, e.execMs, 1.0))
        job.execMs = ms;
    else if (auto s = number(body, e.execS, 1000.0))
        job.execMs = s;
    if (const std::string worker = idText(body, first(body, e.workerId)); !worker.empty())
        job.workerId = worker;
}

Action HttpAdapter::takeImages(JobState& job, const HttpResponse& response, const JsonDoc& body) const
{
    if (isImageBody(response)) {
        if (response.body.empty())
            return Action::fail(
                ErrorClass::InvalidImage, "an empty " + safeText(response.header("content-type"), 100) + " body");
        job.takeImageBytes(response.body);
        return Action::done();
    }
    const HttpExtract& e = m_options.extract;
    std::vector<std::pair<std::string, JsonPointer>> found; // (configured pointer, value)
    if (auto one = first(body, e.image))
        found.emplace_back(e.image, std::move(*one));
    if (!e.images.empty()) {
        const auto many = body.expand(JsonPointer(e.images));
        // "/images" naming the array itself, or "/data/*/url" naming each element.
        if (many.size() == 1 && body.type(many.front()) == JsonType::Array) {
            const std::size_t n = body.elements(many.front());
            for (std::size_t i = 0; i < n; ++i)
                found.emplace_back(e.images, many.front() / i);
        } else {
            for (const JsonPointer& item : many)
                found.emplace_back(e.images, item);
        }
    }
    for (const auto& [pointer, at] : found) {
        bool took = false;
        body.withString(at, [&](std::string_view image) {
            // A server-relative path ("/files/a.png") is on the server that was asked.
            if (image.starts_with("/") && !image.starts_with("//"))
                took = job.takeImage(originOf(m_options.submit.url) + std::string(image));
            else
                took = !image.empty() && job.takeImage(image);
        });
        if (!took)
            return Action::fail(ErrorClass::InvalidImage,
                "the value at " + pointer + " is not an image URL, data URI or base64 (got "
                    + (body.type(at) == JsonType::String ? "\"" + body.text(at, 80) + "\"" : body.text(at, 80)) + ")");
    }
    if (job.images.empty() && job.imageUrls.empty()) {
        const std::string where = e.image.empty() && e.images.empty()
            ? "no extract.image or extract.images pointer"
            : "nothing at " + (e.image.empty() ? e.images : e.image);
        return Action::fail(ErrorClass::InvalidImage, "no image in the answer: " + where);
    }
    return Action::done();
}

Action HttpAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return noAnswerFailure(response);
    const std::string phase = job.scratch;
    static const std::string kNoBody;
    const JsonDoc body(isImageBody(response) ? kNoBody : response.body);
    if (response.status >= 400) {
        std::string message = asText(body, first(body, m_options.extract.error));
        message = message.empty() ? bodyExcerpt(response.body) : safeText(message, 1000);
        if (phase == "poll" && (response.status == 404 || response.status == 410))
            return Action::fail(ErrorClass::ClientError,
                "HTTP " + std::to_string(response.status) + " polling job " + safeText(job.jobId, 200)
                    + " (unknown or expired): " + message);
        return Action::fail(
            classifyHttpStatus(response.status), "HTTP " + std::to_string(response.status) + ": " + message);
    }
    if (!isImageBody(response) && !body.valid())
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON (" + phase + "): " + body.error() + ": " + bodyExcerpt(response.body, 200));
    readTimes(job, body);
    if (phase == "submit") {
        job.accepted = true;
        job.jobId = idText(body, first(body, m_options.extract.jobId));
        if (!m_options.poll)
            return onStatus(job, response, body);
        const auto names = placeholdersIn(m_options.poll->request.url);
        if (job.jobId.empty() && std::find(names.begin(), names.end(), "job_id") != names.end())
            return Action::fail(ErrorClass::ServerError,
                "no job id at " + m_options.extract.jobId + " in the submit answer"
                    + (m_options.extract.jobId.empty()
                            ? std::string()
                            : " (" + body.at(JsonPointer(m_options.extract.jobId)).describe() + ")"));
        job.scratch = "poll";
        // The submit answer may already be final (a fast job); else it is the first status.
        return onStatus(job, response, body);
    }
    if (phase == "poll")
        return onStatus(job, response, body);
    return takeImages(job, response, body); // "result"
}

// A status answer (or the submit's): failed, done, or poll again.
Action HttpAdapter::onStatus(JobState& job, const HttpResponse& response, const JsonDoc& body)
{
    const std::string status = safeText(asText(body, first(body, m_options.extract.status)), 200);
    if (!status.empty())
        job.providerStatus = status;
    const std::string error = safeText(asText(body, first(body, m_options.extract.error)), 1000);
    if (!m_options.poll) {
        // Synchronous: the answer is final; an error message in a 200 is the job failing.
        if (!error.empty() && !isImageBody(response))
            return Action::fail(ErrorClass::PlatformFailure, error);
        return takeImages(job, response, body);
    }
    const HttpPoll& poll = *m_options.poll;
    if (contains(poll.failedValues, status))
        return Action::fail(ErrorClass::PlatformFailure,
            "status " + (status.empty() ? "(none)" : status) + (error.empty() ? "" : ": " + error));
    if (contains(poll.doneValues, status)) {
        if (!poll.result)
            return takeImages(job, response, body);
        job.scratch = "result";
        return Action::send(make(*poll.result, job.job, job.jobId, {}), 0);
    }
    ++job.polls;
    const int interval = poll.intervalMs > 0 ? poll.intervalMs : m_options.pollIntervalMs;
    return Action::poll(make(poll.request, job.job, job.jobId, {}), interval);
}

std::optional<HttpRequest> HttpAdapter::cancel(const JobState& job) const
{
    if (!m_options.cancel || job.jobId.empty())
        return std::nullopt;
    return make(*m_options.cancel, job.job, job.jobId, {});
}

} // namespace t2i
