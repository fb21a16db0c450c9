// SPDX-License-Identifier: Apache-2.0
// A fake Hugging Face Inference Endpoint (docs/protocols.md §6) with its scale-to-zero
// state machine: scaled to zero -> (a request arrives) initializing for bootMs -> running -> (idle
// for scaleToZeroAfterMs) scaled to zero. While a replica starts, the proxy answers 503 at once,
// unless the request carries X-Scale-Up-Timeout: then it is held until the replica is ready (or
// answered 503 when that takes longer than the header allows). POST / takes the text-to-image task
// payload {"inputs", "parameters"} with a Bearer token and answers the image bytes (image/png), or
// JSON from a custom handler. One replica serves one request at a time. The management API's GET
// /v2/endpoint/{namespace}/{name} gives status.state and replica counts on the same server.
#pragma once

#include "fakeregistry.h"
#include "oneshotoverrides.h"
#include "singlegpuschedule.h"

#include <mutex>
#include <string>
#include <vector>

namespace t2itest {

struct HfEndpointFakeOptions {
    std::string token = "hf_fake";
    int execMs = 150; // each generation
    int bootMs = 400; // a replica's start from zero
    int scaleToZeroAfterMs = 3600000; // idle time before scaling to zero (HF's default: 1 h)
    bool startScaledToZero = true;
    bool estimatedTimeBody = false; // 503 body {"error": "... is currently loading", "estimated_time": s}
    std::string handler = "toolkit"; // "toolkit": image/png bytes; "custom": JSON {"image": base64}
    std::string ns = "acme";
    std::string name = "sdxl-bench";
    std::string model = "stabilityai/sdxl-turbo";
};

class HfEndpointFake final : public FakePlatform {
public:
    explicit HfEndpointFake(HfEndpointFakeOptions options = {});
    FakeResponse handle(const FakeRequest& request) override;

    int unavailableAnswers() const; // 503s answered while a replica started
    int heldRequests() const; // requests held by X-Scale-Up-Timeout until a replica was ready
    int scaleUps() const; // replica starts from zero
    int activeRequests(double nowMs) const; // queued on or running in the replica
    std::vector<nlohmann::json> payloads() const; // every accepted task payload, in order
    std::string state(double nowMs) const; // the management API's status.state

    void failNextGeneration(std::string message); // 500 {"error": message}
    void overrideNext(std::string pathPrefix, FakeResponse response);

private:
    FakeResponse infer(const FakeRequest& request);
    FakeResponse generate(const nlohmann::json& payload, double arriveMs, double nowMs);
    FakeResponse unavailable(double nowMs, int delayMs);
    FakeResponse management(double nowMs) const;
    std::string stateLocked(double nowMs) const;

    HfEndpointFakeOptions m_options;
    mutable std::mutex m_mutex;
    SingleGpuSchedule m_replica;
    bool m_up = false; // a replica exists (starting or ready)
    double m_readyAtMs = 0;
    double m_lastEndMs = 0; // when the replica last finished work (or became ready)
    int m_unavailable = 0;
    int m_held = 0;
    int m_scaleUps = 0;
    std::vector<nlohmann::json> m_payloads;
    OneShotOverrides m_overrides;
    std::string m_failNext;
};

} // namespace t2itest
