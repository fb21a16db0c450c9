// SPDX-License-Identifier: Apache-2.0
#pragma once

// The limits a configuration sets on each of its runs, as BenchmarkRunner applies them: the
// budget (docs/cost.md, "Budget") and the thresholds (docs/configuration.md, "thresholds").

#include "config/config.h"
#include "engine/runengine.h"
#include "model/run.h"
#include "report/thresholds.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace t2i {

class Store;

// What a run stores as its configuration (runs.config_json): the provider, variant, prompts and
// workload it ran with, and the budget and thresholds that applied to it.
nlohmann::json runConfigJson(const RunConfig& config, const ProviderConfig& provider, const VariantConfig& variant);

// Preflight: a budget, or a cost threshold, for a provider the cost model cannot price.
std::vector<std::string> limitProblems(
    const RunConfig& config, const ProviderConfig& provider, const std::string& where);

// The engine's budget for a run about to start (run.config_json and environment_json already
// set): the config's cap, priced by core/cost. Records the cap and the worst case per job in
// environment["budget"]. A config without a budget gets an empty one (capUsd 0); nullopt, with
// *error, when the run cannot be priced.
std::optional<EngineBudget> engineBudgetFor(
    const RunConfig& config, const RunInfo& run, double timeoutMs, nlohmann::json& environment, std::string* error);

// Judges a finished run (its records and samples as the store has them, run.durationMs set)
// against the config's thresholds; empty when there are none.
std::vector<ThresholdVerdict> judgeRun(const Thresholds& thresholds, const Store& store, const RunInfo& run);

} // namespace t2i
