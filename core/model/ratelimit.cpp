// SPDX-License-Identifier: Apache-2.0
#include "ratelimit.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace t2i {

RateLimits mergeRateLimits(const RateLimits& defaults, const nlohmann::json& configured)
{
    if (configured.is_boolean() && !configured.get<bool>())
        return {};
    RateLimits limits = defaults;
    if (!configured.is_object())
        return limits;
    for (const auto& [operation, value] : configured.items()) {
        std::erase_if(limits, [&](const RateLimit& l) { return l.operation == operation; });
        if (!value.is_object())
            continue; // null or false: this operation is not budgeted
        RateLimit limit { operation };
        limit.requests = value.value("requests", 0);
        limit.windowMs = value.value("window_s", 10.0) * 1000.0;
        limit.concurrent = value.value("concurrent", 0);
        if (limit.requests > 0 || limit.concurrent > 0)
            limits.push_back(std::move(limit));
    }
    return limits;
}

nlohmann::json rateLimitsJson(const RateLimits& limits)
{
    if (limits.empty())
        return nullptr;
    nlohmann::json out = nlohmann::json::object();
    for (const RateLimit& limit : limits)
        out[limit.operation] = { { "requests", limit.requests }, { "window_s", limit.windowMs / 1000.0 },
            { "concurrent", limit.concurrent } };
    return out;
}

} // namespace t2i
