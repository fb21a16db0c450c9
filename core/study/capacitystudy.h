// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "study/studytypes.h"

#include <map>
#include <optional>

namespace t2i {

// capacity: the largest offered rate (open loop) whose p95 meets an SLA and whose error rate
// stays under a limit, found by a geometric ramp and a bisection, with a bracket (docs/studies.md).
StudyType capacityStudyType();

// What one rate level showed, from its measured window.
struct CapacityLevel {
    double rate = 0; // offered, requests/s
    double achieved = 0; // successful requests per second over the window
    int requests = 0, failed = 0;
    std::optional<double> p50Ms, p95Ms, p95LowMs, p95HighMs; // latency of the successful requests, with p95's CI
    std::map<std::string, int> errorsByClass;
    bool queueGrows = false; // requests in flight kept growing through the window: over-saturated
    bool pass = false;
    std::string reason; // why it failed, in words ("p95 3.2 s over 2.0 s", "errors 12% (oom 10)")
    double errorRate() const { return requests > 0 ? double(failed) / requests : 0; }
};

// One level's verdict, from the measured requests (step 1 of the level's run: step 0 is its warm
// phase, discarded) against the SLA.
CapacityLevel analyzeCapacityLevel(
    const std::vector<RequestRecord>& records, double rate, double slaP95Ms, double maxErrorRate);

// Whether the requests in flight (of `records`, the warm phase's included: they are in flight when
// the window opens) only grow through [fromMs, toMs]: the mean in flight over its last third is
// well above that over its first third (a queue that a stable system would drain).
bool inFlightGrows(const std::vector<RequestRecord>& records, double fromMs, double toMs);

// The search over rates: a geometric ramp (x2 from the start, /2 when the start fails) until a
// passing and a failing level bracket the knee, then bisection until the bracket is within
// `precision` of the passing rate, or `maxLevels` levels were run.
class CapacitySearch {
public:
    CapacitySearch(double startRate, double maxRate, double precision, int maxLevels);
    std::optional<double> next() const; // the next rate to try; nullopt: done
    void record(double rate, bool pass);
    std::optional<double> highestPass() const { return m_pass; }
    std::optional<double> lowestFail() const { return m_fail; }

private:
    double m_start, m_max, m_precision;
    int m_maxLevels, m_levels = 0;
    std::optional<double> m_pass, m_fail;
};

// The study's answer from the levels run (in any order).
StudyResult summarizeCapacity(std::vector<CapacityLevel> levels, double slaP95Ms, double maxErrorRate);

} // namespace t2i
