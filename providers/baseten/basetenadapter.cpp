// SPDX-License-Identifier: Apache-2.0
#include "basetenadapter.h"

#include "replicate/isotime.h"

namespace t2i {
namespace {

using nlohmann::json;

std::string text(const json& body, const char* key)
{
    const auto it = body.is_object() ? body.find(key) : body.end();
    return body.is_object() && it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::int64_t> micros(const json& body, const char* key)
{
    const auto it = body.is_object() ? body.find(key) : body.end();
    if (!body.is_object() || it == body.end() || !it->is_number_integer())
        return std::nullopt;
    return it->get<std::int64_t>();
}

// errors: [{"code", "message"}] (docs/protocols.md §7.2).
std::string errorsText(const json& body)
{
    const auto errors = body.is_object() ? body.find("errors") : body.end();
    if (!body.is_object() || errors == body.end() || !errors->is_array() || errors->empty())
        return {};
    std::string out;
    for (const json& e : *errors) {
        const std::string code = text(e, "code");
        const std::string message = e.is_object() ? text(e, "message") : e.dump();
        out += (out.empty() ? "" : "; ") + (code.empty() ? message : code + ": " + message);
    }
    return out;
}

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
    return make("GET", "/async_request/" + job.jobId);
}

HttpRequest BasetenAdapter::submit(JobState& job)
{
    const bool async = m_options.mode == "async";
    job.scratch = json { { "phase", async ? "submit" : "sync" } }.dump();
    return make("POST", routePrefix() + (async ? "/async_predict" : "/predict"), requestBody(job.job));
}

Action BasetenAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return Action::fail(response.timedOut ? ErrorClass::Timeout : ErrorClass::Transport, response.transportError);
    const json scratch = json::parse(job.scratch, nullptr, false);
    const std::string phase = text(scratch, "phase");
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
    const json body = json::parse(response.body, nullptr, false);
    if (phase == "sync")
        return onOutput(job, response, body);
    if (body.is_discarded() || !body.is_object())
        return Action::fail(ErrorClass::ServerError, "malformed JSON from Baseten: " + errorExcerpt(response.body));
    return phase == "submit" ? onSubmitted(job, body) : onStatus(job, body);
}

Action BasetenAdapter::onSubmitted(JobState& job, const json& body)
{
    job.jobId = text(body, "request_id");
    if (job.jobId.empty())
        return Action::fail(ErrorClass::ServerError, "Baseten answered async_predict without a request_id");
    job.accepted = true;
    job.providerStatus = "QUEUED";
    job.scratch = json { { "phase", "status" } }.dump();
    return Action::poll(statusRequest(job), m_options.pollIntervalMs);
}

Action BasetenAdapter::onStatus(JobState& job, const json& body)
{
    job.providerStatus = text(body, "status");
    json scratch = json::parse(job.scratch, nullptr, false);
    if (auto created = parseIsoMicros(text(body, "created_at")))
        scratch["created_us"] = *created;
    const auto statusAt = parseIsoMicros(text(body, "status_at"));
    const std::string& status = job.providerStatus;
    if (status == "QUEUED" || status == "IN_PROGRESS") {
        // status_at is when the status last changed: while IN_PROGRESS, when execution began.
        if (status == "IN_PROGRESS" && statusAt && !scratch.contains("started_us"))
            scratch["started_us"] = *statusAt;
        job.scratch = scratch.dump();
        ++job.polls;
        job.phase = status == "IN_PROGRESS" ? JobPhase::Running : JobPhase::Queued;
        return Action::poll(statusRequest(job), m_options.pollIntervalMs);
    }
    const auto created = micros(scratch, "created_us");
    const auto started = micros(scratch, "started_us");
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
        return Action::fail(ErrorClass::ServerError, "unknown Baseten status \"" + status + "\"");
    if (m_options.resultUrl.empty())
        return Action::fail(ErrorClass::ClientError,
            "Baseten delivers async outputs only to a webhook: set async.result_url to where your "
            "webhook receiver serves them");
    scratch["phase"] = "result";
    job.scratch = scratch.dump();
    std::string url = m_options.resultUrl;
    replaceAll(url, "{request_id}", job.jobId);
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
        replaceAll(url, "{request_id}", job.jobId);
        request.url = url;
        return Action::poll(request, m_options.pollIntervalMs);
    }
    if (response.status >= 400)
        return Action::fail(classifyHttpStatus(response.status),
            "the webhook receiver answered HTTP " + std::to_string(response.status) + ": "
                + errorExcerpt(response.body));
    const json body = json::parse(response.body, nullptr, false);
    if (body.is_discarded())
        return Action::fail(
            ErrorClass::ServerError, "malformed JSON from the webhook receiver: " + errorExcerpt(response.body));
    const std::string errors = errorsText(body);
    const json* output = valueAt(body, m_options.outputPointer);
    if ((!output || output->is_null()) && !errors.empty())
        return Action::fail(ErrorClass::PlatformFailure, "the webhook reports errors: " + errors);
    return onOutput(job, response, output ? *output : body);
}

Action BasetenAdapter::onOutput(JobState& job, const HttpResponse& response, const json& output)
{
    if (job.providerStatus.empty())
        job.providerStatus = "success";
    if (isImageContentType(response.header("content-type"))) {
        job.images.push_back(response.body);
        return Action::done();
    }
    if (output.is_discarded())
        return Action::fail(
            ErrorClass::ServerError, "the Truss answered neither an image nor JSON: " + errorExcerpt(response.body));
    // Baseten's own timestamps, when the async flow gave them, win over the Truss's "time".
    const std::optional<double> platformExec = job.execMs;
    const bool found = readAppOutput(output, m_options.output, job);
    if (platformExec)
        job.execMs = platformExec;
    if (found)
        return Action::done();
    const std::string error = text(output, "error");
    if (!error.empty() || text(output, "status") == "error" || text(output, "status") == "failed")
        return Action::fail(
            ErrorClass::PlatformFailure, "the Truss reported an error: " + (error.empty() ? output.dump() : error));
    return Action::fail(ErrorClass::InvalidImage,
        "the Truss's output has no image at " + m_options.output.describeImagePointers() + " (set extract.image)");
}

std::optional<HttpRequest> BasetenAdapter::cancel(const JobState& job) const
{
    if (m_options.mode != "async" || job.jobId.empty())
        return std::nullopt;
    return make("DELETE", "/async_request/" + job.jobId);
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
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_object() || !body.contains("num_queued_requests"))
        return std::nullopt;
    WorkerSample sample; // replica counts are not in this answer
    sample.inQueue = body.value("num_queued_requests", 0);
    sample.inProgress = body.value("num_in_progress_requests", 0);
    return sample;
}

} // namespace t2i
