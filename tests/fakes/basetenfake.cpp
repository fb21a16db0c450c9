// SPDX-License-Identifier: Apache-2.0
#include "basetenfake.h"

#include "transport/httptransport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>

namespace t2itest {
namespace {

using nlohmann::json;

FakeResponse btError(int status, const std::string& message)
{
    return FakeResponse::json(status, { { "error", message } });
}

std::vector<std::string> segments(const std::string& path)
{
    std::vector<std::string> out;
    std::size_t at = 1;
    while (at <= path.size()) {
        const std::size_t slash = path.find('/', at);
        out.push_back(path.substr(at, slash == std::string::npos ? std::string::npos : slash - at));
        if (slash == std::string::npos)
            break;
        at = slash + 1;
    }
    return out;
}

// A real HTTP POST, as Baseten's webhook delivery is. True on a 2xx answer.
bool postJson(const std::string& url, const std::string& body, int timeoutMs)
{
    CURL* easy = curl_easy_init();
    if (!easy)
        return false;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, long(body.size()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, long(timeoutMs));
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(
        easy, CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t count, void*) { return size * count; });
    long status = 0;
    const bool sent = curl_easy_perform(easy) == CURLE_OK;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(easy);
    return sent && status >= 200 && status < 300;
}

} // namespace

BasetenFake::BasetenFake(BasetenFakeOptions options)
    : m_options(std::move(options))
{
    t2i::initHttpGlobally(); // webhooks are posted with libcurl, from the server's thread
}

std::int64_t BasetenFake::micros(double ms) const
{
    return m_options.epochMs * 1000 + std::int64_t(ms * 1000.0 + 0.5);
}

std::string BasetenFake::iso(double ms) const
{
    const std::int64_t us = micros(ms);
    const std::time_t seconds = std::time_t(us / 1000000);
    std::tm utc {};
    gmtime_r(&seconds, &utc);
    char text[96]; // room for any int, so the compiler sees no truncation
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", utc.tm_year + 1900, utc.tm_mon + 1,
        utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, int(us % 1000000));
    return text;
}

BasetenFake::Request* BasetenFake::find(const std::string& id)
{
    for (Request& r : m_requests)
        if (r.id == id)
            return &r;
    return nullptr;
}

std::optional<BasetenFake::Reported> BasetenFake::reportedFor(const std::string& requestId) const
{
    std::lock_guard lock(m_mutex);
    for (const Request& r : m_requests)
        if (r.id == requestId && !r.canceled && !r.expiredMs) {
            const SingleGpuSchedule::Slot& s = m_replica.at(r.slot);
            return Reported { r.id, micros(r.createdMs), micros(s.startMs), micros(s.endMs), s.execMs };
        }
    return std::nullopt;
}

std::vector<double> BasetenFake::syncTimesMs() const
{
    std::lock_guard lock(m_mutex);
    return m_syncTimes;
}

int BasetenFake::queuedOrRunning(double nowMs) const
{
    std::lock_guard lock(m_mutex);
    return m_replica.active(nowMs);
}

int BasetenFake::canceledCount() const
{
    std::lock_guard lock(m_mutex);
    return m_canceled;
}

int BasetenFake::refusedCancels() const
{
    std::lock_guard lock(m_mutex);
    return m_refusedCancels;
}

int BasetenFake::rateLimited() const
{
    std::lock_guard lock(m_mutex);
    return m_rateLimited;
}

int BasetenFake::webhooksDelivered() const
{
    std::lock_guard lock(m_mutex);
    return m_delivered;
}

void BasetenFake::failNextPrediction(std::string message)
{
    std::lock_guard lock(m_mutex);
    m_failNext = std::move(message);
}

void BasetenFake::overrideNext(std::string pathPrefix, FakeResponse response)
{
    std::lock_guard lock(m_mutex);
    m_overrides.add(std::move(pathPrefix), std::move(response));
}

FakeResponse BasetenFake::handle(const FakeRequest& request)
{
    std::lock_guard lock(m_mutex);
    if (auto response = m_overrides.take(request.path))
        return std::move(*response);
    if (request.header("authorization") != "Api-Key " + m_options.apiKey)
        return btError(401, "Invalid API key. Send \"Authorization: Api-Key <key>\".");
    const std::vector<std::string> parts = segments(request.path);
    const double now = request.atMs;
    if (parts.size() == 2 && parts[0] == "async_request") {
        if (request.method == "GET")
            return status(parts[1], now);
        if (request.method == "DELETE")
            return cancel(parts[1], now);
    }
    // The route prefix: /environments/{env}, /production, /development or /deployment/{id}.
    std::size_t at = 0;
    if (parts.size() >= 2 && parts[0] == "environments") {
        if (parts[1] != "production" && parts[1] != "development" && parts[1] != "staging")
            return btError(404, "Environment " + parts[1] + " not found for model " + m_options.modelId);
        at = 2;
    } else if (!parts.empty() && (parts[0] == "production" || parts[0] == "development")) {
        at = 1;
    } else if (parts.size() >= 2 && parts[0] == "deployment") {
        if (parts[1] != m_options.deploymentId)
            return btError(404, "Deployment " + parts[1] + " not found");
        at = 2;
    } else {
        return btError(404, "Not found");
    }
    if (parts.size() != at + 1)
        return btError(404, "Not found");
    const std::string& action = parts[at];
    if (action == "predict" && request.method == "POST")
        return predict(request, false);
    if (action == "async_predict" && request.method == "POST")
        return predict(request, true);
    if (action == "async_queue_status" && request.method == "GET")
        return queueStatus(now);
    return btError(404, "Not found");
}

