// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace t2i {

// An ISO-8601 / RFC 3339 timestamp as Replicate writes them ("2026-05-01T10:00:00.123456Z") in
// microseconds since the Unix epoch. Takes 'T' or ' ' between date and time, 0-9 fraction digits
// (kept to the microsecond, truncated beyond), and 'Z', "+HH:MM", "+HHMM" or no zone (read as UTC).
// nullopt for anything else, so that a bad timestamp never becomes a wrong duration.
std::optional<std::int64_t> parseIsoMicros(std::string_view text);

} // namespace t2i
