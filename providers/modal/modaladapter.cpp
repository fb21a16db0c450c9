// SPDX-License-Identifier: Apache-2.0
#include "modaladapter.h"

#include "util/base64.h"
#include "util/urlencode.h"
#include "json/answertext.h"
#include "json/jsondoc.h"
#include "json/jsonwriter.h"

namespace t2i {
namespace {

using nlohmann::json;

// What the adapter keeps between answers (JobState::scratch): {"phase", "result_url"}.
struct Notes {
    std::string phase;
    std::string resultUrl;

    static Notes read(const std::string& scratch)
    {
        const JsonDoc doc(scratch);
        return { doc.string("/phase"), doc.string("/result_url") };
    }
    std::string write() const { return JsonObjectWriter().add("phase", phase).add("result_url", resultUrl).str(); }
};

void replaceAll(std::string& s, const std::string& from, const std::string& to)
{
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

} // namespace

json ModalOptions::defaultBodyTemplate()
{
    return { { "prompt", "{{prompt}}" }, { "width", "{{width}}" }, { "height", "{{height}}" },
        { "num_inference_steps", "{{steps}}" }, { "guidance_scale", "{{guidance}}" }, { "seed", "{{seed}}" },
        { "num_images", "{{images}}" } };
}

AppOutputSpec ModalOptions::defaultOutput()
{
    AppOutputSpec spec;
    spec.imagePointers = { "/images", "/image" };
    spec.execSecondsPointer = "/inference_s";
    spec.workerIdPointer = "/container_id";
    return spec;
}

ModalOptions ModalOptions::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    ModalOptions options;
    const json& s = provider.settings;
    options.url = withoutTrailingSlashes(context.baseUrl.empty() ? s.value("url", std::string()) : context.baseUrl);
    options.mode = s.value("mode", options.mode);
    options.apiKey = context.apiKey;
    options.authScheme = s.value("auth_scheme", options.authScheme);
    if (const auto it = s.find("headers"); it != s.end() && it->is_object())
        for (const auto& [name, value] : it->items())
            if (value.is_string())
                options.headers.emplace_back(name, value.get<std::string>());
    if (const auto it = s.find("body_template"); it != s.end() && it->is_object())
        options.bodyTemplate = *it;
    if (const auto it = s.find("extract"); it != s.end() && it->is_object()) {
        options.output = options.output.withConfig(*it);
        options.callIdPointer = it->value("call_id", options.callIdPointer);
    }
    if (const auto it = s.find("spawn"); it != s.end() && it->is_object()) {
        options.submitPath = it->value("submit_path", options.submitPath);
        options.resultPath = it->value("result_path", options.resultPath);
        options.cancelPath = it->value("cancel_path", options.cancelPath);
        options.cancelMethod = it->value("cancel_method", options.cancelMethod);
    }
    options.pollIntervalMs = context.pollIntervalMs;
    return options;
}

ModalAdapter::ModalAdapter(ModalOptions options)
    : m_options(std::move(options))
{
}

std::string ModalAdapter::requestBody(const Job& job) const
{
    return fillPayloadTemplate(m_options.bodyTemplate, job).dump();
}

HttpRequest ModalAdapter::make(std::string method, std::string url, std::string body) const
{
    HttpRequest request;
    request.method = std::move(method);
    request.url = std::move(url);
    if (!m_options.apiKey.empty()) {
        if (m_options.authScheme == "bearer") {
            request.headers.emplace_back("Authorization", "Bearer " + m_options.apiKey);
        } else if (m_options.authScheme == "proxy") {
            // A proxy-auth token is an id and a secret; the key holds both, joined by ':'.
            const std::size_t colon = m_options.apiKey.find(':');
            request.headers.emplace_back("Modal-Key", m_options.apiKey.substr(0, colon));
            if (colon != std::string::npos)
                request.headers.emplace_back("Modal-Secret", m_options.apiKey.substr(colon + 1));
        }
    }
    for (const auto& header : m_options.headers)
        request.headers.push_back(header);
    if (!body.empty())
        request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
    return request;
}

std::string ModalAdapter::routeUrl(const std::string& path, const std::string& callId) const
{
    std::string route = path;
    replaceAll(route, "{call_id}", callId);
    if (looksLikeUrl(route))
        return route;
    return m_options.url + (route.starts_with('/') ? "" : "/") + route;
}

HttpRequest ModalAdapter::submit(JobState& job)
{
    const bool spawn = m_options.mode == "spawn";
    job.scratch = Notes { spawn ? "submit" : "sync", {} }.write();
    const std::string url = spawn ? routeUrl(m_options.submitPath, {}) : m_options.url;
    return make("POST", url, requestBody(job.job));
}

Action ModalAdapter::failHttp(const HttpResponse& response, bool polling) const
{
    std::string message = "HTTP " + std::to_string(response.status) + ": " + errorExcerpt(response.body);
    if (response.status == 401 && m_options.authScheme == "proxy" && m_options.apiKey.find(':') == std::string::npos)
        message += " (for Modal proxy auth the key must be the token id and secret joined by ':', \"wk-...:ws-...\")";
    // On the result route the call is known to exist: a 404/410 is an expired or unknown call id,
    // a 5xx is the function having raised (FunctionCall.get re-raises it).
    if (polling && (response.status == 404 || response.status == 410))
        return Action::fail(
            ErrorClass::ClientError, "the call's result is gone (unknown or expired call id): " + message);
    if (polling && response.status >= 500)
        return Action::fail(ErrorClass::PlatformFailure, "the Modal function failed: " + message);
    if (response.status == 404)
        return Action::fail(
            ErrorClass::ClientError, "no Modal app answers this URL (wrong URL or app stopped): " + message);
    return Action::fail(classifyHttpStatus(response.status), message);
}

Action ModalAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return noAnswerFailure(response);
    const std::string phase = Notes::read(job.scratch).phase;
    const bool polling = phase == "result";
    if (response.status >= 400)
        return failHttp(response, polling);
    if (phase == "submit")
        return onSubmitted(job, response);
    return onResult(job, response, polling);
}

