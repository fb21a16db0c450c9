// SPDX-License-Identifier: Apache-2.0
#include "customasyncfake.h"

#include "util/base64.h"

namespace t2itest {
namespace {

using nlohmann::json;

FakeResponse message(int status, const std::string& text)
{
    return FakeResponse::json(status, { { "message", text } });
}

bool isFinal(const std::string& phase)
{
    return phase == "DONE" || phase == "ERROR" || phase == "CANCELLED";
}

} // namespace

CustomAsyncFake::CustomAsyncFake()
    : CustomAsyncFake(Options {})
{
}

CustomAsyncFake::CustomAsyncFake(Options options)
    : m_options(std::move(options))
{
}

double CustomAsyncFake::nowMs() const
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_start).count();
}

void CustomAsyncFake::failNext(Failure failure, int times)
{
    std::lock_guard lock(m_mutex);
    for (int i = 0; i < times; ++i)
        m_failures.push_back(failure);
}

int CustomAsyncFake::runningTasks() const
{
    std::lock_guard lock(m_mutex);
    const double now = nowMs();
    int n = 0;
    for (const auto& [uid, task] : m_tasks)
        n += isFinal(phaseOf(task, now)) ? 0 : 1;
    return n;
}

int CustomAsyncFake::cancelledTasks() const
{
    std::lock_guard lock(m_mutex);
    int n = 0;
    for (const auto& [uid, task] : m_tasks)
        n += task.cancelled ? 1 : 0;
    return n;
}

std::optional<json> CustomAsyncFake::lastInput() const
{
    std::lock_guard lock(m_mutex);
    return m_lastInput;
}

std::string CustomAsyncFake::phaseOf(const Task& task, double now) const
{
    if (task.cancelled)
        return "CANCELLED";
    const double age = now - task.createdMs;
    if (age < m_options.queueMs)
        return "PENDING";
    if (age < m_options.queueMs + m_options.runMs)
        return "RUNNING";
    return task.failure == Failure::JobFailed ? "ERROR" : "DONE";
}

json CustomAsyncFake::describe(const Task& task, double now, const std::string& host)
{
    const std::string phase = phaseOf(task, now);
    json out = { { "uid", task.uid }, { "phase", phase } };
    json metrics = json::object();
    if (phase != "PENDING" && !(task.cancelled && task.cancelledMs - task.createdMs < m_options.queueMs))
        metrics["wait_ms"] = m_options.queueMs;
    if (phase == "DONE" || phase == "ERROR")
        metrics["gpu_seconds"] = m_options.runMs / 1000.0;
    out["metrics"] = metrics;
    if (phase == "ERROR")
        out["problem"] = "CUDA out of memory while decoding";
    if (phase == "DONE") {
        json pictures = json::array();
        const int width = task.failure == Failure::WrongSize ? task.width / 2 : task.width;
        for (int i = 0; i < task.count; ++i) {
            const std::string png = pngDataOf(width, task.height, task.seed + std::uint32_t(i));
            if (m_options.hrefs) {
                const std::string path = "/blobs/" + task.uid + "-" + std::to_string(i) + ".png";
                m_blobs[path] = { png, task.failure == Failure::SlowDownload ? m_options.slowDownloadMs : 0 };
                pictures.push_back({ { "href", "http://" + host + path } });
            } else {
                pictures.push_back({ { "png", t2i::base64Encode(png) } });
            }
        }
        out["output"] = { { "pictures", pictures } };
    }
    return { { "task", out } };
}

FakeResponse CustomAsyncFake::handle(const FakeRequest& request)
{
    if (request.method == "GET" && request.path.starts_with("/blobs/")) {
        std::lock_guard lock(m_mutex);
        const auto it = m_blobs.find(request.path);
        if (it == m_blobs.end())
            return message(404, "no such blob");
        return FakeResponse::bytes(200, it->second.first, "image/png", it->second.second);
    }
    if (request.header("x-api-key") != m_options.apiKey)
        return message(401, "missing or wrong X-Api-Key");
    const std::string tasks = "/api/v2/tasks/";
    if (request.method == "POST" && request.path == "/api/v2/generate")
        return submit(request);
    if (request.path.starts_with(tasks)) {
        const std::string rest = request.path.substr(tasks.size());
        if (request.method == "GET" && rest.find('/') == std::string::npos)
            return status(request, rest);
        if (request.method == "POST" && rest.ends_with("/cancel"))
            return cancel(rest.substr(0, rest.size() - 7), request.header("host"));
    }
    return message(404, "no route " + request.method + " " + request.path);
}