std::size_t BasetenFake::schedule(double now, double execMs)
{
    // Scaled to zero when idle for the scale-down delay: the request is held while a replica boots.
    double lastEnd = -1;
    for (std::size_t i = m_replica.size(); i-- > 0;)
        if (!m_replica.at(i).removed) {
            lastEnd = m_replica.at(i).endMs;
            break;
        }
    const bool cold = lastEnd < 0 || (m_replica.active(now) == 0 && now - lastEnd >= m_options.scaleDownDelayMs);
    return m_replica.add(cold ? now + m_options.coldStartMs : now, execMs);
}

json BasetenFake::trussOutput(int width, int height, std::int64_t seed, double execMs) const
{
    return { { "status", "success" }, { "data", pngBase64Of(width, height, std::uint32_t(seed)) },
        { "time", execMs / 1000.0 } };
}

FakeResponse BasetenFake::predict(const FakeRequest& request, bool async)
{
    if (request.body.size() > 256 * 1024 && async)
        return btError(413, "Request body exceeds 256 KiB");
    const json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        return btError(400, "Request body must be a JSON object");
    const json input = async ? body.value("model_input", json()) : body;
    if (!input.is_object())
        return btError(400, "model_input is required and must be an object");
    if (!input.contains("prompt") || !input["prompt"].is_string())
        return btError(500, "Traceback (most recent call last): KeyError: 'prompt'"); // the Truss's own crash
    const double now = request.atMs;
    const double exec = m_options.execMs + double(m_predictions++ % 3) * m_options.execStepMs;
    const int width = input.value("width", 1024);
    const int height = input.value("height", 1024);
    const std::int64_t seed = input.value("seed", std::int64_t(0));
    const std::string failure = std::exchange(m_failNext, {});
    if (!async) {
        const std::size_t slot = schedule(now, failure.empty() ? exec : exec / 2);
        const int delay = int(std::max(0.0, m_replica.at(slot).endMs - now) + 0.999);
        if (!failure.empty())
            return FakeResponse::json(500, { { "error", failure } }, delay);
        m_syncTimes.push_back(exec);
        return FakeResponse::json(200, trussOutput(width, height, seed, exec), delay);
    }
    const int priority = body.value("priority", 0);
    if (body.contains("priority") && (!body["priority"].is_number_integer() || priority < 0 || priority > 2))
        return btError(400, "priority must be 0, 1 or 2");
    const int maxQueueS = body.value("max_time_in_queue_seconds", 600);
    if (body.contains("max_time_in_queue_seconds")
        && (!body["max_time_in_queue_seconds"].is_number_integer() || maxQueueS < 10 || maxQueueS > 259200))
        return btError(400, "max_time_in_queue_seconds must be between 10 and 259200");
    Request r;
    r.id = "req" + std::to_string(1000 + m_requests.size());
    r.createdMs = now;
    r.webhook = body.value("webhook_endpoint", std::string());
    if (!r.webhook.empty() && !r.webhook.starts_with("https://")
        && !(m_options.allowHttpWebhook && r.webhook.starts_with("http://")))
        return btError(400, "webhook_endpoint must be an https URL");
    r.failure = failure;
    r.width = width;
    r.height = height;
    r.seed = seed;
    r.slot = schedule(now, failure.empty() ? exec : exec / 2);
    if (m_replica.at(r.slot).startMs - now > maxQueueS * 1000.0) {
        r.expiredMs = now + maxQueueS * 1000.0;
        m_replica.remove(r.slot, now);
    }
    m_requests.push_back(r);
    return FakeResponse::json(200, { { "request_id", r.id } });
}

std::string BasetenFake::statusOf(const Request& r, double now) const
{
    if (r.canceled)
        return "CANCELED";
    if (r.expiredMs)
        return now >= *r.expiredMs ? "EXPIRED" : "QUEUED";
    if (m_replica.queued(r.slot, now))
        return "QUEUED";
    if (m_replica.running(r.slot, now))
        return "IN_PROGRESS";
    if (!r.failure.empty())
        return "FAILED";
    if (r.webhookStatus == "FAILED")
        return "WEBHOOK_FAILED";
    return "SUCCEEDED";
}

void BasetenFake::deliverWebhook(Request& r)
{
    const SingleGpuSchedule::Slot& s = m_replica.at(r.slot);
    const json body = { { "request_id", r.id }, { "model_id", m_options.modelId },
        { "deployment_id", m_options.deploymentId }, { "type", "async_request_completed" }, { "time", iso(s.endMs) },
        { "data", trussOutput(r.width, r.height, r.seed, s.execMs) }, { "errors", json::array() } };
    const bool ok = postJson(r.webhook, body.dump(), m_options.webhookTimeoutMs);
    r.webhookStatus = ok ? "SUCCEEDED" : "FAILED";
    m_delivered += ok ? 1 : 0;
}

