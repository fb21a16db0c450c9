// SPDX-License-Identifier: Apache-2.0
#include "adapter.h"

#include <charconv>

namespace t2i {

std::string HttpResponse::header(std::string_view lowerName) const
{
    for (const auto& [name, value] : headers)
        if (name == lowerName)
            return value;
    return {};
}

std::optional<double> Adapter::retryAfterMs(const HttpResponse& response) const
{
    // Retry-After in seconds (the HTTP-date form is not used by any platform we target).
    const std::string value = response.header("retry-after");
    double seconds = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (value.empty() || ec != std::errc() || seconds < 0)
        return std::nullopt;
    return seconds * 1000.0;
}

ErrorClass classifyHttpStatus(int status)
{
    if (status == 0)
        return ErrorClass::Transport;
    if (status == 429)
        return ErrorClass::Throttled;
    if (status == 408 || status == 504)
        return ErrorClass::Timeout;
    if (status >= 500)
        return ErrorClass::ServerError;
    if (status >= 400)
        return ErrorClass::ClientError;
    return ErrorClass::None;
}

} // namespace t2i
