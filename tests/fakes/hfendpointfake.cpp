// SPDX-License-Identifier: Apache-2.0
#include "hfendpointfake.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace t2itest {
namespace {

using nlohmann::json;

FakeResponse hfError(int status, const std::string& message)
{
    return FakeResponse::json(status, { { "error", message } });
}

bool isIntIfPresent(const json& object, const char* key)
{
    return !object.contains(key) || object[key].is_number_integer();
}

} // namespace

HfEndpointFake::HfEndpointFake(HfEndpointFakeOptions options)
    : m_options(std::move(options))
{
    m_up = !m_options.startScaledToZero;
}

int HfEndpointFake::unavailableAnswers() const
{
    std::lock_guard lock(m_mutex);
    return m_unavailable;
}

int HfEndpointFake::heldRequests() const
{
    std::lock_guard lock(m_mutex);
    return m_held;
}

int HfEndpointFake::scaleUps() const
{
    std::lock_guard lock(m_mutex);
    return m_scaleUps;
}

int HfEndpointFake::activeRequests(double nowMs) const
{
    std::lock_guard lock(m_mutex);
    return m_replica.active(nowMs);
}

std::vector<json> HfEndpointFake::payloads() const
{
    std::lock_guard lock(m_mutex);
    return m_payloads;
}

std::string HfEndpointFake::state(double nowMs) const
{
    std::lock_guard lock(m_mutex);
    return stateLocked(nowMs);
}

void HfEndpointFake::failNextGeneration(std::string message)
{
    std::lock_guard lock(m_mutex);
    m_failNext = std::move(message);
}

void HfEndpointFake::overrideNext(std::string pathPrefix, FakeResponse response)
{
    std::lock_guard lock(m_mutex);
    m_overrides.add(std::move(pathPrefix), std::move(response));
}

std::string HfEndpointFake::stateLocked(double now) const
{
    if (!m_up)
        return "scaledToZero";
    if (now < m_readyAtMs)
        return "initializing";
    const double lastWork = m_replica.size() == 0 ? 0 : m_replica.at(m_replica.size() - 1).endMs;
    const double lastActivity = std::max(m_readyAtMs, lastWork);
    if (m_replica.active(now) == 0 && now - lastActivity >= m_options.scaleToZeroAfterMs)
        return "scaledToZero";
    return "running";
}

FakeResponse HfEndpointFake::handle(const FakeRequest& request)
{
    std::lock_guard lock(m_mutex);
    if (auto response = m_overrides.take(request.path))
        return std::move(*response);
    if (request.header("authorization") != "Bearer " + m_options.token)
        return hfError(401,
            request.header("authorization").empty() ? "Unauthorized"
                                                    : "Authorization header is correct, but the token seems invalid");
    const std::string endpointPath = "/v2/endpoint/" + m_options.ns + "/" + m_options.name;
    if (request.path == endpointPath && request.method == "GET")
        return management(request.atMs);
    if (request.path.starts_with("/v2/endpoint/"))
        return hfError(404, "Endpoint not found");
    if (request.path == "/" && request.method == "POST")
        return infer(request);
    return hfError(404, "Not Found");
}

FakeResponse HfEndpointFake::infer(const FakeRequest& request)
{
    const json payload = json::parse(request.body, nullptr, false);
    if (payload.is_discarded() || !payload.is_object())
        return hfError(400, "Body needs to provide a inputs key, received: " + request.body.substr(0, 80));
    if (!payload.contains("inputs") || !payload["inputs"].is_string())
        return hfError(400, "inputs must be a string (the prompt)");
    const json parameters = payload.value("parameters", json::object());
    if (!parameters.is_object() || !isIntIfPresent(parameters, "width") || !isIntIfPresent(parameters, "height")
        || !isIntIfPresent(parameters, "num_inference_steps") || !isIntIfPresent(parameters, "seed"))
        return hfError(422, "parameters: width, height, num_inference_steps and seed must be integers");

    const double now = request.atMs;
    if (stateLocked(now) == "scaledToZero") {
        // The first request after scale-to-zero starts a replica; the proxy does not queue it.
        m_up = true;
        m_readyAtMs = now + m_options.bootMs;
        ++m_scaleUps;
    }
    if (now < m_readyAtMs) {
        const std::string header = request.header("x-scale-up-timeout");
        double seconds = 0;
        std::from_chars(header.data(), header.data() + header.size(), seconds);
        if (seconds > 0 && m_readyAtMs - now <= seconds * 1000.0) {
            ++m_held;
            return generate(payload, m_readyAtMs, now);
        }
        return unavailable(now, seconds > 0 ? int(seconds * 1000.0) : 0);
    }
    return generate(payload, now, now);
}

FakeResponse HfEndpointFake::generate(const json& payload, double arriveMs, double nowMs)
{
    const json parameters = payload.value("parameters", json::object());
    // Older task specs sent target_size {width, height}.
    const json size = parameters.value("target_size", json::object());
    const int width = parameters.value("width", size.is_object() ? size.value("width", 1024) : 1024);
    const int height = parameters.value("height", size.is_object() ? size.value("height", 1024) : 1024);
    const auto seed = std::uint32_t(parameters.value("seed", std::int64_t(0)));
    m_payloads.push_back(payload);
    const std::string failure = std::exchange(m_failNext, {});
    const std::size_t slot = m_replica.add(arriveMs, failure.empty() ? m_options.execMs : m_options.execMs / 2.0);
    const int delay = int(std::max(0.0, m_replica.at(slot).endMs - nowMs) + 0.999);
    if (!failure.empty())
        return FakeResponse::json(500, { { "error", failure } }, delay); // the model raised
    if (m_options.handler == "custom")
        return FakeResponse::json(200, { { "image", pngBase64Of(width, height, seed) } }, delay);
    return FakeResponse::bytes(200, pngDataOf(width, height, seed), "image/png", delay);
}

FakeResponse HfEndpointFake::unavailable(double nowMs, int delayMs)
{
    ++m_unavailable;
    const double remainingS = std::max(0.0, (m_readyAtMs - nowMs - delayMs) / 1000.0);
    if (m_options.estimatedTimeBody)
        return FakeResponse::json(503,
            { { "error", "Model " + m_options.model + " is currently loading" }, { "estimated_time", remainingS } },
            delayMs);
    return FakeResponse::bytes(503, "503 Service Unavailable: the endpoint is scaled to zero and a replica is starting",
        "text/plain", delayMs);
}

FakeResponse HfEndpointFake::management(double nowMs) const
{
    const std::string s = stateLocked(nowMs);
    const int ready = s == "running" ? 1 : 0;
    const int target = s == "scaledToZero" ? 0 : 1;
    return FakeResponse::json(200,
        { { "name", m_options.name }, { "type", "protected" },
            { "model", { { "repository", m_options.model }, { "task", "text-to-image" }, { "framework", "pytorch" } } },
            { "compute",
                { { "accelerator", "gpu" },
                    { "scaling",
                        { { "minReplica", 0 }, { "maxReplica", 1 },
                            { "scaleToZeroTimeout", m_options.scaleToZeroAfterMs / 60000 } } } } },
            { "status",
                { { "state", s }, { "readyReplica", ready }, { "targetReplica", target },
                    { "url", "https://" + m_options.name + ".us-east-1.aws.endpoints.huggingface.cloud" } } } });
}

} // namespace t2itest
