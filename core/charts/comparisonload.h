// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/comparison.h"

#include <string>
#include <vector>

namespace t2i::charts {

// Opens the library and loads each run (an id or a unique prefix) with its numeric columns
// and worker samples, in parallel, one connection per run. Throws StoreError naming the file,
// or std::invalid_argument naming a run that is not there (or a prefix that is ambiguous).
std::vector<RunInput> loadRuns(
    const std::string& dbPath, const std::vector<std::string>& runIds, const Progress& progress = {});

// loadRuns, computeCharts, addCosts: what the compare view and `t2ibench-cli report` both
// call. chartsReady, when given, receives the data as soon as everything but the costs is
// there (the dashboard draws it while the cost model runs).
ComparisonData loadComparison(const std::string& dbPath, const std::vector<std::string>& runIds,
    const Progress& progress = {}, const std::function<void(const ComparisonData&)>& chartsReady = {});

} // namespace t2i::charts
