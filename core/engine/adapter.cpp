// SPDX-License-Identifier: Apache-2.0
#include "adapter.h"

#include "util/base64.h"

#include <charconv>
#include <cmath>

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
    // "nan", "inf" and "1e999" are not waits either (from_chars reads the first two).
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || !std::isfinite(seconds)
        || seconds < 0)
        return std::nullopt;
    return seconds * 1000.0;
}

std::vector<std::string> Adapter::operations() const
{
    return { kSubmitOperation, kStatusOperation, kFollowUpOperation, kCancelOperation, kHealthOperation };
}

bool JobState::takeImage(std::string_view text)
{
    if (looksLikeUrl(text)) {
        // A URL with a space or a control character cannot be requested as it is (a CR LF would
        // even end the request line): it is no image URL.
        for (const char c : text)
            if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
                return false;
        imageUrls.emplace_back(text);
        return true;
    }
    return takeInlineImage(text);
}

bool JobState::takeInlineImage(std::string_view text)
{
    const auto payload = inlineImagePayload(text);
    if (!payload || !looksLikeBase64(*payload))
        return false; // "data:image/png;base64," with nothing after it, or not base64 at all
    images.push_back({ std::string(*payload), true });
    return true;
}

std::optional<std::string> DeliveredImage::bytes() const
{
    if (!base64)
        return data;
    return base64Decode(data);
}

HttpRequest jsonRequest(std::string method, std::string url, const std::string& authorization, std::string body)
{
    HttpRequest request;
    request.method = std::move(method);
    request.url = std::move(url);
    request.headers.emplace_back("Authorization", authorization);
    if (!body.empty())
        request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
    return request;
}

std::string withoutTrailingSlashes(std::string url)
{
    while (url.ends_with('/'))
        url.pop_back();
    return url;
}

std::string exceptionText(const std::exception& e)
{
    std::string text = e.what();
    return text.empty() ? "an exception without a message" : text;
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
