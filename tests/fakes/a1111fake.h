// SPDX-License-Identifier: Apache-2.0
// A fake AUTOMATIC1111 / Forge WebUI API (docs/protocols.md §12): POST /sdapi/v1/txt2img
// blocks until its generation is done, behind one lock (FIFO), and every answer carries
// X-Process-Time, the server's time for the request in seconds with 4 decimals, lock wait
// included, as A1111's middleware measures it. GET /sdapi/v1/progress, POST /sdapi/v1/interrupt,
// optional --api-auth (HTTP Basic), FastAPI's 422, the API's 500 {"error", "detail", ...}.
#pragma once

#include "fakeregistry.h"
#include "oneshotoverrides.h"
#include "singlegpuschedule.h"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace t2itest {

struct A1111FakeOptions {
    int execMs = 300; // each generation's time
    std::string apiAuth; // "user:password" as --api-auth takes it; empty: no auth
    bool returnGrid = true; // opts.return_grid: a grid first when more than one image
};

class A1111Fake final : public FakePlatform {
public:
    explicit A1111Fake(A1111FakeOptions options = {});
    FakeResponse handle(const FakeRequest& request) override;

    // What the fake reported for each txt2img answered with 200 or an error, in arrival order.
    struct Reported {
        std::string taskId; // force_task_id, when sent
        std::string processTime; // X-Process-Time as sent, e.g. "0.6021"
        double waitMs = 0; // time spent waiting for the lock (inside X-Process-Time)
        std::int64_t seed = 0;
        int status = 200;
    };
    std::vector<Reported> reported() const;
    // Generations running or waiting for the lock at nowMs (the FakeServer's clock).
    int activeJobs(double nowMs) const;
    int interruptCount() const;

    void failNextWithOutOfMemory(); // the next txt2img dies halfway: 500 OutOfMemoryError
    // The next request whose path starts with pathPrefix gets this answer instead (malformed JSON...).
    void overrideNext(std::string pathPrefix, FakeResponse response);

private:
    struct Job {
        std::size_t slot = 0;
        std::string taskId;
        int steps = 0;
    };
    FakeResponse txt2img(const FakeRequest& request);
    FakeResponse progress(double now) const;
    FakeResponse interrupt(double now);

    A1111FakeOptions m_options;
    mutable std::mutex m_mutex;
    SingleGpuSchedule m_gpu;
    std::vector<Job> m_jobs;
    std::vector<Reported> m_reported;
    OneShotOverrides m_overrides;
    bool m_failNext = false;
    int m_interrupts = 0;
};

} // namespace t2itest
