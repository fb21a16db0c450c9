// SPDX-License-Identifier: Apache-2.0
#include "faladapter.h"

#include "util/base64.h"
#include "util/urlencode.h"
#include "json/answertext.h"
#include "json/jsondoc.h"
#include "json/jsonwriter.h"
#include "json/validationerrors.h"

#include <algorithm>
#include <cmath>

namespace t2i {
namespace {

using nlohmann::json;

// A number of seconds as ms (secondsToMs: to the µs, none when it is no time).
std::optional<double> secondsAsMs(const JsonDoc& body, const JsonPointer& pointer)
{
    return secondsToMs(body.number(pointer));
}

// fal's errors: {"detail": "<message>"} or a pydantic list [{"loc": [...], "msg"}] for 422 (docs/protocols.md §3.6).
std::string detailText(const JsonDoc& body, const std::string& raw)
{
    const JsonPointer detail("/detail");
    const JsonType type = body.type(detail);
    if (type == JsonType::Absent)
        return bodyExcerpt(raw);
    if (type != JsonType::Array)
        return body.text(detail);
    const std::string out = validationErrors(body, detail);
    return safeText(out, 2000);
}

// What the adapter keeps between answers (JobState::scratch): where the job is and the URLs the
// queue gave, as {"phase", "status_url", "response_url", "cancel_url"}.
struct Notes {
    std::string phase;
    std::string statusUrl;
    std::string responseUrl;
    std::string cancelUrl;

    static Notes read(const std::string& scratch)
    {
        Notes notes;
        const JsonDoc doc(scratch);
        notes.phase = doc.string("/phase");
        notes.statusUrl = doc.string("/status_url");
        notes.responseUrl = doc.string("/response_url");
        notes.cancelUrl = doc.string("/cancel_url");
        return notes;
    }
    std::string write() const
    {
        return JsonObjectWriter()
            .add("phase", phase)
            .add("status_url", statusUrl)
            .add("response_url", responseUrl)
            .add("cancel_url", cancelUrl)
            .str();
    }
    const std::string& url(std::string_view which) const
    {
        return which == "status_url" ? statusUrl : which == "cancel_url" ? cancelUrl : responseUrl;
    }
};

} // namespace

std::string falAppId(const std::string& app)
{
    const auto first = app.find('/');
    const auto second = first == std::string::npos ? first : app.find('/', first + 1);
    return second == std::string::npos ? app : app.substr(0, second);
}

FalOptions FalOptions::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    FalOptions options;
    const std::string base = withoutTrailingSlashes(context.baseUrl);
    if (!base.empty()) {
        options.queueBase = base;
        // The emulator serves the queue at its root and the sync route under /sync (docs/emulator.md).
        options.syncBase = provider.type == "emulated" ? base + "/sync" : base;
    }
    options.apiKey = context.apiKey;
    options.app = provider.settings.value("app", options.app);
    options.sync = provider.settings.value("mode", std::string("queue")) == "sync";
    options.pollIntervalMs = context.pollIntervalMs;
    return options;
}

FalAdapter::FalAdapter(FalOptions options)
    : m_options(std::move(options))
{
}

std::string FalAdapter::requestBody(const Job& job) const
{
    const VariantConfig& v = job.variant;
    // The safety checker is off: a blacked-out image would still count as a success.
    const json body = { { "prompt", job.prompt }, { "image_size", { { "width", v.width }, { "height", v.height } } },
        { "num_inference_steps", v.steps }, { "guidance_scale", v.guidance }, { "seed", job.seed },
        { "num_images", v.images }, { "enable_safety_checker", false } };
    return body.dump();
}

HttpRequest FalAdapter::make(std::string method, std::string url, std::string body) const
{
    return jsonRequest(std::move(method), std::move(url), "Key " + m_options.apiKey, std::move(body));
}

HttpRequest FalAdapter::submit(JobState& job)
{
    Notes notes;
    notes.phase = m_options.sync ? "sync" : "submit";
    job.scratch = notes.write();
    const std::string& base = m_options.sync ? m_options.syncBase : m_options.queueBase;
    return make("POST", base + "/" + m_options.app, requestBody(job.job));
}

// The URL the queue gave at submit time (preferred, docs/protocols.md §3.1), else the documented route on the app id.
std::string FalAdapter::requestUrl(const JobState& job, const char* which) const
{
    const std::string saved = Notes::read(job.scratch).url(which);
    if (isUsableUrl(saved))
        return saved;
    const std::string root
        = m_options.queueBase + "/" + falAppId(m_options.app) + "/requests/" + percentEncode(job.jobId);
    const std::string w = which;
    return w == "status_url" ? root + "/status" : w == "cancel_url" ? root + "/cancel" : root;
}

