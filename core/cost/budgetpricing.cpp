// SPDX-License-Identifier: Apache-2.0
#include "cost/budgetpricing.h"

#include "cost/billing.h"
#include "cost/runcostfor.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace t2i {
namespace {

std::string number(double value)
{
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

} // namespace

std::optional<BudgetPricing> budgetPricingOf(const RunInfo& run, double timeoutMs, std::string* error)
{
    std::optional<RunBilling> billing;
    try {
        billing = billingOfRun(run, defaultCatalog(), error);
    } catch (const PricingError& e) {
        if (error)
            *error = e.what();
        return std::nullopt;
    }
    if (!billing)
        return std::nullopt;
    const nlohmann::json config = nlohmann::json::parse(run.configJson, nullptr, false);
    const int images = config.is_object() && config.contains("variant") && config["variant"].is_object()
        ? config["variant"].value("images", 1)
        : 1;
    BudgetPricing out;
    const Price& price = billing->price;
    if (isTimeUnit(price.unit)) {
        // A job bills at most its timeout (its boot, queue and execution all fall inside it); a
        // serverless worker then idles T before it stops, billed too: that tail is part of the
        // worst case, so the cap holds with the tails of the workers the last jobs woke.
        const bool workers = billing->options.timeBilling == TimeBilling::Workers;
        const double tailMs = workers ? billing->options.idleTimeoutS * 1000.0 : 0;
        const double billedS = billedSeconds(timeoutMs + tailMs, price.billingIncrementS, price.minimumS);
        out.jobWorstCaseUsd = billedS * price.perSecondUsd();
        out.worstCaseBasis = "request timeout " + number(timeoutMs / 1000.0) + " s"
            + (workers ? " + idle tail " + number(tailMs / 1000.0) + " s" : std::string()) + ", billed "
            + number(billedS) + " s x $" + number(price.perSecondUsd()) + "/s";
    } else {
        out.jobWorstCaseUsd
            = outputCost(price, images, billing->options.width, billing->options.height, billing->options.steps);
        out.worstCaseBasis = std::to_string(images) + " image(s) " + std::string(toString(price.unit)) + " at $"
            + number(price.amountUsd);
    }
    out.spentUsd = [price, options = billing->options](
                       std::span<const RequestRecord> finished, std::span<const WorkerSample> samples, double nowMs) {
        CostOptions at = options;
        at.runDurationS = nowMs / 1000.0;
        return computeRunCost(finished, samples, price, at).total;
    };
    return out;
}

} // namespace t2i
