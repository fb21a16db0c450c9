// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "study/studytypes.h"

#include <optional>
#include <string>
#include <vector>

namespace t2i {

// prewarm: what keeping workers warm buys and costs on one provider: the same sparse traffic
// under none, ping, min_workers and hybrid (docs/studies.md).
StudyType prewarmStudyType();

// One strategy's run, as the analysis needs it.
struct PrewarmRun {
    std::string strategy; // "none", "ping", "min_workers", "hybrid"
    std::string refused; // non-empty: the strategy could not be set on this platform, and why
    std::vector<RequestRecord> records;
    std::optional<CostBreakdown> cost;
    std::string note; // the run's status or cost problem, when there is one
};

// The table (strategy | p50 | p95 | cold-start share | cost / 1,000 images | p95 change vs none |
// cost change vs none), findings per strategy and the chart, from each strategy's run. Latency is
// over the measured requests (steps >= 0): warm-up and keep-warm pings are left out of it and
// only counted in the cost.
StudyResult analyzePrewarm(const std::vector<PrewarmRun>& runs);

} // namespace t2i
