// SPDX-License-Identifier: Apache-2.0
#include "requestrecord.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace t2i {
namespace {
constexpr std::array<std::pair<ColdLabel, std::string_view>, 3> kColdNames { {
    { ColdLabel::Unknown, "unknown" },
    { ColdLabel::Warm, "warm" },
    { ColdLabel::Cold, "cold" },
} };

constexpr std::array<std::pair<ErrorClass, std::string_view>, 11> kErrorNames { {
    { ErrorClass::None, "" },
    { ErrorClass::Throttled, "throttled" },
    { ErrorClass::Timeout, "timeout" },
    { ErrorClass::ClientError, "client_error" },
    { ErrorClass::ServerError, "server_error" },
    { ErrorClass::PlatformFailure, "platform_failure" },
    { ErrorClass::ContentFiltered, "content_filtered" },
    { ErrorClass::InvalidImage, "invalid_image" },
    { ErrorClass::Cancelled, "cancelled" },
    { ErrorClass::Transport, "transport" },
    { ErrorClass::OutOfMemory, "oom" },
} };

template <typename Table, typename Enum> std::string_view nameOf(const Table& table, Enum value)
{
    for (const auto& [v, name] : table)
        if (v == value)
            return name;
    return {};
}

template <typename Enum, typename Table> std::optional<Enum> valueOf(const Table& table, std::string_view text)
{
    for (const auto& [v, name] : table)
        if (name == text)
            return v;
    return std::nullopt;
}
} // namespace

std::string_view toString(ColdLabel label)
{
    return nameOf(kColdNames, label);
}
std::string_view toString(ErrorClass error)
{
    return nameOf(kErrorNames, error);
}
std::optional<ColdLabel> coldLabelFromString(std::string_view text)
{
    return valueOf<ColdLabel>(kColdNames, text);
}
std::optional<ErrorClass> errorClassFromString(std::string_view text)
{
    return valueOf<ErrorClass>(kErrorNames, text);
}

ErrorClass platformFailureClass(std::string_view message)
{
    std::string lowered(message.substr(0, 65536));
    std::transform(
        lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    // "outofmemory" covers torch.OutOfMemoryError and torch.cuda.OutOfMemoryError.
    const bool oom
        = lowered.find("out of memory") != std::string::npos || lowered.find("outofmemory") != std::string::npos;
    return oom ? ErrorClass::OutOfMemory : ErrorClass::PlatformFailure;
}

} // namespace t2i
