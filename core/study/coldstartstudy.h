// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "study/studytypes.h"

namespace t2i {

// cold_start: the cold and warm latency distributions of one provider x variant, and the cold
// start's overhead (cold - warm at the median) with a 95% confidence interval (docs/studies.md).
StudyType coldStartStudyType();

// The analysis alone, on the records of a run shaped like the study's workload (warm-up, a
// closed loop of warm requests, cold probes): what tests feed with known data.
StudyResult analyzeColdStart(const std::vector<RequestRecord>& records);

// Cumulative distribution points (x: value, y: share at or below it) of ascending values.
std::vector<std::pair<double, double>> cdfPoints(const std::vector<double>& sorted);

} // namespace t2i
