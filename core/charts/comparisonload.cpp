// SPDX-License-Identifier: Apache-2.0
#include "comparisonload.h"

#include "store/store.h"

#include <algorithm>
#include <future>
#include <stdexcept>
#include <thread>

namespace t2i::charts {
namespace {

// Loads rows [from, to) of a run on a connection of its own: a Store is used from one thread.
RunColumns loadSlice(const std::string& dbPath, const std::string& runId, std::int64_t from, std::int64_t to)
{
    return Store::open(dbPath)->runColumns(runId, false, from, to);
}

// The run's chart columns in `slices` parallel slices of its seq range (sqlite reads one row
// format, about a microsecond a row, so cores are what make a big run load fast), then its
// worker and GPU samples. The cost model's columns wait for addCosts.
RunInput loadOne(const std::string& dbPath, const RunInfo& info, std::size_t slices)
{
    RunInput input;
    input.info = info;
    input.dbPath = dbPath;
    std::pair<std::int64_t, std::int64_t> range;
    {
        const auto store = Store::open(dbPath);
        range = store->seqRange(info.id);
        input.samples = store->workerSamples(info.id);
        input.gpuSamples = store->gpuSamples(info.id);
    }
    const std::int64_t rows = range.second - range.first + 1;
    if (rows <= 0)
        return input;
    slices = std::clamp<std::size_t>(slices, 1, static_cast<std::size_t>(std::max<std::int64_t>(1, rows / 50'000)));
    std::vector<std::future<RunColumns>> reading;
    for (std::size_t k = 0; k < slices; ++k) {
        const std::int64_t from = range.first + rows * static_cast<std::int64_t>(k) / static_cast<std::int64_t>(slices);
        const std::int64_t to
            = range.first + rows * static_cast<std::int64_t>(k + 1) / static_cast<std::int64_t>(slices);
        reading.push_back(std::async(std::launch::async, loadSlice, dbPath, info.id, from, to));
    }
    for (auto& slice : reading)
        input.columns.append(slice.get());
    return input;
}

} // namespace

std::vector<RunInput> loadRuns(
    const std::string& dbPath, const std::vector<std::string>& runIds, const Progress& progress)
{
    std::vector<RunInfo> infos;
    {
        const auto store = Store::open(dbPath);
        for (const std::string& id : runIds) {
            const auto run = store->findRun(id);
            if (!run)
                throw std::invalid_argument(
                    "no run \"" + id + "\" in " + dbPath + " (or the prefix matches more than one run)");
            infos.push_back(*run);
        }
    }
    progress(5);
    std::vector<RunInput> inputs(infos.size());
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t width = std::max<std::size_t>(1, std::min<std::size_t>(infos.size(), cores));
    const std::size_t slices = std::max<std::size_t>(1, cores / width); // spare cores split each run
    std::size_t done = 0;
    for (std::size_t start = 0; start < infos.size(); start += width) {
        if (progress.stop())
            throw Cancelled();
        std::vector<std::future<RunInput>> loading;
        for (std::size_t i = start; i < std::min(infos.size(), start + width); ++i)
            loading.push_back(std::async(std::launch::async, loadOne, dbPath, infos[i], slices));
        for (std::size_t i = 0; i < loading.size(); ++i) {
            inputs[start + i] = loading[i].get();
            progress(5 + static_cast<int>(35 * ++done / infos.size()));
        }
    }
    return inputs;
}

ComparisonData loadComparison(const std::string& dbPath, const std::vector<std::string>& runIds,
    const Progress& progress, const std::function<void(const ComparisonData&)>& chartsReady)
{
    std::vector<RunInput> inputs = loadRuns(dbPath, runIds, progress);
    if (progress.stop())
        throw Cancelled();
    Progress computing = progress;
    computing.report = [&progress](int percent) { progress(40 + percent * 6 / 10); };
    ComparisonData data = computeCharts(inputs, computing);
    if (chartsReady)
        chartsReady(data);
    addCosts(data, inputs, computing);
    return data;
}

} // namespace t2i::charts
