// SPDX-License-Identifier: Apache-2.0
#include "cost/runcostfor.h"

#include "cost/billing.h"
#include "cost/workerlifetimes.h"
#include "util/resources.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace t2i {

using nlohmann::json;

namespace {

constexpr const char* defaultDedicatedRef = "lambda.1x-A100-40GB";

json parseOrEmpty(const std::string& text)
{
    json j = json::parse(text, nullptr, false);
    return j.is_object() ? j : json::object();
}

// The emulator profile an "emulated" provider ran: a name in resources/emulator/, or a path
// (relative to the configuration file the run came from).
std::optional<json> loadProfile(const json& provider, const json& environment, std::string* error)
{
    const std::string profile = provider.value("profile", std::string());
    std::optional<std::string> path;
    if (profile.find('/') == std::string::npos && !profile.ends_with(".json")) {
        path = findResource("emulator/" + profile + ".json");
    } else {
        std::filesystem::path p(profile);
        if (p.is_relative() && environment.contains("config_file") && environment["config_file"].is_string())
            p = std::filesystem::path(environment["config_file"].get<std::string>()).parent_path() / p;
        path = p.string();
    }
    std::ifstream in(path.value_or(""));
    json document = in ? json::parse(in, nullptr, false) : json();
    if (!document.is_object()) {
        *error = "the emulator profile \"" + profile + "\" the run used cannot be read, so its price is unknown";
        return std::nullopt;
    }
    return document;
}

// An emulated platform bills as its profile says: per second at price_per_s, an idle tail of
// workers.idle_timeout_ms and workers.min always-on workers, durations x time_scale.
bool billingFromProfile(const json& profile, const json& provider, RunBilling& out, std::string* error)
{
    const json workers = profile.value("workers", json::object());
    const double pricePerS = profile.value("price_per_s", 0.00076);
    const double timeScale = profile.value("time_scale", 1.0) * provider.value("time_scale", 1.0);
    if (pricePerS < 0 || timeScale <= 0) {
        *error = "the emulator profile has a negative price_per_s or a time_scale <= 0";
        return false;
    }
    out.price.unit = PriceUnit::PerSecond;
    out.price.amountUsd = pricePerS;
    out.price.billingIncrementS = 1;
    out.price.label = "emulator profile " + profile.value("name", std::string("?"));
    out.options.idleTimeoutS = std::llround(workers.value("idle_timeout_ms", 5000.0) * timeScale) / 1000.0;
    // The provider's min_workers (passed to the emulator as --min-workers) overrides the profile's.
    out.options.keepWarmWorkers = provider.value("min_workers", workers.value("min", 0));
    out.options.coldStartBilled = true;
    out.billingSource = out.price.label;
    return true;
}

// The catalog entry a provider type is priced by when its configuration names none.
std::optional<std::string> defaultRef(const json& provider)
{
    const std::string type = provider.value("type", std::string());
    const std::string model = provider.value("model", std::string());
    if (type == "openai") {
        if (model.starts_with("dall-e-3"))
            return "openai.dall-e-3.standard-1024";
        if (model.starts_with("gpt-image-1"))
            return "openai.gpt-image-1.medium-1024";
    }
    if (type == "together") {
        if (model.find("schnell") != std::string::npos)
            return "together.flux-schnell";
        if (model.find("dev") != std::string::npos)
            return "together.flux-dev";
    }
    return std::nullopt;
}

// Documented scale-down windows (docs/protocols.md §1.7, §4.4): RunPod 5 s, Modal 60 s.
double defaultIdleTimeoutS(const std::string& type)
{
    if (type == "runpod")
        return 5;
    if (type == "modal")
        return 60;
    return 0;
}

// What a time price pays for on each platform (docs/cost.md, "What each platform bills"):
//   - serverless workers that come and go with the load: runpod, modal, replicate, fal and the
//     emulator (and any other type priced per second or per minute, e.g. an http API);
//   - dedicated instances, billed for all the time they are up: hf_endpoint (replica-minutes),
//     sagemaker (instance-seconds), baseten (replica-minutes while up), the local servers comfyui,
//     a1111 and sdcpp (your own box), and openai_compatible or http priced per hour (a GPU box).
TimeBilling defaultTimeBilling(const std::string& type, const Price& price)
{
    if (type == "hf_endpoint" || type == "sagemaker" || type == "baseten" || type == "comfyui" || type == "a1111"
        || type == "sdcpp")
        return TimeBilling::Instances;
    if (type == "runpod" || type == "modal" || type == "replicate" || type == "fal" || type == "emulated")
        return TimeBilling::Workers;
    return price.unit == PriceUnit::PerHour ? TimeBilling::Instances : TimeBilling::Workers;
}

// Health routes whose samples count the instances billed (replicas, endpoint instances).
bool samplesCountInstances(const std::string& type)
{
    return type == "hf_endpoint" || type == "sagemaker";
}

bool numberKey(const json& pricing, const char* key, double& into, std::string* error)
{
    if (!pricing.contains(key))
        return true;
    if (!pricing[key].is_number() || pricing[key].get<double>() < 0) {
        *error = std::string("pricing: key \"") + key + "\" must be a number >= 0";
        return false;
    }
    into = pricing[key].get<double>();
    return true;
}

// The warm requests' service times: their reported execution, else (a platform that reports
// none) the time the client saw them on the platform, as the run's cost bills them.
std::vector<double> warmServiceMs(std::span<const RequestRecord> records)
{
    std::vector<double> all;
    for (const RequestRecord& r : records) {
        if (!r.ok || r.step < 0 || r.cold == ColdLabel::Cold)
            continue;
        if (r.execMs)
            all.push_back(*r.execMs);
        else if (const double observed = r.finishedMs - r.sentMs - r.queueMs.value_or(0); observed > 0)
            all.push_back(observed);
    }
    return all;
}

} // namespace

