// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cost/runcost.h"
#include "model/requestrecord.h"
#include "model/run.h"
#include "stats/summary.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace t2i {

// A run with its summary: what `show`, `compare` and later the dashboard present.
struct RunReport {
    RunInfo run;
    RunSummary summary;
    LatencySamples latencies; // what summary was computed from: the comparison's tests resample them
    std::optional<CostBreakdown> cost; // costOfRun (core/cost/runcostfor.h); nullopt: see costError
    std::string costError; // why the run has no cost (no price for its provider, a bad pricing)
};

// The summary and the cost. The cost needs the platform's worker samples to see every worker
// it paid for; without them (the first form) workers that never got a job are not counted.
RunReport makeReport(const RunInfo& run, std::span<const RequestRecord> records);
RunReport makeReport(const RunInfo& run, std::span<const RequestRecord> records, std::span<const WorkerSample> samples);

// `show --json`'s cost keys: "cost_usd" {total, per_image, per_1000, compute, cold_start, idle,
// keep_warm, egress, failed} (null without a price), "price_date" and a "cost" object with the
// price label, method, marginal warm cost, workers and what the platform reported.
void addCostJson(nlohmann::json& show, const RunReport& report);
// The cost lines of `show`: the breakdown, the price and its date, and what the platform reported.
void printCostSection(std::ostream& out, const RunReport& report);
std::string usd(double value); // "$0.000760", "$1.2345", "$1080.40"

// `show --json` (docs/cli.md): id, name, status, provider, variant, requests, ok, errors,
// error_rate, throughput_ips, latency_ms, latency_ci95_ms, cold_starts, cold_latency_ms,
// warm_latency_ms, and more detail beside them.
nlohmann::json showJson(const RunReport& report);
// `compare --json`: {"runs": [...], "differences": [...]}, each run against the first, every
// metric with its test and verdict from charts::compareSamples: the dashboard's rule, one function.
nlohmann::json compareJson(std::span<const RunReport> reports);

// The poll interval the run asked for (its provider's poll_interval_ms, else the workload's).
std::optional<double> pollIntervalMsOf(const RunInfo& run);
// Warnings in words about how far the run's latencies can be trusted: detection lag beyond the
// poll interval, throttled polls. Empty when there is nothing to say.
std::vector<std::string> measurementNotes(const RunInfo& run, const RunSummary& summary);

void printShow(std::ostream& out, const RunReport& report);
void printCompare(std::ostream& out, std::span<const RunReport> reports);
void printRuns(std::ostream& out, std::span<const RunInfo> runs);

// `export`: one row per request, every recorded field; unknown values are empty (CSV) or null (JSON).
const std::vector<std::string>& exportColumns();
void writeCsv(std::ostream& out, std::span<const RequestRecord> records);
void writeJson(std::ostream& out, std::span<const RequestRecord> records);

} // namespace t2i
