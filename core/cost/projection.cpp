// SPDX-License-Identifier: Apache-2.0
#include "cost/projection.h"

#include "cost/billing.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace t2i {

namespace {

constexpr double secondsPerMonth = hoursPerMonth * 3600.0;
constexpr double daysPerMonth = hoursPerMonth / 24.0;

// Where the traffic falls within the month: `activeS` seconds carrying every image at one
// rate, split into `periods` separate stretches after each of which every worker scales down.
struct Activity {
    double activeS = secondsPerMonth;
    double periods = 0;
};

Activity activity(const ProjectionInput& in)
{
    switch (in.shape) {
    case TrafficShape::Diurnal:
        return { secondsPerMonth * std::clamp(in.activeHoursPerDay, 1.0, 24.0) / 24.0, daysPerMonth };
    case TrafficShape::Bursty: {
        const double bursts = std::max(in.burstsPerDay, 0.0) * daysPerMonth;
        return { std::min(secondsPerMonth, bursts * std::max(in.burstSeconds, 1.0)), bursts };
    }
    case TrafficShape::Steady:
        break;
    }
    return {};
}

double meanSeconds(const std::vector<double>& ms)
{
    if (ms.empty())
        return 0;
    double s = 0;
    for (double v : ms)
        s += v / 1000.0;
    return s / static_cast<double>(ms.size());
}

double nearestRank(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

double dedicatedCost(const ProjectionInput& in, Projection& out)
{
    const Activity a = activity(in);
    out.peakImagesPerSecond = in.imagesPerMonth / a.activeS;
    out.dedicatedInstances = in.dedicatedImagesPerSecond > 0
        ? std::max(1, static_cast<int>(std::ceil(out.peakImagesPerSecond / in.dedicatedImagesPerSecond - 1e-9)))
        : 1;
    out.dedicatedMonthlyUsd = out.dedicatedInstances * in.dedicatedHourlyUsd * hoursPerMonth;
    return out.dedicatedMonthlyUsd;
}

// The serverless pool as m workers sharing Poisson arrivals at rate lambda over the active
// time, each worker billing its busy time plus every idle gap up to the idle timeout T.
double serverlessCost(const ProjectionInput& in, Projection& out)
{
    const double n = in.imagesPerMonth;
    if (in.perImageUsd) {
        out.serverlessComputeUsd = n * *in.perImageUsd;
        out.serverlessMonthlyUsd = out.serverlessComputeUsd;
        out.serverlessP95Ms = nearestRank(in.warmServiceMs, 0.95);
        return out.serverlessMonthlyUsd;
    }
    const Activity a = activity(in);
    // A worker's life is rounded up once, not each job: service and boot count as measured,
    // and each life adds half an increment on average (below).
    const double s = meanSeconds(in.warmServiceMs);
    const double c = meanSeconds(in.coldStartMs);
    const double t = in.idleTimeoutS;
    const double lambda = n / a.activeS;
    // As many workers as keep each within the p95 target: one worker serves what one dedicated
    // instance of the same GPU serves at that target (else it is simply kept busy, 1 / s).
    const double perWorker = in.dedicatedImagesPerSecond > 0 ? in.dedicatedImagesPerSecond : s > 0 ? 1.0 / s : 0;
    const double workers = perWorker > 0 ? std::max(1.0, std::ceil(lambda / perWorker - 1e-9)) : 1.0;
    const double lambdaW = lambda / workers;
    const double rho = std::min(1.0, lambdaW * s);
    // A worker is left empty after a fraction (1 - rho) of its jobs; the next arrival comes an
    // Exp(lambdaW) gap later. Gaps under T bill as idle; one over T bills T, then a scale-down
    // and a cold start. Per worker: idle = activeS (1 - rho)(1 - e^(-lambdaW T)).
    const double stay = std::exp(-lambdaW * t);
    const double inPeriodIdleS = workers * a.activeS * (1 - rho) * (1 - stay);
    const double inPeriodScaleDowns = n * (1 - rho) * stay;
    // Each lull or gap between bursts scales every worker down once: a full tail and a boot.
    const double periodScaleDowns = a.periods * workers;
    out.scaleDownsPerMonth = inPeriodScaleDowns + periodScaleDowns;
    out.coldStartsPerMonth = n > 0 ? out.scaleDownsPerMonth : 0;
    const double roundingS = out.scaleDownsPerMonth * std::max(0.0, in.billingIncrementS) / 2.0;
    const double idleS = inPeriodIdleS + periodScaleDowns * t + roundingS;

    out.serverlessComputeUsd = n * s * in.perSecondUsd;
    out.serverlessColdUsd = in.coldStartBilled ? out.coldStartsPerMonth * c * in.perSecondUsd : 0;
    out.serverlessIdleUsd = idleS * in.perSecondUsd;
    out.serverlessMonthlyUsd = out.serverlessComputeUsd + out.serverlessColdUsd + out.serverlessIdleUsd;

    const double warmP95 = nearestRank(in.warmServiceMs, 0.95);
    const double coldFraction = n > 0 ? out.coldStartsPerMonth / n : 0;
    const double meanCold = in.coldStartMs.empty() ? 0
                                                   : std::accumulate(in.coldStartMs.begin(), in.coldStartMs.end(), 0.0)
            / static_cast<double>(in.coldStartMs.size());
    out.serverlessP95Ms = coldFraction > 0.05 ? meanCold + warmP95 : warmP95;
    return out.serverlessMonthlyUsd;
}

std::string money(double usd)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "$%.2f", usd);
    return buf;
}

