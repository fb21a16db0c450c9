// SPDX-License-Identifier: Apache-2.0
#include "basetenadapter.h"

#include "replicate/isotime.h"
#include "util/urlencode.h"
#include "json/answertext.h"
#include "json/jsondoc.h"
#include "json/jsonwriter.h"

#include <algorithm>
#include <limits>

namespace t2i {
namespace {

using nlohmann::json;

// errors: [{"code", "message"}] (docs/protocols.md §7.2).
std::string errorsText(const JsonDoc& body, const JsonPointer& at = {})
{
    const JsonPointer errors = at / "errors";
    const std::size_t n = std::min<std::size_t>(body.elements(errors), 20);
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        const JsonPointer e = errors / i;
        const std::string code = body.string(e / "code");
        const std::string message = body.type(e) == JsonType::Object ? body.string(e / "message") : body.text(e, 200);
        out += (out.empty() ? "" : "; ") + (code.empty() ? message : code + ": " + message);
    }
    return safeText(out, 2000);
}

// What the adapter keeps between answers (JobState::scratch): {"phase", "created_us",
// "started_us"}, Baseten's own timestamps (µs) as the status polls gave them.
struct Notes {
    std::string phase;
    std::optional<std::int64_t> createdUs;
    std::optional<std::int64_t> startedUs;

    static Notes read(const std::string& scratch)
    {
        const JsonDoc doc(scratch);
        return { doc.string("/phase"), doc.integer("/created_us"), doc.integer("/started_us") };
    }
    std::string write() const
    {
        JsonObjectWriter out;
        out.add("phase", phase);
        if (createdUs)
            out.add("created_us", *createdUs);
        if (startedUs)
            out.add("started_us", *startedUs);
        return out.str();
    }
};

void replaceAll(std::string& s, const std::string& from, const std::string& to)
{
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

} // namespace

json BasetenOptions::defaultBodyTemplate()
{
    return { { "prompt", "{{prompt}}" }, { "width", "{{width}}" }, { "height", "{{height}}" },
        { "num_inference_steps", "{{steps}}" }, { "guidance_scale", "{{guidance}}" }, { "seed", "{{seed}}" } };
}

AppOutputSpec BasetenOptions::defaultOutput()
{
    AppOutputSpec spec;
    spec.imagePointers = { "/data", "/images", "/image" };
    spec.execSecondsPointer = "/time";
    return spec;
}

BasetenOptions BasetenOptions::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    BasetenOptions options;
    const json& s = provider.settings;
    options.modelId = s.value("model_id", std::string());
    options.baseUrl = withoutTrailingSlashes(
        context.baseUrl.empty() ? "https://model-" + options.modelId + ".api.baseten.co" : context.baseUrl);
    options.environment = s.value("environment", options.environment);
    options.deploymentId = s.value("deployment_id", std::string());
    options.apiKey = context.apiKey;
    options.mode = s.value("mode", options.mode);
    if (const auto it = s.find("body_template"); it != s.end() && it->is_object())
        options.bodyTemplate = *it;
    if (const auto it = s.find("extract"); it != s.end() && it->is_object())
        options.output = options.output.withConfig(*it);
    if (const auto it = s.find("async"); it != s.end() && it->is_object()) {
        const json& a = *it;
        options.resultUrl = a.value("result_url", std::string());
        options.webhookEndpoint = a.value("webhook_endpoint", std::string());
        options.outputPointer = a.value("output_pointer", options.outputPointer);
        if (a.contains("priority") && a["priority"].is_number_integer())
            options.priority = a["priority"].get<int>();
        if (a.contains("max_time_in_queue_seconds") && a["max_time_in_queue_seconds"].is_number_integer())
            options.maxTimeInQueueS = a["max_time_in_queue_seconds"].get<int>();
        options.sampleQueue = a.value("queue_status", options.sampleQueue);
    }
    options.pollIntervalMs = context.pollIntervalMs;
    return options;
}

BasetenAdapter::BasetenAdapter(BasetenOptions options)
    : m_options(std::move(options))
{
}

std::string BasetenAdapter::routePrefix() const
{
    return m_options.deploymentId.empty() ? "/environments/" + m_options.environment
                                          : "/deployment/" + m_options.deploymentId;
}

std::string BasetenAdapter::requestBody(const Job& job) const
{
    json input = fillPayloadTemplate(m_options.bodyTemplate, job);
    if (m_options.mode != "async")
        return input.dump();
    json body = { { "model_input", std::move(input) } };
    if (!m_options.webhookEndpoint.empty())
        body["webhook_endpoint"] = m_options.webhookEndpoint;
    if (m_options.priority)
        body["priority"] = *m_options.priority;
    if (m_options.maxTimeInQueueS)
        body["max_time_in_queue_seconds"] = *m_options.maxTimeInQueueS;
    return body.dump();
}

