// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace t2i {

// How a platform charges. The time units (second, replica-minute, instance-hour) bill a
// worker's time; the output units bill what came out, whatever it took.
enum class PriceUnit { PerSecond, PerMinuteReplica, PerHour, PerImage, PerMegapixel, PerStep, PerCredit, PerGb };

std::string_view toString(PriceUnit unit);
std::optional<PriceUnit> priceUnitFromString(std::string_view text);
bool isTimeUnit(PriceUnit unit);

// Thrown for a bad catalog, a bad override or an unknown reference; the message names the
// entry and the key, so the user can fix the file without reading code.
class PricingError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One band of egress pricing. Bands are marginal (like tax brackets): the GB up to upToGb,
// counted from the end of the previous band, cost priceUsd each.
struct EgressTier {
    double upToGb = std::numeric_limits<double>::infinity();
    double priceUsd = 0;
};

struct EgressPrice {
    std::vector<EgressTier> tiers; // empty: egress is free (or not known to cost anything)
    std::string label; // "catalog:<ref>", "config" or "" when free
    std::string read; // the date the price was read, "" for config
};

// A resolved price: what a cost figure was computed with, and where that number came from.
struct Price {
    PriceUnit unit = PriceUnit::PerSecond;
    double amountUsd = 0; // per unit: per second, per replica-minute, per hour, per image, ...
    double billingIncrementS = 1; // time units only: each billed span is rounded up to this
    double minimumS = 0; // time units only: the least a billed span costs
    double creditsPerImage = 0; // PerCredit: amountUsd is the price of one credit
    bool roundMegapixelsUp = false; // PerMegapixel: bill whole megapixels (fal)
    bool failedCharged = false; // output units: a failed request that ran is still charged
    EgressPrice egress;
    // Token prices in USD per million tokens (OpenAI GPT image models), keyed "text_input",
    // "image_input", "image_output": what a request's reported usage is priced with.
    std::map<std::string, double> tokenUsdPerMillion;
    std::string label; // "catalog:<ref>" or "config"
    std::string read; // YYYY-MM-DD of the catalog entry; "" when the config set the number
    bool unconfirmed = false;

    // The price of one second of a time unit (per-minute and per-hour prices divided down).
    double perSecondUsd() const;
};

} // namespace t2i