FakeResponse BasetenFake::status(const std::string& id, double now)
{
    while (!m_statusCalls.empty() && now - m_statusCalls.front() >= 1000.0)
        m_statusCalls.pop_front();
    if (m_options.statusRateLimitPerS > 0 && int(m_statusCalls.size()) >= m_options.statusRateLimitPerS) {
        ++m_rateLimited;
        return btError(429, "Too many requests to the async request status endpoint");
    }
    m_statusCalls.push_back(now);
    Request* r = find(id);
    if (!r)
        return btError(404, "Async request " + id + " not found");
    const bool finished = !r->canceled && !r->expiredMs && m_replica.finished(r->slot, now);
    if (finished && r->failure.empty() && !r->webhook.empty() && r->webhookStatus.empty())
        deliverWebhook(*r);
    const std::string s = statusOf(*r, now);
    const SingleGpuSchedule::Slot& slot = m_replica.at(r->slot);
    double statusAt = r->createdMs;
    if (s == "IN_PROGRESS")
        statusAt = slot.startMs;
    else if (s == "SUCCEEDED" || s == "FAILED" || s == "WEBHOOK_FAILED")
        statusAt = slot.endMs;
    else if (s == "CANCELED")
        statusAt = r->canceledMs;
    else if (s == "EXPIRED")
        statusAt = *r->expiredMs;
    std::string webhookStatus = "PENDING";
    if (r->webhook.empty())
        webhookStatus = "NO_WEBHOOK_PROVIDED";
    else if (s == "CANCELED" || s == "EXPIRED" || s == "FAILED")
        webhookStatus = "CANCELED";
    else if (!r->webhookStatus.empty())
        webhookStatus = r->webhookStatus;
    json errors = json::array();
    if (s == "FAILED")
        errors.push_back({ { "code", "MODEL_PREDICT_ERROR" }, { "message", r->failure } });
    if (s == "WEBHOOK_FAILED")
        errors.push_back(
            { { "code", "WEBHOOK_DELIVERY_ERROR" }, { "message", "the webhook endpoint did not answer 2xx" } });
    return FakeResponse::json(200,
        { { "request_id", r->id }, { "model_id", m_options.modelId }, { "deployment_id", m_options.deploymentId },
            { "status", s }, { "webhook_status", webhookStatus }, { "created_at", iso(r->createdMs) },
            { "status_at", iso(statusAt) }, { "errors", errors } });
}

FakeResponse BasetenFake::cancel(const std::string& id, double now)
{
    Request* r = find(id);
    if (!r)
        return btError(404, "Async request " + id + " not found");
    const std::string s = statusOf(*r, now);
    if (s != "QUEUED") {
        ++m_refusedCancels;
        return FakeResponse::json(400,
            { { "request_id", id }, { "canceled", false },
                { "message", "Only QUEUED requests can be canceled (status " + s + ")" } });
    }
    if (!r->expiredMs)
        m_replica.remove(r->slot, now);
    r->canceled = true;
    r->canceledMs = now;
    ++m_canceled;
    return FakeResponse::json(200, { { "request_id", id }, { "canceled", true }, { "message", "Request canceled" } });
}

FakeResponse BasetenFake::queueStatus(double now) const
{
    int queued = 0, inProgress = 0;
    for (const Request& r : m_requests) {
        const std::string s = statusOf(r, now);
        queued += s == "QUEUED" ? 1 : 0;
        inProgress += s == "IN_PROGRESS" ? 1 : 0;
    }
    return FakeResponse::json(200,
        { { "model_id", m_options.modelId }, { "deployment_id", m_options.deploymentId },
            { "num_queued_requests", queued }, { "num_in_progress_requests", inProgress } });
}

FakeResponse BasetenWebhookReceiver::handle(const FakeRequest& request)
{
    std::lock_guard lock(m_mutex);
    if (request.path == "/hook" && request.method == "POST") {
        const json body = json::parse(request.body, nullptr, false);
        if (body.is_discarded() || !body.contains("request_id") || !body["request_id"].is_string())
            return FakeResponse::json(400, { { "error", "not a Baseten webhook body" } });
        m_bodies[body["request_id"].get<std::string>()] = request.body;
        return FakeResponse::json(200, { { "ok", true } });
    }
    if (request.path.starts_with("/results/") && request.method == "GET") {
        const auto it = m_bodies.find(request.path.substr(9));
        if (it == m_bodies.end())
            return FakeResponse::json(404, { { "error", "no webhook for this request yet" } });
        return FakeResponse::bytes(200, it->second, "application/json");
    }
    return FakeResponse::json(404, { { "error", "Not found" } });
}

int BasetenWebhookReceiver::received() const
{
    std::lock_guard lock(m_mutex);
    return int(m_bodies.size());
}

} // namespace t2itest
