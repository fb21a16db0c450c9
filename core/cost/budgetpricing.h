// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/requestrecord.h"
#include "model/run.h"

#include <functional>
#include <optional>
#include <span>
#include <string>

namespace t2i {

// What a run's budget is kept with (docs/cost.md, "Budget"): the most one job can cost, committed
// when it is submitted, and what the jobs that finished cost by the cost model, which replaces
// their commitments. The runner hands both to the engine; the engine never prices anything.
struct BudgetPricing {
    // The pricing's worst case for one job: per image, megapixel, step or credit exactly what it
    // asks for; a time price x the request's timeout (boot and queue included: the most a job can
    // be billed), plus the idle tail T a serverless worker bills after it; rounded up as billed.
    double jobWorstCaseUsd = 0;
    std::string worstCaseBasis; // in words: "request timeout 5 s + idle tail 0.5 s, billed 6 s x $0.001/s"
    // The cost model over the finished jobs' records and the worker samples so far, for a run
    // nowMs long (keep-warm and instance time accrue with it): computeRunCost's total.
    std::function<double(std::span<const RequestRecord> finished, std::span<const WorkerSample> samples, double nowMs)>
        spentUsd;
};

// The budget pricing of a run from its stored configuration (its price as billingOfRun resolves
// it, the shipped catalog), for requests of timeoutMs. nullopt, with *error saying why, when the
// run has no price: a budget then cannot be kept.
std::optional<BudgetPricing> budgetPricingOf(const RunInfo& run, double timeoutMs, std::string* error);

} // namespace t2i
