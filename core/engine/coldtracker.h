// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/requestrecord.h"
#include "model/run.h"

#include <deque>
#include <string>
#include <unordered_set>

namespace t2i {

// Labels each request cold, warm or unknown from what the platform lets us see
// (docs/measurement.md): a worker id never seen before in this run whose first job waited at
// least the threshold is a cold start; so is a request sent after the health endpoint showed the
// platform scaled to zero; without worker ids, a long wait while the health samples showed
// workers initializing is a cold start.
class ColdTracker {
public:
    explicit ColdTracker(double thresholdMs)
        : m_thresholdMs(thresholdMs)
    {
    }
    void noteHealth(const WorkerSample& sample);
    // afterScaleToZero: a cold probe that saw zero workers just before it was sent.
    ColdLabel classify(const RequestRecord& record, bool afterScaleToZero);

private:
    bool initializingDuring(double fromMs, double toMs) const;
    double m_thresholdMs;
    std::unordered_set<std::string> m_seenWorkers;
    std::deque<double> m_initializingAt; // times of health samples with initializing workers
};

} // namespace t2i
