// SPDX-License-Identifier: Apache-2.0
#include "sdcppfake.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace t2itest {
namespace {

using nlohmann::json;

FakeResponse sdError(int status, const std::string& error, const std::string& message = {})
{
    json body = { { "error", error } };
    if (!message.empty())
        body["message"] = message;
    return FakeResponse::json(status, body);
}

// The normalised parameters of one generation, whatever route asked for it.
json generation(const std::string& route, const std::string& prompt, std::int64_t seed, const json& steps,
    const json& cfg, int width, int height, int count)
{
    return { { "route", route }, { "prompt", prompt }, { "seed", seed }, { "steps", steps }, { "cfg", cfg },
        { "width", width }, { "height", height }, { "count", count } };
}

bool isInt(const json& body, const char* key)
{
    return !body.contains(key) || body[key].is_number_integer();
}

} // namespace

SdCppFake::SdCppFake(SdCppFakeOptions options)
    : m_options(options)
{
}

std::int64_t SdCppFake::unixSeconds(double ms) const
{
    return std::int64_t(std::floor((double(m_options.epochMs) + ms) / 1000.0));
}

std::optional<SdCppFake::Reported> SdCppFake::reportedFor(const std::string& id) const
{
    std::lock_guard lock(m_mutex);
    const Job* job = find(id);
    if (!job || job->cancelled)
        return std::nullopt;
    const SingleGpuSchedule::Slot& s = m_gpu.at(job->slot);
    return Reported { job->id, job->created, unixSeconds(s.startMs), unixSeconds(s.endMs),
        job->failMessage.empty() ? "completed" : "failed" };
}

std::vector<json> SdCppFake::generationRequests() const
{
    std::lock_guard lock(m_mutex);
    return m_requests;
}

int SdCppFake::activeJobs(double nowMs) const
{
    std::lock_guard lock(m_mutex);
    return m_gpu.active(nowMs);
}

int SdCppFake::cancelledCount() const
{
    std::lock_guard lock(m_mutex);
    return m_cancelled;
}

int SdCppFake::refusedCancels() const
{
    std::lock_guard lock(m_mutex);
    return m_refusedCancels;
}

void SdCppFake::failNextGeneration(std::string message)
{
    std::lock_guard lock(m_mutex);
    m_failNext = std::move(message);
}

void SdCppFake::overrideNext(std::string pathPrefix, FakeResponse response)
{
    std::lock_guard lock(m_mutex);
    m_overrides.add(std::move(pathPrefix), std::move(response));
}

FakeResponse SdCppFake::handle(const FakeRequest& request)
{
    std::lock_guard lock(m_mutex);
    if (auto response = m_overrides.take(request.path))
        return std::move(*response);
    const std::string& path = request.path;
    const std::string jobs = "/sdcpp/v1/jobs/";
    if (path == "/sdcpp/v1/img_gen" && request.method == "POST")
        return imgGen(request);
    if (path.starts_with(jobs) && path.ends_with("/cancel") && request.method == "POST")
        return cancelJob(
            path.substr(jobs.size(), path.size() - jobs.size() - std::string("/cancel").size()), request.atMs);
    if (path.starts_with(jobs) && request.method == "GET")
        return getJob(path.substr(jobs.size()), request.atMs);
    if (path == "/sdcpp/v1/capabilities" && request.method == "GET")
        return FakeResponse::json(200,
            { { "model", { { "name", "sd_xl_turbo_1.0.q8_0.gguf" }, { "stem", "sd_xl_turbo_1.0.q8_0" } } },
                { "current_mode", "img_gen" }, { "supported_modes", json::array({ "img_gen" }) },
                { "limits",
                    { { "min_width", 64 }, { "max_width", 4096 }, { "min_height", 64 }, { "max_height", 4096 },
                        { "max_batch_count", 8 }, { "max_queue_size", m_options.maxQueueSize } } },
                { "features", { { "cancel_queued", true }, { "cancel_generating", false } } } });
    if (path == "/v1/images/generations" && request.method == "POST")
        return syncOpenAI(request);
    if (path == "/sdapi/v1/txt2img" && request.method == "POST")
        return syncSdapi(request);
    return FakeResponse::bytes(404, "", "text/plain"); // cpp-httplib's unmatched route
}

std::size_t SdCppFake::pending(double now) const
{
    std::size_t n = 0;
    for (const Job& job : m_jobs)
        n += !job.cancelled && (m_gpu.queued(job.slot, now) || m_gpu.running(job.slot, now)) ? 1 : 0;
    return n;
}

