// SPDX-License-Identifier: Apache-2.0
#include "cost/launchestimate.h"

#include "cost/billing.h"
#include "cost/pricingcatalog.h"
#include "cost/runcostfor.h"
#include "model/run.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

using nlohmann::json;

namespace t2i {
namespace {

std::string number(double value, int decimals = 0)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

// Seconds as a person reads them: "0.4 s", "12 s".
std::string seconds(double s)
{
    return number(s, s < 10 ? 1 : 0) + " s";
}

std::string lengthText(const WorkloadStep& step)
{
    if (step.durationS)
        return seconds(*step.durationS);
    return number(step.requests.value_or(0)) + " requests";
}

std::string usd(double value)
{
    return "$" + number(value, value < 1 ? 5 : 2);
}

} // namespace

LatencyAssumption guessedLatency(const VariantConfig& variant)
{
    constexpr double kOverheadMs = 300;
    constexpr double kMsPerMegapixelStep = 140;
    LatencyAssumption out;
    out.ms = (kOverheadMs + kMsPerMegapixelStep * variant.megapixels() * variant.steps) * variant.images;
    out.source = "a guess (no measured figure for this platform): 300 ms + 140 ms per megapixel-step per image, "
                 "about an A100 running SDXL";
    return out;
}

std::optional<LatencyAssumption> profileLatency(
    const json& profile, const std::string& profileName, const VariantConfig& variant, double timeScale)
{
    const auto service = profile.find("service");
    if (service == profile.end() || !service->is_object())
        return std::nullopt;
    const double baseMs = service->value("base_ms", 0.0);
    const double perStep = service->value("ms_per_megapixel_step", 0.0);
    double factor = 1;
    const json factors = service->value("precision_factors", json::object());
    if (factors.contains(variant.precision) && factors[variant.precision].is_number())
        factor = factors[variant.precision].get<double>();
    LatencyAssumption out;
    // The emulator's own model (providers/emulator/platformmodel.cpp): (base + per step x MP x
    // steps x images) x the precision's factor, x time_scale; queueing and cold starts excluded.
    out.ms = (baseMs + perStep * variant.megapixels() * variant.steps * variant.images) * factor * timeScale;
    out.source = "emulator profile " + profileName + ": " + number(baseMs) + " ms + " + number(perStep, 1)
        + " ms per megapixel-step, x " + number(factor, 2) + " for " + variant.precision
        + (timeScale != 1 ? ", x time scale " + number(timeScale, 2) : std::string()) + " (a warm worker, no queueing)";
    return out;
}

WorkloadEstimate estimateWorkload(const WorkloadConfig& workload, double latencyMs)
{
    WorkloadEstimate out;
    const double latencyS = std::max(latencyMs, 1.0) / 1000.0;
    if (workload.warmupRequests > 0) {
        out.requests += workload.warmupRequests;
        out.durationS += workload.warmupRequests * latencyS;
        out.steps.push_back("warm-up: " + number(workload.warmupRequests) + " requests, one after another");
    }
    for (const WorkloadStep& step : workload.steps) {
        double requests = 0, durationS = 0;
        std::string how;
        switch (step.kind) {
        case StepKind::Closed: {
            std::string levels;
            for (const int c : step.concurrency) {
                if (step.requests) {
                    requests += *step.requests;
                    durationS += std::ceil(double(*step.requests) / c) * latencyS;
                } else {
                    requests += std::floor(step.durationS.value_or(0) * c / latencyS);
                    durationS += step.durationS.value_or(0);
                }
                levels += (levels.empty() ? "" : ",") + std::to_string(c);
            }
            how = "closed loop at " + levels + " in flight, " + lengthText(step) + " each"
                + (step.requests ? "" : ": each slot sends one request per " + seconds(latencyS));
            break;
        }
        case StepKind::Constant:
        case StepKind::Poisson:
            if (step.requests) {
                requests = *step.requests;
                durationS = requests / step.rate;
            } else {
                durationS = step.durationS.value_or(0);
                requests = std::floor(step.rate * durationS);
            }
            how = std::string(toString(step.kind)) + " at " + number(step.rate, 1) + " per second, " + lengthText(step);
            break;
        case StepKind::Ramp: {
            // A linear ramp sends its mean rate over its length.
            const double mean = (step.rateFrom + step.rateTo) / 2;
            if (step.requests) {
                requests = *step.requests;
                durationS = mean > 0 ? requests / mean : 0;
            } else {
                durationS = step.durationS.value_or(0);
                requests = std::floor(mean * durationS);
            }
            how = "ramp " + number(step.rateFrom, 1) + " to " + number(step.rateTo, 1) + " per second, "
                + lengthText(step) + " (the mean rate throughout)";
            break;
        }
        case StepKind::Burst:
            requests = step.requests.value_or(0);
            durationS = latencyS;
            how = "burst of " + number(requests) + " at once, served in parallel (fewer workers take longer)";
            break;
        case StepKind::ColdProbe:
            requests = step.repeat;
            durationS = step.repeat * (step.idleS + latencyS);
            how = "cold probe: " + number(step.repeat) + " x (" + seconds(step.idleS) + " idle + one request)";
            break;
        }
        // Open-loop steps end when their last request is answered, one latency after it was sent.
        if (step.kind == StepKind::Constant || step.kind == StepKind::Poisson || step.kind == StepKind::Ramp)
            durationS += latencyS;
        out.requests += requests;
        out.durationS += durationS;
        out.steps.push_back(how + ": about " + number(requests) + " requests, " + seconds(durationS));
    }
    return out;
}

std::optional<CostEstimate> estimateCost(const Price& price, const CostOptions& options, const VariantConfig& variant,
    double requests, double durationS, double latencyMs)
{
    CostEstimate out;
    const std::string label = price.label + (price.read.empty() ? std::string() : ", read " + price.read);
    if (isTimeUnit(price.unit)) {
        if (options.timeBilling == TimeBilling::Instances) {
            const int instances = std::max(options.keepWarmWorkers, 1);
            out.usd = instances * price.perSecondUsd() * durationS;
            out.how = usd(price.perSecondUsd() * 3600) + " per instance-hour (" + label + ") x " + number(instances)
                + " instance(s) x " + seconds(durationS) + ": billed for the whole run, busy or idle";
        } else {
            const double busyS = requests * latencyMs / 1000.0;
            // Busy time as a whole: a worker is billed from boot to idle-out and rounded once, not
            // each request rounded up to the billing increment.
            out.usd = (busyS + options.keepWarmWorkers * durationS) * price.perSecondUsd();
            out.how = usd(price.perSecondUsd()) + " per second (" + label + ") x " + seconds(busyS)
                + " busy; cold starts and idle time until workers scale down are not counted, so the bill will be "
                  "higher";
            if (options.keepWarmWorkers > 0)
                out.how += "; " + number(options.keepWarmWorkers) + " always-on worker(s) for the whole run";
        }
        return out;
    }
    if (price.unit == PriceUnit::PerGb)
        return std::nullopt;
    const double perRequest = outputCost(price, variant.images, variant.width, variant.height, variant.steps);
    out.usd = requests * perRequest;
    out.how = usd(perRequest) + " per request of " + number(variant.images) + " image(s) at "
        + std::to_string(variant.width) + "x" + std::to_string(variant.height) + " ("
        + std::string(toString(price.unit)) + " " + usd(price.amountUsd) + ", " + label + ")";
    return out;
}

PairEstimate estimatePair(const std::string& providerId, const VariantConfig& variant, const WorkloadConfig& workload,
    const LatencyAssumption& latency, const PairBilling& billing)
{
    PairEstimate out;
    out.providerId = providerId;
    out.variantId = variant.id;
    out.latency = latency;
    out.workload = estimateWorkload(workload, latency.ms);
    if (billing.price) {
        out.cost = estimateCost(
            *billing.price, billing.options, variant, out.workload.requests, out.workload.durationS, latency.ms);
        if (!out.cost)
            out.costNote = "a " + std::string(toString(billing.price->unit)) + " price cannot be estimated ahead";
    } else {
        out.costNote = billing.error.empty() ? std::string("no price known") : billing.error;
    }
    return out;
}

PairBilling billingOfProvider(
    const json& provider, const VariantConfig& variant, const std::string& configPath, const PricingCatalog& catalog)
{
    // The same resolution a stored run's cost goes through, on the run it would be.
    RunInfo run;
    run.providerId = provider.value("id", std::string());
    run.providerType = provider.value("type", std::string());
    run.configJson = json { { "provider", provider }, { "variant", toJson(variant) } }.dump();
    run.environmentJson = json { { "config_file", configPath } }.dump();
    PairBilling out;
    if (const auto billing = billingOfRun(run, catalog, &out.error)) {
        out.price = billing->price;
        out.options = billing->options;
    }
    return out;
}

LaunchTotals totalsOf(const std::vector<PairEstimate>& pairs)
{
    LaunchTotals out;
    for (const PairEstimate& pair : pairs) {
        out.requests += pair.workload.requests;
        out.durationS += pair.workload.durationS;
        if (pair.cost)
            out.knownCostUsd += pair.cost->usd;
        else
            ++out.unpricedPairs;
    }
    if (out.unpricedPairs == 0)
        out.costUsd = out.knownCostUsd;
    return out;
}

} // namespace t2i
