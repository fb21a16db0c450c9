// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "report/runreport.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace t2i {

// One threshold of a run's configuration judged against its summary (docs/configuration.md,
// "thresholds"): the same p95, p99, error rate and cost per 1,000 images that `show` prints.
struct ThresholdVerdict {
    std::string metric; // "p95_ms", "p99_ms", "error_rate", "cost_per_1000_usd"
    double limit = 0; // the most the configuration allows
    std::optional<double> value; // measured; nullopt when there was nothing to measure
    bool passed = false; // value <= limit; a value that could not be measured does not pass
    std::string why; // for an unmeasured value: "no successful request", "no price: ..."
};

// Every threshold that is set, in the order p95_ms, p99_ms, error_rate, cost_per_1000_usd.
std::vector<ThresholdVerdict> judgeThresholds(const Thresholds& thresholds, const RunReport& report);
bool allPassed(std::span<const ThresholdVerdict> verdicts);

// As stored with the run (environment_json "thresholds") and shown by `show --json`:
// {"passed": bool, "checks": [{"metric", "limit", "value", "passed", "why"?}, ...]}.
nlohmann::json thresholdsJson(std::span<const ThresholdVerdict> verdicts);
// The verdict stored with a run; empty when its configuration had no thresholds.
std::vector<ThresholdVerdict> storedThresholds(const RunInfo& run);
// "p95_ms: 2345.6 ms, over the 1000 ms limit by 1345.6 ms (+134.6 %)", "... within the ... limit".
std::string thresholdText(const ThresholdVerdict& verdict);

} // namespace t2i
