// SPDX-License-Identifier: Apache-2.0
#include "a1111fake.h"

#include "util/base64.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace t2itest {
namespace {

using nlohmann::json;

// str(round(seconds, 4)) in Python: "0.6021", "0.6", "1.0".
std::string pythonSeconds(double seconds)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.4f", seconds);
    std::string s = text;
    while (s.ends_with('0') && !s.ends_with(".0"))
        s.pop_back();
    return s;
}

FakeResponse withProcessTime(FakeResponse response, const std::string& seconds)
{
    response.withHeader("X-Process-Time", seconds);
    return response;
}

// pydantic's complaint about one body field, as FastAPI answers it (422).
FakeResponse invalidField(const std::string& field, const std::string& message, const std::string& type)
{
    return FakeResponse::json(422,
        { { "detail",
            json::array({ { { "loc", json::array({ "body", field }) }, { "msg", message }, { "type", type } } }) } });
}

// A1111's image_grid: rows = floor(sqrt(n)) lowered until it divides n.
std::pair<int, int> gridShape(int n)
{
    int rows = std::max(1, int(std::sqrt(double(n))));
    while (n % rows != 0)
        --rows;
    return { rows, (n + rows - 1) / rows };
}

} // namespace

A1111Fake::A1111Fake(A1111FakeOptions options)
    : m_options(std::move(options))
{
}

std::vector<A1111Fake::Reported> A1111Fake::reported() const
{
    std::lock_guard lock(m_mutex);
    return m_reported;
}

int A1111Fake::activeJobs(double nowMs) const
{
    std::lock_guard lock(m_mutex);
    return m_gpu.active(nowMs);
}

int A1111Fake::interruptCount() const
{
    std::lock_guard lock(m_mutex);
    return m_interrupts;
}

void A1111Fake::failNextWithOutOfMemory()
{
    std::lock_guard lock(m_mutex);
    m_failNext = true;
}

void A1111Fake::overrideNext(std::string pathPrefix, FakeResponse response)
{
    std::lock_guard lock(m_mutex);
    m_overrides.add(std::move(pathPrefix), std::move(response));
}

FakeResponse A1111Fake::handle(const FakeRequest& request)
{
    std::lock_guard lock(m_mutex);
    if (auto response = m_overrides.take(request.path))
        return std::move(*response);
    if (!m_options.apiAuth.empty()
        && request.header("authorization") != "Basic " + t2i::base64Encode(m_options.apiAuth))
        return withProcessTime(FakeResponse::json(401, { { "detail", "Incorrect username or password" } })
                                   .withHeader("WWW-Authenticate", "Basic"),
            "0.0002");
    if (request.path == "/sdapi/v1/txt2img" && request.method == "POST")
        return txt2img(request);
    if (request.path == "/sdapi/v1/progress" && request.method == "GET")
        return withProcessTime(progress(request.atMs), "0.0011");
    if (request.path == "/sdapi/v1/interrupt" && request.method == "POST")
        return withProcessTime(interrupt(request.atMs), "0.0003");
    return withProcessTime(FakeResponse::json(404, { { "detail", "Not Found" } }), "0.0001");
}

