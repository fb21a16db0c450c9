// SPDX-License-Identifier: Apache-2.0
#include "runpodadapter.h"

#include "util/urlencode.h"
#include "json/answertext.h"
#include "json/jsondoc.h"

#include <nlohmann/json.hpp>

#include <limits>

namespace t2i {
namespace {

using nlohmann::json;

bool isTerminal(const std::string& status)
{
    return status == "COMPLETED" || status == "FAILED" || status == "CANCELLED" || status == "TIMED_OUT";
}

// delayTime / executionTime: ms; anything but a finite non-negative number stays unknown.
std::optional<double> msField(const JsonDoc& body, const char* pointer)
{
    const auto ms = body.number(pointer);
    if (!ms || *ms < 0)
        return std::nullopt;
    return ms;
}

// worker-sdxl: {"image_url": "...", "images": [...]}; worker-comfyui >= 5: {"images": [{"type", "data"}]};
// public endpoints: {"image_url": "https://..."}; a bare string output is accepted too.
void collectImages(const JsonDoc& body, JobState& job)
{
    const auto take = [&job](std::string_view text) { job.takeImage(text); };
    const JsonPointer output("/output");
    const JsonType type = body.type(output);
    if (type == JsonType::String) {
        body.withString(output, take);
        return;
    }
    if (type != JsonType::Object)
        return;
    const JsonPointer images = output / "images";
    if (const std::size_t n = body.elements(images); n > 0) {
        for (std::size_t i = 0; i < n; ++i)
            if (!body.withString(images / i, take))
                body.withString(images / i / "data", take);
        return;
    }
    body.withString(output / "image_url", take);
}

std::string errorText(const JsonDoc& body)
{
    if (!body.has("/error"))
        return "the platform reported FAILED without an error message";
    return body.text("/error");
}

// A /health counter: absent is 0 (docs/protocols.md §1.4); anything but a count makes the
// sample unreadable.
template <typename Int> bool readCount(const JsonDoc& body, const JsonPointer& pointer, Int& into)
{
    const JsonValue value = body.at(pointer);
    if (!value.present())
        return true;
    const auto count = value.integer();
    if (!count || *count < 0 || *count > std::numeric_limits<int>::max())
        return false;
    into = static_cast<Int>(*count);
    return true;
}

} // namespace

RunPodOptions RunPodOptions::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    RunPodOptions options;
    if (!context.baseUrl.empty())
        options.baseUrl = context.baseUrl;
    options.baseUrl = withoutTrailingSlashes(std::move(options.baseUrl));
    options.endpointId = provider.settings.value("endpoint_id", std::string("emulated"));
    options.apiKey = context.apiKey;
    options.mode = provider.settings.value("mode", std::string("run"));
    options.pollIntervalMs = context.pollIntervalMs;
    options.runsyncWaitMs = provider.settings.value("runsync_wait_ms", options.runsyncWaitMs);
    options.bearerPrefix = provider.settings.value("auth_scheme", std::string("bearer")) != "bare";
    options.poll = provider.settings.value("poll", options.poll);
    options.statusSyncWaitMs = provider.settings.value("status_sync_wait_ms", options.statusSyncWaitMs);
    options.inputFormat = provider.settings.value("input_format", options.inputFormat);
    options.imageFormat = provider.settings.value("image_format", options.imageFormat);
    return options;
}

RunPodAdapter::RunPodAdapter(RunPodOptions options)
    : m_options(std::move(options))
{
}

std::string RunPodAdapter::endpointUrl() const
{
    return m_options.baseUrl + "/" + m_options.endpointId;
}

HttpRequest RunPodAdapter::make(
    std::string method, const std::string& path, std::string body, std::string operation) const
{
    HttpRequest request = jsonRequest(std::move(method), endpointUrl() + path,
        (m_options.bearerPrefix ? "Bearer " : "") + m_options.apiKey, std::move(body));
    request.operation = std::move(operation);
    return request;
}

// RunPod's documented job-API limits per endpoint (docs/protocols.md §1.6); /status-sync counts
// as /status. They grow with the worker count, so a config may raise them (rate_limits).
std::vector<std::string> RunPodAdapter::operations() const
{
    return { "run", "runsync", "status", "stream", "cancel", "health" };
}