HttpRequest BasetenAdapter::make(std::string method, const std::string& path, std::string body) const
{
    return jsonRequest(std::move(method), m_options.baseUrl + path, "Api-Key " + m_options.apiKey, std::move(body));
}

HttpRequest BasetenAdapter::statusRequest(const JobState& job) const
{
    return make("GET", "/async_request/" + percentEncode(job.jobId));
}

HttpRequest BasetenAdapter::submit(JobState& job)
{
    const bool async = m_options.mode == "async";
    job.scratch = Notes { async ? "submit" : "sync", {}, {} }.write();
    return make("POST", routePrefix() + (async ? "/async_predict" : "/predict"), requestBody(job.job));
}

Action BasetenAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return noAnswerFailure(response);
    const std::string phase = Notes::read(job.scratch).phase;
    if (phase == "result")
        return onAsyncResult(job, response);
    if (response.status >= 400) {
        std::string message = "HTTP " + std::to_string(response.status) + ": " + errorExcerpt(response.body);
        if (response.status == 401)
            message += " (Baseten wants \"Authorization: Api-Key <key>\")";
        else if (response.status == 404)
            message += " (unknown model, environment, deployment or request id)";
        return Action::fail(classifyHttpStatus(response.status), message);
    }
    const JsonDoc body(response.body);
    if (phase == "sync")
        return onOutput(job, response, body, {});
    if (!body.valid())
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from Baseten (" + body.error() + "): " + errorExcerpt(response.body));
    if (body.rootType() != JsonType::Object)
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from Baseten: " + body.at("").mismatch("an object") + ": " + errorExcerpt(response.body));
    return phase == "submit" ? onSubmitted(job, body) : onStatus(job, body);
}

Action BasetenAdapter::onSubmitted(JobState& job, const JsonDoc& body)
{
    const JsonValue id = body.at("/request_id");
    if (!id.isString() || id.string()->empty())
        return Action::fail(ErrorClass::ServerError,
            "Baseten answered async_predict without a request_id: " + id.mismatch("a non-empty string"));
    job.jobId = *id.string();
    job.accepted = true;
    job.providerStatus = "QUEUED";
    job.scratch = Notes { "status", {}, {} }.write();
    return Action::poll(statusRequest(job), m_options.pollIntervalMs);
}

Action BasetenAdapter::onStatus(JobState& job, const JsonDoc& body)
{
    const JsonValue statusValue = body.at("/status");
    if (!statusValue.isString())
        return Action::fail(ErrorClass::ServerError,
            "Baseten answered the status poll without a status: " + statusValue.mismatch("a string"));
    job.providerStatus = safeText(*statusValue.string(), 200);
    Notes notes = Notes::read(job.scratch);
    if (auto created = parseIsoMicros(body.string("/created_at")))
        notes.createdUs = *created;
    const auto statusAt = parseIsoMicros(body.string("/status_at"));
    const std::string& status = job.providerStatus;
    if (status == "QUEUED" || status == "IN_PROGRESS") {
        // status_at is when the status last changed: while IN_PROGRESS, when execution began.
        if (status == "IN_PROGRESS" && statusAt && !notes.startedUs)
            notes.startedUs = *statusAt;
        job.scratch = notes.write();
        ++job.polls;
        job.phase = status == "IN_PROGRESS" ? JobPhase::Running : JobPhase::Queued;
        return Action::poll(statusRequest(job), m_options.pollIntervalMs);
    }
    const auto created = notes.createdUs;
    const auto started = notes.startedUs;
    if (created && started && *started >= *created)
        job.queueMs = double(*started - *created) / 1000.0;
    if (started && statusAt && *statusAt >= *started && status != "CANCELED" && status != "EXPIRED")
        job.execMs = double(*statusAt - *started) / 1000.0;
    const std::string errors = errorsText(body);
    const std::string detail = errors.empty() ? std::string() : ": " + errors;
    if (status == "FAILED")
        return Action::fail(ErrorClass::PlatformFailure, "Baseten reported FAILED" + detail);
    if (status == "EXPIRED")
        return Action::fail(
            ErrorClass::Timeout, "the request expired in Baseten's queue (max_time_in_queue_seconds)" + detail);
    if (status == "CANCELED")
        return Action::fail(ErrorClass::Cancelled, "Baseten reported CANCELED" + detail);
    if (status == "WEBHOOK_FAILED")
        return Action::fail(
            ErrorClass::PlatformFailure, "the model ran but Baseten could not deliver the webhook" + detail);
    if (status != "SUCCEEDED")
        return Action::fail(ErrorClass::ServerError, "unknown Baseten status \"" + safeText(status, 100) + "\"");
    if (m_options.resultUrl.empty())
        return Action::fail(ErrorClass::ClientError,
            "Baseten delivers async outputs only to a webhook: set async.result_url to where your "
            "webhook receiver serves them");
    notes.phase = "result";
    job.scratch = notes.write();
    std::string url = m_options.resultUrl;
    replaceAll(url, "{request_id}", percentEncode(job.jobId));
    HttpRequest request; // the user's receiver: Baseten's key is not sent there
    request.url = url;
    return Action::send(request, 0);
}

