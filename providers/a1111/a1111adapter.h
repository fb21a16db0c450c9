// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"
#include "registry/registry.h"

#include <nlohmann/json.hpp>

namespace t2i {

struct A1111Options {
    std::string baseUrl = "http://127.0.0.1:7860";
    std::string apiKey; // "user:password" for a server started with --api-auth (HTTP Basic); empty: none
    std::string sampler; // sampler_name; empty: the server's default
    // What the server has besides txt2img: A1111 and Forge have all three; sd.cpp's sdapi
    // routes have none (docs/protocols.md §13.3).
    bool hasProgress = true; // GET /sdapi/v1/progress
    bool hasInterrupt = true; // POST /sdapi/v1/interrupt
    bool sendTaskId = true; // force_task_id, so the job has an id /progress knows
    static A1111Options fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// AUTOMATIC1111 / Forge WebUI API (docs/protocols.md §12): one blocking
// POST /sdapi/v1/txt2img answered with base64 images. X-Process-Time (s, 4 decimals) is the
// server's whole time for the request, read as execution time; it includes waiting for the
// generation lock, since concurrent requests queue inside the server with no queue API, so queue
// time stays unknown and, at concurrency > 1, execution time holds that wait. Cancel:
// POST /sdapi/v1/interrupt stops whatever generation runs now (safe only for a single job from
// a single client). Health: GET /sdapi/v1/progress. The sd.cpp server's sdapi routes speak the
// same protocol without the header, progress or interrupt.
class A1111Adapter final : public Adapter {
public:
    explicit A1111Adapter(A1111Options options, std::string type = "a1111");
    std::string type() const override { return m_type; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState& job) const override;
    std::optional<HttpRequest> healthRequest() const override;
    std::optional<WorkerSample> parseHealth(const HttpResponse& response) const override;

    // The txt2img body (exposed for tests and the docs' examples).
    nlohmann::json requestBody(const Job& job, const std::string& taskId) const;

private:
    HttpRequest make(std::string method, const std::string& path, std::string body = {}) const;
    A1111Options m_options;
    std::string m_type;
    std::int64_t m_nextTask = 0;
};

} // namespace t2i
