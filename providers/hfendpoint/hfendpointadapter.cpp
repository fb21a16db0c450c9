// SPDX-License-Identifier: Apache-2.0
#include "hfendpointadapter.h"

#include "json/answertext.h"
#include "json/jsondoc.h"

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

// A replica count: absent is the fallback; anything but a count is unreadable (nullopt).
std::optional<int> replicas(const JsonDoc& body, const JsonPointer& pointer, int fallback)
{
    const JsonValue value = body.at(pointer);
    if (!value.present())
        return fallback;
    const auto n = value.integer();
    if (!n || *n < 0 || *n > 1000000)
        return std::nullopt;
    return int(*n);
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
    if (JsonDoc(body).has("/estimated_time"))
        return true;
    const std::string text = lowered(body.substr(0, 4096));
    for (const char* sign : { "loading", "scaled to zero", "scaledtozero", "scale-to-zero", "scaling", "scale up",
             "initializing", "starting" })
        if (text.find(sign) != std::string::npos)
            return true;
    return false;
}

std::optional<double> HfEndpointAdapter::scaleUpWaitMs(const HttpResponse& response)
{
    // At most 10 minutes: an estimate past that is no estimate (the request's timeout ends the
    // wait long before).
    constexpr double kLongestMs = 600000;
    if (const auto seconds = JsonDoc(response.body).number("/estimated_time"); seconds && *seconds >= 0)
        return std::min(*seconds * 1000.0, kLongestMs);
    if (const auto seconds = headerNumber(response.header("retry-after")))
        return std::min(*seconds * 1000.0, kLongestMs);
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
        return noAnswerFailure(response);
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
        if (response.body.empty())
            return Action::fail(ErrorClass::InvalidImage,
                "an empty " + safeText(response.header("content-type"), 100) + " body from the endpoint");
        job.takeImageBytes(response.body);
        return Action::done();
    }
    const JsonDoc body(response.body);
    if (!body.valid())
        return Action::fail(ErrorClass::InvalidImage,
            "the endpoint answered neither an image nor JSON (content type \""
                + safeText(response.header("content-type"), 100) + "\"): " + errorExcerpt(response.body));
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
    const JsonDoc body(response.body);
    const JsonValue stateValue = body.at("/status/state");
    if (!stateValue.isString())
        return std::nullopt;
    const std::string state = *stateValue.string();
    // readyReplica / targetReplica are read when present ([UNCONFIRMED] names); the state alone
    // still tells zero, starting and running apart.
    const bool running = state == "running";
    const bool starting = state == "pending" || state == "initializing" || state == "updating";
    const auto ready = replicas(body, "/status/readyReplica", running ? 1 : 0);
    const auto target = ready ? replicas(body, "/status/targetReplica", *ready) : std::nullopt;
    if (!ready || !target)
        return std::nullopt;
    WorkerSample sample;
    if (running || starting) {
        sample.ready = *ready;
        sample.initializing = std::max(*target - *ready, starting && *ready == 0 ? 1 : 0);
    } else if (state == "failed" || state == "updateFailed") {
        sample.unhealthy = 1;
    } else if (state != "scaledToZero" && state != "paused") {
        return std::nullopt; // a state we do not know: read as "no replica" it would fake a scale to zero
    } // scaledToZero, paused: no replica at all
    return sample;
}

} // namespace t2i
