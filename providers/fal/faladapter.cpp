// SPDX-License-Identifier: Apache-2.0
#include "faladapter.h"

#include "util/base64.h"

#include <cmath>

namespace t2i {
namespace {

using nlohmann::json;

std::string text(const json& body, const char* key)
{
    const auto it = body.find(key);
    return body.is_object() && it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A number of seconds as ms, rounded to the microsecond so that x1000 adds no binary noise.
std::optional<double> secondsAsMs(const json& parent, const char* key)
{
    if (!parent.is_object())
        return std::nullopt;
    const auto it = parent.find(key);
    if (it == parent.end() || !it->is_number())
        return std::nullopt;
    return std::round(it->get<double>() * 1e6) / 1e3;
}

// fal's errors: {"detail": "<message>"} or a pydantic list [{"loc": [...], "msg"}] for 422 (docs/protocols.md §3.6).
std::string detailText(const json& body, const std::string& raw)
{
    const auto detail = body.is_object() ? body.find("detail") : body.end();
    if (!body.is_object() || detail == body.end())
        return raw.substr(0, 300);
    if (detail->is_string())
        return detail->get<std::string>();
    if (!detail->is_array())
        return detail->dump();
    std::string out;
    for (const json& item : *detail) {
        std::string where;
        if (item.is_object() && item.contains("loc") && item["loc"].is_array()) {
            for (const json& part : item["loc"])
                if (!(part.is_string() && part == "body"))
                    where += (where.empty() ? "" : ".") + (part.is_string() ? part.get<std::string>() : part.dump());
        }
        const std::string message = item.is_object() ? text(item, "msg") : item.dump();
        out += (out.empty() ? "" : "; ") + (where.empty() ? message : where + ": " + message);
    }
    return out;
}

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
    job.scratch = json { { "phase", m_options.sync ? "sync" : "submit" } }.dump();
    const std::string& base = m_options.sync ? m_options.syncBase : m_options.queueBase;
    return make("POST", base + "/" + m_options.app, requestBody(job.job));
}

// The URL the queue gave at submit time (preferred, docs/protocols.md §3.1), else the documented route on the app id.
std::string FalAdapter::requestUrl(const JobState& job, const char* which) const
{
    const json scratch = json::parse(job.scratch, nullptr, false);
    const std::string saved = scratch.is_object() ? text(scratch, which) : std::string();
    if (looksLikeUrl(saved))
        return saved;
    const std::string root = m_options.queueBase + "/" + falAppId(m_options.app) + "/requests/" + job.jobId;
    const std::string w = which;
    return w == "status_url" ? root + "/status" : w == "cancel_url" ? root + "/cancel" : root;
}

Action FalAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return Action::fail(response.timedOut ? ErrorClass::Timeout : ErrorClass::Transport, response.transportError);
    const json body = json::parse(response.body, nullptr, false);
    if (response.status >= 400) {
        const std::string message = "HTTP " + std::to_string(response.status) + ": " + detailText(body, response.body);
        if (response.status == 422)
            return Action::fail(ErrorClass::ClientError, message);
        // A typed platform error (runner, scheduling, timeout) is the platform failing the job.
        const std::string type = response.header("x-fal-error-type");
        if (!type.empty())
            return Action::fail(ErrorClass::PlatformFailure, type + ": " + message);
        return Action::fail(classifyHttpStatus(response.status), message);
    }
    if (body.is_discarded() || !body.is_object())
        return Action::fail(ErrorClass::ServerError, "malformed JSON from fal: " + response.body.substr(0, 200));
    json scratch = json::parse(job.scratch, nullptr, false);
    const std::string phase = scratch.is_object() ? text(scratch, "phase") : std::string();
    if (phase == "submit")
        return onSubmitted(job, body);
    if (phase == "status")
        return onStatus(job, body);
    return onResult(job, body); // "result" or "sync"
}

Action FalAdapter::onSubmitted(JobState& job, const json& body)
{
    job.jobId = text(body, "request_id");
    if (job.jobId.empty())
        return Action::fail(ErrorClass::ServerError, "fal answered the submit without a request_id");
    job.accepted = true;
    job.providerStatus = text(body, "status");
    if (job.providerStatus.empty())
        job.providerStatus = "IN_QUEUE";
    json scratch = { { "phase", "status" } };
    for (const char* key : { "status_url", "response_url", "cancel_url" })
        scratch[key] = text(body, key);
    job.scratch = scratch.dump();
    ++job.polls; // the submit answer is the first non-final one
    job.phase = job.providerStatus == "IN_PROGRESS" ? JobPhase::Running : JobPhase::Queued;
    return Action::poll(make("GET", requestUrl(job, "status_url")), m_options.pollIntervalMs);
}

Action FalAdapter::onStatus(JobState& job, const json& body)
{
    job.providerStatus = text(body, "status");
    if (job.providerStatus == "IN_QUEUE" || job.providerStatus == "IN_PROGRESS") {
        ++job.polls;
        job.phase = job.providerStatus == "IN_PROGRESS" ? JobPhase::Running : JobPhase::Queued;
        return Action::poll(make("GET", requestUrl(job, "status_url")), m_options.pollIntervalMs);
    }
    if (job.providerStatus != "COMPLETED")
        return Action::fail(ErrorClass::ServerError, "unknown fal status \"" + job.providerStatus + "\"");
    if (const auto metrics = body.find("metrics"); metrics != body.end())
        job.execMs = secondsAsMs(*metrics, "inference_time");
    // No FAILED status: a failed request is COMPLETED with an error (docs/protocols.md §3.2).
    if (const auto error = body.find("error"); error != body.end() && !error->is_null()) {
        const std::string type = text(body, "error_type");
        const std::string message = error->is_string() ? error->get<std::string>() : error->dump();
        return Action::fail(ErrorClass::PlatformFailure, type.empty() ? message : type + ": " + message);
    }
    json scratch = json::parse(job.scratch, nullptr, false);
    scratch["phase"] = "result";
    job.scratch = scratch.dump();
    return Action::send(make("GET", requestUrl(job, "response_url")), 0);
}

Action FalAdapter::onResult(JobState& job, const json& body)
{
    if (job.providerStatus.empty())
        job.providerStatus = "COMPLETED"; // sync: the answer is the result itself
    // timings.inference is app-defined; metrics.inference_time, the platform's, wins when given.
    if (!job.execMs)
        if (const auto timings = body.find("timings"); timings != body.end())
            job.execMs = secondsAsMs(*timings, "inference");
    if (const auto images = body.find("images"); images != body.end() && images->is_array()) {
        for (const json& image : *images) {
            if (image.is_object()) // sync_mode answers data URIs in `url` (docs/protocols.md §3.5)
                job.takeImage(text(image, "url"));
        }
    }
    if (job.images.empty() && job.imageUrls.empty())
        return Action::fail(ErrorClass::InvalidImage, "fal's result has no image in images[]");
    return Action::done();
}

std::optional<HttpRequest> FalAdapter::cancel(const JobState& job) const
{
    if (job.jobId.empty())
        return std::nullopt;
    return make("PUT", requestUrl(job, "cancel_url"));
}

} // namespace t2i
