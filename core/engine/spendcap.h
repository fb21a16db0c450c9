// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/runengine.h"

#include <cstdint>
#include <vector>

namespace t2i {

// A run's spend against its budget (docs/cost.md, "Budget"), kept by the engine thread.
// Committed = what the finished jobs cost by the cost model + the worst case of every job
// submitted and not yet settled. A job is admitted only while committed + its own worst case
// stays within the cap, so the spend passes the cap by no more than what no job commits (see
// the doc: egress, a boot that outlasts its timeout).
//
// The cost model is run over every finished record, so it is not run for each job: a finished
// job keeps its worst case until the next model run replaces it, which happens when the cheap
// figure would refuse a job, and at least every kRefreshMs (keep-warm and instance time accrue
// with the clock, not with jobs).
class SpendCap {
public:
    explicit SpendCap(EngineBudget budget);
    bool active() const { return m_budget.capUsd > 0 && m_budget.spentUsd != nullptr; }
    // A job is about to be submitted at nowMs: true (and its worst case committed) when the cap
    // allows it, false when committed + its worst case would pass the cap.
    bool admit(double nowMs);
    // A submitted job is over for the platform (done, failed, timed out or cancelled): its cost
    // comes from the cost model, over its record, from now on.
    void settle(RequestRecord record);
    void noteSample(const WorkerSample& sample);
    double committedUsd(double nowMs);
    double capUsd() const { return m_budget.capUsd; }
    double jobWorstCaseUsd() const { return m_budget.jobWorstCaseUsd; }
    double lastSpentUsd() const { return m_spentUsd; } // the cost model's figure at its last run

    static constexpr double kRefreshMs = 1000;

private:
    void refresh(double nowMs);
    double cheapCommittedUsd() const;

    EngineBudget m_budget;
    std::vector<RequestRecord> m_finished;
    std::vector<WorkerSample> m_samples;
    double m_spentUsd = 0; // the cost model over m_finished at m_modelAtMs
    double m_modelAtMs = -1e18;
    std::size_t m_modelled = 0; // finished records the model has seen
    std::int64_t m_open = 0; // admitted jobs whose records are not complete
};

} // namespace t2i
