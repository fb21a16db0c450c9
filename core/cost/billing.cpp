// SPDX-License-Identifier: Apache-2.0
#include "cost/billing.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace t2i {

namespace {

constexpr std::array<std::pair<PriceUnit, std::string_view>, 8> unitNames { {
    { PriceUnit::PerSecond, "per_second" },
    { PriceUnit::PerMinuteReplica, "per_minute_replica" },
    { PriceUnit::PerHour, "per_hour" },
    { PriceUnit::PerImage, "per_image" },
    { PriceUnit::PerMegapixel, "per_megapixel" },
    { PriceUnit::PerStep, "per_step" },
    { PriceUnit::PerCredit, "per_credit" },
    { PriceUnit::PerGb, "per_gb" },
} };

// Relative slack when rounding up, in increments (see billedSeconds).
constexpr double roundingSlack = 1e-9;

} // namespace

std::string_view toString(PriceUnit unit)
{
    for (const auto& [u, name] : unitNames)
        if (u == unit)
            return name;
    return "unknown";
}

std::optional<PriceUnit> priceUnitFromString(std::string_view text)
{
    for (const auto& [u, name] : unitNames)
        if (name == text)
            return u;
    return std::nullopt;
}

bool isTimeUnit(PriceUnit unit)
{
    return unit == PriceUnit::PerSecond || unit == PriceUnit::PerMinuteReplica || unit == PriceUnit::PerHour;
}

double Price::perSecondUsd() const
{
    switch (unit) {
    case PriceUnit::PerSecond:
        return amountUsd;
    case PriceUnit::PerMinuteReplica:
        return amountUsd / 60.0;
    case PriceUnit::PerHour:
        return amountUsd / 3600.0;
    default:
        return 0;
    }
}

double billedSeconds(double durationMs, double incrementS, double minimumS)
{
    if (!(durationMs > 0))
        return 0;
    const double seconds = durationMs / 1000.0;
    double billed = seconds;
    if (incrementS > 0)
        billed = std::ceil(seconds / incrementS - roundingSlack) * incrementS;
    return std::max(billed, minimumS);
}

double timeCost(double durationMs, const Price& price)
{
    return billedSeconds(durationMs, price.billingIncrementS, price.minimumS) * price.perSecondUsd();
}

double perImageCost(int images, double priceUsd)
{
    return std::max(images, 0) * priceUsd;
}

double megapixels(int width, int height, bool roundUp)
{
    const double mp = static_cast<double>(width) * static_cast<double>(height) / 1e6;
    return roundUp ? std::ceil(mp - roundingSlack) : mp;
}

double perMegapixelCost(int width, int height, int images, double priceUsdPerMp, bool roundUp)
{
    return megapixels(width, height, roundUp) * std::max(images, 0) * priceUsdPerMp;
}

double perStepCost(int steps, int images, double priceUsdPerStep)
{
    return static_cast<double>(std::max(steps, 0)) * std::max(images, 0) * priceUsdPerStep;
}

double perCreditCost(double creditsPerImage, int images, double priceUsdPerCredit)
{
    return creditsPerImage * std::max(images, 0) * priceUsdPerCredit;
}

double instanceCost(double durationS, double hourlyUsd, double incrementS)
{
    return billedSeconds(durationS * 1000.0, incrementS) / 3600.0 * hourlyUsd;
}

double bytesToGb(double bytes)
{
    return bytes / 1e9;
}

double egressCost(double gigabytes, const std::vector<EgressTier>& tiers)
{
    double cost = 0;
    double floor = 0; // where the current tier starts
    for (const EgressTier& tier : tiers) {
        if (gigabytes <= floor)
            break;
        const double inTier = std::min(gigabytes, tier.upToGb) - floor;
        cost += inTier * tier.priceUsd;
        floor = tier.upToGb;
    }
    return cost;
}

std::optional<double> tokenUsageCost(const std::string& usageJson, const std::map<std::string, double>& usdPerMillion)
{
    if (usageJson.empty() || usdPerMillion.empty())
        return std::nullopt;
    const nlohmann::json usage = nlohmann::json::parse(usageJson, nullptr, false);
    if (!usage.is_object())
        return std::nullopt;
    const auto count = [](const nlohmann::json& object, const char* key) {
        const auto it = object.find(key);
        return it != object.end() && it->is_number() ? std::max(0.0, it->get<double>()) : 0.0;
    };
    const auto price = [&](const char* kind) {
        const auto it = usdPerMillion.find(kind);
        return it == usdPerMillion.end() ? 0.0 : it->second / 1e6;
    };
    if (!usage.contains("input_tokens") && !usage.contains("output_tokens"))
        return std::nullopt;
    double cost = 0;
    const auto in = usage.find("input_tokens_details");
    if (in != usage.end() && in->is_object())
        cost += count(*in, "text_tokens") * price("text_input") + count(*in, "image_tokens") * price("image_input");
    else
        cost += count(usage, "input_tokens") * price("text_input");
    const auto out = usage.find("output_tokens_details");
    if (out != usage.end() && out->is_object())
        cost += count(*out, "image_tokens") * price("image_output") + count(*out, "text_tokens") * price("text_output");
    else
        cost += count(usage, "output_tokens") * price("image_output");
    return cost;
}

double outputCost(const Price& price, int images, int width, int height, int steps)
{
    switch (price.unit) {
    case PriceUnit::PerImage:
        return perImageCost(images, price.amountUsd);
    case PriceUnit::PerMegapixel:
        return perMegapixelCost(width, height, images, price.amountUsd, price.roundMegapixelsUp);
    case PriceUnit::PerStep:
        return perStepCost(steps, images, price.amountUsd);
    case PriceUnit::PerCredit:
        return perCreditCost(price.creditsPerImage, images, price.amountUsd);
    default:
        return 0;
    }
}

} // namespace t2i
