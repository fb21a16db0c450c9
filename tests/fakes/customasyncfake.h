// SPDX-License-Identifier: Apache-2.0
// A made-up asynchronous image API, shaped like no platform in particular, for the generic `http`
// provider: nothing in it matches what an adapter was written for, so everything must come from
// the config (templates, JSON pointers, status values).
//
//   POST /api/v2/generate            X-Api-Key; {"input": {"text", "seed", "size": [w, h], "steps", "cfg", "count"}}
//                                    -> 202 {"task": {"uid", "phase": "PENDING"}}
//   POST /api/v2/generate?wait=true  -> 200 with the finished task (synchronous use)
//   GET  /api/v2/tasks/{uid}         -> {"task": {"uid", "phase": PENDING|RUNNING|DONE|ERROR|CANCELLED,
//                                        "metrics": {"wait_ms", "gpu_seconds"}, "output": {"pictures":
//                                        [{"png": base64} | {"href": url}]}, "problem"}}; 410 once expired
//   POST /api/v2/tasks/{uid}/cancel  -> the task, CANCELLED (409 when already final)
//   GET  /blobs/{uid}-{i}.png        -> the image
#pragma once

#include "fakeregistry.h"

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>

namespace t2itest {

class CustomAsyncFake final : public FakePlatform {
public:
    enum class Failure {
        RateLimited, // the submit answers 429 with Retry-After: 1
        ServerError, // the submit answers 503
        MalformedJson, // the first status answer is cut short
        JobFailed, // the task ends in ERROR with a problem text
        WrongSize, // the picture is half as wide as asked
        SlowDownload, // the picture's href answers after slowDownloadMs
        Expired, // status answers 410 as if the retention had passed
    };
    struct Options {
        std::string apiKey = "custom-fake-key";
        double queueMs = 60; // PENDING this long, reported as metrics.wait_ms
        double runMs = 120; // RUNNING this long, reported as metrics.gpu_seconds
        bool hrefs = false; // pictures as {"href"} URLs instead of {"png"} base64
        int slowDownloadMs = 5000;
        double retentionMs = 60000; // a finished task is kept this long, then 410
    };

    CustomAsyncFake();
    explicit CustomAsyncFake(Options options);
    FakeResponse handle(const FakeRequest& request) override;

    void failNext(Failure failure, int times = 1);
    int runningTasks() const; // PENDING or RUNNING now
    int cancelledTasks() const;
    std::optional<nlohmann::json> lastInput() const; // the last submit's "input"

private:
    struct Task {
        std::string uid;
        double createdMs = 0;
        int width = 0, height = 0, count = 1;
        std::uint32_t seed = 0;
        std::optional<Failure> failure;
        bool cancelled = false;
        double cancelledMs = 0;
    };
    double nowMs() const;
    std::string phaseOf(const Task& task, double now) const;
    nlohmann::json describe(const Task& task, double now, const std::string& host);
    FakeResponse submit(const FakeRequest& request);
    FakeResponse status(const FakeRequest& request, const std::string& uid);
    FakeResponse cancel(const std::string& uid, const std::string& host);

    Options m_options;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    mutable std::mutex m_mutex;
    std::deque<Failure> m_failures;
    std::map<std::string, Task> m_tasks;
    std::map<std::string, std::pair<std::string, int>> m_blobs; // path -> (PNG, delay)
    std::optional<nlohmann::json> m_lastInput;
    int m_nextId = 1;
};

} // namespace t2itest
