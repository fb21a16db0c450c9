// SPDX-License-Identifier: Apache-2.0
#include "answertext.h"

#include "util/base64.h"

#include <charconv>
#include <cmath>

namespace t2i {
namespace {

// The length of the valid UTF-8 sequence at text[at], or 0 (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF).
std::size_t sequenceLength(std::string_view text, std::size_t at)
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char c = byte(at);
    if (c < 0x80)
        return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF; // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        if (c == 0xE0)
            low = 0xA0;
        else if (c == 0xED)
            high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        if (c == 0xF0)
            low = 0x90;
        else if (c == 0xF4)
            high = 0x8F;
    } else {
        return 0;
    }
    if (at + length > text.size())
        return 0;
    if (byte(at + 1) < low || byte(at + 1) > high)
        return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (byte(at + i) < 0x80 || byte(at + i) > 0xBF)
            return 0;
    return length;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD

std::string cleaned(std::string_view text, std::size_t maxBytes, bool markCut)
{
    std::string out;
    out.reserve(std::min(text.size(), maxBytes == std::string::npos ? text.size() : maxBytes + 3));
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t length = sequenceLength(text, at);
        const std::string_view piece = length ? text.substr(at, length) : kReplacement;
        if (maxBytes != std::string::npos && out.size() + piece.size() > maxBytes) {
            if (markCut) {
                while (!out.empty() && out.size() + 3 > maxBytes) {
                    // Drop whole characters until "..." fits.
                    std::size_t start = out.size() - 1;
                    while (start > 0 && (static_cast<unsigned char>(out[start]) & 0xC0) == 0x80)
                        --start;
                    out.resize(start);
                }
                out += "...";
            }
            return out;
        }
        out += piece;
        at += length ? length : 1;
    }
    return out;
}

} // namespace

bool isValidUtf8(std::string_view text)
{
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = sequenceLength(text, at);
        if (length == 0)
            return false;
        at += length;
    }
    return true;
}

std::string safeText(std::string_view text, std::size_t maxBytes)
{
    return cleaned(text, maxBytes, true);
}

std::string bodyExcerpt(std::string_view body, std::size_t maxBytes)
{
    return cleaned(body, maxBytes, false);
}

std::optional<double> headerNumber(std::string_view value)
{
    double number = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size() || !std::isfinite(number)
        || number < 0)
        return std::nullopt;
    return number;
}

std::optional<double> secondsToMs(std::optional<double> seconds)
{
    if (!seconds || !std::isfinite(*seconds) || *seconds < 0)
        return std::nullopt;
    const double ms = std::round(*seconds * 1e6) / 1e3;
    if (!std::isfinite(ms))
        return std::nullopt;
    return ms;
}

Action noAnswerFailure(const HttpResponse& response)
{
    std::string message = safeText(response.transportError, 1000);
    if (message.empty())
        message = response.timedOut ? "no answer within the timeout" : "no HTTP answer (the transport gave no reason)";
    return Action::fail(response.timedOut ? ErrorClass::Timeout : ErrorClass::Transport, std::move(message));
}

bool isUsableUrl(std::string_view url)
{
    if (!looksLikeUrl(url))
        return false;
    for (const char c : url)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
            return false;
    return true;
}

ErrorClass httpFailureClass(int status)
{
    const ErrorClass byStatus = classifyHttpStatus(status);
    return byStatus == ErrorClass::None ? ErrorClass::ServerError : byStatus;
}

} // namespace t2i