Action BasetenAdapter::onAsyncResult(JobState& job, const HttpResponse& response)
{
    // The webhook may land after the status says SUCCEEDED: a 404 means "not here yet".
    if (response.status == 404) {
        ++job.polls;
        HttpRequest request;
        std::string url = m_options.resultUrl;
        replaceAll(url, "{request_id}", percentEncode(job.jobId));
        request.url = url;
        return Action::poll(request, m_options.pollIntervalMs);
    }
    if (response.status >= 400)
        return Action::fail(classifyHttpStatus(response.status),
            "the webhook receiver answered HTTP " + std::to_string(response.status) + ": "
                + errorExcerpt(response.body));
    const JsonDoc body(response.body);
    if (!body.valid())
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from the webhook receiver (" + body.error() + "): " + errorExcerpt(response.body));
    const std::string errors = errorsText(body);
    const auto output = appPointer({}, m_options.outputPointer);
    const JsonType outputType = output ? body.type(*output) : JsonType::Absent;
    if ((outputType == JsonType::Absent || outputType == JsonType::Null) && !errors.empty())
        return Action::fail(ErrorClass::PlatformFailure, "the webhook reports errors: " + errors);
    return onOutput(job, response, body, outputType == JsonType::Absent ? JsonPointer() : *output);
}

Action BasetenAdapter::onOutput(
    JobState& job, const HttpResponse& response, const JsonDoc& body, const JsonPointer& output)
{
    if (job.providerStatus.empty())
        job.providerStatus = "success";
    if (isImageContentType(response.header("content-type"))) {
        if (response.body.empty())
            return Action::fail(ErrorClass::InvalidImage,
                "an empty " + safeText(response.header("content-type"), 100) + " body from the Truss");
        job.takeImageBytes(response.body);
        return Action::done();
    }
    if (!body.valid())
        return Action::fail(ErrorClass::ServerError,
            "the Truss answered neither an image nor JSON (" + body.error() + "): " + errorExcerpt(response.body));
    // Baseten's own timestamps, when the async flow gave them, win over the Truss's "time".
    const std::optional<double> platformExec = job.execMs;
    const bool found = readAppOutput(body, m_options.output, job, output);
    if (platformExec)
        job.execMs = platformExec;
    if (found)
        return Action::done();
    const std::string error = body.string(output / "error");
    const std::string status = body.string(output / "status");
    if (!error.empty() || status == "error" || status == "failed")
        return Action::fail(ErrorClass::PlatformFailure,
            "the Truss reported an error: " + (error.empty() ? body.text(output, 1000) : safeText(error, 1000)));
    return Action::fail(ErrorClass::InvalidImage,
        "the Truss's output has no image at " + m_options.output.describeImagePointers() + " (set extract.image)");
}

std::optional<HttpRequest> BasetenAdapter::cancel(const JobState& job) const
{
    if (m_options.mode != "async" || job.jobId.empty())
        return std::nullopt;
    return make("DELETE", "/async_request/" + percentEncode(job.jobId));
}

std::optional<HttpRequest> BasetenAdapter::healthRequest() const
{
    if (m_options.mode != "async" || !m_options.sampleQueue)
        return std::nullopt;
    return make("GET", routePrefix() + "/async_queue_status");
}

std::optional<WorkerSample> BasetenAdapter::parseHealth(const HttpResponse& response) const
{
    if (response.status != 200)
        return std::nullopt;
    const JsonDoc body(response.body);
    if (body.rootType() != JsonType::Object || !body.has("/num_queued_requests"))
        return std::nullopt;
    const auto count = [&body](const char* pointer) -> std::optional<int> {
        const JsonValue value = body.at(pointer);
        if (!value.present())
            return 0;
        const auto n = value.integer();
        if (!n || *n < 0 || *n > std::numeric_limits<int>::max())
            return std::nullopt;
        return int(*n);
    };
    const auto queued = count("/num_queued_requests");
    const auto inProgress = count("/num_in_progress_requests");
    if (!queued || !inProgress)
        return std::nullopt;
    WorkerSample sample; // replica counts are not in this answer
    sample.tMs = response.receivedMs;
    sample.inQueue = *queued;
    sample.inProgress = *inProgress;
    return sample;
}

} // namespace t2i
