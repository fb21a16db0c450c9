// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartdata.h"
#include "model/run.h"
#include "model/runcolumns.h"

#include <span>

namespace t2i::charts {

// The requests of a run as stage segments, one row per request in intended-send order. A run
// of more than maxRequests measured requests shows maxRequests of them sampled evenly by time:
// for maxRequests evenly spaced instants, the first request intended at or after each.
Timeline timeline(const RunColumns& columns, std::size_t maxRequests = kMaxTimelineRequests);

// In flight (client view), the platform's worker and queue counters, errors and throughput over
// the run, in seconds since its start, each bounded (docs/dashboard.md).
TimeSeries timeSeries(const RunColumns& columns, std::span<const WorkerSample> samples,
    std::size_t maxPoints = kMaxTimePoints, std::size_t buckets = kTimeBuckets);

// A step function given as (t, value) changes, reduced to at most maxPoints points by keeping
// each bucket's maximum (the peaks a reader looks for). Exact when it already fits.
std::vector<XY> thinStepMax(std::span<const XY> steps, double endS, std::size_t maxPoints);

} // namespace t2i::charts
