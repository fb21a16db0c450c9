// SPDX-License-Identifier: Apache-2.0
// A fake Modal web endpoint (docs/protocols.md §4): a FastAPI-like benchmark app behind
// Modal's web layer. Modal's part: proxy auth (Modal-Key / Modal-Secret -> 401 "modal-http: ..."),
// the 303 redirect of calls that outlast the initial-response limit (to a result URL on the same
// host, followed with GET), and containers that cold-start after the scaledown window. The app's
// part, per Modal's documented job-queue pattern: POST / (sync), POST /accept -> {"call_id"},
// GET /result/{call_id} (202 while running, 200 with the result, 404 once expired), POST
// /cancel/{call_id} (FunctionCall.cancel()), and /files/... for URL outputs. The app reports
// inference_s, container_id and is_cold, our benchmark-app convention (docs/protocols.md §4.3); Modal itself reports
// no timings. One container (max_containers=1): calls run one at a time.
#pragma once

#include "fakeregistry.h"
#include "oneshotoverrides.h"
#include "singlegpuschedule.h"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace t2itest {

struct ModalFakeOptions {
    int execMs = 120; // app-measured inference time of a call ...
    int execStepMs = 10; // ... plus (n % 3) x this, so calls differ
    int coldStartMs = 300; // container boot + @modal.enter() before the first input
    int scaledownWindowMs = 60000; // idle time before the container goes (Modal's default 60 s)
    bool requireProxyAuth = true;
    std::string tokenId = "wk-fake";
    std::string tokenSecret = "ws-fake";
    std::string output = "json"; // "json": base64 in images[]; "png": image/png body; "url": /files/ URLs
    int longCallMs = 150000; // a sync call not done by then is answered 303 (Modal's 150 s limit)
    int resultTtlMs = 600000; // spawned results are kept this long, then 404
    int downloadDelayMs = 0; // output "url": each /files/ answer is held this long
};

class ModalFake final : public FakePlatform {
public:
    explicit ModalFake(ModalFakeOptions options = {});
    FakeResponse handle(const FakeRequest& request) override;

    struct Reported {
        std::string callId;
        double inferenceMs = 0; // what the app reported as inference_s, in ms
        std::string containerId;
        bool cold = false;
    };
    std::optional<Reported> reportedFor(const std::string& callId) const;
    std::vector<Reported> reported() const; // every finished call, in submission order
    int runningCalls(double nowMs) const; // queued or running, not cancelled (FakeServer clock)
    int cancelledCalls() const;
    int redirects() const; // 303s answered

    void failNextCall(); // the next call's function raises (500 "Internal Server Error")
    void overrideNext(std::string pathPrefix, FakeResponse response); // one canned answer (429, 5xx, bad JSON)

private:
    struct Call {
        std::string id;
        std::size_t slot = 0;
        std::string containerId;
        bool cold = false;
        bool fails = false;
        bool cancelled = false;
        int width = 512, height = 512, count = 1;
        std::int64_t seed = 0;
    };
    std::optional<FakeResponse> authProblem(const FakeRequest& request) const;
    FakeResponse start(const FakeRequest& request, bool spawned);
    FakeResponse answerWhenDone(const Call& call, const FakeRequest& request);
    FakeResponse result(const Call& call, const FakeRequest& request) const;
    FakeResponse pollResult(const std::string& id, const FakeRequest& request) const;
    FakeResponse cancelCall(const std::string& id, double now);
    FakeResponse file(const std::string& name) const;
    const Call* find(const std::string& id) const;
    double inferenceMs(const Call& call) const;

    ModalFakeOptions m_options;
    mutable std::mutex m_mutex;
    SingleGpuSchedule m_container;
    std::vector<Call> m_calls;
    OneShotOverrides m_overrides;
    bool m_failNext = false;
    int m_containers = 0;
    int m_redirects = 0;
    int m_cancelled = 0;
};

} // namespace t2itest