RateLimits RunPodAdapter::platformRateLimits()
{
    return { { "runsync", 2000, 10000, 400 }, { "run", 1000, 10000, 200 }, { "status", 2000, 10000, 0 },
        { "stream", 2000, 10000, 0 }, { "cancel", 100, 10000, 0 } };
}

HttpRequest RunPodAdapter::statusRequest(const JobState& job) const
{
    if (m_options.poll == "status-sync")
        return make("GET",
            "/status-sync/" + percentEncode(job.jobId) + "?wait=" + std::to_string(m_options.statusSyncWaitMs), {},
            "status");
    return make("GET", "/status/" + percentEncode(job.jobId), {}, "status");
}

// After a non-final answer: /status waits a poll interval; /status-sync asks again at once, since
// RunPod held the request until something changed, unless it answered early without holding
// (then it is polled like /status, so a server that ignores wait is not hammered).
double RunPodAdapter::nextPollDelayMs(const JobState& job, const HttpResponse& response) const
{
    if (m_options.poll != "status-sync" || job.polls == 0)
        return m_options.poll == "status-sync" ? 0 : m_options.pollIntervalMs;
    const bool held = response.receivedMs - response.sentMs >= 0.5 * m_options.statusSyncWaitMs;
    return held ? 0 : m_options.pollIntervalMs;
}

json RunPodAdapter::input(const Job& job) const
{
    const VariantConfig& v = job.variant;
    if (m_options.inputFormat == "public") {
        // Public endpoints (docs/protocols.md §1.1): "guidance", not "guidance_scale"; one image each.
        json in = { { "prompt", job.prompt }, { "width", v.width }, { "height", v.height },
            { "num_inference_steps", v.steps }, { "guidance", v.guidance }, { "seed", job.seed } };
        if (!m_options.imageFormat.empty())
            in["image_format"] = m_options.imageFormat;
        return in;
    }
    // worker-sdxl's input names (docs/protocols.md §1.1); precision is our extension, read by the emulator.
    return { { "prompt", job.prompt }, { "width", v.width }, { "height", v.height }, { "num_inference_steps", v.steps },
        { "guidance_scale", v.guidance }, { "seed", job.seed }, { "num_images", v.images },
        { "precision", v.precision } };
}

HttpRequest RunPodAdapter::submit(JobState& job)
{
    const json body = { { "input", input(job.job) } };
    const std::string path
        = m_options.mode == "runsync" ? "/runsync?wait=" + std::to_string(m_options.runsyncWaitMs) : "/run";
    return make("POST", path, body.dump(), m_options.mode == "runsync" ? "runsync" : "run");
}