Action FalAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return noAnswerFailure(response);
    const JsonDoc body(response.body);
    if (response.status >= 400) {
        const std::string message = "HTTP " + std::to_string(response.status) + ": " + detailText(body, response.body);
        if (response.status == 422)
            return Action::fail(ErrorClass::ClientError, message);
        // A typed platform error (runner, scheduling, timeout) is the platform failing the job.
        const std::string type = safeText(response.header("x-fal-error-type"), 200);
        if (!type.empty())
            return Action::fail(ErrorClass::PlatformFailure, type + ": " + message);
        return Action::fail(classifyHttpStatus(response.status), message);
    }
    if (!body.valid())
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from fal (" + body.error() + "): " + bodyExcerpt(response.body, 200));
    if (body.rootType() != JsonType::Object)
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from fal: " + body.at("").mismatch("an object") + ": " + bodyExcerpt(response.body, 200));
    const std::string phase = Notes::read(job.scratch).phase;
    if (phase == "submit")
        return onSubmitted(job, body);
    if (phase == "status")
        return onStatus(job, body);
    return onResult(job, body); // "result" or "sync"
}

Action FalAdapter::onSubmitted(JobState& job, const JsonDoc& body)
{
    const JsonValue id = body.at("/request_id");
    if (!id.isString() || id.string()->empty())
        return Action::fail(ErrorClass::ServerError,
            "fal answered the submit without a request_id: " + id.mismatch("a non-empty string"));
    job.jobId = *id.string();
    job.accepted = true;
    job.providerStatus = safeText(body.string("/status"), 200);
    if (job.providerStatus.empty())
        job.providerStatus = "IN_QUEUE";
    Notes notes;
    notes.phase = "status";
    notes.statusUrl = body.string("/status_url");
    notes.responseUrl = body.string("/response_url");
    notes.cancelUrl = body.string("/cancel_url");
    job.scratch = notes.write();
    ++job.polls; // the submit answer is the first non-final one
    job.phase = job.providerStatus == "IN_PROGRESS" ? JobPhase::Running : JobPhase::Queued;
    return Action::poll(make("GET", requestUrl(job, "status_url")), m_options.pollIntervalMs);
}

Action FalAdapter::onStatus(JobState& job, const JsonDoc& body)
{
    const JsonValue statusValue = body.at("/status");
    if (!statusValue.isString())
        return Action::fail(ErrorClass::ServerError,
            "fal answered the status poll without a status: " + statusValue.mismatch("a string"));
    job.providerStatus = safeText(*statusValue.string(), 200);
    if (job.providerStatus == "IN_QUEUE" || job.providerStatus == "IN_PROGRESS") {
        ++job.polls;
        job.phase = job.providerStatus == "IN_PROGRESS" ? JobPhase::Running : JobPhase::Queued;
        return Action::poll(make("GET", requestUrl(job, "status_url")), m_options.pollIntervalMs);
    }
    if (job.providerStatus != "COMPLETED")
        return Action::fail(
            ErrorClass::ServerError, "unknown fal status \"" + safeText(job.providerStatus, 100) + "\"");
    if (body.has("/metrics"))
        job.execMs = secondsAsMs(body, "/metrics/inference_time");
    // No FAILED status: a failed request is COMPLETED with an error (docs/protocols.md §3.2).
    if (const JsonType error = body.type("/error"); error != JsonType::Absent && error != JsonType::Null) {
        const std::string type = safeText(body.string("/error_type"), 200);
        std::string message = body.text("/error");
        if (message.empty())
            message = "COMPLETED with an empty error";
        return Action::fail(ErrorClass::PlatformFailure, type.empty() ? message : type + ": " + message);
    }
    Notes notes = Notes::read(job.scratch);
    notes.phase = "result";
    job.scratch = notes.write();
    return Action::send(make("GET", requestUrl(job, "response_url")), 0);
}

Action FalAdapter::onResult(JobState& job, const JsonDoc& body)
{
    if (job.providerStatus.empty())
        job.providerStatus = "COMPLETED"; // sync: the answer is the result itself
    // timings.inference is app-defined; metrics.inference_time, the platform's, wins when given.
    if (!job.execMs && body.has("/timings"))
        job.execMs = secondsAsMs(body, "/timings/inference");
    const JsonPointer images("/images");
    const std::size_t n = body.elements(images);
    for (std::size_t i = 0; i < n; ++i) // sync_mode answers data URIs in `url` (docs/protocols.md §3.5)
        body.withString(images / i / "url", [&job](std::string_view url) { job.takeImage(url); });
    if (job.images.empty() && job.imageUrls.empty())
        return Action::fail(ErrorClass::InvalidImage,
            "fal's result has no image in images[] (images is " + body.at(images).describe() + ")");
    return Action::done();
}

std::optional<HttpRequest> FalAdapter::cancel(const JobState& job) const
{
    if (job.jobId.empty())
        return std::nullopt;
    return make("PUT", requestUrl(job, "cancel_url"));
}

} // namespace t2i
