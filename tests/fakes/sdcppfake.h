// SPDX-License-Identifier: Apache-2.0
// A fake stable-diffusion.cpp sd-server (docs/protocols.md §13): the native async job
// API (POST /sdcpp/v1/img_gen -> 202, GET /sdcpp/v1/jobs/{id}, POST .../cancel, capabilities) with
// whole unix-second timestamps, 429 when max_queue_size jobs are pending, 410 once a finished job
// has expired; plus the synchronous OpenAI (/v1/images/generations, sd_cpp_extra_args in the
// prompt) and A1111 (/sdapi/v1/txt2img) routes. One GPU: every route's generations share one FIFO.
#pragma once

#include "fakeregistry.h"
#include "oneshotoverrides.h"
#include "singlegpuschedule.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace t2itest {

struct SdCppFakeOptions {
    int execMs = 300; // each generation's time
    std::size_t maxQueueSize = 8; // limits.max_queue_size: pending (queued + generating) jobs
    int completedTtlMs = 300000; // finished jobs are kept this long, then answer 410
    std::int64_t epochMs = 1760000000400; // the server's wall clock when the fake started
};

class SdCppFake final : public FakePlatform {
public:
    explicit SdCppFake(SdCppFakeOptions options = {});
    FakeResponse handle(const FakeRequest& request) override;

    // The timestamps (unix seconds) a finished job reported, and its final status.
    struct Reported {
        std::string id;
        std::int64_t created = 0, started = 0, completed = 0;
        std::string status;
    };
    std::optional<Reported> reportedFor(const std::string& id) const;
    std::vector<nlohmann::json> generationRequests() const; // parsed parameters of every generation, in order
    int activeJobs(double nowMs) const; // queued or generating at nowMs (the FakeServer's clock)
    int cancelledCount() const;
    int refusedCancels() const; // 409: generating, cannot be interrupted

    void failNextGeneration(std::string message); // the next job ends "failed"
    void overrideNext(std::string pathPrefix, FakeResponse response);

private:
    struct Job {
        std::string id;
        std::size_t slot = 0;
        std::int64_t created = 0;
        int width = 512, height = 512, count = 1;
        std::int64_t seed = 0;
        std::string failMessage;
        bool cancelled = false;
        double cancelledAtMs = 0;
    };
    FakeResponse imgGen(const FakeRequest& request);
    FakeResponse getJob(const std::string& id, double now) const;
    FakeResponse cancelJob(const std::string& id, double now);
    FakeResponse syncOpenAI(const FakeRequest& request);
    FakeResponse syncSdapi(const FakeRequest& request);
    nlohmann::json jobJson(const Job& job, double now) const;
    std::string status(const Job& job, double now) const;
    const Job* find(const std::string& id) const;
    bool expired(const Job& job, double now) const;
    std::int64_t unixSeconds(double ms) const;
    std::size_t pending(double now) const;

    SdCppFakeOptions m_options;
    mutable std::mutex m_mutex;
    SingleGpuSchedule m_gpu;
    std::vector<Job> m_jobs;
    std::vector<nlohmann::json> m_requests;
    OneShotOverrides m_overrides;
    std::string m_failNext;
    int m_cancelled = 0;
    int m_refusedCancels = 0;
    int m_nextId = 1;
};

} // namespace t2itest
