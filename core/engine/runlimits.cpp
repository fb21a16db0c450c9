// SPDX-License-Identifier: Apache-2.0
#include "engine/runlimits.h"

#include "cost/budgetpricing.h"
#include "cost/runcostfor.h"
#include "store/store.h"

namespace t2i {

using nlohmann::json;

json runConfigJson(const RunConfig& config, const ProviderConfig& provider, const VariantConfig& variant)
{
    json out = { { "provider", toJson(provider) }, { "variant", toJson(variant) },
        { "prompts", toJson(config.prompts) }, { "workload", toJson(config.workload) } };
    if (config.budgetUsd)
        out["budget_usd"] = *config.budgetUsd;
    if (!config.thresholds.empty())
        out["thresholds"] = toJson(config.thresholds);
    return out;
}

std::vector<std::string> limitProblems(
    const RunConfig& config, const ProviderConfig& provider, const std::string& where)
{
    std::vector<std::string> problems;
    const bool costThreshold = config.thresholds.costPer1000Usd.has_value();
    if ((!config.budgetUsd && !costThreshold) || config.variants.empty())
        return problems;
    // Whether there is a price depends on the provider alone; the variant only sizes it.
    RunInfo run;
    run.providerId = provider.id;
    run.providerType = provider.type;
    run.configJson = runConfigJson(config, provider, config.variants.front()).dump();
    run.environmentJson = json { { "config_file", config.path } }.dump();
    std::string error;
    try {
        if (config.budgetUsd && !budgetPricingOf(run, 1000, &error))
            problems.push_back(where + ": budget_usd needs a price: " + error);
        else if (costThreshold && !billingOfRun(run, defaultCatalog(), &error))
            problems.push_back(where + ": thresholds.cost_per_1000_usd needs a price: " + error);
    } catch (const PricingError& e) { // the shipped catalog cannot be read
        problems.push_back(where + ": " + e.what());
    }
    return problems;
}

std::optional<EngineBudget> engineBudgetFor(
    const RunConfig& config, const RunInfo& run, double timeoutMs, json& environment, std::string* error)
{
    EngineBudget budget;
    if (!config.budgetUsd)
        return budget;
    std::string why;
    const auto pricing = budgetPricingOf(run, timeoutMs, &why);
    if (!pricing) {
        *error = "budget_usd needs a price: " + why;
        return std::nullopt;
    }
    budget.capUsd = *config.budgetUsd;
    budget.jobWorstCaseUsd = pricing->jobWorstCaseUsd;
    budget.spentUsd = pricing->spentUsd;
    environment["budget"] = { { "cap_usd", budget.capUsd }, { "job_worst_case_usd", budget.jobWorstCaseUsd },
        { "worst_case_basis", pricing->worstCaseBasis } };
    return budget;
}

std::vector<ThresholdVerdict> judgeRun(const Thresholds& thresholds, const Store& store, const RunInfo& run)
{
    if (thresholds.empty())
        return {};
    const auto records = store.records(run.id);
    const auto samples = store.workerSamples(run.id);
    return judgeThresholds(thresholds, makeReport(run, records, samples));
}

} // namespace t2i