const PricingCatalog& defaultCatalog()
{
    static std::once_flag once;
    static std::optional<PricingCatalog> catalog;
    static std::string failure;
    std::call_once(once, [] {
        try {
            catalog = PricingCatalog::loadDefault();
        } catch (const PricingError& e) {
            failure = e.what();
        }
    });
    if (!catalog)
        throw PricingError(failure);
    return *catalog;
}

std::optional<RunBilling> billingOfRun(const RunInfo& run, const PricingCatalog& catalog, std::string* error)
{
    std::string ignored;
    if (!error)
        error = &ignored;
    const json config = parseOrEmpty(run.configJson);
    const json provider = config.value("provider", json::object());
    const json variant = config.value("variant", json::object());
    const std::string type = provider.value("type", run.providerType);
    RunBilling out;
    try {
        // An emulated platform behaves (idle timeout, min workers) and bills as its profile says.
        if (type == "emulated") {
            const auto profile = loadProfile(provider, parseOrEmpty(run.environmentJson), error);
            if (!profile || !billingFromProfile(*profile, provider, out, error))
                return std::nullopt;
        } else {
            out.options.idleTimeoutS = defaultIdleTimeoutS(type);
            out.options.coldStartBilled = type != "replicate"; // public models bill active time only
            out.billingSource = "default";
        }
        if (provider.contains("pricing")) {
            out.price = resolvePrice(provider["pricing"], catalog);
        } else if (const auto ref = defaultRef(provider)) {
            out.price = catalog.price(*ref);
        } else if (type != "emulated") {
            *error = "no price for provider \"" + provider.value("id", run.providerId) + "\" (type " + type
                + "): give it \"pricing\", e.g. {\"ref\": \"runpod.flex.A100-80GB\"} or {\"per_second\": 0.00076} "
                  "(docs/cost.md)";
            return std::nullopt;
        }
    } catch (const PricingError& e) {
        *error = std::string(e.what()) + " (provider \"" + provider.value("id", run.providerId) + "\")";
        return std::nullopt;
    }
    // The platform's own settings, where the configuration gives them, win.
    const json pricing = provider.value("pricing", json::object());
    double minWorkers = out.options.keepWarmWorkers;
    if (!numberKey(pricing, "idle_timeout_s", out.options.idleTimeoutS, error)
        || !numberKey(pricing, "min_workers", minWorkers, error))
        return std::nullopt;
    out.options.keepWarmWorkers = static_cast<int>(minWorkers);
    out.options.timeBilling = defaultTimeBilling(type, out.price);
    out.options.samplesCountInstances = samplesCountInstances(type);
    if (pricing.contains("billing")) {
        const json& billing = pricing["billing"];
        if (billing == "instances")
            out.options.timeBilling = TimeBilling::Instances;
        else if (billing == "workers")
            out.options.timeBilling = TimeBilling::Workers;
        else {
            *error = "pricing: key \"billing\" must be \"instances\" or \"workers\"";
            return std::nullopt;
        }
    }
    if (pricing.contains("boot_billed")) {
        if (!pricing["boot_billed"].is_boolean()) {
            *error = "pricing: key \"boot_billed\" must be true or false";
            return std::nullopt;
        }
        out.options.coldStartBilled = pricing["boot_billed"].get<bool>();
    }
    if (pricing.contains("idle_timeout_s") || pricing.contains("min_workers") || pricing.contains("boot_billed")
        || pricing.contains("billing"))
        out.billingSource = "config";
    out.options.width = variant.value("width", 0);
    out.options.height = variant.value("height", 0);
    out.options.steps = variant.value("steps", 0);
    if (run.durationMs > 0)
        out.options.runDurationS = run.durationMs / 1000.0;
    return out;
}

