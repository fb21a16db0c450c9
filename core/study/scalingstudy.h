// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "study/studytypes.h"

namespace t2i {

// scaling: how fast the platform adds workers for a burst from idle, how many it reaches, the
// errors at the peak and how long it takes to scale back to zero (docs/studies.md).
StudyType scalingStudyType();

// The analysis alone, on a run shaped like the study's workload (step 0: the burst; step 1: one
// cold probe whose wait for zero workers keeps the health samples going after the burst) and its
// health samples: what tests feed with known data. `k`: the workers whose addition is timed;
// `scaleDownWaitS`: how long the run waited for zero workers at most.
StudyResult analyzeScaling(
    const std::vector<RequestRecord>& records, const std::vector<WorkerSample>& samples, int k, double scaleDownWaitS);

// Workers alive (booting or ready) and ready in one health sample. Platforms differ in whether
// `ready` already counts the idle and running workers (RunPod: ready = idle + running), so the
// larger of the two readings is taken rather than their sum.
int workersReady(const WorkerSample& s);
int workersAlive(const WorkerSample& s);

} // namespace t2i