Action RunPodAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return noAnswerFailure(response);
    const JsonDoc body(response.body);
    if (response.status >= 400) {
        // Public endpoints answer validation errors with 400 and a FAILED body.
        const std::string detail = body.has("/error") ? errorText(body) : bodyExcerpt(response.body);
        if (body.string("/status") == "FAILED")
            job.providerStatus = "FAILED";
        return Action::fail(
            classifyHttpStatus(response.status), "HTTP " + std::to_string(response.status) + ": " + detail);
    }
    if (!body.valid())
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from RunPod (" + body.error() + "): " + bodyExcerpt(response.body, 200));
    if (body.rootType() != JsonType::Object)
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from RunPod: " + body.at("").mismatch("an object") + ": "
                + bodyExcerpt(response.body, 200));
    const std::string what = "RunPod answered HTTP " + std::to_string(response.status) + " ";

    if (job.jobId.empty()) {
        const JsonValue id = body.at("/id");
        if (!id.isString() || id.string()->empty())
            return Action::fail(
                ErrorClass::ServerError, "RunPod answered without a job id: " + id.mismatch("a non-empty string"));
        job.jobId = *id.string();
        job.accepted = true;
    }
    const JsonValue statusValue = body.at("/status");
    if (!statusValue.isString())
        return Action::fail(
            ErrorClass::ServerError, what + "without a job status: " + statusValue.mismatch("a string"));
    job.providerStatus = safeText(*statusValue.string(), 200);
    if (auto delay = msField(body, "/delayTime"))
        job.queueMs = delay;
    if (auto execution = msField(body, "/executionTime"))
        job.execMs = execution;
    if (const std::string worker = body.string("/workerId"); !worker.empty())
        job.workerId = worker;

    const std::string& status = job.providerStatus;
    if (!isTerminal(status)) {
        if (status != "IN_QUEUE" && status != "IN_PROGRESS" && status != "RUNNING")
            return Action::fail(ErrorClass::ServerError, "unknown RunPod status \"" + safeText(status, 100) + "\"");
        // A /runsync that came back non-final continues by polling, as the official SDKs do.
        job.phase = status == "IN_QUEUE" ? JobPhase::Queued : JobPhase::Running;
        const double delay = nextPollDelayMs(job, response);
        ++job.polls;
        if (m_options.poll == "status-sync")
            return Action::heldPoll(statusRequest(job), delay);
        return Action::poll(statusRequest(job), delay);
    }
    if (status == "COMPLETED") {
        collectImages(body, job);
        // Public endpoints report their charge in USD (docs/protocols.md §1.8): kept beside the model's.
        if (const auto cost = body.number("/output/cost"); cost && *cost >= 0)
            job.reportedCostUsd = cost;
        if (job.images.empty() && job.imageUrls.empty())
            return Action::fail(ErrorClass::InvalidImage,
                "COMPLETED without an image in output (" + body.at("/output").describe() + ")");
        return Action::done();
    }
    if (status == "CANCELLED")
        return Action::fail(ErrorClass::Cancelled, "the job was cancelled");
    if (status == "TIMED_OUT")
        return Action::fail(ErrorClass::Timeout, "RunPod reported TIMED_OUT");
    const std::string error = errorText(body);
    const bool filtered = error.find("NSFW") != std::string::npos || error.find("safety") != std::string::npos;
    return Action::fail(filtered ? ErrorClass::ContentFiltered : ErrorClass::PlatformFailure,
        error.empty() ? "the platform reported FAILED with an empty error" : error);
}

std::optional<HttpRequest> RunPodAdapter::cancel(const JobState& job) const
{
    if (job.jobId.empty())
        return std::nullopt;
    return make("POST", "/cancel/" + percentEncode(job.jobId), {}, "cancel");
}

std::optional<HttpRequest> RunPodAdapter::healthRequest() const
{
    return make("GET", "/health", {}, "health");
}

std::optional<WorkerSample> RunPodAdapter::parseHealth(const HttpResponse& response) const
{
    if (response.status != 200)
        return std::nullopt;
    const JsonDoc body(response.body);
    if (body.rootType() != JsonType::Object)
        return std::nullopt;
    // Keys the docs do not always show are read as 0 (docs/protocols.md §1.4); "workers": [], a
    // count that is not one, or neither group makes the answer unreadable, not zero.
    const JsonType jobs = body.type("/jobs");
    const JsonType workers = body.type("/workers");
    if ((jobs != JsonType::Absent && jobs != JsonType::Object)
        || (workers != JsonType::Absent && workers != JsonType::Object)
        || (jobs == JsonType::Absent && workers == JsonType::Absent))
        return std::nullopt; // not a /health answer: read as zeros it would fake a scale to zero
    WorkerSample sample;
    sample.tMs = response.receivedMs;
    const bool read = readCount(body, "/workers/idle", sample.idle)
        && readCount(body, "/workers/running", sample.running)
        && readCount(body, "/workers/initializing", sample.initializing)
        && readCount(body, "/workers/ready", sample.ready) && readCount(body, "/workers/throttled", sample.throttled)
        && readCount(body, "/workers/unhealthy", sample.unhealthy) && readCount(body, "/jobs/inQueue", sample.inQueue)
        && readCount(body, "/jobs/inProgress", sample.inProgress)
        && readCount(body, "/jobs/completed", sample.completed) && readCount(body, "/jobs/failed", sample.failed);
    if (!read)
        return std::nullopt;
    return sample;
}

} // namespace t2i
