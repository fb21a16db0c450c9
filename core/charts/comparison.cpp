// SPDX-License-Identifier: Apache-2.0
#include "comparison.h"

#include "charts/distributions.h"
#include "charts/gpucharts.h"
#include "charts/runcharts.h"
#include "charts/significance.h"
#include "charts/timecharts.h"
#include "cost/runcostfor.h"
#include "store/store.h"

#include <algorithm>
#include <future>
#include <thread>

namespace t2i::charts {
namespace {

// Runs `work(i)` for i in [0, count) on up to the machine's cores, in the calling thread's
// order of results; rethrows the first failure.
template <typename Work> void forEachParallel(std::size_t count, Work work)
{
    const std::size_t width
        = std::max<std::size_t>(1, std::min<std::size_t>(count, std::thread::hardware_concurrency()));
    for (std::size_t start = 0; start < count; start += width) {
        std::vector<std::future<void>> running;
        for (std::size_t i = start; i < std::min(count, start + width); ++i)
            running.push_back(std::async(std::launch::async, [&work, i] { work(i); }));
        for (auto& f : running)
            f.get();
    }
}

void digestOne(const RunInput& input, RunDigest& digest, RunChartData& out)
{
    digest = digestRun(input.columns);
    out.info = input.info;
    out.summary = digest.summary;
    for (const Population p : kPopulations) {
        out.ecdf[index(p)] = ecdf(digest.latency[index(p)]);
        out.box[index(p)] = boxStats(digest.latency[index(p)]);
    }
    out.stages = stageStack(input.columns);
    out.timeline = timeline(input.columns);
    out.time = timeSeries(input.columns, input.samples);
    out.gpus = gpuCurves(input.gpuSamples);
    out.cost.why = "the cost is being computed";
}

// costOfRun reads RequestRecords: rebuild them from the columns, then let the columns go.
CostStack costOf(RunInput& input)
{
    if (!input.cost) {
        if (!input.columns.costColumns && !input.dbPath.empty())
            Store::open(input.dbPath)->addCostColumns(input.info.id, input.columns);
        std::vector<RequestRecord> records;
        records.reserve(input.columns.size());
        for (std::size_t i = 0; i < input.columns.size(); ++i)
            records.push_back(input.columns.record(i));
        input.columns = RunColumns {};
        std::string why;
        try {
            input.cost = costOfRun(input.info, records, input.samples, &why);
        } catch (const std::exception& e) { // the shipped catalog could not be read
            why = e.what();
        }
        if (!input.cost)
            input.costWhy = why.empty() ? "no price known for this run" : why;
    }
    input.columns = RunColumns {};
    input.samples.clear();
    if (input.cost)
        return costStack(*input.cost);
    CostStack none;
    none.why = input.costWhy.empty() ? "no price known for this run" : input.costWhy;
    return none;
}

Difference costRow(const RunChartData& base, const RunChartData& run)
{
    return untestedDifference("cost (USD per 1,000 images)", "cost_per_1000_usd", "model estimate, no sampling error",
        base.cost.total, run.cost.total);
}

} // namespace

std::vector<Difference> compareRuns(
    const RunDigest& base, const RunDigest& run, const RunChartData& baseData, const RunChartData& runData)
{
    std::vector<Difference> rows = compareSamples(sampleOf(base), sampleOf(run));
    if (baseData.cost.available && runData.cost.available)
        rows.push_back(costRow(baseData, runData));
    return rows;
}

ComparisonData computeCharts(std::vector<RunInput>& inputs, const Progress& progress)
{
    ComparisonData data;
    const std::size_t count = inputs.size();
    data.runs.resize(count);
    std::vector<RunDigest> digests(count);
    if (progress.stop())
        throw Cancelled();
    forEachParallel(count, [&](std::size_t i) { digestOne(inputs[i], digests[i], data.runs[i]); });
    progress(60);
    if (progress.stop())
        throw Cancelled();

    std::vector<RunInfo> infos;
    for (const RunChartData& run : data.runs)
        infos.push_back(run.info);
    const std::vector<std::string> labels = uniqueRunLabels(infos);
    const std::vector<std::string> legends = legendLabels(infos);
    for (std::size_t i = 0; i < count; ++i) {
        data.runs[i].label = labels[i];
        data.runs[i].legend = legends[i];
    }

    for (const bool logScale : { false, true }) {
        for (const Population p : kPopulations) {
            std::vector<std::span<const double>> samples;
            for (const RunDigest& d : digests)
                samples.emplace_back(d.latency[index(p)]);
            HistogramBins& bins = data.bins[logScale ? 1 : 0][index(p)];
            bins = chooseBins(samples, logScale);
            for (std::size_t i = 0; i < count; ++i)
                data.runs[i].histogram[logScale ? 1 : 0][index(p)] = histogram(digests[i].latency[index(p)], bins);
        }
    }
    progress(70);

    std::vector<const RunSummary*> summaries;
    for (const RunChartData& run : data.runs)
        summaries.push_back(&run.summary);
    data.scalingUnit = dominantLoadUnit(summaries);
    for (RunChartData& run : data.runs)
        run.scaling = scalingCurve(run.summary, data.scalingUnit);
    if (progress.stop())
        throw Cancelled();

    data.significance.resize(count > 0 ? count - 1 : 0);
    forEachParallel(data.significance.size(), [&](std::size_t i) {
        data.significance[i].run = i + 1;
        data.significance[i].differences = compareRuns(digests[0], digests[i + 1], data.runs[0], data.runs[i + 1]);
    });
    progress(80);
    return data;
}

void addCosts(ComparisonData& data, std::vector<RunInput>& inputs, const Progress& progress)
{
    for (std::size_t i = 0; i < inputs.size() && i < data.runs.size(); ++i) {
        if (progress.stop())
            throw Cancelled();
        data.runs[i].cost = costOf(inputs[i]);
        progress(80 + static_cast<int>(20 * (i + 1) / inputs.size()));
    }
    data.paretoFront = paretoFront(data.runs);
    if (!data.runs.empty())
        for (RunComparisonRow& row : data.significance)
            if (data.runs[0].cost.available && data.runs[row.run].cost.available)
                row.differences.push_back(costRow(data.runs[0], data.runs[row.run]));
    data.costsComputed = true;
    progress(100);
}

ComparisonData computeComparison(std::vector<RunInput> inputs, const Progress& progress)
{
    ComparisonData data = computeCharts(inputs, progress);
    addCosts(data, inputs, progress);
    return data;
}

namespace {

const std::string kSeparator = " \u00b7 ";

std::vector<std::string> nameParts(const RunInfo& info)
{
    std::vector<std::string> parts;
    std::size_t from = 0;
    for (std::size_t slash; (slash = info.name.find('/', from)) != std::string::npos; from = slash + 1)
        parts.push_back(info.name.substr(from, slash - from));
    parts.push_back(info.name.substr(from));
    return parts;
}

std::string join(const std::vector<std::string>& parts)
{
    std::string out;
    for (const std::string& p : parts)
        out += (out.empty() ? "" : kSeparator) + p;
    return out;
}

// Ids read "r<date>-<time>-<suffix>": the time and suffix tell same-day runs apart.
std::string idTail(const std::string& id)
{
    const std::size_t dash = id.find('-');
    return dash != std::string::npos && dash + 1 < id.size() ? id.substr(dash + 1) : id;
}

std::vector<std::string> disambiguated(std::vector<std::string> labels, std::span<const RunInfo> runs)
{
    const std::vector<std::string> plain = labels;
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (std::count(plain.begin(), plain.end(), plain[i]) > 1)
            labels[i] = plain[i] + " (" + idTail(runs[i].id) + ")";
    return labels;
}

} // namespace

std::string runLabel(const RunInfo& info)
{
    const std::vector<std::string> parts = nameParts(info);
    const std::string& sep = kSeparator;
    if (parts.size() == 3 && !parts[0].empty())
        return join(parts);
    std::string label = info.name.empty() ? info.id : info.name;
    if (!info.providerId.empty() && info.name.find(info.providerId) == std::string::npos)
        label += sep + info.providerId;
    if (!info.variantId.empty() && info.name.find(info.variantId) == std::string::npos)
        label += sep + info.variantId;
    return label;
}

std::vector<std::string> uniqueRunLabels(std::span<const RunInfo> runs)
{
    std::vector<std::string> labels;
    for (const RunInfo& run : runs)
        labels.push_back(runLabel(run));
    return disambiguated(std::move(labels), runs);
}

std::vector<std::string> legendLabels(std::span<const RunInfo> runs)
{
    std::vector<std::vector<std::string>> parts;
    bool structured = true;
    for (const RunInfo& run : runs) {
        parts.push_back(nameParts(run));
        structured = structured && parts.back().size() == 3;
    }
    std::vector<std::string> labels;
    if (!structured || runs.empty()) {
        for (const RunInfo& run : runs)
            labels.push_back(runLabel(run));
        return disambiguated(std::move(labels), runs);
    }
    std::vector<bool> differs(3, runs.size() == 1);
    if (runs.size() == 1)
        differs[0] = false; // one run: its provider and variant say enough
    for (std::size_t k = 0; k < 3 && runs.size() > 1; ++k)
        differs[k] = std::any_of(parts.begin(), parts.end(), [&](const auto& p) { return p[k] != parts.front()[k]; });
    if (std::none_of(differs.begin(), differs.end(), [](bool d) { return d; }))
        differs[1] = differs[2] = true; // the same configuration run again: the id's tail tells them apart
    for (const auto& p : parts) {
        std::vector<std::string> kept;
        for (std::size_t k = 0; k < 3; ++k)
            if (differs[k])
                kept.push_back(p[k]);
        labels.push_back(join(kept));
    }
    return disambiguated(std::move(labels), runs);
}

} // namespace t2i::charts