FakeResponse A1111Fake::txt2img(const FakeRequest& request)
{
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded())
        return withProcessTime(FakeResponse::json(422,
                                   { { "detail",
                                       json::array({ { { "loc", json::array({ "body", 0 }) },
                                           { "msg", "Expecting value: line 1 column 1 (char 0)" },
                                           { "type", "value_error.jsondecode" } } }) } }),
            "0.0004");
    for (const char* key : { "steps", "width", "height", "batch_size", "n_iter", "seed" })
        if (body.contains(key) && !body[key].is_number_integer())
            return withProcessTime(invalidField(key, "value is not a valid integer", "type_error.integer"), "0.0004");
    if (body.contains("cfg_scale") && !body["cfg_scale"].is_number())
        return withProcessTime(invalidField("cfg_scale", "value is not a valid float", "type_error.float"), "0.0004");
    // The processing defaults the API applies to what was not sent (docs/protocols.md §12.2).
    const json defaults = { { "prompt", "" }, { "negative_prompt", "" }, { "seed", -1 }, { "steps", 50 },
        { "cfg_scale", 7.0 }, { "width", 512 }, { "height", 512 }, { "batch_size", 1 }, { "n_iter", 1 },
        { "sampler_name", nullptr }, { "send_images", true }, { "save_images", false } };
    for (const auto& [key, value] : defaults.items())
        if (!body.contains(key))
            body[key] = value;

    const bool oom = std::exchange(m_failNext, false);
    const std::size_t slot = m_gpu.add(request.atMs, oom ? m_options.execMs / 2.0 : double(m_options.execMs));
    const SingleGpuSchedule::Slot& s = m_gpu.at(slot);
    m_jobs.push_back({ slot, body.value("force_task_id", std::string()), body["steps"].get<int>() });
    const double heldMs = s.endMs - request.atMs;
    const std::string processTime = pythonSeconds(heldMs / 1000.0);
    const std::int64_t seed = body["seed"].get<std::int64_t>() == -1 ? 1234567 : body["seed"].get<std::int64_t>();
    const int delay = int(std::ceil(heldMs));

    if (oom) {
        m_reported.push_back({ m_jobs.back().taskId, processTime, s.startMs - s.arrivedMs, seed, 500 });
        // The API's exception handler: {"error": type name, "detail", "body", "errors": str(e)}.
        return withProcessTime(FakeResponse::json(500,
                                   { { "error", "OutOfMemoryError" }, { "detail", "" }, { "body", "" },
                                       { "errors",
                                           "CUDA out of memory. Tried to allocate 2.50 GiB. GPU 0 has a total capacity "
                                           "of 23.64 GiB of which "
                                           "1.20 GiB is free." } },
                                   delay),
            processTime);
    }

    const int width = body["width"].get<int>(), height = body["height"].get<int>();
    const int count = body["batch_size"].get<int>() * body["n_iter"].get<int>();
    json images = json::array();
    if (count > 1 && m_options.returnGrid) {
        const auto [rows, cols] = gridShape(count);
        images.push_back(pngBase64Of(width * cols, height * rows, std::uint32_t(seed) + 1000));
    }
    json allSeeds = json::array();
    for (int i = 0; i < count; ++i) {
        images.push_back(pngBase64Of(width, height, std::uint32_t(seed) + std::uint32_t(i)));
        allSeeds.push_back(seed + i);
    }
    const json info = { { "prompt", body["prompt"] }, { "all_prompts", json::array({ body["prompt"] }) },
        { "seed", seed }, { "all_seeds", allSeeds }, { "width", width }, { "height", height },
        { "sampler_name", body["sampler_name"] }, { "cfg_scale", body["cfg_scale"] }, { "steps", body["steps"] },
        { "batch_size", body["batch_size"] }, { "job_timestamp", "20260501100000" }, { "infotexts", json::array() } };
    m_reported.push_back({ m_jobs.back().taskId, processTime, s.startMs - s.arrivedMs, seed, 200 });
    return withProcessTime(
        FakeResponse::json(200, { { "images", images }, { "parameters", body }, { "info", info.dump() } }, delay),
        processTime);
}

FakeResponse A1111Fake::progress(double now) const
{
    for (const Job& job : m_jobs) {
        if (!m_gpu.running(job.slot, now))
            continue;
        const SingleGpuSchedule::Slot& s = m_gpu.at(job.slot);
        const double fraction = (now - s.startMs) / std::max(1.0, s.endMs - s.startMs);
        return FakeResponse::json(200,
            { { "progress", fraction }, { "eta_relative", (s.endMs - now) / 1000.0 },
                { "state",
                    { { "skipped", false }, { "interrupted", false }, { "stopping_generation", false },
                        { "job", "scripts_txt2img" }, { "job_count", 1 }, { "job_timestamp", "20260501100000" },
                        { "job_no", 0 }, { "sampling_step", int(fraction * job.steps) },
                        { "sampling_steps", job.steps } } },
                { "current_image", nullptr }, { "textinfo", nullptr },
                { "current_task", job.taskId.empty() ? json(nullptr) : json(job.taskId) } });
    }
    return FakeResponse::json(200,
        { { "progress", 0.0 }, { "eta_relative", 0.0 },
            { "state",
                { { "skipped", false }, { "interrupted", false }, { "stopping_generation", false }, { "job", "" },
                    { "job_count", 0 }, { "job_timestamp", "0" }, { "job_no", 0 }, { "sampling_step", 0 },
                    { "sampling_steps", 0 } } },
            { "current_image", nullptr }, { "textinfo", nullptr }, { "current_task", nullptr } });
}

FakeResponse A1111Fake::interrupt(double now)
{
    ++m_interrupts;
    // shared.state.interrupt() stops the generation running now; requests waiting for the lock
    // run afterwards, their answers still on their way.
    for (const Job& job : m_jobs)
        if (m_gpu.running(job.slot, now)) {
            m_gpu.stop(job.slot, now, false);
            break;
        }
    return FakeResponse::json(200, json::object());
}

} // namespace t2itest
