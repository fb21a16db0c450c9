// SPDX-License-Identifier: Apache-2.0
#include "replicateadapter.h"

#include "isotime.h"
#include "util/base64.h"
#include "util/urlencode.h"
#include "json/answertext.h"
#include "json/jsondoc.h"
#include "json/jsonwriter.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace t2i {
namespace {

using nlohmann::json;

bool isPending(const std::string& status)
{
    return status == "starting" || status == "processing";
}

// Problem details ({"title", "detail", "status"}) or a throttle's bare {"detail"}; else the raw body.
std::string problemText(const JsonDoc& body, const std::string& raw)
{
    const std::string detail = body.string("/detail");
    const std::string title = body.string("/title");
    if (detail.empty() && title.empty())
        return bodyExcerpt(raw);
    return safeText(title.empty() ? detail : detail.empty() ? title : title + ": " + detail, 1000);
}

// Output is model-defined: FLUX answers an array of URLs, some models one string; in sync mode
// some answer data URIs (docs/protocols.md §2.5).
void collectImages(const JsonDoc& body, JobState& job)
{
    const auto take = [&job](std::string_view text) { job.takeImage(text); };
    const JsonPointer output("/output");
    if (body.type(output) == JsonType::Array) {
        const std::size_t n = body.elements(output);
        for (std::size_t i = 0; i < n; ++i)
            body.withString(output / i, take);
    } else {
        body.withString(output, take);
    }
}

// What the adapter keeps between answers (JobState::scratch): the URLs the platform gave and
// its metrics, verbatim, as {"urls": {"get", "cancel"}, "metrics": {...}}.
struct Notes {
    std::string get;
    std::string cancel;
    std::string metrics; // JSON

    static Notes read(const std::string& scratch)
    {
        Notes notes;
        if (scratch.empty())
            return notes;
        const JsonDoc doc(scratch);
        notes.get = doc.string("/urls/get");
        notes.cancel = doc.string("/urls/cancel");
        notes.metrics = doc.json("/metrics").value_or(std::string());
        return notes;
    }
    std::string write() const
    {
        const std::string urls = JsonObjectWriter().add("get", get).add("cancel", cancel).str();
        return JsonObjectWriter().addJson("urls", urls).addJson("metrics", metrics).str();
    }
};

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

RateLimits ReplicateAdapter::platformRateLimits()
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
    const Notes notes = Notes::read(job.scratch);
    const std::string& url = std::string_view(which) == "get" ? notes.get : notes.cancel;
    if (isUsableUrl(url))
        return url;
    return m_options.baseUrl + "/predictions/" + percentEncode(job.jobId) + fallbackPath;
}

Action ReplicateAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return noAnswerFailure(response);
    const JsonDoc body(response.body);
    if (response.status >= 400)
        return Action::fail(classifyHttpStatus(response.status),
            "HTTP " + std::to_string(response.status) + ": " + problemText(body, response.body));
    if (!body.valid())
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from Replicate (" + body.error() + "): " + bodyExcerpt(response.body, 200));
    if (body.rootType() != JsonType::Object)
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from Replicate: " + body.at("").mismatch("a prediction object") + ": "
                + bodyExcerpt(response.body, 200));

    // 200, 201 and 202 carry the same prediction object (docs/protocols.md §2.2).
    if (job.jobId.empty()) {
        const JsonValue id = body.at("/id");
        if (!id.isString() || id.string()->empty())
            return Action::fail(ErrorClass::ServerError,
                "Replicate answered without a prediction id: " + id.mismatch("a non-empty string"));
        job.jobId = *id.string();
        job.accepted = true;
    }
    const JsonValue statusValue = body.at("/status");
    if (!statusValue.isString())
        return Action::fail(ErrorClass::ServerError,
            "Replicate answered a prediction without a status: " + statusValue.mismatch("a string"));
    job.providerStatus = safeText(*statusValue.string(), 200);
    Notes notes = Notes::read(job.scratch);
    if (body.type("/urls") == JsonType::Object) {
        notes.get = body.string("/urls/get");
        notes.cancel = body.string("/urls/cancel");
    }
    if (body.type("/metrics") == JsonType::Object)
        notes.metrics = body.json("/metrics").value_or(std::string());
    job.scratch = notes.write();

    // Microsecond timestamps: the difference is exact, as a ms value with three decimals. A
    // timestamp before created_at is not a time at all.
    const auto created = parseIsoMicros(body.string("/created_at"));
    const auto started = parseIsoMicros(body.string("/started_at"));
    if (created && started && *started >= *created)
        job.queueMs = double(*started - *created) / 1000.0;
    if (const auto completed = parseIsoMicros(body.string("/completed_at"));
        created && completed && *completed >= *created)
        job.platformMs = double(*completed - *created) / 1000.0;
    if (const auto predict = secondsToMs(body.number("/metrics/predict_time"))) // s -> ms, without binary noise
        job.execMs = predict;

    const std::string& status = job.providerStatus;
    if (isPending(status)) {
        ++job.polls;
        job.phase = status == "processing" ? JobPhase::Running : JobPhase::Queued;
        return Action::poll(make("GET", savedUrl(job, "get", {})), m_options.pollIntervalMs);
    }
    if (status == "succeeded") {
        if (body.boolean("/data_removed").value_or(false))
            return Action::fail(ErrorClass::InvalidImage, "the prediction's output was removed (data_removed)");
        collectImages(body, job);
        if (job.images.empty() && job.imageUrls.empty())
            return Action::fail(ErrorClass::InvalidImage,
                "succeeded without an image in output (" + body.at("/output").describe() + ")");
        return Action::done();
    }
    if (status == "canceled")
        return Action::fail(ErrorClass::Cancelled, "the prediction was canceled");
    if (status == "aborted")
        return Action::fail(ErrorClass::Cancelled, "the prediction was aborted (its Cancel-After deadline passed)");
    if (status == "failed") {
        const JsonType error = body.type("/error");
        std::string message
            = error == JsonType::Absent || error == JsonType::Null ? std::string() : body.text("/error");
        if (message.empty())
            message = "the prediction failed without an error";
        const bool filtered = message.find("NSFW") != std::string::npos || message.find("safety") != std::string::npos;
        return Action::fail(filtered ? ErrorClass::ContentFiltered : ErrorClass::PlatformFailure, message);
    }
    return Action::fail(ErrorClass::ServerError, "unknown Replicate status \"" + safeText(status, 100) + "\"");
}

std::optional<HttpRequest> ReplicateAdapter::cancel(const JobState& job) const
{
    if (job.jobId.empty())
        return std::nullopt;
    return make("POST", savedUrl(job, "cancel", "/cancel"));
}

} // namespace t2i
