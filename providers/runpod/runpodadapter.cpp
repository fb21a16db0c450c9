// SPDX-License-Identifier: Apache-2.0
#include "runpodadapter.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace t2i {
namespace {

using nlohmann::json;

bool isTerminal(const std::string& status)
{
    return status == "COMPLETED" || status == "FAILED" || status == "CANCELLED" || status == "TIMED_OUT";
}

std::optional<double> msField(const json& body, const char* key)
{
    const auto it = body.find(key);
    if (it == body.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

// worker-sdxl: {"image_url": "...", "images": [...]}; worker-comfyui >= 5: {"images": [{"type", "data"}]};
// public endpoints: {"image_url": "https://..."}; a bare string output is accepted too.
void collectImages(const json& output, JobState& job)
{
    auto take = [&job](const std::string& text) { job.takeImage(text); };
    if (output.is_string()) {
        take(output.get<std::string>());
        return;
    }
    if (!output.is_object())
        return;
    if (const auto images = output.find("images"); images != output.end() && images->is_array() && !images->empty()) {
        for (const auto& image : *images) {
            if (image.is_string())
                take(image.get<std::string>());
            else if (image.is_object() && image.contains("data") && image["data"].is_string())
                take(image["data"].get<std::string>());
        }
        return;
    }
    if (const auto url = output.find("image_url"); url != output.end() && url->is_string())
        take(url->get<std::string>());
}

// A job id as a URL path segment: RunPod's ids (uuid plus "-u1"/"-e1", "sync-" prefix) pass
// unchanged; anything outside RFC 3986's unreserved set is percent-encoded.
std::string pathSegment(const std::string& id)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : id) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string errorText(const json& body)
{
    const auto it = body.find("error");
    if (it == body.end())
        return "the platform reported FAILED without an error message";
    return it->is_string() ? it->get<std::string>() : it->dump();
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

RateLimits RunPodAdapter::defaultRateLimits() const
{
    return { { "runsync", 2000, 10000, 400 }, { "run", 1000, 10000, 200 }, { "status", 2000, 10000, 0 },
        { "stream", 2000, 10000, 0 }, { "cancel", 100, 10000, 0 } };
}

HttpRequest RunPodAdapter::statusRequest(const JobState& job) const
{
    if (m_options.poll == "status-sync")
        return make("GET",
            "/status-sync/" + pathSegment(job.jobId) + "?wait=" + std::to_string(m_options.statusSyncWaitMs), {},
            "status");
    return make("GET", "/status/" + pathSegment(job.jobId), {}, "status");
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
        return Action::fail(response.timedOut ? ErrorClass::Timeout : ErrorClass::Transport, response.transportError);
    json body = json::parse(response.body, nullptr, false);
    if (response.status >= 400) {
        // Public endpoints answer validation errors with 400 and a FAILED body.
        const std::string detail
            = body.is_object() && body.contains("error") ? errorText(body) : response.body.substr(0, 300);
        if (body.is_object() && body.value("status", "") == "FAILED")
            job.providerStatus = "FAILED";
        return Action::fail(
            classifyHttpStatus(response.status), "HTTP " + std::to_string(response.status) + ": " + detail);
    }
    if (body.is_discarded() || !body.is_object())
        return Action::fail(ErrorClass::ServerError, "malformed JSON from RunPod: " + response.body.substr(0, 200));

    if (job.jobId.empty()) {
        job.jobId = body.value("id", "");
        if (job.jobId.empty())
            return Action::fail(ErrorClass::ServerError, "RunPod answered without a job id");
        job.accepted = true;
    }
    job.providerStatus = body.value("status", "");
    if (auto delay = msField(body, "delayTime"))
        job.queueMs = delay;
    if (auto execution = msField(body, "executionTime"))
        job.execMs = execution;
    if (const auto worker = body.find("workerId"); worker != body.end() && worker->is_string())
        job.workerId = worker->get<std::string>();

    const std::string& status = job.providerStatus;
    if (!isTerminal(status)) {
        if (status != "IN_QUEUE" && status != "IN_PROGRESS" && status != "RUNNING")
            return Action::fail(ErrorClass::ServerError, "unknown RunPod status \"" + status + "\"");
        // A /runsync that came back non-final continues by polling, as the official SDKs do.
        job.phase = status == "IN_QUEUE" ? JobPhase::Queued : JobPhase::Running;
        const double delay = nextPollDelayMs(job, response);
        ++job.polls;
        if (m_options.poll == "status-sync")
            return Action::heldPoll(statusRequest(job), delay);
        return Action::poll(statusRequest(job), delay);
    }
    if (status == "COMPLETED") {
        collectImages(body.value("output", json()), job);
        // Public endpoints report their charge in USD (docs/protocols.md §1.8): kept beside the model's.
        if (const json output = body.value("output", json()); output.is_object() && output.contains("cost")
            && output["cost"].is_number() && output["cost"].get<double>() >= 0)
            job.reportedCostUsd = output["cost"].get<double>();
        if (job.images.empty() && job.imageUrls.empty())
            return Action::fail(ErrorClass::InvalidImage, "COMPLETED without an image in output");
        return Action::done();
    }
    if (status == "CANCELLED")
        return Action::fail(ErrorClass::Cancelled, "the job was cancelled");
    if (status == "TIMED_OUT")
        return Action::fail(ErrorClass::Timeout, "RunPod reported TIMED_OUT");
    const std::string error = errorText(body);
    const bool filtered = error.find("NSFW") != std::string::npos || error.find("safety") != std::string::npos;
    return Action::fail(filtered ? ErrorClass::ContentFiltered : ErrorClass::PlatformFailure, error);
}

std::optional<HttpRequest> RunPodAdapter::cancel(const JobState& job) const
{
    if (job.jobId.empty())
        return std::nullopt;
    return make("POST", "/cancel/" + pathSegment(job.jobId), {}, "cancel");
}

std::optional<HttpRequest> RunPodAdapter::healthRequest() const
{
    return make("GET", "/health", {}, "health");
}

std::optional<WorkerSample> RunPodAdapter::parseHealth(const HttpResponse& response) const
{
    if (response.status != 200)
        return std::nullopt;
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_object())
        return std::nullopt;
    // Keys the docs do not always show are read as 0 (docs/protocols.md §1.4).
    const json jobs = body.value("jobs", json::object());
    const json workers = body.value("workers", json::object());
    WorkerSample sample;
    sample.tMs = response.receivedMs;
    sample.idle = workers.value("idle", 0);
    sample.running = workers.value("running", 0);
    sample.initializing = workers.value("initializing", 0);
    sample.ready = workers.value("ready", 0);
    sample.throttled = workers.value("throttled", 0);
    sample.unhealthy = workers.value("unhealthy", 0);
    sample.inQueue = jobs.value("inQueue", 0);
    sample.inProgress = jobs.value("inProgress", 0);
    sample.completed = jobs.value("completed", 0L);
    sample.failed = jobs.value("failed", 0L);
    return sample;
}

} // namespace t2i
