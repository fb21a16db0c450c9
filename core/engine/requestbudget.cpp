// SPDX-License-Identifier: Apache-2.0
#include "requestbudget.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace t2i {
namespace {

constexpr double kTransitMargin = 1.05; // a request stays counted this much longer than the window
constexpr double kRecoveryStep = 0.1; // of the budget, given back per window without a 429
constexpr double kMinFactor = 1.0 / 64;
constexpr double kLearnedMaxFactor = 4; // a learned budget may grow back past where it was learned
constexpr double kHalvingGapMs = 1000; // 429s arriving together halve the budget once
constexpr double kPacingBurst = 0.01; // paced requests may bunch up to this share of the budget

} // namespace

RequestBudget::RequestBudget(const RateLimits& limits)
{
    for (const RateLimit& limit : limits) {
        State& s = state(limit.operation);
        s.limit = limit;
        s.windowMs = limit.windowMs * kTransitMargin;
    }
}

RequestBudget::State& RequestBudget::state(std::string_view operation)
{
    auto it = m_states.find(operation);
    if (it == m_states.end()) {
        it = m_states.emplace(std::string(operation), State {}).first;
        it->second.limit.operation = std::string(operation);
        it->second.windowMs = it->second.limit.windowMs * kTransitMargin;
    }
    return it->second;
}

std::optional<int> RequestBudget::effective(const State& s) const
{
    const std::optional<int> base = s.limit.requests > 0 ? std::optional(s.limit.requests) : s.learned;
    if (!base)
        return std::nullopt;
    return std::max(1, int(std::floor(*base * s.factor)));
}

void RequestBudget::expire(State& s, double nowMs)
{
    while (!s.sent.empty() && s.sent.front() <= nowMs - s.windowMs)
        s.sent.pop_front();
}

void RequestBudget::recover(State& s, double nowMs)
{
    const double cap = s.limit.requests > 0 ? 1.0 : kLearnedMaxFactor;
    if (s.factor >= cap || s.lastThrottleMs < 0)
        return;
    const double quietSince = std::max(s.lastThrottleMs, s.recoveredAtMs);
    if (nowMs - quietSince < s.limit.windowMs)
        return;
    s.factor = std::min(cap, s.factor + kRecoveryStep);
    s.recoveredAtMs = nowMs;
}

void RequestBudget::refill(State& s, double nowMs)
{
    const double budget = double(effective(s).value_or(1));
    const double ratePerMs = budget / s.windowMs;
    const double burst = std::max(1.0, budget * kPacingBurst);
    if (s.tokensAtMs < 0)
        s.tokens = burst;
    else
        s.tokens = std::min(burst, s.tokens + (nowMs - s.tokensAtMs) * ratePerMs);
    s.tokensAtMs = nowMs;
}

std::int64_t RequestBudget::sentInLastWindow(const State& s, double nowMs) const
{
    if (effective(s))
        return std::int64_t(s.sent.size());
    const auto second = std::int64_t(std::floor(nowMs / 1000));
    std::int64_t total = 0;
    for (int i = 0; i < 10; ++i)
        if (second - s.recentSecond[i] < 10)
            total += s.recentCount[i];
    return total;
}

bool RequestBudget::tryAcquire(std::string_view operation, double nowMs, bool paced)
{
    if (operation.empty())
        return true;
    State& s = state(operation);
    if (nowMs < s.holdUntilMs)
        return false;
    recover(s, nowMs);
    expire(s, nowMs);
    if (s.limit.concurrent > 0 && s.inFlight >= s.limit.concurrent)
        return false;
    const std::optional<int> budget = effective(s);
    if (budget && std::int64_t(s.sent.size()) >= *budget)
        return false;
    if (paced && budget) {
        refill(s, nowMs);
        if (s.tokens < 1)
            return false;
        s.tokens -= 1;
    }
    if (budget)
        s.sent.push_back(nowMs);
    if (s.limit.concurrent > 0)
        ++s.inFlight;
    const auto second = std::int64_t(std::floor(nowMs / 1000));
    const int slot = int(((second % 10) + 10) % 10);
    if (s.recentSecond[slot] != second) {
        s.recentSecond[slot] = second;
        s.recentCount[slot] = 0;
    }
    ++s.recentCount[slot];
    return true;
}

double RequestBudget::availableAtMs(std::string_view operation, double nowMs, bool paced)
{
    if (operation.empty())
        return nowMs;
    State& s = state(operation);
    recover(s, nowMs);
    expire(s, nowMs);
    double at = std::max(nowMs, s.holdUntilMs);
    if (s.limit.concurrent > 0 && s.inFlight >= s.limit.concurrent)
        return std::numeric_limits<double>::infinity();
    const std::optional<int> budget = effective(s);
    if (!budget)
        return at;
    const auto count = std::int64_t(s.sent.size());
    if (count >= *budget)
        at = std::max(at, s.sent[std::size_t(count - *budget)] + s.windowMs);
    if (paced) {
        refill(s, nowMs);
        if (s.tokens < 1)
            at = std::max(at, nowMs + (1 - s.tokens) * s.windowMs / double(*budget));
    }
    return at;
}

void RequestBudget::release(std::string_view operation)
{
    if (operation.empty())
        return;
    const auto it = m_states.find(operation);
    if (it != m_states.end() && it->second.limit.concurrent > 0 && it->second.inFlight > 0)
        --it->second.inFlight;
}

void RequestBudget::throttled(std::string_view operation, double nowMs, std::optional<double> retryAfterMs)
{
    if (operation.empty())
        return;
    State& s = state(operation);
    if (retryAfterMs)
        s.holdUntilMs = std::max(s.holdUntilMs, nowMs + *retryAfterMs);
    const bool together = s.lastThrottleMs >= 0 && nowMs - s.lastThrottleMs < kHalvingGapMs;
    s.lastThrottleMs = nowMs;
    if (together)
        return;
    if (!effective(s)) {
        // Undocumented: what got through in the last window was too much; half of it is the start.
        s.learned = int(std::max<std::int64_t>(1, sentInLastWindow(s, nowMs) / 2));
        s.factor = 1;
        s.sent.clear();
        return;
    }
    s.factor = std::max(kMinFactor, s.factor / 2);
}

std::optional<int> RequestBudget::currentLimit(std::string_view operation) const
{
    const auto it = m_states.find(operation);
    return it == m_states.end() ? std::nullopt : effective(it->second);
}

std::int64_t RequestBudget::delayed(std::string_view operation) const
{
    const auto it = m_states.find(operation);
    return it == m_states.end() ? 0 : it->second.delayed;
}

void RequestBudget::noteDelayed(std::string_view operation)
{
    if (!operation.empty())
        ++state(operation).delayed;
}

} // namespace t2i
