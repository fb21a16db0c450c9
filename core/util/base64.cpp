// SPDX-License-Identifier: Apache-2.0
#include "base64.h"

#include <array>

namespace t2i {
namespace {
constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int, 256> makeTable()
{
    std::array<int, 256> table {};
    table.fill(-1);
    for (std::size_t i = 0; i < kAlphabet.size(); ++i)
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
    table[static_cast<unsigned char>('-')] = 62; // base64url, which some servers send
    table[static_cast<unsigned char>('_')] = 63;
    return table;
}
constexpr auto kTable = makeTable();
} // namespace

std::optional<std::string> base64Decode(std::string_view text)
{
    // At most 3 bytes per 4 characters, and one more from a partial quad.
    std::string out(text.size() / 4 * 3 + 3, '\0');
    char* o = out.data();
    const auto* in = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    // Whole quads of alphabet characters, 3 bytes each, without a branch per character: an image
    // answer is megabytes of these (bench_answers in docs/performance.md: 7 ms for a 1.5 MB PNG
    // one character at a time).
    while (i + 4 <= n) {
        const int a = kTable[in[i]], b = kTable[in[i + 1]], c = kTable[in[i + 2]], d = kTable[in[i + 3]];
        if ((a | b | c | d) < 0)
            break; // padding, a line break or garbage: the careful loop below decides
        const unsigned v = (unsigned(a) << 18) | (unsigned(b) << 12) | (unsigned(c) << 6) | unsigned(d);
        o[0] = static_cast<char>(v >> 16);
        o[1] = static_cast<char>(v >> 8);
        o[2] = static_cast<char>(v);
        o += 3;
        i += 4;
    }
    unsigned buffer = 0;
    int bits = 0;
    bool padding = false;
    for (; i < n; ++i) {
        const char c = static_cast<char>(in[i]);
        if (c == '\n' || c == '\r' || c == ' ' || c == '\t')
            continue;
        if (c == '=') {
            padding = true;
            continue;
        }
        const int value = kTable[in[i]];
        if (value < 0 || padding)
            return std::nullopt;
        buffer = (buffer << 6) | static_cast<unsigned>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *o++ = static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    if (bits >= 6) // a lone trailing sextet cannot encode a byte
        return std::nullopt;
    out.resize(std::size_t(o - out.data()));
    return out;
}

std::string base64Encode(std::string_view bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16)
            | (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i < bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size())
            v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::optional<std::string_view> inlineImagePayload(std::string_view text)
{
    if (text.starts_with("data:")) {
        const auto comma = text.find(',');
        if (comma == std::string_view::npos || text.substr(0, comma).find(";base64") == std::string_view::npos)
            return std::nullopt;
        text.remove_prefix(comma + 1);
    }
    return text;
}

std::optional<std::string> decodeInlineImage(std::string_view text)
{
    const auto payload = inlineImagePayload(text);
    return payload ? base64Decode(*payload) : std::nullopt;
}

bool looksLikeBase64(std::string_view text)
{
    const auto fits = [](std::string_view part) {
        for (const char c : part)
            if (kTable[static_cast<unsigned char>(c)] < 0 && c != '=' && c != '\n' && c != '\r' && c != ' '
                && c != '\t')
                return false;
        return true;
    };
    constexpr std::size_t kLook = 256;
    if (text.size() <= 2 * kLook)
        return !text.empty() && fits(text);
    return fits(text.substr(0, kLook)) && fits(text.substr(text.size() - kLook));
}

bool looksLikeUrl(std::string_view text)
{
    return text.starts_with("http://") || text.starts_with("https://");
}

} // namespace t2i
