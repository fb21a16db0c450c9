// SPDX-License-Identifier: Apache-2.0
#include "a1111adapter.h"

#include "util/base64.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <random>

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

std::string lowered(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// FastAPI's 422: {"detail": [{"loc": ["body", "steps"], "msg", "type"}]}; A1111's own handler:
// {"error": "<ExceptionClass>", "detail": "...", "body": "...", "errors": "..."} (docs/protocols.md §12.4).
std::string errorText(const json& body, const std::string& raw)
{
    if (!body.is_object())
        return raw.substr(0, 300);
    std::string out = text(body, "error");
    const auto detail = body.find("detail");
    if (detail != body.end()) {
        if (detail->is_string() && !detail->get_ref<const std::string&>().empty()) {
            out += (out.empty() ? "" : ": ") + detail->get<std::string>();
        } else if (detail->is_array()) {
            for (const json& item : *detail) {
                std::string where;
                if (item.is_object() && item.contains("loc") && item["loc"].is_array())
                    for (const json& part : item["loc"])
                        if (!(part.is_string() && part == "body"))
                            where += (where.empty() ? "" : ".")
                                + (part.is_string() ? part.get<std::string>() : part.dump());
                const std::string message = item.is_object() ? text(item, "msg") : item.dump();
                out += (out.empty() ? "" : "; ") + (where.empty() ? message : where + ": " + message);
            }
        }
    }
    if (const std::string errors = text(body, "errors"); !errors.empty() && errors != out)
        out += " (" + errors + ")";
    return out.empty() ? raw.substr(0, 300) : out;
}

bool isOutOfMemory(const json& body, const std::string& raw)
{
    const std::string name = text(body, "error");
    const std::string all = lowered(raw);
    return name.find("OutOfMemory") != std::string::npos || all.find("out of memory") != std::string::npos;
}

// X-Process-Time: seconds with 4 decimals, as ms rounded to the 0.1 ms the header carries.
std::optional<double> processTimeMs(const HttpResponse& response)
{
    const std::string value = response.header("x-process-time");
    double seconds = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (value.empty() || ec != std::errc() || seconds < 0)
        return std::nullopt;
    return std::round(seconds * 1e4) / 10.0;
}

std::string randomTag()
{
    std::mt19937_64 random { std::random_device {}() };
    static const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string tag;
    for (int i = 0; i < 8; ++i)
        tag += digits[random() % 36];
    return tag;
}

} // namespace

A1111Options A1111Options::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    A1111Options options;
    if (!context.baseUrl.empty())
        options.baseUrl = context.baseUrl;
    options.baseUrl = withoutTrailingSlashes(std::move(options.baseUrl));
    options.apiKey = context.apiKey;
    options.sampler = provider.settings.value("sampler", std::string());
    return options;
}

A1111Adapter::A1111Adapter(A1111Options options, std::string type)
    : m_options(std::move(options))
    , m_type(std::move(type))
{
}

HttpRequest A1111Adapter::make(std::string method, const std::string& path, std::string body) const
{
    HttpRequest request;
    request.method = std::move(method);
    request.url = m_options.baseUrl + path;
    // --api-auth user:password is HTTP Basic; a bare token is sent as Bearer (for a proxy in front).
    if (!m_options.apiKey.empty())
        request.headers.emplace_back("Authorization",
            m_options.apiKey.find(':') != std::string::npos ? "Basic " + base64Encode(m_options.apiKey)
                                                            : "Bearer " + m_options.apiKey);
    if (!body.empty())
        request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
    return request;
}

json A1111Adapter::requestBody(const Job& job, const std::string& taskId) const
{
    const VariantConfig& v = job.variant;
    // steps is always sent: the API's own default is 50, not the UI's 20 (docs/protocols.md §12.2).
    json body = { { "prompt", job.prompt }, { "negative_prompt", "" }, { "seed", job.seed }, { "steps", v.steps },
        { "cfg_scale", v.guidance }, { "width", v.width }, { "height", v.height }, { "batch_size", v.images },
        { "n_iter", 1 }, { "send_images", true }, { "save_images", false } };
    if (!m_options.sampler.empty())
        body["sampler_name"] = m_options.sampler;
    if (!taskId.empty())
        body["force_task_id"] = taskId;
    return body;
}

