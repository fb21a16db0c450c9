// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "study/studytypes.h"

#include <optional>
#include <string>
#include <vector>

namespace t2i {

// One repeat of the deploy study: the command, the wait for ready_url, the first image. Times are
// seconds from the command's start; a stage that was not reached is nullopt.
struct DeployRepeat {
    std::optional<int> exitStatus; // nullopt: the command did not end by itself (timeout, cancel, no start)
    double commandS = 0;
    std::optional<double> readyS;
    std::optional<double> firstImageLatencyS; // the first request's own end-to-end latency
    std::optional<double> firstImageS; // readyS + firstImageLatencyS
    std::string stoppedAt; // why the repeat went no further, in words; empty when it got an image
    std::string outputTail; // the command's output, redacted and bounded
};

// deploy: how long a deploy command takes until its endpoint answers and gives its first image
// (docs/studies.md).
StudyType deployStudyType();

// The analysis alone, on repeats tests make by hand.
StudyResult analyzeDeploy(const std::vector<DeployRepeat>& repeats);

// The last `lines` lines of text (all of it when it has fewer).
std::string lastLines(const std::string& text, std::size_t lines);

} // namespace t2i