std::string count(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

} // namespace

std::string_view toString(TrafficShape shape)
{
    switch (shape) {
    case TrafficShape::Steady:
        return "steady";
    case TrafficShape::Diurnal:
        return "diurnal";
    case TrafficShape::Bursty:
        return "bursty";
    }
    return "steady";
}

std::optional<TrafficShape> trafficShapeFromString(std::string_view text)
{
    for (TrafficShape s : { TrafficShape::Steady, TrafficShape::Diurnal, TrafficShape::Bursty })
        if (toString(s) == text)
            return s;
    return std::nullopt;
}

std::string_view toString(Deployment deployment)
{
    return deployment == Deployment::Serverless ? "serverless" : "dedicated";
}

std::optional<double> breakEvenImagesPerMonth(const ProjectionInput& input)
{
    const auto gap = [&](double logN) {
        ProjectionInput at = input;
        at.imagesPerMonth = std::exp(logN);
        Projection p;
        return serverlessCost(at, p) - dedicatedCost(at, p);
    };
    double lo = 0; // log(1)
    double hi = std::log(1e12);
    if (gap(lo) >= 0 || gap(hi) <= 0)
        return std::nullopt;
    // Dedicated cost steps with the instance count, so several crossings may exist; bisection
    // keeps a sign change inside [lo, hi] and lands on one of them.
    for (int i = 0; i < 200 && hi - lo > 1e-12; ++i) {
        const double mid = (lo + hi) / 2;
        (gap(mid) < 0 ? lo : hi) = mid;
    }
    return std::exp(hi);
}

Projection projectMonthly(const ProjectionInput& input)
{
    Projection out;
    serverlessCost(input, out);
    dedicatedCost(input, out);
    out.serverlessMeetsP95 = input.p95TargetMs <= 0 || out.serverlessP95Ms <= input.p95TargetMs;
    out.breakEvenImagesPerMonth = breakEvenImagesPerMonth(input);
    out.cheaper = out.serverlessMonthlyUsd <= out.dedicatedMonthlyUsd ? Deployment::Serverless : Deployment::Dedicated;

    const std::string instances
        = count(out.dedicatedInstances) + " dedicated instance" + (out.dedicatedInstances == 1 ? "" : "s");
    const std::string volume = count(input.imagesPerMonth) + " images a month";
    if (out.cheaper == Deployment::Serverless) {
        out.reason = "serverless is cheaper: " + money(out.serverlessMonthlyUsd) + " a month against "
            + money(out.dedicatedMonthlyUsd) + " for " + instances + " sized for the peak, ";
        out.reason += out.breakEvenImagesPerMonth
            ? "because " + volume + " is below the break-even of " + count(*out.breakEvenImagesPerMonth)
                + " images a month, so paying per busy second beats paying for every hour"
            : "and it stays cheaper at any volume up to 1e12 images a month: its billed seconds cost less than "
              "reserved hours";
    } else {
        out.reason = "dedicated is cheaper: " + instances + " cost " + money(out.dedicatedMonthlyUsd)
            + " a month against " + money(out.serverlessMonthlyUsd) + " serverless, ";
        out.reason += out.breakEvenImagesPerMonth
            ? "because " + volume + " is above the break-even of " + count(*out.breakEvenImagesPerMonth)
                + " images a month, so the busy seconds cost more than reserved hours"
            : "and it stays cheaper at any volume up to 1e12 images a month";
    }
    if (!out.serverlessMeetsP95)
        out.reason += " (serverless misses the p95 target: an estimated " + count(out.serverlessP95Ms) + " ms)";
    out.reason += ".";
    return out;
}

} // namespace t2i
