// SPDX-License-Identifier: Apache-2.0
#include "garbagefake.h"

namespace t2itest {
namespace {

using nlohmann::json;

FakeResponse text(int status, std::string body, std::string contentType = "application/json")
{
    return FakeResponse::bytes(status, std::move(body), std::move(contentType));
}

} // namespace

const std::vector<std::string>& GarbageFake::kinds()
{
    static const std::vector<std::string> all = { "ok", "status null", "id a number", "html page", "truncated",
        "invalid utf-8", "completed without image", "odd timings" };
    return all;
}

FakeResponse GarbageFake::handle(const FakeRequest& request)
{
    std::lock_guard lock(m_mutex);
    const std::string& path = request.path;
    if (request.method == "POST" && (path.ends_with("/run") || path.ends_with("/runsync")))
        return run(request);
    if (const auto at = path.find("/status/"); at != std::string::npos)
        return status(path.substr(at + 8));
    if (path.ends_with("/health"))
        return health();
    if (path.find("/cancel/") != std::string::npos)
        return FakeResponse::json(200, { { "status", "CANCELLED" } });
    return text(404, "<html><body>404 Not Found</body></html>", "text/html");
}

int GarbageFake::healthAnswers() const
{
    std::lock_guard lock(m_mutex);
    return m_health;
}

FakeResponse GarbageFake::run(const FakeRequest& request)
{
    Job job;
    job.kind = kinds()[std::size_t(m_next) % kinds().size()];
    const std::string id = "job-" + std::to_string(m_next++) + "-u1";
    const json body = json::parse(request.body, nullptr, false);
    if (body.is_object() && body.contains("input") && body["input"].is_object()) {
        job.width = body["input"].value("width", job.width);
        job.height = body["input"].value("height", job.height);
    }
    m_jobs[id] = job;
    if (job.kind == "status null")
        return FakeResponse::json(200, { { "id", id }, { "status", nullptr } });
    if (job.kind == "id a number")
        return FakeResponse::json(200, { { "id", 5 }, { "status", "IN_QUEUE" } });
    if (job.kind == "html page")
        return text(200, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
    if (job.kind == "truncated")
        return text(200,
            "{\"id\": \"" + id + "\", \"status\": \"COMPLETED\", \"output\": {\"images\": [\""
                + pngBase64Of(job.width, job.height).substr(0, 40));
    if (job.kind == "invalid utf-8")
        return text(200, "{\"id\": \"" + id + "\", \"status\": \"IN_QUEUE\", \"workerId\": \"w\xFF\xFE\"}");
    return FakeResponse::json(200, { { "id", id }, { "status", "IN_QUEUE" } });
}

FakeResponse GarbageFake::status(const std::string& id)
{
    const auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return FakeResponse::json(404, { { "error", "job not found" } });
    Job& job = it->second;
    if (job.polls++ == 0) {
        if (job.kind == "odd timings") // the wrong types where timings go: unknown, not a failure
            return FakeResponse::json(200,
                { { "id", id }, { "status", "IN_PROGRESS" }, { "delayTime", "soon" }, { "workerId", 7 },
                    { "executionTime", nullptr } });
        return FakeResponse::json(200, { { "id", id }, { "status", "IN_PROGRESS" }, { "delayTime", 12 } });
    }
    if (job.kind == "completed without image")
        return FakeResponse::json(
            200, { { "id", id }, { "status", "COMPLETED" }, { "output", json::array({ nullptr }) } });
    json done = { { "id", id }, { "status", "COMPLETED" }, { "delayTime", 12 }, { "executionTime", 30 },
        { "workerId", "w-1" },
        { "output", { { "images", { pngDataUriOf(job.width, job.height, std::uint32_t(job.polls)) } } } } };
    if (job.kind == "odd timings")
        done["delayTime"] = json::array();
    return FakeResponse::json(200, done);
}

FakeResponse GarbageFake::health()
{
    // Issue 10: "workers": [] aborted the run; the rest are no better.
    switch (m_health++ % 4) {
    case 0:
        return FakeResponse::json(200, { { "jobs", { { "inQueue", 1 } } }, { "workers", json::array() } });
    case 1:
        return text(200, "{\"workers\": {\"idle\": \"one\"}, \"jobs\": 5}");
    case 2:
        return text(200, "not json at all", "text/plain");
    default:
        return FakeResponse::json(200,
            { { "jobs", { { "inQueue", 0 }, { "inProgress", 1 } } },
                { "workers", { { "idle", 1 }, { "running", 1 } } } });
    }
}

} // namespace t2itest
