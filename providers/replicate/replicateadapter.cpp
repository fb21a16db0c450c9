// SPDX-License-Identifier: Apache-2.0
#include "replicateadapter.h"

#include "isotime.h"
#include "util/base64.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace t2i {
namespace {

using nlohmann::json;

bool isPending(const std::string& status)
{
    return status == "starting" || status == "processing";
}

std::string text(const json& body, const char* key)
{
    const auto it = body.find(key);
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Problem details ({"title", "detail", "status"}) or a throttle's bare {"detail"}; else the raw body.
std::string problemText(const json& body, const std::string& raw)
{
    if (!body.is_object())
        return raw.substr(0, 300);
    const std::string detail = text(body, "detail");
    const std::string title = text(body, "title");
    if (detail.empty() && title.empty())
        return raw.substr(0, 300);
    return title.empty() ? detail : detail.empty() ? title : title + ": " + detail;
}

// Output is model-defined: FLUX answers an array of URLs, some models one string; in sync mode
// some answer data URIs (docs/protocols.md §2.5).
void collectImages(const json& output, JobState& job)
{
    auto take = [&job](const json& item) {
        if (!item.is_string())
            return;
        job.takeImage(item.get<std::string>());
    };
    if (output.is_array()) {
        for (const json& item : output)
            take(item);
    } else {
        take(output);
    }
}

} // namespace

ReplicateOptions ReplicateOptions::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    ReplicateOptions options;
    if (!context.baseUrl.empty())
        options.baseUrl = context.baseUrl;
    options.baseUrl = withoutTrailingSlashes(std::move(options.baseUrl));
    options.apiKey = context.apiKey;
    options.model = provider.settings.value("model", std::string());
    options.deployment = provider.settings.value("deployment", std::string());
    options.version = provider.settings.value("version", std::string());
    // An emulated Replicate may name none: any model route reaches the same platform.
    if (options.model.empty() && options.deployment.empty() && options.version.empty())
        options.model = "t2ibench/emulated";
    options.waitS = provider.settings.value("wait_s", 0);
    options.pollIntervalMs = context.pollIntervalMs;
    return options;
}

ReplicateAdapter::ReplicateAdapter(ReplicateOptions options)
    : m_options(std::move(options))
{
}

std::string ReplicateAdapter::requestBody(const Job& job) const
{
    const VariantConfig& v = job.variant;
    // The input names of SDXL-style community models (docs/protocols.md §2.1); official FLUX models
    // ignore width/height and take aspect_ratio, which a variant does not describe.
    json body = { { "input",
        { { "prompt", job.prompt }, { "width", v.width }, { "height", v.height }, { "num_inference_steps", v.steps },
            { "guidance_scale", v.guidance }, { "seed", job.seed }, { "num_outputs", v.images } } } };
    if (m_options.deployment.empty() && !m_options.version.empty())
        body["version"] = m_options.version;
    return body.dump();
}

HttpRequest ReplicateAdapter::make(std::string method, std::string url, std::string body) const
{
    HttpRequest request = jsonRequest(std::move(method), std::move(url), "Bearer " + m_options.apiKey, std::move(body));
    // Creating a prediction has its own budget; every other API call shares one (docs/protocols.md §2.6).
    request.operation = request.method == "POST" && !request.body.empty() ? "create" : "other";
    return request;
}

std::vector<std::string> ReplicateAdapter::operations() const
{
    return { "create", "other" };
}

RateLimits ReplicateAdapter::defaultRateLimits() const
{
    return { { "create", 600, 60000, 0 }, { "other", 3000, 60000, 0 } };
}

HttpRequest ReplicateAdapter::submit(JobState& job)
{
    std::string path = "/predictions";
    if (!m_options.deployment.empty())
        path = "/deployments/" + m_options.deployment + "/predictions";
    else if (m_options.version.empty())
        path = "/models/" + m_options.model + "/predictions";
    HttpRequest request = make("POST", m_options.baseUrl + path, requestBody(job.job));
    if (m_options.waitS > 0)
        request.headers.emplace_back("Prefer", "wait=" + std::to_string(m_options.waitS));
    return request;
}

