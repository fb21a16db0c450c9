// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a run will take before it is launched (docs/dashboard.md, "Launch"): how many requests
// the workload sends, how long it lasts and what it costs, each figure with the assumptions it
// rests on in words. An estimate, not a measurement: closed-loop steps of a set duration send as
// many requests as the assumed latency allows, and the cost counts busy time only.

#include "config/config.h"
#include "cost/price.h"
#include "cost/runcost.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace t2i {

// The latency a request is assumed to take, and where that figure came from.
struct LatencyAssumption {
    double ms = 0;
    std::string source; // "emulator profile steady: 100 ms + 13 ms per megapixel-step x fp16 factor 1"
};

// A stated guess where nothing better is known: an A100-class GPU running SDXL, about 140 ms per
// megapixel-step (a 1024x1024 image, 30 steps: about 4.4 s) plus 300 ms of overhead, per image.
LatencyAssumption guessedLatency(const VariantConfig& variant);
// An emulator profile's service time for the variant (its "service" section, scaled by its
// time_scale or the provider's): what the emulated platform takes once a worker is warm.
// nullopt when the profile has no service section.
std::optional<LatencyAssumption> profileLatency(
    const nlohmann::json& profile, const std::string& profileName, const VariantConfig& variant, double timeScale);

// Requests and duration of a workload at an assumed latency, with a line per step saying how.
struct WorkloadEstimate {
    double requests = 0;
    double durationS = 0;
    std::vector<std::string> steps; // "closed 1,2,4,8 x 10 s: about 96 requests (concurrency / 0.4 s per request)"
};
WorkloadEstimate estimateWorkload(const WorkloadConfig& workload, double latencyMs);

// The cost of sending `requests` requests of the variant, each taking latencyMs, over a run of
// durationS: a time price bills the busy time (workers) or the whole run (instances), an output
// price counts images, megapixels or steps. nullopt for a price this cannot estimate.
struct CostEstimate {
    double usd = 0;
    std::string how; // "per second $0.00076 (catalog:runpod.flex.A100-80GB, read 2026-04-27) x 40 s busy"
};
std::optional<CostEstimate> estimateCost(const Price& price, const CostOptions& options, const VariantConfig& variant,
    double requests, double durationS, double latencyMs);

// One provider x variant pair of a launch.
struct PairEstimate {
    std::string providerId;
    std::string variantId;
    LatencyAssumption latency;
    WorkloadEstimate workload;
    std::optional<CostEstimate> cost; // nullopt: no price known (costNote says why)
    std::string costNote;
};

// A pair's estimate, from its latency and its billing (nullopt billing: costNote says why).
struct PairBilling {
    std::optional<Price> price;
    CostOptions options;
    std::string error; // why there is no price
};
PairEstimate estimatePair(const std::string& providerId, const VariantConfig& variant, const WorkloadConfig& workload,
    const LatencyAssumption& latency, const PairBilling& billing);

// The billing of a provider as a run of it would be billed (billingOfRun on the provider's
// configuration object): its "pricing", its emulator profile or the catalog's default entry.
PairBilling billingOfProvider(const nlohmann::json& provider, const VariantConfig& variant,
    const std::string& configPath, const class PricingCatalog& catalog);

// Totals over the pairs: runs go one after another, so durations add up. costUsd is nullopt when
// any pair has no price (the total would be too low); knownCostUsd sums the pairs that have one.
struct LaunchTotals {
    double requests = 0;
    double durationS = 0;
    std::optional<double> costUsd;
    double knownCostUsd = 0;
    int unpricedPairs = 0;
};
LaunchTotals totalsOf(const std::vector<PairEstimate>& pairs);

} // namespace t2i
