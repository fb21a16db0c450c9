// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cost/price.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace t2i {

// One priced item of resources/pricing/catalog.json (docs/cost.md describes the format).
struct CatalogEntry {
    std::string ref; // e.g. "runpod.flex.A100-80GB"
    PriceUnit unit = PriceUnit::PerSecond;
    double priceUsd = 0; // per unit; per credit for per_credit; unused for per_gb (see tiers)
    double billingIncrementS = 1;
    double minimumS = 0;
    double creditsPerImage = 0; // per_credit only
    bool roundMegapixelsUp = false;
    bool failedCharged = false;
    std::string egressRef; // a per_gb entry this platform's downloads are billed by, if any
    std::vector<EgressTier> tiers; // per_gb only
    std::map<std::string, double> tokenUsdPerMillion; // "tokens_usd_per_million": prices of reported usage
    std::string read; // YYYY-MM-DD
    std::string source; // URL or repository the price was read from
    std::string notes;
    bool unconfirmed = false;
};

class PricingCatalog {
public:
    // Throws PricingError naming the file, or the entry and key, that is wrong.
    static PricingCatalog load(const std::string& path);
    static PricingCatalog fromJson(const nlohmann::json& document);
    // The catalog shipped in resources/pricing/catalog.json (resourceDir()).
    static PricingCatalog loadDefault();

    const CatalogEntry* find(const std::string& ref) const;
    const CatalogEntry& at(const std::string& ref) const; // throws PricingError if unknown
    const std::map<std::string, CatalogEntry>& entries() const { return entries_; }

    // The entry as a Price labelled "catalog:<ref>", its egress entry resolved.
    Price price(const std::string& ref) const;
    EgressPrice egress(const std::string& ref) const;

private:
    std::map<std::string, CatalogEntry> entries_;
};

// A provider's "pricing" object from the configuration, as a Price:
//   {"ref": "runpod.flex.A100-80GB"}            the catalog entry
//   {"per_second": 0.00076}                     inline; likewise per_image, per_megapixel, per_hour
//   {"ref": "...", "per_second": 0.0007}        the catalog entry with the config's number
//   "egress_per_gb": 0.09                       with any of the above: one flat egress price
// A number from the config is labelled "config" and carries no date.
Price resolvePrice(const nlohmann::json& providerPricing, const PricingCatalog& catalog);

} // namespace t2i
