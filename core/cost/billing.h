// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cost/price.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace t2i {

// Billing arithmetic: small pure functions, each with its rounding rule stated.

// Seconds billed for a span of durationMs: rounded UP to a whole number of incrementS
// (incrementS <= 0 means no rounding), then at least minimumS. A span <= 0 bills nothing:
// nothing ran. A span within 1e-9 increments of a multiple bills that multiple, so that
// float noise (3000 ms = 3.0000000001 s) does not cost a whole extra increment.
double billedSeconds(double durationMs, double incrementS, double minimumS = 0);

// Cost of a time-priced span: billedSeconds(...) x the price per second.
double timeCost(double durationMs, const Price& price);

// images x price.
double perImageCost(int images, double priceUsd);

// width x height / 1e6 megapixels per image, x images, x price. With roundUp each image's
// megapixels are rounded up to a whole number first (fal: "rounded up to the next MP").
double megapixels(int width, int height, bool roundUp = false);
double perMegapixelCost(int width, int height, int images, double priceUsdPerMp, bool roundUp = false);

// steps x images x price per step.
double perStepCost(int steps, int images, double priceUsdPerStep);

// credits per image x images x price per credit (Stability: $0.01 a credit).
double perCreditCost(double creditsPerImage, int images, double priceUsdPerCredit);

// An instance billed by the hour: billedSeconds(duration, incrementS) / 3600 x hourly price.
// incrementS = 1 prorates per second (SageMaker); 3600 bills every started hour.
double instanceCost(double durationS, double hourlyUsd, double incrementS);

// Egress: the bytes as decimal GB (1 GB = 1e9 bytes, as clouds bill), walked through the
// marginal tiers. A last tier with no bound covers everything beyond.
double egressCost(double gigabytes, const std::vector<EgressTier>& tiers);
double bytesToGb(double bytes);

// A usage report priced by token (OpenAI's "usage" of GPT image models):
//   input_tokens_details.text_tokens x text_input + input_tokens_details.image_tokens x image_input
//   + output_tokens_details.image_tokens x image_output + output_tokens_details.text_tokens x text_output
// per million tokens. Without the details, input_tokens count as text input and output_tokens
// as image output. nullopt when the text is not such a report or no price applies.
std::optional<double> tokenUsageCost(const std::string& usageJson, const std::map<std::string, double>& usdPerMillion);

// What one output costs under an output unit (per image, megapixel, step or credit) for a
// request of `images` images at width x height with `steps` steps. 0 for time units.
double outputCost(const Price& price, int images, int width, int height, int steps);

} // namespace t2i
