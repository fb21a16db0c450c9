// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cost/pricingcatalog.h"
#include "cost/projection.h"
#include "cost/runcost.h"
#include "model/requestrecord.h"
#include "model/run.h"

#include <optional>
#include <span>
#include <string>

namespace t2i {

// How a stored run is billed: the price and what the platform does that the records alone
// cannot say, each resolved from the run's stored provider configuration.
struct RunBilling {
    Price price;
    CostOptions options;
    std::string
        billingSource; // where idle timeout and keep-warm came from: "emulator profile steady", "config", "default"
};

// The price and billing parameters of a run, from its stored provider configuration:
//   - provider "pricing" ({"ref": ...} or an inline price, docs/cost.md) against the catalog;
//     "idle_timeout_s", "min_workers", "boot_billed", "billing" beside it override the billing
//     defaults (what a time price pays for: workers or instances, by provider type);
//   - an "emulated" provider without "pricing" is priced from its emulator profile
//     (price_per_s, workers.idle_timeout_ms, workers.min, time_scale), as its ledger bills;
//   - otherwise the catalog's default entry for the provider type, if there is one.
// nullopt (and *error says why) when no price can be found or the pricing is bad.
std::optional<RunBilling> billingOfRun(const RunInfo& run, const PricingCatalog& catalog, std::string* error);

// THE cost of a stored run: what show, compare, cost and the dashboard all call. Resolves the
// price from the run's stored provider configuration with the shipped catalog (loaded once)
// and computes the breakdown (computeRunCost). nullopt, with *error saying why, when the run
// has no price (e.g. a provider type with no catalog entry and no "pricing").
std::optional<CostBreakdown> costOfRun(const RunInfo& run, std::span<const RequestRecord> records,
    std::span<const WorkerSample> samples, std::string* error);
// The same with a given catalog (tests, a user's own catalog file).
std::optional<CostBreakdown> costOfRun(const RunInfo& run, std::span<const RequestRecord> records,
    std::span<const WorkerSample> samples, const PricingCatalog& catalog, std::string* error);

// What a monthly projection needs from a measured run: its warm service times, its boot times
// (reconstructed worker boots) and its billing. The caller sets volume, shape, p95 target and
// the dedicated alternative (dedicatedFor).
ProjectionInput projectionInputOf(
    const RunBilling& billing, std::span<const RequestRecord> records, std::span<const WorkerSample> samples);

// The dedicated alternative: an instance of the given hourly price, as fast as the measured
// worker, serving one job at a time; its throughput is the highest rate at which the
// estimated p95 (the service p95 plus an M/M/1 queueing wait's p95) stays within p95TargetMs
// (utilisation 0.8 when no target is given). Sets dedicatedHourlyUsd and dedicatedImagesPerSecond.
void dedicatedFor(ProjectionInput& input, double hourlyUsd, double imagesPerRequest);

// The dedicated price a projection compares against: the provider's "pricing": {"dedicated":
// {"ref": ...} | {"per_hour": ...}}, else the catalog's lambda.1x-A100-40GB.
std::optional<Price> dedicatedPriceOf(const RunInfo& run, const PricingCatalog& catalog, std::string* error);

// The shipped catalog, loaded once (thread-safe); throws PricingError when it cannot be read.
const PricingCatalog& defaultCatalog();

} // namespace t2i
