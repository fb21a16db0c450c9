// SPDX-License-Identifier: Apache-2.0
#include "togetherfake.h"

#include "util/base64.h"

#include <tuple>

namespace t2itest {
namespace {

using nlohmann::json;

FakeResponse apiError(
    int status, const std::string& message, const std::string& type, const json& param, const json& code)
{
    return FakeResponse::json(
        status, { { "error", { { "message", message }, { "type", type }, { "param", param }, { "code", code } } } });
}

// A positive integer field, or the error that names it.
std::optional<FakeResponse> badInteger(const json& body, const char* key, int lo, int hi)
{
    if (!body.contains(key))
        return std::nullopt;
    const json& v = body[key];
    if (v.is_number_integer() && v.get<long long>() >= lo && v.get<long long>() <= hi)
        return std::nullopt;
    return apiError(400,
        std::string(key) + " must be an integer between " + std::to_string(lo) + " and " + std::to_string(hi),
        "invalid_request_error", key, nullptr);
}

} // namespace

TogetherFake::TogetherFake()
    : TogetherFake(Options {})
{
}

TogetherFake::TogetherFake(Options options)
    : m_options(std::move(options))
{
}

void TogetherFake::failNext(Failure failure, int times)
{
    std::lock_guard lock(m_mutex);
    for (int i = 0; i < times; ++i)
        m_failures.push_back(failure);
}

int TogetherFake::generations() const
{
    std::lock_guard lock(m_mutex);
    return m_generations;
}

std::string TogetherFake::lastBody() const
{
    std::lock_guard lock(m_mutex);
    return m_lastBody;
}

FakeResponse TogetherFake::handle(const FakeRequest& request)
{
    if (request.method == "GET" && request.path.starts_with("/files/"))
        return download(request);
    if (request.path != "/v1/images/generations")
        return apiError(404, "Unknown path " + request.path, "invalid_request_error", nullptr, "not_found");
    if (request.method != "POST")
        return apiError(405, "Method not allowed", "invalid_request_error", nullptr, nullptr);
    if (request.header("authorization") != "Bearer " + m_options.apiKey)
        return apiError(401,
            "Invalid API key provided. You can find your API key at https://api.together.xyz/settings/api-keys.",
            "invalid_request_error", nullptr, "invalid_api_key");
    return generate(request);
}

FakeResponse TogetherFake::generate(const FakeRequest& request)
{
    const json body = json::parse(request.body, nullptr, false);
    if (!request.header("content-type").starts_with("application/json") || !body.is_object())
        return apiError(400, "Request body must be a JSON object", "invalid_request_error", nullptr, nullptr);
    for (const char* key : { "model", "prompt" })
        if (!body.contains(key) || !body[key].is_string() || body[key].get<std::string>().empty())
            return apiError(400, std::string(key) + " is required", "invalid_request_error", key, nullptr);
    for (const auto& [key, lo, hi] : { std::tuple { "width", 64, 2048 }, std::tuple { "height", 64, 2048 },
             std::tuple { "steps", 1, 100 }, std::tuple { "n", 1, 4 }, std::tuple { "seed", 0, 2147483647 } })
        if (auto error = badInteger(body, key, lo, hi))
            return *error;
    const std::string format = body.value("response_format", std::string("url"));
    if (format != "url" && format != "base64")
        return apiError(
            400, "response_format must be one of url, base64", "invalid_request_error", "response_format", nullptr);
    if (body.contains("output_format") && body["output_format"] != "jpeg" && body["output_format"] != "png")
        return apiError(
            400, "output_format must be one of jpeg, png", "invalid_request_error", "output_format", nullptr);

    std::unique_lock lock(m_mutex);
    m_lastBody = request.body;
    std::optional<Failure> failure;
    if (!m_failures.empty()) {
        failure = m_failures.front();
        m_failures.pop_front();
    }
    const int delay = m_options.execMs;
    if (failure == Failure::RateLimited)
        return apiError(429, "You have exceeded the rate limit for this model.", "rate_limit_exceeded", nullptr,
            "rate_limit_exceeded")
            .withHeader("retry-after", std::to_string(m_options.retryAfterS))
            .withHeader("x-ratelimit-limit", "10")
            .withHeader("x-ratelimit-remaining", "0")
            .withHeader("x-ratelimit-reset", std::to_string(m_options.retryAfterS));
    if (failure == Failure::ServerError) {
        FakeResponse r = apiError(500, "Internal server error", "server_error", nullptr, nullptr);
        r.delayMs = delay;
        return r;
    }
    if (failure == Failure::MalformedJson)
        return FakeResponse::bytes(200, R"({"id":"tg-broken","data":[{"index":0,"b64_j)", "application/json", delay);
    if (failure == Failure::ContentFiltered)
        return apiError(400, "Your prompt was flagged by the safety system.", "invalid_request_error", "prompt",
            "content_policy_violation");

    const std::string id = "tg-" + std::to_string(m_nextId++);
    const int width = body.value("width", 1024) / (failure == Failure::WrongSize ? 2 : 1);
    const int height = body.value("height", 1024);
    const int n = body.value("n", 1);
    json data = json::array();
    for (int i = 0; i < n; ++i) {
        const std::string png = pngDataOf(width, height, std::uint32_t(body.value("seed", 0) + i));
        if (format == "base64") {
            data.push_back({ { "index", i }, { "b64_json", t2i::base64Encode(png) }, { "type", "b64_json" } });
        } else {
            const std::string path = "/files/" + id + "-" + std::to_string(i) + ".png";
            m_files[path] = { png, failure == Failure::SlowDownload ? m_options.slowDownloadMs : 0 };
            data.push_back({ { "index", i }, { "url", "http://" + request.header("host") + path }, { "type", "url" } });
        }
    }
    ++m_generations;
    json answer = { { "id", id }, { "model", body["model"] }, { "object", "list" }, { "data", data } };
    if (m_options.reportTimings)
        answer["timings"] = { { "inference", m_options.execMs / 1000.0 } };
    return FakeResponse::json(200, answer, delay);
}

FakeResponse TogetherFake::download(const FakeRequest& request)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_files.find(request.path);
    if (it == m_files.end())
        return FakeResponse::bytes(404, "Not Found", "text/plain");
    return FakeResponse::bytes(200, it->second.first, "image/png", it->second.second);
}

} // namespace t2itest
