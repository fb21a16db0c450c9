// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/providerdescriptor.h"

#include <vector>

namespace t2i::ui {

// The settings of the parts of a configuration that are not providers, as the setup page's
// forms edit them (docs/configuration.md: "Top level", "Variants", "Prompts", "Workload").
std::vector<SettingSpec> generalSettings(); // name, description
std::vector<SettingSpec> variantSettings();
std::vector<SettingSpec> promptSettings(); // set: the shipped prompt sets
std::vector<SettingSpec> workloadSettings(); // steps: a JSON list

} // namespace t2i::ui
