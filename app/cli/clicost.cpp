// SPDX-License-Identifier: Apache-2.0
// t2ibench-cli cost RUN... : each run's cost breakdown and a monthly projection of serverless
// against a dedicated instance (docs/cost.md).
#include "clicommands.h"

#include "cost/runcostfor.h"
#include "report/runreport.h"
#include "store/store.h"

#include <cmath>
#include <iostream>

namespace t2i::cli {
namespace {

using nlohmann::json;

constexpr double defaultVolume = 100'000;

struct Profile {
    double volume = defaultVolume;
    TrafficShape shape = TrafficShape::Steady;
    double p95TargetMs = 0;
};

std::optional<double> positiveNumber(const std::string& text)
{
    try {
        std::size_t used = 0;
        const double value = std::stod(text, &used);
        if (used == text.size() && std::isfinite(value) && value > 0)
            return value;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

// Checks the flags; prints what is wrong, naming the flag, and returns nullopt.
std::optional<Profile> profileOf(const Args& args)
{
    Profile p;
    if (!args.volume.empty()) {
        const auto v = positiveNumber(args.volume);
        if (!v) {
            std::cerr << "t2ibench-cli: --volume needs a number of images per month > 0 (got \"" << args.volume
                      << "\")\n";
            return std::nullopt;
        }
        p.volume = *v;
    }
    if (!args.shape.empty()) {
        const auto s = trafficShapeFromString(args.shape);
        if (!s) {
            std::cerr << "t2ibench-cli: --shape takes steady, diurnal or bursty (got \"" << args.shape << "\")\n";
            return std::nullopt;
        }
        p.shape = *s;
    }
    if (!args.p95Ms.empty()) {
        const auto v = positiveNumber(args.p95Ms);
        if (!v) {
            std::cerr << "t2ibench-cli: --p95-ms needs a latency target in ms > 0 (got \"" << args.p95Ms << "\")\n";
            return std::nullopt;
        }
        p.p95TargetMs = *v;
    }
    return p;
}

// The dedicated instance: --dedicated (a catalog entry or USD per hour), else the run's own
// pricing.dedicated, else the catalog's default.
std::optional<Price> dedicatedPrice(const Args& args, const RunInfo& run, const PricingCatalog& catalog, bool* usage)
{
    std::string error;
    *usage = false;
    if (!args.dedicated.empty()) {
        if (const auto hourly = positiveNumber(args.dedicated)) {
            Price p;
            p.unit = PriceUnit::PerHour;
            p.amountUsd = *hourly;
            p.label = "--dedicated";
            return p;
        }
        const CatalogEntry* entry = catalog.find(args.dedicated);
        if (!entry || !isTimeUnit(entry->unit)) {
            std::cerr << "t2ibench-cli: --dedicated takes a catalog entry priced by time (e.g. lambda.1x-A100-40GB) "
                         "or a price per hour in USD (got \""
                      << args.dedicated << "\")\n";
            *usage = true;
            return std::nullopt;
        }
        return catalog.price(args.dedicated);
    }
    auto price = dedicatedPriceOf(run, catalog, &error);
    if (!price)
        std::cerr << "t2ibench-cli: " << run.id << ": " << error << '\n';
    return price;
}

json projectionJson(const Projection& p, const ProjectionInput& in, const Price& dedicated)
{
    return { { "serverless_monthly_usd", p.serverlessMonthlyUsd },
        { "serverless",
            { { "compute", p.serverlessComputeUsd }, { "cold_start", p.serverlessColdUsd },
                { "idle", p.serverlessIdleUsd }, { "cold_starts", p.coldStartsPerMonth },
                { "p95_ms", p.serverlessP95Ms }, { "meets_p95", p.serverlessMeetsP95 } } },
        { "dedicated_monthly_usd", p.dedicatedMonthlyUsd },
        { "dedicated",
            { { "instances", p.dedicatedInstances }, { "price", dedicated.label },
                { "price_date", dedicated.read.empty() ? json(nullptr) : json(dedicated.read) },
                { "hourly_usd", in.dedicatedHourlyUsd }, { "images_per_s_each", in.dedicatedImagesPerSecond },
                { "peak_images_per_s", p.peakImagesPerSecond } } },
        { "break_even_images_per_month", p.breakEvenImagesPerMonth ? json(*p.breakEvenImagesPerMonth) : json(nullptr) },
        { "cheaper", std::string(toString(p.cheaper)) }, { "reason", p.reason } };
}

void printProjection(std::ostream& out, const Projection& p, const ProjectionInput& in, const Price& dedicated)
{
    out << "  serverless " << usd(p.serverlessMonthlyUsd) << " a month (compute " << usd(p.serverlessComputeUsd)
        << ", cold starts " << usd(p.serverlessColdUsd) << ", idle " << usd(p.serverlessIdleUsd) << "; "
        << std::llround(p.coldStartsPerMonth) << " cold starts; p95 about " << std::llround(p.serverlessP95Ms)
        << " ms)\n";
    out << "  dedicated  " << usd(p.dedicatedMonthlyUsd) << " a month (" << p.dedicatedInstances << " x "
        << dedicated.label << (dedicated.read.empty() ? "" : " (read " + dedicated.read + ")") << " at "
        << usd(in.dedicatedHourlyUsd) << "/h, " << in.dedicatedImagesPerSecond << " images/s each)\n";
    out << "  break-even "
        << (p.breakEvenImagesPerMonth ? std::to_string(std::llround(*p.breakEvenImagesPerMonth)) + " images a month"
                                      : std::string("none up to 1e12 images a month"))
        << "\n  " << p.reason << '\n';
}

} // namespace

int costCommand(const Args& args)
{
    if (args.positional.empty()) {
        std::cerr << "t2ibench-cli: cost takes one or more RUNs\n";
        return BadUsage;
    }
    const auto profile = profileOf(args);
    if (!profile)
        return BadUsage;
    const PricingCatalog* catalog = nullptr;
    try {
        catalog = &defaultCatalog();
    } catch (const PricingError& e) {
        std::cerr << "t2ibench-cli: " << e.what() << '\n';
        return Failure;
    }
    int failed = Failure;
    auto store = openLibrary(args.db, failed);
    if (!store)
        return failed;

    json runs = json::array();
    bool allPriced = true;
    for (const std::string& id : args.positional) {
        const auto report = loadReport(*store, id);
        if (!report)
            return Failure;
        json entry = { { "id", report->run.id }, { "name", report->run.name } };
        json show = showJson(*report);
        for (const char* key : { "cost_usd", "price_date", "cost" })
            entry[key] = show[key];
        if (!args.json) {
            std::cout << report->run.name << " (" << report->run.id << ")";
            printCostSection(std::cout, *report);
        }
        if (!report->cost) {
            allPriced = false;
            runs.push_back(entry);
            continue;
        }
        bool badDedicated = false;
        const auto dedicated = dedicatedPrice(args, report->run, *catalog, &badDedicated);
        if (badDedicated)
            return BadUsage;
        std::string error;
        const auto billing = billingOfRun(report->run, *catalog, &error);
        if (dedicated && billing) {
            const auto records = store->records(report->run.id);
            const auto samples = store->workerSamples(report->run.id);
            ProjectionInput in = projectionInputOf(*billing, records, samples);
            in.imagesPerMonth = profile->volume;
            in.shape = profile->shape;
            in.p95TargetMs = profile->p95TargetMs;
            const double hourly = dedicated->perSecondUsd() * 3600.0;
            const double imagesPerRequest
                = report->summary.ok > 0 ? double(report->summary.images) / report->summary.ok : 1;
            dedicatedFor(in, hourly, imagesPerRequest);
            const Projection projection = projectMonthly(in);
            entry["projection"] = projectionJson(projection, in, *dedicated);
            if (!args.json) {
                std::cout << "\nprojection: " << std::llround(profile->volume) << " images a month, "
                          << toString(profile->shape)
                          << (profile->p95TargetMs > 0
                                     ? ", p95 target " + std::to_string(std::llround(profile->p95TargetMs)) + " ms"
                                     : std::string(", no p95 target"))
                          << ":\n";
                printProjection(std::cout, projection, in, *dedicated);
            }
        } else {
            allPriced = false;
        }
        if (!args.json)
            std::cout << '\n';
        runs.push_back(entry);
    }
    if (args.json)
        std::cout << json {
            { "profile",
                { { "images_per_month", profile->volume }, { "shape", std::string(toString(profile->shape)) },
                    { "p95_target_ms", profile->p95TargetMs > 0 ? json(profile->p95TargetMs) : json(nullptr) } } },
            { "runs", runs }
        }.dump(2) << '\n';
    return allPriced ? Success : Failure;
}

} // namespace t2i::cli
