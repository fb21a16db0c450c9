// SPDX-License-Identifier: Apache-2.0
#include "run.h"

#include <array>
#include <utility>

namespace t2i {
namespace {
constexpr std::array<std::pair<RunStatus, std::string_view>, 7> kNames { {
    { RunStatus::Created, "created" },
    { RunStatus::Running, "running" },
    { RunStatus::Completed, "completed" },
    { RunStatus::Cancelled, "cancelled" },
    { RunStatus::Failed, "failed" },
    { RunStatus::Interrupted, "interrupted" },
    { RunStatus::Stopped, "stopped" },
} };
} // namespace

std::string_view toString(RunStatus status)
{
    for (const auto& [s, name] : kNames)
        if (s == status)
            return name;
    return "unknown";
}

std::optional<RunStatus> runStatusFromString(std::string_view text)
{
    for (const auto& [s, name] : kNames)
        if (name == text)
            return s;
    return std::nullopt;
}

} // namespace t2i
