// SPDX-License-Identifier: Apache-2.0
#include "recorddsl.h"

#include <charconv>
#include <stdexcept>
#include <string>

namespace t2i::test {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos)
            return parts;
        start = end + 1;
    }
}

[[noreturn]] void fail(std::string_view line, std::string_view why)
{
    throw std::invalid_argument("record \"" + std::string(line) + "\": " + std::string(why));
}

template <typename T> T number(std::string_view field, std::string_view line)
{
    T value {};
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (error != std::errc {} || end != field.data() + field.size())
        fail(line, "not a number: " + std::string(field));
    return value;
}

RequestRecord parseLine(std::string_view line, std::int64_t seq)
{
    const std::vector<std::string_view> f = split(line, ':');
    if (f.size() < 8)
        fail(line, "needs step:kind:level:offered:intended:done:status:cold");
    RequestRecord r;
    r.seq = seq;
    r.step = number<int>(f[0], line);
    r.stepKind = std::string(f[1]);
    r.level = number<int>(f[2], line);
    r.offered = number<double>(f[3], line);
    r.intendedMs = number<double>(f[4], line);
    r.sentMs = r.intendedMs;
    r.doneMs = number<double>(f[5], line);
    r.finishedMs = r.doneMs;
    r.ok = f[6] == "ok";
    if (!r.ok) {
        const auto error = errorClassFromString(f[6]);
        if (!error)
            fail(line, "unknown status");
        r.errorClass = *error;
    }
    r.images = r.ok ? 1 : 0;
    if (f[7] == "c")
        r.cold = ColdLabel::Cold;
    else if (f[7] == "w")
        r.cold = ColdLabel::Warm;
    else if (f[7] != "u")
        fail(line, "cold must be c, w or u");
    for (std::size_t i = 8; i < f.size(); ++i) {
        const std::size_t eq = f[i].find('=');
        if (eq == std::string_view::npos)
            fail(line, "expected key=value");
        const std::string_view key = f[i].substr(0, eq);
        const std::string_view value = f[i].substr(eq + 1);
        if (key == "q")
            r.queueMs = number<double>(value, line);
        else if (key == "e")
            r.execMs = number<double>(value, line);
        else if (key == "d")
            r.downloadMs = number<double>(value, line);
        else if (key == "sent")
            r.sentMs = number<double>(value, line);
        else if (key == "img")
            r.images = number<int>(value, line);
        else
            fail(line, "unknown key");
    }
    return r;
}

} // namespace

std::vector<RequestRecord> parseRecords(std::string_view text)
{
    std::vector<RequestRecord> records;
    for (std::string_view line : split(text, '\n')) {
        line = line.substr(0, line.find('#')); // a comment runs to the end of the line
        const std::size_t first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos)
            continue;
        line = line.substr(first, line.find_last_not_of(" \t") - first + 1);
        records.push_back(parseLine(line, static_cast<std::int64_t>(records.size())));
    }
    return records;
}

} // namespace t2i::test
