// SPDX-License-Identifier: Apache-2.0
#include "modalfake.h"

#include <algorithm>
#include <utility>

namespace t2itest {
namespace {

using nlohmann::json;

const std::string kRedirectQuery = "__modal_function_call_id";

FakeResponse modalText(int status, std::string text)
{
    return FakeResponse::bytes(status, std::move(text), "text/plain");
}

// FastAPI's answer to a body that does not match the app's pydantic model.
FakeResponse validationError(const std::string& field, const std::string& message)
{
    return FakeResponse::json(422,
        { { "detail",
            json::array(
                { { { "loc", json::array({ "body", field }) }, { "msg", message }, { "type", "value_error" } } }) } });
}

} // namespace

ModalFake::ModalFake(ModalFakeOptions options)
    : m_options(std::move(options))
{
}

double ModalFake::inferenceMs(const Call& call) const
{
    return m_container.at(call.slot).execMs;
}

std::optional<ModalFake::Reported> ModalFake::reportedFor(const std::string& callId) const
{
    std::lock_guard lock(m_mutex);
    const Call* call = find(callId);
    if (!call || call->cancelled)
        return std::nullopt;
    return Reported { call->id, inferenceMs(*call), call->containerId, call->cold };
}

std::vector<ModalFake::Reported> ModalFake::reported() const
{
    std::lock_guard lock(m_mutex);
    std::vector<Reported> out;
    for (const Call& call : m_calls)
        if (!call.cancelled)
            out.push_back({ call.id, inferenceMs(call), call.containerId, call.cold });
    return out;
}

int ModalFake::runningCalls(double nowMs) const
{
    std::lock_guard lock(m_mutex);
    int n = 0;
    for (const Call& call : m_calls)
        n += !call.cancelled && (m_container.queued(call.slot, nowMs) || m_container.running(call.slot, nowMs)) ? 1 : 0;
    return n;
}

int ModalFake::cancelledCalls() const
{
    std::lock_guard lock(m_mutex);
    return m_cancelled;
}

int ModalFake::redirects() const
{
    std::lock_guard lock(m_mutex);
    return m_redirects;
}

void ModalFake::failNextCall()
{
    std::lock_guard lock(m_mutex);
    m_failNext = true;
}

void ModalFake::overrideNext(std::string pathPrefix, FakeResponse response)
{
    std::lock_guard lock(m_mutex);
    m_overrides.add(std::move(pathPrefix), std::move(response));
}

const ModalFake::Call* ModalFake::find(const std::string& id) const
{
    for (const Call& call : m_calls)
        if (call.id == id)
            return &call;
    return nullptr;
}

std::optional<FakeResponse> ModalFake::authProblem(const FakeRequest& request) const
{
    if (!m_options.requireProxyAuth)
        return std::nullopt;
    const std::string key = request.header("modal-key");
    const std::string secret = request.header("modal-secret");
    if (key.empty() || secret.empty())
        return modalText(401, "modal-http: missing credentials for proxy authorization");
    if (key != m_options.tokenId || secret != m_options.tokenSecret)
        return modalText(401, "modal-http: invalid credentials for proxy authorization");
    return std::nullopt;
}

FakeResponse ModalFake::handle(const FakeRequest& request)
{
    std::lock_guard lock(m_mutex);
    if (auto response = m_overrides.take(request.path))
        return std::move(*response);
    const std::string& path = request.path;
    // Image files stand for the app's public storage: no proxy auth there (the engine downloads bare).
    if (path.starts_with("/files/") && request.method == "GET")
        return file(path.substr(7));
    if (auto problem = authProblem(request))
        return *problem;
    if (path == "/" && request.method == "POST")
        return start(request, false);
    if (path == "/" && request.method == "GET" && !request.queryItem(kRedirectQuery).empty()) {
        const Call* call = find(request.queryItem(kRedirectQuery));
        if (!call)
            return modalText(404, "modal-http: function call not found");
        return answerWhenDone(*call, request);
    }
    if (path == "/accept" && request.method == "POST")
        return start(request, true);
    if (path.starts_with("/result/") && request.method == "GET")
        return pollResult(path.substr(8), request);
    if (path.starts_with("/cancel/") && request.method == "POST")
        return cancelCall(path.substr(8), request.atMs);
    return FakeResponse::json(404, { { "detail", "Not Found" } }); // FastAPI's unmatched route
}

FakeResponse ModalFake::start(const FakeRequest& request, bool spawned)
{
    const json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        return FakeResponse::json(422,
            { { "detail",
                json::array({ { { "loc", json::array({ "body" }) }, { "msg", "JSON decode error" },
                    { "type", "json_invalid" } } }) } });
    if (!body.contains("prompt") || !body["prompt"].is_string())
        return validationError("prompt", "field required");
    for (const char* key : { "width", "height", "num_images", "seed", "num_inference_steps" })
        if (body.contains(key) && !body[key].is_number_integer())
            return validationError(key, "value is not a valid integer");

    Call call;
    call.id = "fc-" + std::to_string(100000 + m_calls.size());
    call.width = body.value("width", 512);
    call.height = body.value("height", 512);
    call.count = std::max(1, body.value("num_images", 1));
    call.seed = body.value("seed", std::int64_t(0));
    call.fails = std::exchange(m_failNext, false);
    // The container is gone when nothing ran for the scaledown window: a new one boots first.
    const double now = request.atMs;
    const std::size_t n = m_container.size();
    const bool idle = m_container.active(now) == 0;
    const bool gone = n == 0 || (idle && now - m_container.at(n - 1).endMs >= m_options.scaledownWindowMs);
    if (gone) {
        ++m_containers;
        call.cold = true;
    }
    call.containerId = "ta-" + std::to_string(m_containers);
    const double exec = m_options.execMs + double(m_calls.size() % 3) * m_options.execStepMs;
    call.slot = m_container.add(gone ? now + m_options.coldStartMs : now, exec);
    m_calls.push_back(call);
    if (spawned)
        return FakeResponse::json(200, { { "call_id", call.id } });
    return answerWhenDone(m_calls.back(), request);
}

FakeResponse ModalFake::answerWhenDone(const Call& call, const FakeRequest& request)
{
    const double remaining = m_container.at(call.slot).endMs - request.atMs;
    if (remaining > m_options.longCallMs) {
        // Modal's long-request protocol: 303 to a result URL on the same host, held at the limit.
        ++m_redirects;
        FakeResponse redirect = modalText(303, "");
        redirect.withHeader("Location", "/?" + kRedirectQuery + "=" + call.id);
        redirect.withHeader("Modal-Function-Call-Id", call.id);
        redirect.delayMs = m_options.longCallMs;
        return redirect;
    }
    FakeResponse response = result(call, request);
    response.delayMs = int(std::max(0.0, remaining) + 0.999);
    return response;
}

FakeResponse ModalFake::result(const Call& call, const FakeRequest& request) const
{
    if (call.fails || call.cancelled) // FunctionCall.get re-raises; FastAPI answers a bare 500
        return modalText(500, "Internal Server Error").withHeader("Modal-Function-Call-Id", call.id);
    const std::uint32_t seed = std::uint32_t(call.seed);
    if (m_options.output == "png")
        return FakeResponse::bytes(200, pngDataOf(call.width, call.height, seed), "image/png")
            .withHeader("Modal-Function-Call-Id", call.id);
    json images = json::array();
    for (int k = 0; k < call.count; ++k) {
        if (m_options.output == "url")
            images.push_back(
                "http://" + request.header("host") + "/files/" + call.id + "-" + std::to_string(k) + ".png");
        else
            images.push_back(pngBase64Of(call.width, call.height, seed + std::uint32_t(k)));
    }
    const json body = { { "images", images }, { "inference_s", inferenceMs(call) / 1000.0 },
        { "container_id", call.containerId }, { "is_cold", call.cold }, { "seed", call.seed } };
    return FakeResponse::json(200, body).withHeader("Modal-Function-Call-Id", call.id);
}

FakeResponse ModalFake::pollResult(const std::string& id, const FakeRequest& request) const
{
    const Call* call = find(id);
    const double now = request.atMs;
    if (!call || (!call->cancelled && now - m_container.at(call->slot).endMs > m_options.resultTtlMs))
        return FakeResponse::json(404, { { "detail", "function call " + id + " not found or expired" } });
    if (!call->cancelled && !m_container.finished(call->slot, now))
        return FakeResponse::bytes(202, "", "application/json"); // pending: get(timeout=0) timed out
    return result(*call, request);
}

FakeResponse ModalFake::cancelCall(const std::string& id, double now)
{
    auto it = std::find_if(m_calls.begin(), m_calls.end(), [&id](const Call& c) { return c.id == id; });
    if (it == m_calls.end())
        return FakeResponse::json(404, { { "detail", "function call " + id + " not found" } });
    // FunctionCall.cancel() stops a queued or running input alike.
    if (!it->cancelled) {
        if (m_container.queued(it->slot, now))
            m_container.remove(it->slot, now);
        else if (m_container.running(it->slot, now))
            m_container.stop(it->slot, now);
        it->cancelled = true;
        ++m_cancelled;
    }
    return FakeResponse::json(200, { { "cancelled", true }, { "call_id", id } });
}

FakeResponse ModalFake::file(const std::string& name) const
{
    const std::size_t dash = name.rfind('-');
    const Call* call = dash == std::string::npos ? nullptr : find(name.substr(0, dash));
    if (!call || !name.ends_with(".png"))
        return FakeResponse::json(404, { { "detail", "Not Found" } });
    const auto k = std::uint32_t(std::stoul(name.substr(dash + 1)));
    return FakeResponse::bytes(200, pngDataOf(call->width, call->height, std::uint32_t(call->seed) + k), "image/png",
        m_options.downloadDelayMs);
}

} // namespace t2itest