FakeResponse CustomAsyncFake::submit(const FakeRequest& request)
{
    const json body = json::parse(request.body, nullptr, false);
    const json* input
        = body.is_object() && body.contains("input") && body["input"].is_object() ? &body["input"] : nullptr;
    if (!input)
        return message(400, "body must be {\"input\": {...}} (got " + request.body.substr(0, 100) + ")");
    const json& in = *input;
    if (!in.contains("text") || !in["text"].is_string() || in["text"].get<std::string>().empty())
        return message(400, "input.text: a non-empty string is required");
    if (!in.contains("size") || !in["size"].is_array() || in["size"].size() != 2 || !in["size"][0].is_number_integer()
        || !in["size"][1].is_number_integer())
        return message(400, "input.size: [width, height] integers are required");
    for (const char* key : { "seed", "steps", "count" })
        if (in.contains(key) && !in[key].is_number_integer())
            return message(400, std::string("input.") + key + ": an integer is required");
    if (in.contains("cfg") && !in["cfg"].is_number())
        return message(400, "input.cfg: a number is required");

    std::lock_guard lock(m_mutex);
    m_lastInput = in;
    std::optional<Failure> failure;
    if (!m_failures.empty()) {
        failure = m_failures.front();
        m_failures.pop_front();
    }
    if (failure == Failure::RateLimited)
        return message(429, "slow down").withHeader("Retry-After", "1");
    if (failure == Failure::ServerError)
        return message(503, "upstream unavailable");
    Task task;
    task.uid = "t-" + std::to_string(m_nextId++);
    task.createdMs = nowMs();
    task.width = in["size"][0].get<int>();
    task.height = in["size"][1].get<int>();
    task.count = in.value("count", 1);
    task.seed = std::uint32_t(in.value("seed", 0LL));
    task.failure = failure;
    m_tasks[task.uid] = task;
    if (request.queryItem("wait") == "true") {
        // Synchronous use: held until the task is over, then answered with it.
        const double total = m_options.queueMs + m_options.runMs;
        // As seen just after the end (+1 ms: created + total - created can round to below total).
        FakeResponse r = FakeResponse::json(200, describe(task, task.createdMs + total + 1, request.header("host")));
        r.delayMs = int(total);
        return r;
    }
    return FakeResponse::json(202, { { "task", { { "uid", task.uid }, { "phase", "PENDING" } } } });
}

FakeResponse CustomAsyncFake::status(const FakeRequest& request, const std::string& uid)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_tasks.find(uid);
    if (it == m_tasks.end())
        return message(404, "no task " + uid);
    Task& task = it->second;
    const double now = nowMs();
    const double endMs = task.createdMs + m_options.queueMs + m_options.runMs;
    if (task.failure == Failure::Expired || (now > endMs + m_options.retentionMs && !task.cancelled))
        return message(410, "task " + uid + " expired");
    if (task.failure == Failure::MalformedJson) {
        task.failure.reset(); // once
        return FakeResponse::bytes(200, R"({"task": {"uid": ")" + uid + R"(", "pha)", "application/json");
    }
    return FakeResponse::json(200, describe(task, now, request.header("host")));
}

FakeResponse CustomAsyncFake::cancel(const std::string& uid, const std::string& host)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_tasks.find(uid);
    if (it == m_tasks.end())
        return message(404, "no task " + uid);
    const double now = nowMs();
    if (isFinal(phaseOf(it->second, now)))
        return message(409, "task " + uid + " is already " + phaseOf(it->second, now));
    it->second.cancelled = true;
    it->second.cancelledMs = now;
    return FakeResponse::json(200, describe(it->second, now, host));
}

} // namespace t2itest
