// SPDX-License-Identifier: Apache-2.0
#include "sdcppadapter.h"

#include "a1111/a1111adapter.h"
#include "util/urlencode.h"
#include "json/answertext.h"
#include "json/jsondoc.h"

#include <cmath>

namespace t2i {
namespace {

using nlohmann::json;

// sd-server's errors: {"error": "job not found"} or {"error": "invalid json", "message": "..."}.
std::string errorText(const JsonDoc& body, const std::string& raw)
{
    if (body.rootType() != JsonType::Object || !body.has("/error"))
        return bodyExcerpt(raw);
    std::string out = body.text("/error");
    if (const std::string message = body.string("/message"); !message.empty())
        out += ": " + message;
    return safeText(out, 2000);
}

// Whole unix seconds; null until reached.
std::optional<double> unixSeconds(const JsonDoc& body, const char* pointer)
{
    return body.number(pointer);
}

// A time between two of the job's timestamps, in ms, when both are known and in order.
std::optional<double> betweenMs(std::optional<double> from, std::optional<double> to)
{
    if (!from || !to || *to < *from)
        return std::nullopt;
    const double ms = (*to - *from) * 1000.0;
    return std::isfinite(ms) ? std::optional<double>(ms) : std::nullopt;
}

json sampleParams(const Job& job, const std::string& sampler)
{
    json params = { { "sample_steps", job.variant.steps }, { "guidance", { { "txt_cfg", job.variant.guidance } } } };
    if (!sampler.empty())
        params["sample_method"] = sampler;
    return params;
}

HttpRequest plainRequest(std::string method, std::string url, const std::string& apiKey, std::string body)
{
    HttpRequest request;
    request.method = std::move(method);
    request.url = std::move(url);
    if (!apiKey.empty())
        request.headers.emplace_back("Authorization", "Bearer " + apiKey);
    if (!body.empty())
        request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
    return request;
}

} // namespace

SdCppOptions SdCppOptions::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    SdCppOptions options;
    if (!context.baseUrl.empty())
        options.baseUrl = context.baseUrl;
    options.baseUrl = withoutTrailingSlashes(std::move(options.baseUrl));
    options.apiKey = context.apiKey;
    options.mode = provider.settings.value("mode", options.mode);
    options.sampler = provider.settings.value("sampler", std::string());
    options.pollIntervalMs = context.pollIntervalMs;
    return options;
}

std::string sdCppExtraArgs(const Job& job, const std::string& sampler)
{
    const json args = { { "seed", job.seed }, { "sample_params", sampleParams(job, sampler) } };
    return "<sd_cpp_extra_args>" + args.dump() + "</sd_cpp_extra_args>";
}

// ---- native async API ----------------------------------------------------------------------

SdCppAdapter::SdCppAdapter(SdCppOptions options)
    : m_options(std::move(options))
{
}

HttpRequest SdCppAdapter::make(std::string method, const std::string& path, std::string body) const
{
    return plainRequest(std::move(method), m_options.baseUrl + path, m_options.apiKey, std::move(body));
}

json SdCppAdapter::requestBody(const Job& job) const
{
    const VariantConfig& v = job.variant;
    return { { "prompt", job.prompt }, { "negative_prompt", "" }, { "width", v.width }, { "height", v.height },
        { "seed", job.seed }, { "batch_count", v.images }, { "sample_params", sampleParams(job, m_options.sampler) },
        { "output_format", "png" } };
}

HttpRequest SdCppAdapter::submit(JobState& job)
{
    job.scratch.clear();
    return make("POST", "/sdcpp/v1/img_gen", requestBody(job.job).dump());
}

Action SdCppAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return noAnswerFailure(response);
    const JsonDoc body(response.body);
    if (response.status >= 400) {
        std::string message = "HTTP " + std::to_string(response.status) + ": " + errorText(body, response.body);
        if (response.status == 410)
            message += " (sd-server dropped the finished job before it was read: poll more often)";
        return Action::fail(classifyHttpStatus(response.status), message);
    }
    if (!body.valid())
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from sd-server (" + body.error() + "): " + bodyExcerpt(response.body, 200));
    if (body.rootType() != JsonType::Object)
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from sd-server: " + body.at("").mismatch("an object") + ": "
                + bodyExcerpt(response.body, 200));
    if (!job.accepted) {
        const JsonValue id = body.at("/id");
        if (!id.isString() || id.string()->empty())
            return Action::fail(ErrorClass::ServerError,
                "sd-server accepted the job without an id: " + id.mismatch("a non-empty string"));
        job.jobId = *id.string();
        job.accepted = true;
        // The poll URL is a path on this server; anything else is ignored for the documented route.
        const std::string pollUrl = body.string("/poll_url");
        job.scratch = pollUrl.starts_with("/") && !pollUrl.starts_with("//")
            ? pollUrl
            : "/sdcpp/v1/jobs/" + percentEncode(job.jobId);
    }
    return onJob(job, body);
}