// The URL the platform gave for this job (urls.get / urls.cancel), else the documented route.
std::string ReplicateAdapter::savedUrl(const JobState& job, const char* which, const std::string& fallbackPath) const
{
    const json scratch = json::parse(job.scratch, nullptr, false);
    if (scratch.is_object() && scratch.contains("urls") && scratch["urls"].is_object()) {
        const std::string url = text(scratch["urls"], which);
        if (looksLikeUrl(url))
            return url;
    }
    return m_options.baseUrl + "/predictions/" + job.jobId + fallbackPath;
}

Action ReplicateAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return Action::fail(response.timedOut ? ErrorClass::Timeout : ErrorClass::Transport, response.transportError);
    const json body = json::parse(response.body, nullptr, false);
    if (response.status >= 400)
        return Action::fail(classifyHttpStatus(response.status),
            "HTTP " + std::to_string(response.status) + ": " + problemText(body, response.body));
    if (body.is_discarded() || !body.is_object())
        return Action::fail(ErrorClass::ServerError, "malformed JSON from Replicate: " + response.body.substr(0, 200));

    // 200, 201 and 202 carry the same prediction object (docs/protocols.md §2.2).
    if (job.jobId.empty()) {
        job.jobId = text(body, "id");
        if (job.jobId.empty())
            return Action::fail(ErrorClass::ServerError, "Replicate answered without a prediction id");
        job.accepted = true;
    }
    job.providerStatus = text(body, "status");
    json scratch = json::parse(job.scratch, nullptr, false);
    if (!scratch.is_object())
        scratch = json::object();
    if (const auto urls = body.find("urls"); urls != body.end() && urls->is_object())
        scratch["urls"] = { { "get", text(*urls, "get") }, { "cancel", text(*urls, "cancel") } };
    if (const auto metrics = body.find("metrics"); metrics != body.end() && metrics->is_object())
        scratch["metrics"] = *metrics;
    job.scratch = scratch.dump();

    // Microsecond timestamps: the difference is exact, as a ms value with three decimals.
    const auto created = parseIsoMicros(text(body, "created_at"));
    const auto started = parseIsoMicros(text(body, "started_at"));
    if (created && started)
        job.queueMs = double(*started - *created) / 1000.0;
    if (const auto completed = parseIsoMicros(text(body, "completed_at")); created && completed)
        job.platformMs = double(*completed - *created) / 1000.0;
    if (const auto metrics = body.find("metrics"); metrics != body.end() && metrics->is_object()) {
        if (const auto predict = metrics->find("predict_time"); predict != metrics->end() && predict->is_number())
            job.execMs = std::round(predict->get<double>() * 1e6) / 1e3; // s -> ms, without binary noise
    }

    const std::string& status = job.providerStatus;
    if (isPending(status)) {
        ++job.polls;
        job.phase = status == "processing" ? JobPhase::Running : JobPhase::Queued;
        return Action::poll(make("GET", savedUrl(job, "get", {})), m_options.pollIntervalMs);
    }
    if (status == "succeeded") {
        if (body.value("data_removed", false))
            return Action::fail(ErrorClass::InvalidImage, "the prediction's output was removed (data_removed)");
        collectImages(body.value("output", json()), job);
        if (job.images.empty() && job.imageUrls.empty())
            return Action::fail(ErrorClass::InvalidImage, "succeeded without an image in output");
        return Action::done();
    }
    if (status == "canceled")
        return Action::fail(ErrorClass::Cancelled, "the prediction was canceled");
    if (status == "aborted")
        return Action::fail(ErrorClass::Cancelled, "the prediction was aborted (its Cancel-After deadline passed)");
    if (status == "failed") {
        const auto error = body.find("error");
        const std::string message = error == body.end() || error->is_null() ? "the prediction failed without an error"
            : error->is_string()                                            ? error->get<std::string>()
                                                                            : error->dump();
        const bool filtered = message.find("NSFW") != std::string::npos || message.find("safety") != std::string::npos;
        return Action::fail(filtered ? ErrorClass::ContentFiltered : ErrorClass::PlatformFailure, message);
    }
    return Action::fail(ErrorClass::ServerError, "unknown Replicate status \"" + status + "\"");
}

std::optional<HttpRequest> ReplicateAdapter::cancel(const JobState& job) const
{
    if (job.jobId.empty())
        return std::nullopt;
    return make("POST", savedUrl(job, "cancel", "/cancel"));
}

} // namespace t2i
