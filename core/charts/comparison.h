// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartdata.h"
#include "charts/rundigest.h"
#include "cost/runcost.h"
#include "model/run.h"
#include "model/runcolumns.h"

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace t2i::charts {

// One run as loaded for a comparison.
struct RunInput {
    RunInfo info;
    std::string dbPath; // where the cost model's columns are read from when columns lacks them
    RunColumns columns;
    std::vector<WorkerSample> samples;
    std::vector<GpuSample> gpuSamples; // a local server's nvidia-smi samples; none elsewhere
    std::optional<CostBreakdown> cost; // std::nullopt: no price known (costWhy says why)
    std::string costWhy;
};

// Reports 0..100 and asks whether to stop; both may be empty. Called from the calling thread.
struct Progress {
    std::function<void(int percent)> report;
    std::function<bool()> cancelled;
    void operator()(int percent) const
    {
        if (report)
            report(percent);
    }
    bool stop() const { return cancelled && cancelled(); }
};

class Cancelled : public std::exception {
public:
    const char* what() const noexcept override { return "cancelled"; }
};

// Every chart's data but the costs, the first run the baseline. Runs are digested in
// parallel (one thread each, up to the machine's cores); the inputs' columns are left in place
// for addCosts. Throws Cancelled when progress.stop() turns true between steps.
ComparisonData computeCharts(std::vector<RunInput>& inputs, const Progress& progress = {});
// The costs (costOfRun, core/cost), one run at a time: the cost model takes RequestRecords,
// which are rebuilt from a run's columns (about 500 bytes a request while it runs), and each
// run's columns are released as soon as its records exist, so memory holds one run's records
// and the other runs' columns at most. Fills the cost stacks, the Pareto front and the cost
// rows of the significance table; sets costsComputed. An input that already carries a cost
// (tests) keeps it.
void addCosts(ComparisonData& data, std::vector<RunInput>& inputs, const Progress& progress = {});
// computeCharts, then addCosts.
ComparisonData computeComparison(std::vector<RunInput> inputs, const Progress& progress = {});

// The significance table's rows for `run` against `base` (docs/statistics.md, "Comparing runs").
std::vector<Difference> compareRuns(
    const RunDigest& base, const RunDigest& run, const RunChartData& baseData, const RunChartData& runData);

// "config · provider · variant" from the run's name ("<config>/<provider>/<variant>").
std::string runLabel(const RunInfo& info);
// Labels for the runs, made unique by the run id's tail where two would read the same.
std::vector<std::string> uniqueRunLabels(std::span<const RunInfo> runs);
// Legend names: of "config · provider · variant", only the parts that differ between the runs
// ("steady", "fast-scaling" for two providers of one configuration), made unique the same way.
// One run keeps "provider · variant".
std::vector<std::string> legendLabels(std::span<const RunInfo> runs);

} // namespace t2i::charts