Action SdCppAdapter::onJob(JobState& job, const JsonDoc& body)
{
    const JsonValue statusValue = body.at("/status");
    if (!statusValue.isString())
        return Action::fail(
            ErrorClass::ServerError, "sd-server answered a job without a status: " + statusValue.mismatch("a string"));
    job.providerStatus = safeText(*statusValue.string(), 200);
    const auto created = unixSeconds(body, "/created");
    const auto started = unixSeconds(body, "/started");
    const auto completed = unixSeconds(body, "/completed");
    if (const auto queue = betweenMs(created, started))
        job.queueMs = queue;
    if (const auto exec = betweenMs(started, completed))
        job.execMs = exec;
    const std::string& status = job.providerStatus;
    if (status == "queued" || status == "generating") {
        ++job.polls;
        job.phase = status == "generating" ? JobPhase::Running : JobPhase::Queued;
        return Action::poll(make("GET", job.scratch), m_options.pollIntervalMs);
    }
    if (status == "cancelled")
        return Action::fail(ErrorClass::Cancelled, "sd-server: " + safeText(body.string("/error/message"), 1000));
    if (status == "failed") {
        const std::string message = body.string("/error/code") + ": " + body.string("/error/message");
        return Action::fail(ErrorClass::PlatformFailure, "sd-server: " + safeText(message, 2000));
    }
    if (status != "completed")
        return Action::fail(ErrorClass::ServerError, "unknown sd-server job status \"" + safeText(status, 100) + "\"");
    const JsonPointer images("/result/images");
    const std::size_t n = body.elements(images);
    for (std::size_t i = 0; i < n; ++i) {
        bool bad = false;
        body.withString(
            images / i / "b64_json", [&](std::string_view b64) { bad = !b64.empty() && !job.takeImage(b64); });
        if (bad)
            return Action::fail(
                ErrorClass::InvalidImage, "sd-server image " + std::to_string(job.images.size()) + " is not base64");
    }
    if (job.images.empty())
        return Action::fail(ErrorClass::InvalidImage,
            "sd-server completed the job without an image in result.images (" + body.at("/result/images").describe()
                + ")");
    return Action::done();
}

std::optional<HttpRequest> SdCppAdapter::cancel(const JobState& job) const
{
    if (job.jobId.empty())
        return std::nullopt;
    return make("POST", "/sdcpp/v1/jobs/" + percentEncode(job.jobId) + "/cancel");
}

// ---- OpenAI-compatible route ---------------------------------------------------------------

namespace {

OpenAIOptions openAIOptionsOf(const SdCppOptions& options)
{
    OpenAIOptions openai;
    openai.baseUrl = options.baseUrl + "/v1";
    openai.apiKey = options.apiKey;
    return openai;
}

} // namespace

SdCppOpenAIAdapter::SdCppOpenAIAdapter(SdCppOptions options)
    : m_options(std::move(options))
    , m_openai(openAIOptionsOf(m_options), "sdcpp")
{
}

HttpRequest SdCppOpenAIAdapter::submit(JobState& job)
{
    Job carried = job.job;
    carried.prompt += sdCppExtraArgs(job.job, m_options.sampler);
    return plainRequest(
        "POST", m_options.baseUrl + "/v1/images/generations", m_options.apiKey, m_openai.requestBody(carried));
}

Action SdCppOpenAIAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    return m_openai.onResponse(job, response);
}

// ---- by mode -------------------------------------------------------------------------------

std::unique_ptr<Adapter> makeSdCppAdapter(const ProviderConfig& provider, const AdapterContext& context)
{
    const SdCppOptions options = SdCppOptions::fromConfig(provider, context);
    if (options.mode == "openai")
        return std::make_unique<SdCppOpenAIAdapter>(options);
    if (options.mode == "sdapi") {
        A1111Options a1111;
        a1111.baseUrl = options.baseUrl;
        a1111.apiKey = options.apiKey;
        a1111.sampler = options.sampler;
        a1111.hasProgress = false;
        a1111.hasInterrupt = false;
        a1111.sendTaskId = false;
        return std::make_unique<A1111Adapter>(a1111, "sdcpp");
    }
    if (options.mode == "async")
        return std::make_unique<SdCppAdapter>(options);
    return nullptr;
}

} // namespace t2i
