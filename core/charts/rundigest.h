// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartdata.h"
#include "charts/significance.h"
#include "model/runcolumns.h"
#include "stats/summary.h"

#include <vector>

namespace t2i::charts {

// A run's summary and its sorted latency samples, computed once from its columns and shared
// by every chart and test of a comparison.
struct RunDigest {
    RunSummary summary; // equal, field for field, to summarize() over the same records
    std::vector<double> latency[3]; // successful measured requests, ascending, by Population
};

// summarize() (core/stats) over columns instead of RequestRecords: the same definitions (what
// is measured, the throughput windows, cold probes left out, nearest-rank percentiles and the
// exact bootstrap intervals from core/stats), so `show` and the dashboard agree to the digit.
// tst_chartdata checks the two against each other.
RunDigest digestRun(const RunColumns& columns);

// What the comparison's tests (compareSamples, charts/significance.h) read of a digest; it
// refers to the digest, which must outlive it.
RunSample sampleOf(const RunDigest& digest);

} // namespace t2i::charts