FakeResponse SdCppFake::imgGen(const FakeRequest& request)
{
    if (request.body.empty())
        return sdError(400, "empty body");
    const json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded())
        return sdError(400, "invalid json", "[json.exception.parse_error.101] parse error");
    const json sample = body.value("sample_params", json::object());
    const bool valid = body.is_object() && isInt(body, "width") && isInt(body, "height") && isInt(body, "seed")
        && isInt(body, "batch_count") && sample.is_object() && isInt(sample, "sample_steps")
        && body.value("width", 512) >= 64 && body.value("height", 512) >= 64;
    if (!valid)
        return sdError(400, "invalid generation parameters");
    if (pending(request.atMs) >= m_options.maxQueueSize)
        return sdError(429, "job queue is full");

    Job job;
    job.created = unixSeconds(request.atMs);
    char id[64];
    std::snprintf(id, sizeof id, "job_%llx_%08d", static_cast<unsigned long long>(job.created), m_nextId++);
    job.id = id;
    job.width = body.value("width", 512);
    job.height = body.value("height", 512);
    job.count = body.value("batch_count", 1);
    job.seed = body.value("seed", std::int64_t(42));
    job.failMessage = std::exchange(m_failNext, {});
    job.slot = m_gpu.add(request.atMs, job.failMessage.empty() ? m_options.execMs : m_options.execMs / 2.0);
    const json guidance = sample.value("guidance", json::object());
    m_requests.push_back(
        generation("img_gen", body.value("prompt", std::string()), job.seed, sample.value("sample_steps", json()),
            guidance.is_object() ? guidance.value("txt_cfg", json()) : json(), job.width, job.height, job.count));
    m_jobs.push_back(job);
    return FakeResponse::json(202,
        { { "id", job.id }, { "kind", "img_gen" }, { "status", "queued" }, { "created", job.created },
            { "poll_url", "/sdcpp/v1/jobs/" + job.id } });
}

const SdCppFake::Job* SdCppFake::find(const std::string& id) const
{
    for (const Job& job : m_jobs)
        if (job.id == id)
            return &job;
    return nullptr;
}

std::string SdCppFake::status(const Job& job, double now) const
{
    if (job.cancelled)
        return "cancelled";
    if (m_gpu.queued(job.slot, now))
        return "queued";
    if (m_gpu.running(job.slot, now))
        return "generating";
    return job.failMessage.empty() ? "completed" : "failed";
}

bool SdCppFake::expired(const Job& job, double now) const
{
    const double finishedAt = job.cancelled ? job.cancelledAtMs : m_gpu.at(job.slot).endMs;
    const std::string s = status(job, now);
    return (s == "completed" || s == "failed" || s == "cancelled") && now - finishedAt >= m_options.completedTtlMs;
}

json SdCppFake::jobJson(const Job& job, double now) const
{
    const std::string s = status(job, now);
    const SingleGpuSchedule::Slot& slot = m_gpu.at(job.slot);
    json out = { { "id", job.id }, { "kind", "img_gen" }, { "status", s }, { "created", job.created },
        { "started", s == "queued" || job.cancelled ? json(nullptr) : json(unixSeconds(slot.startMs)) },
        { "completed", json(nullptr) }, { "queue_position", 0 }, { "result", nullptr }, { "error", nullptr } };
    if (s == "queued") {
        int position = 1;
        for (const Job& other : m_jobs)
            if (&other == &job)
                break;
            else if (!other.cancelled && m_gpu.queued(other.slot, now))
                ++position;
        out["queue_position"] = position;
    } else if (s == "cancelled") {
        out["completed"] = unixSeconds(job.cancelledAtMs);
        out["error"] = { { "code", "cancelled" }, { "message", "job cancelled by client" } };
    } else if (s == "failed") {
        out["completed"] = unixSeconds(slot.endMs);
        out["error"] = { { "code", "generation_failed" }, { "message", job.failMessage } };
    } else if (s == "completed") {
        out["completed"] = unixSeconds(slot.endMs);
        json images = json::array();
        for (int i = 0; i < job.count; ++i)
            images.push_back({ { "index", i },
                { "b64_json", pngBase64Of(job.width, job.height, std::uint32_t(job.seed) + std::uint32_t(i)) } });
        out["result"] = { { "output_format", "png" }, { "images", images } };
    }
    return out;
}

