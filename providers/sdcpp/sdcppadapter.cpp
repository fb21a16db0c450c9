// SPDX-License-Identifier: Apache-2.0
#include "sdcppadapter.h"

#include "a1111/a1111adapter.h"

namespace t2i {
namespace {

using nlohmann::json;

std::string text(const json& object, const char* key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// sd-server's errors: {"error": "job not found"} or {"error": "invalid json", "message": "..."}.
std::string errorText(const json& body, const std::string& raw)
{
    if (!body.is_object() || !body.contains("error"))
        return raw.substr(0, 300);
    const json& error = body["error"];
    std::string out = error.is_string() ? error.get<std::string>() : error.dump();
    if (const std::string message = text(body, "message"); !message.empty())
        out += ": " + message;
    return out;
}

std::optional<double> unixSeconds(const json& body, const char* key)
{
    const auto it = body.find(key);
    if (it == body.end() || !it->is_number())
        return std::nullopt; // null until reached
    return it->get<double>();
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
        return Action::fail(response.timedOut ? ErrorClass::Timeout : ErrorClass::Transport, response.transportError);
    const json body = json::parse(response.body, nullptr, false);
    if (response.status >= 400) {
        std::string message = "HTTP " + std::to_string(response.status) + ": " + errorText(body, response.body);
        if (response.status == 410)
            message += " (sd-server dropped the finished job before it was read: poll more often)";
        return Action::fail(classifyHttpStatus(response.status), message);
    }
    if (body.is_discarded() || !body.is_object())
        return Action::fail(ErrorClass::ServerError, "malformed JSON from sd-server: " + response.body.substr(0, 200));
    if (!job.accepted) {
        job.jobId = text(body, "id");
        if (job.jobId.empty())
            return Action::fail(ErrorClass::ServerError, "sd-server accepted the job without an id");
        job.accepted = true;
        const std::string pollUrl = text(body, "poll_url");
        job.scratch = pollUrl.starts_with("/") ? pollUrl : "/sdcpp/v1/jobs/" + job.jobId;
    }
    return onJob(job, body);
}

Action SdCppAdapter::onJob(JobState& job, const json& body)
{
    job.providerStatus = text(body, "status");
    const auto created = unixSeconds(body, "created");
    const auto started = unixSeconds(body, "started");
    const auto completed = unixSeconds(body, "completed");
    if (created && started)
        job.queueMs = (*started - *created) * 1000.0;
    if (started && completed)
        job.execMs = (*completed - *started) * 1000.0;
    const std::string& status = job.providerStatus;
    if (status == "queued" || status == "generating") {
        ++job.polls;
        job.phase = status == "generating" ? JobPhase::Running : JobPhase::Queued;
        return Action::poll(make("GET", job.scratch), m_options.pollIntervalMs);
    }
    const json error = body.value("error", json());
    if (status == "cancelled")
        return Action::fail(ErrorClass::Cancelled, "sd-server: " + text(error, "message"));
    if (status == "failed") {
        const std::string message = text(error, "code") + ": " + text(error, "message");
        return Action::fail(ErrorClass::PlatformFailure, "sd-server: " + message);
    }
    if (status != "completed")
        return Action::fail(ErrorClass::ServerError, "unknown sd-server job status \"" + status + "\"");
    const json result = body.value("result", json());
    if (result.is_object() && result.contains("images") && result["images"].is_array())
        for (const json& image : result["images"])
            if (const std::string b64 = text(image, "b64_json"); !b64.empty() && !job.takeImage(b64))
                return Action::fail(ErrorClass::InvalidImage,
                    "sd-server image " + std::to_string(job.images.size()) + " is not base64");
    if (job.images.empty())
        return Action::fail(ErrorClass::InvalidImage, "sd-server completed the job without an image in result.images");
    return Action::done();
}

std::optional<HttpRequest> SdCppAdapter::cancel(const JobState& job) const
{
    if (job.jobId.empty())
        return std::nullopt;
    return make("POST", "/sdcpp/v1/jobs/" + job.jobId + "/cancel");
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
