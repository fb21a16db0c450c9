// SPDX-License-Identifier: Apache-2.0
#include "cost/pricingcatalog.h"

#include "util/resources.h"

#include <array>
#include <fstream>
#include <regex>

namespace t2i {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& ref, const std::string& key, const std::string& what)
{
    throw PricingError("pricing catalog entry \"" + ref + "\": key \"" + key + "\" " + what);
}

double number(const json& e, const std::string& ref, const char* key, bool required, double fallback)
{
    if (!e.contains(key)) {
        if (required)
            fail(ref, key, "is missing");
        return fallback;
    }
    const json& v = e[key];
    if (!v.is_number() || v.get<double>() < 0)
        fail(ref, key, "must be a number >= 0");
    return v.get<double>();
}

std::string text(const json& e, const std::string& ref, const char* key, bool required)
{
    if (!e.contains(key)) {
        if (required)
            fail(ref, key, "is missing");
        return {};
    }
    if (!e[key].is_string() || e[key].get<std::string>().empty())
        fail(ref, key, "must be a non-empty string");
    return e[key].get<std::string>();
}

bool flag(const json& e, const std::string& ref, const char* key)
{
    if (!e.contains(key))
        return false;
    if (!e[key].is_boolean())
        fail(ref, key, "must be true or false");
    return e[key].get<bool>();
}

std::vector<EgressTier> parseTiers(const json& e, const std::string& ref)
{
    if (!e.contains("tiers") || !e["tiers"].is_array() || e["tiers"].empty())
        fail(ref, "tiers", "must be a non-empty list of {\"up_to_gb\", \"price_usd\"}");
    std::vector<EgressTier> tiers;
    double previous = 0;
    for (const json& t : e["tiers"]) {
        if (!t.is_object())
            fail(ref, "tiers", "must hold objects");
        EgressTier tier;
        tier.priceUsd = number(t, ref, "price_usd", true, 0);
        // A tier without up_to_gb (or null) is the unbounded last one.
        if (t.contains("up_to_gb") && !t["up_to_gb"].is_null()) {
            tier.upToGb = number(t, ref, "up_to_gb", true, 0);
            if (tier.upToGb <= previous)
                fail(ref, "tiers", "must have increasing up_to_gb bounds");
        } else if (&t != &e["tiers"].back()) {
            fail(ref, "tiers", "may leave up_to_gb out only on the last tier");
        }
        previous = tier.upToGb;
        tiers.push_back(tier);
    }
    return tiers;
}

CatalogEntry parseEntry(const std::string& ref, const json& e)
{
    if (!e.is_object())
        throw PricingError("pricing catalog entry \"" + ref + "\" must be an object");
    CatalogEntry entry;
    entry.ref = ref;
    const std::string unitText = text(e, ref, "unit", true);
    const std::optional<PriceUnit> unit = priceUnitFromString(unitText);
    if (!unit)
        fail(ref, "unit", "has unknown unit \"" + unitText + "\"");
    entry.unit = *unit;
    entry.read = text(e, ref, "read", true);
    static const std::regex date(R"(\d{4}-\d{2}-\d{2})");
    if (!std::regex_match(entry.read, date))
        fail(ref, "read", "must be a date YYYY-MM-DD");
    entry.source = text(e, ref, "source", true);
    entry.notes = text(e, ref, "notes", false);
    entry.unconfirmed = flag(e, ref, "unconfirmed");
    if (entry.unit == PriceUnit::PerGb) {
        entry.tiers = parseTiers(e, ref);
        return entry;
    }
    entry.priceUsd = number(e, ref, "price_usd", true, 0);
    // Time units default to their natural grain: per second 1 s, a replica-minute 60 s, an
    // instance-hour prorated per second unless the entry says otherwise.
    const double defaultIncrement = entry.unit == PriceUnit::PerMinuteReplica ? 60 : 1;
    entry.billingIncrementS = number(e, ref, "billing_increment_s", false, defaultIncrement);
    entry.minimumS = number(e, ref, "minimum_s", false, 0);
    entry.roundMegapixelsUp = flag(e, ref, "round_megapixels_up");
    entry.failedCharged = flag(e, ref, "failed_charged");
    entry.egressRef = text(e, ref, "egress", false);
    if (e.contains("tokens_usd_per_million")) {
        const json& tokens = e["tokens_usd_per_million"];
        if (!tokens.is_object() || tokens.empty())
            fail(ref, "tokens_usd_per_million", "must be an object such as {\"image_output\": 40}");
        for (const auto& [kind, value] : tokens.items()) {
            if (kind != "text_input" && kind != "image_input" && kind != "image_output" && kind != "text_output")
                fail(ref, "tokens_usd_per_million",
                    "has unknown token kind \"" + kind
                        + "\" (known: text_input, image_input, text_output, image_output)");
            if (!value.is_number() || value.get<double>() < 0)
                fail(ref, "tokens_usd_per_million", "must map token kinds to prices >= 0 (USD per million)");
            entry.tokenUsdPerMillion[kind] = value.get<double>();
        }
    }
    if (entry.unit == PriceUnit::PerCredit)
        entry.creditsPerImage = number(e, ref, "credits_per_image", true, 0);
    return entry;
}

} // namespace