FakeResponse SdCppFake::getJob(const std::string& id, double now) const
{
    const Job* job = find(id);
    if (!job)
        return sdError(404, "job not found");
    if (expired(*job, now))
        return sdError(410, "job expired");
    return FakeResponse::json(200, jobJson(*job, now));
}

FakeResponse SdCppFake::cancelJob(const std::string& id, double now)
{
    const auto it = std::find_if(m_jobs.begin(), m_jobs.end(), [&id](const Job& j) { return j.id == id; });
    if (it == m_jobs.end())
        return sdError(404, "job not found");
    Job& job = *it;
    if (expired(job, now))
        return sdError(410, "job expired");
    const std::string s = status(job, now);
    if (s == "queued") {
        m_gpu.remove(job.slot, now);
        job.cancelled = true;
        job.cancelledAtMs = now;
        ++m_cancelled;
    } else if (s == "generating") {
        ++m_refusedCancels;
        return sdError(409, "job is currently generating and cannot be interrupted yet");
    }
    return FakeResponse::json(200, jobJson(job, now));
}

FakeResponse SdCppFake::syncOpenAI(const FakeRequest& request)
{
    const json body = json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("prompt") || !body["prompt"].is_string())
        return FakeResponse::json(400, { { "error", "prompt required" } });
    std::string prompt = body["prompt"].get<std::string>();
    // Native parameters ride in the prompt: <sd_cpp_extra_args>{...}</sd_cpp_extra_args> (docs/protocols.md §13.2).
    json extra = json::object();
    const std::string open = "<sd_cpp_extra_args>", close = "</sd_cpp_extra_args>";
    if (const auto a = prompt.find(open), b = prompt.find(close);
        a != std::string::npos && b != std::string::npos && b > a) {
        extra = json::parse(prompt.substr(a + open.size(), b - a - open.size()), nullptr, false);
        prompt.erase(a, b + close.size() - a);
        if (!extra.is_object())
            return FakeResponse::json(400, { { "error", "invalid sd_cpp_extra_args" } });
    }
    int width = 512, height = 512;
    if (std::sscanf(body.value("size", std::string("512x512")).c_str(), "%dx%d", &width, &height) != 2)
        return FakeResponse::json(400, { { "error", "invalid size" } });
    const int count = body.value("n", 1);
    const json sample = extra.value("sample_params", json::object());
    const std::int64_t seed = extra.value("seed", std::int64_t(42));
    m_requests.push_back(generation("openai", prompt, seed, sample.value("sample_steps", json()),
        sample.value("guidance", json::object()).value("txt_cfg", json()), width, height, count));
    const std::size_t slot = m_gpu.add(request.atMs, m_options.execMs);
    const SingleGpuSchedule::Slot& s = m_gpu.at(slot);
    json data = json::array();
    for (int i = 0; i < count; ++i)
        data.push_back({ { "b64_json", pngBase64Of(width, height, std::uint32_t(seed) + std::uint32_t(i)) } });
    return FakeResponse::json(200,
        { { "created", unixSeconds(s.endMs) }, { "output_format", "png" }, { "data", data } },
        int(std::ceil(s.endMs - request.atMs)));
}

FakeResponse SdCppFake::syncSdapi(const FakeRequest& request)
{
    const json body = json::parse(request.body, nullptr, false);
    if (!body.is_object())
        return FakeResponse::json(400, { { "error", "invalid json" } });
    const int width = body.value("width", 512), height = body.value("height", 512), count = body.value("batch_size", 1);
    const std::int64_t seed = body.value("seed", std::int64_t(-1)) < 0 ? 42 : body.value("seed", std::int64_t(42));
    m_requests.push_back(generation("sdapi", body.value("prompt", std::string()), seed, body.value("steps", json()),
        body.value("cfg_scale", json()), width, height, count));
    const std::size_t slot = m_gpu.add(request.atMs, m_options.execMs);
    const SingleGpuSchedule::Slot& s = m_gpu.at(slot);
    json images = json::array();
    for (int i = 0; i < count; ++i)
        images.push_back(pngBase64Of(width, height, std::uint32_t(seed) + std::uint32_t(i)));
    // No X-Process-Time: sd-server has no such middleware; info is empty (docs/protocols.md §13.3).
    return FakeResponse::json(
        200, { { "images", images }, { "parameters", body }, { "info", "" } }, int(std::ceil(s.endMs - request.atMs)));
}

} // namespace t2itest
