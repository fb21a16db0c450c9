// SPDX-License-Identifier: Apache-2.0
// A fake Baseten model (docs/protocols.md §7) with one replica (Baseten's defaults:
// max 1 replica, concurrency 1) that boots after the scale-down delay. Api-Key auth. Sync: POST
// /environments/{env}/predict (also /production/predict, /development/predict and
// /deployment/{id}/predict) answers the SDXL Truss's output {"status", "data": base64, "time": s}.
// Async: POST .../async_predict {"model_input", "webhook_endpoint", "priority",
// "max_time_in_queue_seconds"} -> {"request_id"}; GET /async_request/{id} with the seven statuses,
// webhook_status and ISO created_at / status_at (microseconds); DELETE /async_request/{id} cancels
// only QUEUED requests; GET .../async_queue_status. The status route is limited to 20 requests/s
// (429). A finished request's output is POSTed to its webhook_endpoint over real HTTP (libcurl)
// the first time its status is read after it finished; BasetenWebhookReceiver plays the user's
// receiver that keeps those bodies.
#pragma once

#include "fakeregistry.h"
#include "oneshotoverrides.h"
#include "singlegpuschedule.h"

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace t2itest {

struct BasetenFakeOptions {
    std::string apiKey = "bt-fake";
    std::string modelId = "abc1234";
    std::string deploymentId = "dep0001";
    int execMs = 150; // each prediction ...
    int execStepMs = 10; // ... plus (n % 3) x this
    int coldStartMs = 300; // a replica's boot when the deployment scaled to zero
    int scaleDownDelayMs = 900000; // idle time before scaling to zero (Baseten's default 15 min)
    int statusRateLimitPerS = 20; // GET /async_request/{id}
    std::int64_t epochMs = 1777777777000; // the wall clock when the fake started (ISO timestamps)
    int webhookTimeoutMs = 2000;
    bool allowHttpWebhook = false; // Baseten requires https webhooks; loopback tests need http
};

class BasetenFake final : public FakePlatform {
public:
    explicit BasetenFake(BasetenFakeOptions options = {});
    FakeResponse handle(const FakeRequest& request) override;

    // What Baseten reported for an async request, in microseconds since the epoch.
    struct Reported {
        std::string requestId;
        std::int64_t createdUs = 0, startedUs = 0, endedUs = 0;
        double trussTimeMs = 0; // the Truss's own "time"
    };
    std::optional<Reported> reportedFor(const std::string& requestId) const;
    std::vector<double> syncTimesMs() const; // the "time" of every sync prediction, in order
    int queuedOrRunning(double nowMs) const; // async and sync work not finished (FakeServer clock)
    int canceledCount() const;
    int refusedCancels() const; // DELETE on a request that was no longer QUEUED
    int rateLimited() const; // 429s on the status route
    int webhooksDelivered() const;

    void failNextPrediction(std::string message); // sync: 500 {"error"}; async: FAILED with errors[]
    void overrideNext(std::string pathPrefix, FakeResponse response);

private:
    struct Request {
        std::string id;
        std::size_t slot = 0;
        double createdMs = 0;
        std::string webhook;
        std::string failure;
        bool canceled = false;
        double canceledMs = 0;
        std::optional<double> expiredMs; // max_time_in_queue_seconds passed before it started
        std::string webhookStatus; // once decided: SUCCEEDED or FAILED
        int width = 512, height = 512;
        std::int64_t seed = 0;
    };
    FakeResponse predict(const FakeRequest& request, bool async);
    FakeResponse status(const std::string& id, double now);
    FakeResponse cancel(const std::string& id, double now);
    FakeResponse queueStatus(double now) const;
    nlohmann::json trussOutput(int width, int height, std::int64_t seed, double execMs) const;
    std::string statusOf(const Request& r, double now) const;
    void deliverWebhook(Request& r);
    std::size_t schedule(double now, double execMs);
    std::string iso(double ms) const;
    std::int64_t micros(double ms) const;
    Request* find(const std::string& id);

    BasetenFakeOptions m_options;
    mutable std::mutex m_mutex;
    SingleGpuSchedule m_replica;
    std::vector<Request> m_requests;
    std::vector<double> m_syncTimes;
    std::deque<double> m_statusCalls; // times of the last second's status requests
    OneShotOverrides m_overrides;
    std::string m_failNext;
    int m_predictions = 0;
    int m_canceled = 0;
    int m_refusedCancels = 0;
    int m_rateLimited = 0;
    int m_delivered = 0;
};

// The user's webhook receiver: POST /hook stores Baseten's webhook body by its request_id; GET
// /results/{request_id} serves it (404 until it came).
class BasetenWebhookReceiver final : public FakePlatform {
public:
    FakeResponse handle(const FakeRequest& request) override;
    int received() const;

private:
    mutable std::mutex m_mutex;
    std::map<std::string, std::string> m_bodies;
};

} // namespace t2itest
