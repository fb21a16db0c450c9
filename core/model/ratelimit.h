// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace t2i {

// A platform's request budget for one operation (docs/measurement.md, "The request budget"):
// at most `requests` in any window of `windowMs`, and at most `concurrent` in flight at once.
// Adapters tag each request with its operation ("run", "status", ...); a provider type names its
// platform's documented defaults and a config's `rate_limits` overrides them.
struct RateLimit {
    std::string operation;
    int requests = 0; // per window; 0: no window limit
    double windowMs = 10000;
    int concurrent = 0; // 0: no limit on requests in flight
    bool operator==(const RateLimit&) const = default;
};

using RateLimits = std::vector<RateLimit>;

// The limits a run uses: the provider type's defaults, with the config's `rate_limits` laid over
// them operation by operation (a validated object, or false for none at all; null: defaults).
RateLimits mergeRateLimits(const RateLimits& defaults, const nlohmann::json& configured);
// The same limits written as a config's `rate_limits` object (what mergeRateLimits reads back):
// how a provider type's descriptor states its platform's defaults without a second copy.
nlohmann::json rateLimitsJson(const RateLimits& limits);

} // namespace t2i
