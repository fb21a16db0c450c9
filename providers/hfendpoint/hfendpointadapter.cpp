// SPDX-License-Identifier: Apache-2.0
#include "hfendpointadapter.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace t2i {
namespace {

using nlohmann::json;

std::string lowered(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

int intField(const json& object, const char* key, int fallback)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

} // namespace

AppOutputSpec HfEndpointOptions::defaultOutput()
{
    AppOutputSpec spec;
    spec.imagePointers = { "/image", "/images", "/generated_image" };
    return spec;
}

HfEndpointOptions HfEndpointOptions::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    HfEndpointOptions options;
    const json& s = provider.settings;
    options.url = withoutTrailingSlashes(context.baseUrl.empty() ? s.value("url", std::string()) : context.baseUrl);
    options.apiKey = context.apiKey;
    options.scaleUpTimeoutS = s.value("scale_up_timeout_s", options.scaleUpTimeoutS);
    options.responseFormat = s.value("response_format", options.responseFormat);
    if (const auto it = s.find("extract"); it != s.end() && it->is_object())
        options.output = options.output.withConfig(*it);
    if (const auto it = s.find("scale_up_retry"); it != s.end() && it->is_object()) {
        options.retry503 = it->value("when", options.retry503);
        options.max503Retries = it->value("max", options.max503Retries);
        options.retry503DelayMs = it->value("delay_ms", options.retry503DelayMs);
    }
    if (const auto it = s.find("management"); it != s.end() && it->is_object()) {
        options.managementUrl = withoutTrailingSlashes(it->value("base_url", options.managementUrl));
        options.managementNamespace = it->value("namespace", std::string());
        options.managementName = it->value("name", std::string());
    }
    return options;
}

HfEndpointAdapter::HfEndpointAdapter(HfEndpointOptions options)
    : m_options(std::move(options))
{
}

std::string HfEndpointAdapter::requestBody(const Job& job) const
{
    const VariantConfig& v = job.variant;
    // The text-to-image task has no image count: one image per call (docs/protocols.md §6.1).
    const json body = { { "inputs", job.prompt },
        { "parameters",
            { { "width", v.width }, { "height", v.height }, { "num_inference_steps", v.steps },
                { "guidance_scale", v.guidance }, { "seed", job.seed } } } };
    return body.dump();
}

HttpRequest HfEndpointAdapter::submit(JobState& job)
{
    HttpRequest request = jsonRequest("POST", m_options.url + "/", "Bearer " + m_options.apiKey, requestBody(job.job));
    request.headers.emplace_back("Accept", m_options.responseFormat == "json" ? "application/json" : "image/png");
    if (m_options.scaleUpTimeoutS > 0) {
        // Whole seconds, as HF's docs write it ("600").
        const auto seconds = static_cast<long long>(std::ceil(m_options.scaleUpTimeoutS));
        request.headers.emplace_back("X-Scale-Up-Timeout", std::to_string(seconds));
    }
    return request;
}

bool HfEndpointAdapter::saysScalingUp(const std::string& body)
{
    const json parsed = json::parse(body, nullptr, false);
    if (parsed.is_object() && parsed.contains("estimated_time"))
        return true;
    const std::string text = lowered(body);
    for (const char* sign : { "loading", "scaled to zero", "scaledtozero", "scale-to-zero", "scaling", "scale up",
             "initializing", "starting" })
        if (text.find(sign) != std::string::npos)
            return true;
    return false;
}

std::optional<double> HfEndpointAdapter::scaleUpWaitMs(const HttpResponse& response)
{
    const json parsed = json::parse(response.body, nullptr, false);
    if (parsed.is_object()) {
        const auto it = parsed.find("estimated_time");
        if (it != parsed.end() && it->is_number() && it->get<double>() >= 0)
            return it->get<double>() * 1000.0;
    }
    const std::string value = response.header("retry-after");
    double seconds = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (!value.empty() && ec == std::errc() && seconds >= 0)
        return seconds * 1000.0;
    return std::nullopt;
}

Action HfEndpointAdapter::onUnavailable(JobState& job, const HttpResponse& response)
{
    const std::string message = "HTTP 503: " + errorExcerpt(response.body);
    const bool retry
        = m_options.retry503 == "always" || (m_options.retry503 == "scale_up" && saysScalingUp(response.body));
    if (!retry)
        return Action::fail(ErrorClass::ServerError, message);
    if (job.polls >= m_options.max503Retries)
        return Action::fail(ErrorClass::Timeout,
            "the endpoint was still scaling up after " + std::to_string(job.polls) + " retries (" + message + ")");
    // Counted, never hidden: each retry is a poll of the endpoint, and the status says why.
    ++job.polls;
    job.providerStatus = "503_scaling_up";
    return Action::send(submit(job), scaleUpWaitMs(response).value_or(m_options.retry503DelayMs));
}

Action HfEndpointAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return Action::fail(response.timedOut ? ErrorClass::Timeout : ErrorClass::Transport, response.transportError);
    if (response.status == 503)
        return onUnavailable(job, response);
    if (response.status >= 400) {
        std::string message = "HTTP " + std::to_string(response.status) + ": " + errorExcerpt(response.body);
        if (response.status == 401 || response.status == 403)
            message += " (the token needs access to this endpoint)";
        return Action::fail(classifyHttpStatus(response.status), message);
    }
    job.providerStatus = job.polls > 0 ? "ready_after_503" : "ok";
    if (isImageContentType(response.header("content-type"))) {
        job.images.push_back(response.body);
        return Action::done();
    }
    const json body = json::parse(response.body, nullptr, false);
    if (body.is_discarded())
        return Action::fail(ErrorClass::InvalidImage,
            "the endpoint answered neither an image nor JSON (content type \"" + response.header("content-type")
                + "\")");
    if (!readAppOutput(body, m_options.output, job))
        return Action::fail(ErrorClass::InvalidImage,
            "the endpoint's JSON has no image at " + m_options.output.describeImagePointers() + " (set extract.image)");
    return Action::done();
}

std::optional<HttpRequest> HfEndpointAdapter::healthRequest() const
{
    if (m_options.managementNamespace.empty() || m_options.managementName.empty())
        return std::nullopt;
    return jsonRequest("GET",
        m_options.managementUrl + "/v2/endpoint/" + m_options.managementNamespace + "/" + m_options.managementName,
        "Bearer " + m_options.apiKey);
}

std::optional<WorkerSample> HfEndpointAdapter::parseHealth(const HttpResponse& response) const
{
    if (response.status != 200)
        return std::nullopt;
    const json body = json::parse(response.body, nullptr, false);
    const auto status = body.is_object() ? body.find("status") : body.end();
    if (!body.is_object() || status == body.end() || !status->is_object() || !status->contains("state"))
        return std::nullopt;
    const std::string state = status->value("state", std::string());
    // readyReplica / targetReplica are read when present ([UNCONFIRMED] names); the state alone
    // still tells zero, starting and running apart.
    const bool running = state == "running";
    const bool starting = state == "pending" || state == "initializing" || state == "updating";
    const int ready = intField(*status, "readyReplica", running ? 1 : 0);
    const int target = intField(*status, "targetReplica", ready);
    WorkerSample sample;
    if (running || starting) {
        sample.ready = ready;
        sample.initializing = std::max(target - ready, starting && ready == 0 ? 1 : 0);
    } else if (state == "failed" || state == "updateFailed") {
        sample.unhealthy = 1;
    } // scaledToZero, paused: no replica at all
    return sample;
}

} // namespace t2i