HttpRequest A1111Adapter::submit(JobState& job)
{
    std::string taskId;
    if (m_options.sendTaskId) {
        static const std::string tag = randomTag();
        taskId = "task(t2ibench-" + tag + "-" + std::to_string(m_nextTask++) + ")";
        job.jobId = taskId;
    }
    return make("POST", "/sdapi/v1/txt2img", requestBody(job.job, taskId).dump());
}

Action A1111Adapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return Action::fail(response.timedOut ? ErrorClass::Timeout : ErrorClass::Transport, response.transportError);
    // Sent on every answer, errors included: the server's time is known either way.
    if (const auto ms = processTimeMs(response))
        job.execMs = ms;
    const json body = json::parse(response.body, nullptr, false);
    if (response.status >= 400) {
        const std::string prefix = "HTTP " + std::to_string(response.status) + ": ";
        job.providerStatus = text(body, "error");
        if (response.status == 404)
            return Action::fail(ErrorClass::ClientError,
                prefix + errorText(body, response.body) + " (is the server started with --api?)");
        if (response.status == 401)
            return Action::fail(ErrorClass::ClientError,
                prefix + errorText(body, response.body) + " (--api-auth: api_key_env must hold user:password)");
        if (response.status >= 500 && isOutOfMemory(body, response.body))
            return Action::fail(ErrorClass::PlatformFailure, prefix + errorText(body, response.body));
        return Action::fail(classifyHttpStatus(response.status), prefix + errorText(body, response.body));
    }
    if (body.is_discarded() || !body.is_object())
        return Action::fail(ErrorClass::ServerError, "malformed JSON from txt2img: " + response.body.substr(0, 200));
    job.accepted = true;
    job.providerStatus = "completed";
    const json images = body.value("images", json::array());
    if (!images.is_array() || images.empty())
        return Action::fail(ErrorClass::InvalidImage, "txt2img answered without images (send_images refused?)");
    // With more than one image A1111 puts a grid of them first (opts.return_grid).
    const std::size_t wanted = std::size_t(std::max(1, job.job.variant.images));
    const std::size_t first = wanted > 1 && images.size() == wanted + 1 ? 1 : 0;
    for (std::size_t i = first; i < images.size(); ++i) {
        if (!images[i].is_string() || !job.takeImage(images[i].get<std::string>()))
            return Action::fail(ErrorClass::InvalidImage, "txt2img image " + std::to_string(i) + " is not base64");
    }
    return Action::done();
}

std::optional<HttpRequest> A1111Adapter::cancel(const JobState&) const
{
    if (!m_options.hasInterrupt)
        return std::nullopt;
    return make("POST", "/sdapi/v1/interrupt");
}

std::optional<HttpRequest> A1111Adapter::healthRequest() const
{
    if (!m_options.hasProgress)
        return std::nullopt;
    return make("GET", "/sdapi/v1/progress?skip_current_image=true");
}

std::optional<WorkerSample> A1111Adapter::parseHealth(const HttpResponse& response) const
{
    if (response.status != 200)
        return std::nullopt;
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_object() || !body.contains("state") || !body["state"].is_object())
        return std::nullopt;
    const json& state = body["state"];
    // job_count > 0 (or a job name) while a generation runs; there is no count of the requests
    // waiting for the lock, so inQueue stays 0.
    const bool busy = state.value("job_count", 0) > 0 || !text(state, "job").empty();
    WorkerSample sample;
    sample.tMs = response.receivedMs;
    sample.running = busy ? 1 : 0;
    sample.idle = busy ? 0 : 1;
    sample.inProgress = busy ? 1 : 0;
    return sample;
}

} // namespace t2i
