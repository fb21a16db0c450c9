// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace t2i {

// "r20261128-191230-3fa2c1": sortable by creation time, unique enough for one library.
std::string newRunId();
std::string randomToken(); // 32 hex digits from the OS's random source
std::string isoNowUtc(); // "2026-11-28T19:12:30Z"
std::string hostName();
std::string osDescription(); // uname: "Linux 6.1.0 x86_64"

} // namespace t2i