std::optional<CostBreakdown> costOfRun(const RunInfo& run, std::span<const RequestRecord> records,
    std::span<const WorkerSample> samples, const PricingCatalog& catalog, std::string* error)
{
    const auto billing = billingOfRun(run, catalog, error);
    if (!billing)
        return std::nullopt;
    return computeRunCost(records, samples, billing->price, billing->options);
}

std::optional<CostBreakdown> costOfRun(const RunInfo& run, std::span<const RequestRecord> records,
    std::span<const WorkerSample> samples, std::string* error)
{
    try {
        return costOfRun(run, records, samples, defaultCatalog(), error);
    } catch (const PricingError& e) {
        if (error)
            *error = e.what();
        return std::nullopt;
    }
}

ProjectionInput projectionInputOf(
    const RunBilling& billing, std::span<const RequestRecord> records, std::span<const WorkerSample> samples)
{
    ProjectionInput in;
    in.warmServiceMs = warmServiceMs(records);
    if (isTimeUnit(billing.price.unit)) {
        in.perSecondUsd = billing.price.perSecondUsd();
        in.billingIncrementS = billing.price.billingIncrementS;
        in.idleTimeoutS = billing.options.idleTimeoutS;
        in.coldStartBilled = billing.options.coldStartBilled;
        const auto lives = reconstructWorkers(records, samples, { billing.options.idleTimeoutS * 1000.0, 0 });
        for (const WorkerLife& life : lives)
            if (!life.preExisting && !life.alwaysOn && life.readyMs > life.bootStartMs)
                in.coldStartMs.push_back(life.readyMs - life.bootStartMs);
    } else {
        // What one image costs at the variant's size: the per-output price is the whole story.
        in.perImageUsd
            = outputCost(billing.price, 1, billing.options.width, billing.options.height, billing.options.steps);
    }
    return in;
}

void dedicatedFor(ProjectionInput& input, double hourlyUsd, double imagesPerRequest)
{
    input.dedicatedHourlyUsd = hourlyUsd;
    std::vector<double> service = input.warmServiceMs;
    if (service.empty()) {
        input.dedicatedImagesPerSecond = 0;
        return;
    }
    std::sort(service.begin(), service.end());
    double meanMs = 0;
    for (double ms : service)
        meanMs += ms;
    meanMs /= double(service.size());
    const auto rank = static_cast<std::size_t>(std::ceil(0.95 * double(service.size())));
    const double serviceP95 = service[std::clamp<std::size_t>(rank, 1, service.size()) - 1];
    const double mu = 1000.0 / std::max(meanMs, 1e-9); // jobs per second
    // p95 of an M/M/1 wait at utilisation rho: ln(20 rho) / (mu - lambda) when rho > 1/20.
    const auto p95At = [&](double rho) {
        const double waitS = rho > 0.05 ? std::log(20 * rho) / (mu * (1 - rho)) : 0;
        return serviceP95 + waitS * 1000.0;
    };
    double rho = 0.8;
    if (input.p95TargetMs > 0) {
        if (p95At(0.05) > input.p95TargetMs) {
            rho = 0.05; // not even a lightly loaded instance meets it: sized at 5% load
        } else {
            double lo = 0.05;
            double hi = 0.999;
            for (int i = 0; i < 60; ++i) {
                const double mid = (lo + hi) / 2;
                (p95At(mid) <= input.p95TargetMs ? lo : hi) = mid;
            }
            rho = lo;
        }
    }
    input.dedicatedImagesPerSecond = rho * mu * std::max(1.0, imagesPerRequest);
}

std::optional<Price> dedicatedPriceOf(const RunInfo& run, const PricingCatalog& catalog, std::string* error)
{
    const json provider = parseOrEmpty(run.configJson).value("provider", json::object());
    const json pricing = provider.value("pricing", json::object());
    try {
        Price price = pricing.contains("dedicated") ? resolvePrice(pricing["dedicated"], catalog)
                                                    : catalog.price(defaultDedicatedRef);
        if (price.unit != PriceUnit::PerHour && price.unit != PriceUnit::PerSecond
            && price.unit != PriceUnit::PerMinuteReplica) {
            if (error)
                *error = "pricing.dedicated must be a time price (per_hour), not " + std::string(toString(price.unit));
            return std::nullopt;
        }
        return price;
    } catch (const PricingError& e) {
        if (error)
            *error = e.what();
        return std::nullopt;
    }
}

} // namespace t2i
