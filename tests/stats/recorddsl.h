// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/requestrecord.h"

#include <string_view>
#include <vector>

namespace t2i::test {

// Request records from a compact text form, one record per line, so a fixture reads like the
// table it is and its expected numbers can be worked out by hand next to it:
//
//   step:kind:level:offered:intended:done:status:cold[:key=value...]
//
// status is "ok" or an error class name ("timeout", "throttled", ...); cold is c, w or u.
// Optional keys: q (queueMs), e (execMs), d (downloadMs), sent (sentMs, default intended),
// img (images, default 1 when ok). A # starts a comment that runs to the end of the line;
// blank lines are skipped.
// A malformed line throws std::invalid_argument naming it.
std::vector<RequestRecord> parseRecords(std::string_view text);

} // namespace t2i::test
