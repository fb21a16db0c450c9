// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ratelimit.h"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace t2i {

// A platform's request budget as the client spends it (docs/measurement.md, "The request
// budget"): per operation, a sliding-window count and a cap on requests in flight, shared by every
// job of the run. A 429 halves the operation's budget (an operation without a documented limit
// gets one then: half of what was sent in the last window) and holds it for the platform's
// Retry-After; each window without a 429 gives back a tenth of the documented budget.
//
// The client counts a request against the window from when it is sent; the platform counts it
// from when it arrives. So that transit jitter never tips a full window over, a request stays
// counted for 5% longer than the window.
class RequestBudget {
public:
    explicit RequestBudget(const RateLimits& limits = {});

    // Whether a request of `operation` may be sent at nowMs; if so it is counted (and, where the
    // operation caps requests in flight, holds a slot until release()). Paced requests (status
    // polls) are spread evenly over the window rather than spent in bursts. An untagged ("")
    // operation is never limited.
    bool tryAcquire(std::string_view operation, double nowMs, bool paced = false);
    // The earliest time tryAcquire could succeed: nowMs when it can now, infinity while only a
    // release() would free a slot.
    double availableAtMs(std::string_view operation, double nowMs, bool paced = false);
    // The answer to an acquired request arrived (or it failed): frees its in-flight slot.
    void release(std::string_view operation);
    // The platform answered 429 to a request of this operation.
    void throttled(std::string_view operation, double nowMs, std::optional<double> retryAfterMs);

    // The operation's budget per window now (after any 429s), or nullopt when unlimited.
    std::optional<int> currentLimit(std::string_view operation) const;
    // Requests of this operation made to wait by the budget (counted once per request).
    std::int64_t delayed(std::string_view operation) const;
    void noteDelayed(std::string_view operation);

private:
    struct State {
        RateLimit limit; // the documented (or configured) budget; requests 0: none
        double factor = 1; // what 429s left of it
        std::optional<int> learned; // a budget learned from a 429 where none was documented
        double windowMs = 10000;
        std::deque<double> sent; // send times still counted, oldest first
        int inFlight = 0;
        double holdUntilMs = 0;
        double lastThrottleMs = -1;
        double recoveredAtMs = 0;
        double tokens = 0; // pacing
        double tokensAtMs = -1;
        std::int64_t delayed = 0;
        std::int64_t recentCount[10] = {}; // unlimited operations: sends per second, last 10 s
        std::int64_t recentSecond[10] = {};
    };
    State& state(std::string_view operation);
    std::optional<int> effective(const State& s) const;
    void expire(State& s, double nowMs);
    void recover(State& s, double nowMs);
    void refill(State& s, double nowMs);
    std::int64_t sentInLastWindow(const State& s, double nowMs) const;
    std::map<std::string, State, std::less<>> m_states;
};

} // namespace t2i
