// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartdata.h"

#include <string>

namespace t2i::charts {

// Every chart of the compare view and the report.
enum class ChartKind {
    Histogram,
    Ecdf,
    BoxPlot,
    Stages,
    ScalingThroughput,
    ScalingP95,
    CostStack,
    CostVsP95,
    Timeline,
    InFlight,
    Workers,
    Errors,
    Throughput,
    Summary, // the significance table
    GpuUtilization, // a local server's GPUs, from nvidia-smi: only runs that have samples
    GpuMemory,
};

const char* chartSlug(ChartKind kind); // "latency-histogram", for file names

// The exact data behind a chart, as CSV with a header row (RFC 4180 quoting), one row per
// plotted value: what was drawn, not a recomputation. Times in ms or s as the column says.
std::string chartCsv(
    const ComparisonData& data, ChartKind kind, Population population = Population::All, bool logScale = true);

std::string csvField(const std::string& text); // quoted when it holds a comma, quote or newline

} // namespace t2i::charts
