// SPDX-License-Identifier: Apache-2.0
#include "ratelimiter.h"

namespace t2i {

RateLimiter::RateLimiter(std::map<std::string, RateLimit> limits, int64_t windowMs)
    : m_windowMs(windowMs)
{
    for (auto& [operation, limit] : limits)
        m_states[operation].limit = limit;
}

bool RateLimiter::admit(const std::string& operation, int64_t nowMs, bool held)
{
    State& s = m_states[operation];
    while (!s.admitted.empty() && s.admitted.front() <= nowMs - m_windowMs)
        s.admitted.pop_front();
    if (s.limit.per10s > 0 && static_cast<int64_t>(s.admitted.size()) >= s.limit.per10s)
        return false;
    if (s.limit.concurrent > 0 && s.inFlight >= s.limit.concurrent)
        return false;
    // Unlimited operations keep no history: nothing would ever read it.
    if (s.limit.per10s > 0)
        s.admitted.push_back(nowMs);
    if (held)
        ++s.inFlight;
    return true;
}

void RateLimiter::release(const std::string& operation)
{
    State& s = m_states[operation];
    if (s.inFlight > 0)
        --s.inFlight;
}

int64_t RateLimiter::inFlight(const std::string& operation) const
{
    const auto it = m_states.find(operation);
    return it == m_states.end() ? 0 : it->second.inFlight;
}

} // namespace t2i