PricingCatalog PricingCatalog::fromJson(const json& document)
{
    if (!document.is_object() || !document.contains("entries") || !document["entries"].is_object())
        throw PricingError("pricing catalog: expected an object with an \"entries\" object");
    PricingCatalog catalog;
    for (const auto& [ref, e] : document["entries"].items())
        catalog.entries_.emplace(ref, parseEntry(ref, e));
    // References between entries are checked once all are read, so order does not matter.
    for (const auto& [ref, entry] : catalog.entries_) {
        if (entry.egressRef.empty())
            continue;
        const CatalogEntry* egress = catalog.find(entry.egressRef);
        if (!egress || egress->unit != PriceUnit::PerGb)
            fail(ref, "egress", "must name a per_gb entry (\"" + entry.egressRef + "\" is not one)");
    }
    return catalog;
}

PricingCatalog PricingCatalog::load(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw PricingError("pricing catalog " + path + ": cannot be read");
    json document = json::parse(in, nullptr, false);
    if (document.is_discarded())
        throw PricingError("pricing catalog " + path + ": not valid JSON");
    try {
        return fromJson(document);
    } catch (const PricingError& e) {
        throw PricingError(path + ": " + e.what());
    }
}

PricingCatalog PricingCatalog::loadDefault()
{
    const std::optional<std::string> path = findResource("pricing/catalog.json");
    if (!path)
        throw PricingError("pricing catalog: pricing/catalog.json not found in " + resourceDir());
    return load(*path);
}

const CatalogEntry* PricingCatalog::find(const std::string& ref) const
{
    const auto it = entries_.find(ref);
    return it == entries_.end() ? nullptr : &it->second;
}

const CatalogEntry& PricingCatalog::at(const std::string& ref) const
{
    if (const CatalogEntry* entry = find(ref))
        return *entry;
    throw PricingError("pricing: no catalog entry \"" + ref + "\"");
}

EgressPrice PricingCatalog::egress(const std::string& ref) const
{
    const CatalogEntry& entry = at(ref);
    if (entry.unit != PriceUnit::PerGb)
        throw PricingError("pricing: catalog entry \"" + ref + "\" is not an egress (per_gb) entry");
    return { entry.tiers, "catalog:" + ref, entry.read };
}

Price PricingCatalog::price(const std::string& ref) const
{
    const CatalogEntry& entry = at(ref);
    if (entry.unit == PriceUnit::PerGb)
        throw PricingError("pricing: catalog entry \"" + ref + "\" prices egress, not a platform");
    Price p;
    p.unit = entry.unit;
    p.amountUsd = entry.priceUsd;
    p.billingIncrementS = entry.billingIncrementS;
    p.minimumS = entry.minimumS;
    p.creditsPerImage = entry.creditsPerImage;
    p.roundMegapixelsUp = entry.roundMegapixelsUp;
    p.failedCharged = entry.failedCharged;
    p.tokenUsdPerMillion = entry.tokenUsdPerMillion;
    p.label = "catalog:" + ref;
    p.read = entry.read;
    p.unconfirmed = entry.unconfirmed;
    if (!entry.egressRef.empty())
        p.egress = egress(entry.egressRef);
    return p;
}

Price resolvePrice(const json& pricing, const PricingCatalog& catalog)
{
    if (!pricing.is_object())
        throw PricingError("pricing: expected an object such as {\"ref\": \"runpod.flex.A100-80GB\"}");
    static constexpr std::array<std::pair<const char*, PriceUnit>, 4> inlineKeys { {
        { "per_second", PriceUnit::PerSecond },
        { "per_image", PriceUnit::PerImage },
        { "per_megapixel", PriceUnit::PerMegapixel },
        { "per_hour", PriceUnit::PerHour },
    } };
    const auto configNumber = [&](const char* key) {
        const json& v = pricing[key];
        if (!v.is_number() || v.get<double>() < 0)
            throw PricingError(std::string("pricing: key \"") + key + "\" must be a price >= 0 in USD");
        return v.get<double>();
    };

    Price price;
    bool haveUnit = false;
    if (pricing.contains("ref")) {
        if (!pricing["ref"].is_string())
            throw PricingError("pricing: key \"ref\" must name a catalog entry");
        price = catalog.price(pricing["ref"].get<std::string>());
        haveUnit = true;
    }
    int inlineCount = 0;
    for (const auto& [key, unit] : inlineKeys) {
        if (!pricing.contains(key))
            continue;
        if (++inlineCount > 1)
            throw PricingError("pricing: give one of per_second, per_image, per_megapixel, per_hour");
        // An inline number overrides the catalog's; the catalog's rounding stays when the unit
        // is the same, otherwise the unit's natural grain applies (1 s, prorated hours).
        if (!haveUnit || price.unit != unit) {
            price.billingIncrementS = 1;
            price.minimumS = 0;
            price.roundMegapixelsUp = false;
        }
        price.unit = unit;
        price.amountUsd = configNumber(key);
        price.label = haveUnit ? "config (over " + price.label + ")" : "config";
        price.read.clear();
        price.unconfirmed = false;
        haveUnit = true;
    }
    if (!haveUnit)
        throw PricingError("pricing: needs \"ref\" or one of per_second, per_image, per_megapixel, per_hour");
    if (pricing.contains("egress_per_gb"))
        price.egress = { { EgressTier { std::numeric_limits<double>::infinity(), configNumber("egress_per_gb") } },
            "config", "" };
    return price;
}

} // namespace t2i
