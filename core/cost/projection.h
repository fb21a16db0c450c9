// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace t2i {

// How a month's images arrive (docs/cost.md, "Projection", gives each model).
enum class TrafficShape {
    Steady, // one constant rate all month
    Diurnal, // all traffic in activeHoursPerDay each day, a lull (no traffic) the rest
    Bursty, // all traffic in burstsPerDay bursts of burstSeconds, nothing between them
};

std::string_view toString(TrafficShape shape);
std::optional<TrafficShape> trafficShapeFromString(std::string_view text);

inline constexpr double hoursPerMonth = 730.0; // 365 x 24 / 12, the clouds' billing month

struct ProjectionInput {
    double imagesPerMonth = 0;
    TrafficShape shape = TrafficShape::Steady;
    double p95TargetMs = 0;
    double activeHoursPerDay = 16; // Diurnal
    double burstsPerDay = 24; // Bursty
    double burstSeconds = 300; // Bursty

    // Measured on a serverless platform.
    std::vector<double> warmServiceMs; // execution time of warm requests
    std::vector<double> coldStartMs; // booting time of cold requests
    double perSecondUsd = 0;
    double billingIncrementS = 1;
    double idleTimeoutS = 0;
    bool coldStartBilled = true;
    std::optional<double> perImageUsd; // set for per-image APIs: cost is images x price, nothing else

    // The dedicated alternative.
    double dedicatedHourlyUsd = 0;
    double dedicatedImagesPerSecond = 0; // one instance's measured throughput at the p95 target
};

enum class Deployment { Serverless, Dedicated };
std::string_view toString(Deployment deployment);

struct Projection {
    double serverlessMonthlyUsd = 0;
    double serverlessComputeUsd = 0; // busy seconds
    double serverlessColdUsd = 0;
    double serverlessIdleUsd = 0;
    double coldStartsPerMonth = 0;
    double scaleDownsPerMonth = 0;
    double serverlessP95Ms = 0; // estimated: warm p95, or cold + warm p95 when over 5% are cold
    bool serverlessMeetsP95 = true;

    double dedicatedMonthlyUsd = 0;
    double peakImagesPerSecond = 0;
    int dedicatedInstances = 0;

    std::optional<double> breakEvenImagesPerMonth; // where the two monthly costs are equal
    Deployment cheaper = Deployment::Serverless;
    std::string reason; // one sentence
};

// Monthly cost of serverless and dedicated for the profile, the cheaper, why, and the break-even.
Projection projectMonthly(const ProjectionInput& input);

// The images per month in [1, 1e12] at which serverless and dedicated cost the same, by
// bisection on log(volume); nullopt when one is cheaper across the whole range.
std::optional<double> breakEvenImagesPerMonth(const ProjectionInput& input);

} // namespace t2i