Action ModalAdapter::onSubmitted(JobState& job, const HttpResponse& response)
{
    const JsonDoc body(response.body);
    const auto pointer = appPointer({}, m_options.callIdPointer);
    const JsonValue id = pointer ? body.at(*pointer) : JsonValue();
    if (!id.isString() || id.string()->empty())
        return Action::fail(ErrorClass::ServerError,
            "the app's submit route answered without a call id at " + m_options.callIdPointer + " ("
                + (body.valid() ? id.describe() : "not JSON: " + body.error()) + "): " + errorExcerpt(response.body));
    job.jobId = *id.string();
    job.accepted = true;
    job.providerStatus = "spawned";
    const std::string resultUrl = routeUrl(m_options.resultPath, percentEncode(job.jobId));
    job.scratch = Notes { "result", resultUrl }.write();
    return Action::poll(make("GET", resultUrl), m_options.pollIntervalMs);
}

Action ModalAdapter::onResult(JobState& job, const HttpResponse& response, bool polling)
{
    // Observed, not documented (docs/protocols.md §4.3).
    const std::string callId = safeText(response.header("modal-function-call-id"), 200);
    if (job.jobId.empty() && !callId.empty())
        job.jobId = callId;
    if (response.status == 202) {
        // Still running: the spawn pattern's result route, or a legacy sync endpoint that answered
        // 202 {"result_url"} at once (wait_for_response=False).
        std::string url = Notes::read(job.scratch).resultUrl;
        if (!polling) {
            url = JsonDoc(response.body).string("/result_url");
            if (!isUsableUrl(url))
                return Action::fail(
                    ErrorClass::ServerError, "HTTP 202 without a result_url: " + errorExcerpt(response.body));
            job.accepted = true;
            job.scratch = Notes { "result", url }.write();
        }
        job.providerStatus = "running";
        ++job.polls;
        return Action::poll(make("GET", url), m_options.pollIntervalMs);
    }
    job.providerStatus = "done";
    if (isImageContentType(response.header("content-type"))) {
        if (response.body.empty())
            return Action::fail(ErrorClass::InvalidImage,
                "an empty " + safeText(response.header("content-type"), 100) + " body from the Modal app");
        job.takeImageBytes(response.body);
        return Action::done();
    }
    const JsonDoc body(response.body);
    if (!body.valid())
        return Action::fail(ErrorClass::ServerError,
            "the Modal app answered neither an image nor JSON (" + body.error() + "): " + errorExcerpt(response.body));
    if (!readAppOutput(body, m_options.output, job))
        return Action::fail(ErrorClass::InvalidImage,
            "the Modal app's answer has no image at " + m_options.output.describeImagePointers()
                + " (set extract.image)");
    return Action::done();
}

std::optional<HttpRequest> ModalAdapter::cancel(const JobState& job) const
{
    if (m_options.mode != "spawn" || m_options.cancelPath.empty() || job.jobId.empty())
        return std::nullopt;
    return make(m_options.cancelMethod, routeUrl(m_options.cancelPath, percentEncode(job.jobId)));
}

} // namespace t2i
