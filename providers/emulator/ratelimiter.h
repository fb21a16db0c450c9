// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "platformprofile.h"

#include <cstdint>
#include <deque>
#include <map>
#include <string>

namespace t2i {

// RunPod's job API limits: requests per operation in a sliding 10 s window, and requests of an
// operation in flight at once (what matters for /runsync, which holds its answer). Operations
// without an entry are unlimited.
class RateLimiter {
public:
    explicit RateLimiter(std::map<std::string, RateLimit> limits, int64_t windowMs = 10000);

    // Admits one request at nowMs and counts it; false means answer 429. An admitted request
    // with held == true stays in flight until release(operation).
    bool admit(const std::string& operation, int64_t nowMs, bool held = false);
    void release(const std::string& operation);
    int64_t inFlight(const std::string& operation) const;

private:
    struct State {
        RateLimit limit;
        std::deque<int64_t> admitted; // times within the window, oldest first
        int64_t inFlight = 0;
    };
    std::map<std::string, State> m_states;
    int64_t m_windowMs;
};

} // namespace t2i
