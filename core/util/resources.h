// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>

namespace t2i {

// The folder holding emulator profiles, prompt sets and pricing: $T2IBENCH_RESOURCES if set,
// else the source tree's resources/ (a build), else the installed data folder.
std::string resourceDir();
// resourceDir()/relative if that file exists.
std::optional<std::string> findResource(const std::string& relative);

} // namespace t2i
