// SPDX-License-Identifier: Apache-2.0
#include "a1111adapter.h"

#include "util/base64.h"
#include "json/answertext.h"
#include "json/jsondoc.h"
#include "json/validationerrors.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>

namespace t2i {
namespace {

using nlohmann::json;

std::string lowered(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// FastAPI's 422: {"detail": [{"loc": ["body", "steps"], "msg", "type"}]}; A1111's own handler:
// {"error": "<ExceptionClass>", "detail": "...", "body": "...", "errors": "..."} (docs/protocols.md §12.4).
std::string errorText(const JsonDoc& body, const std::string& raw)
{
    if (body.rootType() != JsonType::Object)
        return bodyExcerpt(raw);
    std::string out = body.string("/error");
    const JsonPointer detail("/detail");
    const JsonType detailType = body.type(detail);
    if (detailType == JsonType::String) {
        if (const std::string text = body.string(detail); !text.empty())
            out += (out.empty() ? "" : ": ") + text;
    } else if (detailType == JsonType::Array) {
        if (const std::string errors = validationErrors(body, detail); !errors.empty())
            out += (out.empty() ? "" : "; ") + errors;
    }
    if (const std::string errors = body.string("/errors"); !errors.empty() && errors != out)
        out += " (" + errors + ")";
    return out.empty() ? bodyExcerpt(raw) : safeText(out, 2000);
}

bool isOutOfMemory(const JsonDoc& body, const std::string& raw)
{
    const std::string name = body.string("/error");
    const std::string all = lowered(raw.substr(0, 65536));
    return name.find("OutOfMemory") != std::string::npos || all.find("out of memory") != std::string::npos;
}

// X-Process-Time: seconds with 4 decimals, as ms rounded to the 0.1 ms the header carries.
std::optional<double> processTimeMs(const HttpResponse& response)
{
    const auto seconds = headerNumber(response.header("x-process-time"));
    if (!seconds)
        return std::nullopt;
    const double ms = std::round(*seconds * 1e4) / 10.0;
    return std::isfinite(ms) ? std::optional<double>(ms) : std::nullopt;
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
        return noAnswerFailure(response);
    // Sent on every answer, errors included: the server's time is known either way.
    if (const auto ms = processTimeMs(response))
        job.execMs = ms;
    const JsonDoc body(response.body);
    if (response.status >= 400) {
        const std::string prefix = "HTTP " + std::to_string(response.status) + ": ";
        job.providerStatus = safeText(body.string("/error"), 200);
        if (response.status == 404)
            return Action::fail(ErrorClass::ClientError,
                prefix + errorText(body, response.body) + " (is the server started with --api?)");
        if (response.status == 401)
            return Action::fail(ErrorClass::ClientError,
                prefix + errorText(body, response.body) + " (--api-auth: api_key_env must hold user:password)");
        if (response.status >= 500 && isOutOfMemory(body, response.body))
            return Action::fail(ErrorClass::OutOfMemory, prefix + errorText(body, response.body));
        return Action::fail(classifyHttpStatus(response.status), prefix + errorText(body, response.body));
    }
    if (!body.valid())
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from txt2img (" + body.error() + "): " + bodyExcerpt(response.body, 200));
    if (body.rootType() != JsonType::Object)
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from txt2img: " + body.at("").mismatch("an object") + ": "
                + bodyExcerpt(response.body, 200));
    job.accepted = true;
    job.providerStatus = "completed";
    const JsonPointer images("/images");
    const std::size_t count = body.size(images);
    if (body.type(images) != JsonType::Array || count == 0)
        return Action::fail(ErrorClass::InvalidImage,
            "txt2img answered without images (send_images refused?): "
                + body.at(images).mismatch("a list of base64 images"));
    // With more than one image A1111 puts a grid of them first (opts.return_grid).
    const std::size_t wanted = std::size_t(std::max(1, job.job.variant.images));
    const std::size_t first = wanted > 1 && count == wanted + 1 ? 1 : 0;
    const std::size_t n = body.elements(images);
    for (std::size_t i = first; i < n; ++i) {
        bool took = false;
        body.withString(images / i, [&](std::string_view b64) { took = job.takeImage(b64); });
        if (!took)
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
    const JsonDoc body(response.body);
    if (body.type("/state") != JsonType::Object)
        return std::nullopt;
    // job_count > 0 (or a job name) while a generation runs; there is no count of the requests
    // waiting for the lock, so inQueue stays 0.
    const JsonValue jobCount = body.at("/state/job_count");
    if (jobCount.present() && !jobCount.number())
        return std::nullopt;
    const bool busy = jobCount.number().value_or(0) > 0 || !body.string("/state/job").empty();
    WorkerSample sample;
    sample.tMs = response.receivedMs;
    sample.running = busy ? 1 : 0;
    sample.idle = busy ? 0 : 1;
    sample.inProgress = busy ? 1 : 0;
    return sample;
}

} // namespace t2i
