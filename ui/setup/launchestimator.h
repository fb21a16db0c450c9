// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cost/launchestimate.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace t2i::ui {

// The launch page's estimate of a configuration: every chosen provider x variant pair, its
// latency from the provider's emulator profile where it has one (else the stated guess), its
// price as a run of it would be billed. Reads the pricing catalog and profiles: run it off the
// GUI thread. An invalid configuration gives no pairs and *error the first problem.
struct LaunchEstimate {
    std::vector<PairEstimate> pairs;
    LaunchTotals totals;
    std::string error;
};
LaunchEstimate estimateLaunch(const nlohmann::json& document, const std::string& configPath,
    const std::vector<std::string>& providerIds, const std::vector<std::string>& variantIds);
// The same against a given provider catalog (the registry's by default).
LaunchEstimate estimateLaunch(const nlohmann::json& document, const std::string& configPath,
    const std::vector<std::string>& providerIds, const std::vector<std::string>& variantIds,
    const ProviderCatalog& catalog);

} // namespace t2i::ui
