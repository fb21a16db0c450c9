// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "study/studytypes.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace t2i {

// One run of the local_start study: its environment's `launch` timings (docs/measurement.md,
// "Local servers"), in seconds; nullopt where the run did not get that far.
struct LocalStart {
    std::string runId;
    std::optional<double> startToReadyS;
    std::optional<double> readyToFirstImageS;
    std::optional<double> startToFirstImageS;
    std::string problem; // why the run has no first image, in words; empty when it has one
};

// local_start: process start -> ready -> first image of a provider's launched local server, over
// several fresh starts (docs/studies.md).
StudyType localStartStudyType();

// A run's LocalStart read from its environment_json (its `launch` object) and outcome.
LocalStart localStartFromRun(
    const std::string& runId, const std::string& environmentJson, bool runOk, const std::string& message);

// The analysis alone, on starts tests make by hand.
StudyResult analyzeLocalStart(const std::vector<LocalStart>& starts);

} // namespace t2i
