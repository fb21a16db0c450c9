// SPDX-License-Identifier: Apache-2.0
#include "cost/runcost.h"

#include "cost/billing.h"
#include "cost/workerlifetimes.h"

#include <algorithm>
#include <vector>

namespace t2i {

namespace {

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

// A request "ran" when the platform reports an execution time or says it failed while running:
// only those can be billed. A refused, throttled or timed-out-in-queue request did not run.
bool ran(const RequestRecord& r)
{
    return r.execMs.has_value() || r.errorClass == ErrorClass::PlatformFailure
        || r.errorClass == ErrorClass::ContentFiltered || r.errorClass == ErrorClass::InvalidImage;
}

double runDurationS(
    std::span<const RequestRecord> records, std::span<const WorkerSample> samples, const CostOptions& options)
{
    if (options.runDurationS > 0)
        return options.runDurationS;
    double endMs = 0;
    for (const RequestRecord& r : records)
        endMs = std::max(endMs, r.doneMs);
    for (const WorkerSample& s : samples)
        endMs = std::max(endMs, s.tMs);
    return endMs / 1000.0;
}

// Workers alive in a sample. RunPod's "ready" is idle + running, so it is not added to them.
int aliveWorkers(const WorkerSample& s)
{
    return std::max(s.idle + s.running, s.ready) + s.initializing + s.throttled + s.unhealthy;
}

// Workers that went away: every fall of the worker total between consecutive samples, plus
// the workers beyond the keep-warm floor still alive at the end (they idle out after the run).
// With no samples the platform did not report workers; each cold start then stands for one
// worker that will eventually scale down.
int countScaleDowns(std::span<const RequestRecord> records, std::span<const WorkerSample> samples, int keepWarm)
{
    if (samples.empty())
        return static_cast<int>(std::count_if(
            records.begin(), records.end(), [](const RequestRecord& r) { return r.cold == ColdLabel::Cold; }));
    int falls = 0;
    for (std::size_t i = 1; i < samples.size(); ++i)
        falls += std::max(0, aliveWorkers(samples[i - 1]) - aliveWorkers(samples[i]));
    return falls + std::max(0, aliveWorkers(samples.back()) - keepWarm);
}

bool hasWorkerTimings(std::span<const RequestRecord> records)
{
    return std::any_of(records.begin(), records.end(),
        [](const RequestRecord& r) { return !r.workerId.empty() && r.startedMs && r.execMs; });
}

// The execution-only cost of one warm image: per-second prices round each request, coarser
// grains are not rounded (one request does not buy a replica-minute).
double marginalWarmPerImage(std::span<const RequestRecord> records, const Price& price)
{
    const bool perRequest = price.billingIncrementS <= 1;
    double seconds = 0;
    int images = 0;
    for (const RequestRecord& r : records) {
        if (r.ok && r.execMs && r.step >= 0 && r.cold != ColdLabel::Cold && r.images > 0) {
            seconds
                += billedSeconds(*r.execMs, perRequest ? price.billingIncrementS : 0, perRequest ? price.minimumS : 0);
            images += r.images;
        }
    }
    return images > 0 ? seconds * price.perSecondUsd() / images : 0;
}

// Per worker: from its boot (or, where booting is not billed, from ready) to its stop, rounded
// up once; the billed seconds split into its boot, its jobs' execution (ok and failed) and the
// rest, idle (gaps, the idle tail and the rounding). Keep-warm workers are paid by keep_warm.
void lifetimeCosts(std::span<const RequestRecord> records, std::span<const WorkerSample> samples, const Price& price,
    const CostOptions& options, double durationS, CostBreakdown& out)
{
    out.method = CostMethod::WorkerLifetimes;
    const double perSecond = price.perSecondUsd();
    const auto lives = reconstructWorkers(records, samples, { options.idleTimeoutS * 1000.0, options.keepWarmWorkers });
    for (const WorkerLife& life : lives) {
        if (life.alwaysOn)
            continue;
        const double bootMs = std::max(0.0, life.readyMs - life.bootStartMs);
        const double fromMs = options.coldStartBilled ? life.bootStartMs : life.readyMs;
        const double billedS
            = billedSeconds(std::max(0.0, life.stopMs - fromMs), price.billingIncrementS, price.minimumS);
        const double bootS = options.coldStartBilled ? bootMs / 1000.0 : 0;
        double okS = life.busyOkMs / 1000.0;
        double failedS = life.busyFailedMs / 1000.0;
        // Execution can only be what the billed life holds (clock noise aside).
        if (const double room = std::max(0.0, billedS - bootS); okS + failedS > room) {
            const double scale = room / (okS + failedS);
            okS *= scale;
            failedS *= scale;
        }
        out.coldStart += bootS * perSecond;
        out.compute += okS * perSecond;
        out.failed += failedS * perSecond;
        out.idle += std::max(0.0, billedS - bootS - okS - failedS) * perSecond;
        out.coldBootS += life.preExisting ? 0 : bootMs / 1000.0;
        out.billedWorkerS += billedS;
        ++out.workers;
        ++out.scaleDowns;
        out.joblessWorkers += life.jobless;
        out.bootsEstimated += !life.bootMeasured && !life.preExisting;
    }
    out.keepWarmS = options.keepWarmWorkers * durationS;
    out.keepWarm = out.keepWarmS * perSecond;
    // A worker that runs several jobs at once bills its busy time once for all of them: the
    // warm image's share is its execution scaled by busy time / summed execution (<= 1).
    double busyOkMs = 0;
    for (const WorkerLife& life : lives)
        busyOkMs += life.busyOkMs;
    double execOkMs = 0;
    for (const RequestRecord& r : records)
        if (r.ok && r.execMs && !r.workerId.empty())
            execOkMs += *r.execMs;
    const double share = execOkMs > 0 ? std::min(1.0, busyOkMs / execOkMs) : 1.0;
    out.marginalWarmPerImage = marginalWarmPerImage(records, price) * share;
}

int requestWidth(const RequestRecord& r, const CostOptions& o)
{
    return r.width.value_or(o.width);
}
int requestHeight(const RequestRecord& r, const CostOptions& o)
{
    return r.height.value_or(o.height);
}

void perRequestCosts(std::span<const RequestRecord> records, std::span<const WorkerSample> samples, const Price& price,
    const CostOptions& options, double durationS, CostBreakdown& out)
{
    out.method = CostMethod::PerRequest;
    const double perSecond = price.perSecondUsd();
    // Per-second platforms bill each request's span rounded up; a coarser grain (a replica-
    // minute, an instance-hour) bills a replica's continuous uptime, so the sum is rounded once.
    const bool perRequest = price.billingIncrementS <= 1;
    const auto billSpans = [&](const std::vector<double>& spansMs) {
        if (perRequest) {
            double s = 0;
            for (double ms : spansMs)
                s += billedSeconds(ms, price.billingIncrementS, price.minimumS);
            return s;
        }
        double totalMs = 0;
        for (double ms : spansMs)
            totalMs += ms;
        return billedSeconds(totalMs, price.billingIncrementS, price.minimumS);
    };

    std::vector<double> okExec, failedExec, warmQueue, coldQueue;
    for (const RequestRecord& r : records) {
        if (r.ok && r.execMs)
            okExec.push_back(*r.execMs);
        if (!r.ok && r.execMs)
            failedExec.push_back(*r.execMs);
        if (r.queueMs && r.cold == ColdLabel::Warm)
            warmQueue.push_back(*r.queueMs);
        if (r.queueMs && r.cold == ColdLabel::Cold)
            coldQueue.push_back(*r.queueMs);
    }

    // Keep-warm workers bill continuously over lives far longer than the run: prorated.
    const double keepWarmCapacityS = durationS;
    out.keepWarmS = options.keepWarmWorkers * keepWarmCapacityS;
    out.keepWarm = out.keepWarmS * perSecond;
    // Work done on always-on workers is already paid by keep_warm: the platform fills them first.
    const double okBilledS = billSpans(okExec);
    out.absorbedS = std::min(okBilledS, options.keepWarmWorkers * keepWarmCapacityS);
    out.compute = (okBilledS - out.absorbedS) * perSecond;
    out.failed = billSpans(failedExec) * perSecond;

    // Booting is not reported; a cold request's queue time minus what a warm request typically
    // waits is the estimate of it.
    const double warmMedian = median(warmQueue);
    std::vector<double> boots;
    for (double q : coldQueue)
        boots.push_back(std::max(0.0, q - warmMedian));
    for (double b : boots)
        out.coldBootS += b / 1000.0;
    if (options.coldStartBilled)
        out.coldStart = billSpans(boots) * perSecond;

    out.scaleDowns = countScaleDowns(records, samples, options.keepWarmWorkers);
    out.idle = out.scaleDowns * billedSeconds(options.idleTimeoutS * 1000.0, price.billingIncrementS) * perSecond;
    out.marginalWarmPerImage = marginalWarmPerImage(records, price);
}

void outputCosts(
    std::span<const RequestRecord> records, const Price& price, const CostOptions& options, CostBreakdown& out)
{
    double measuredCost = 0;
    int measuredImages = 0;
    for (const RequestRecord& r : records) {
        if (r.ok) {
            const double c
                = outputCost(price, r.images, requestWidth(r, options), requestHeight(r, options), options.steps);
            out.compute += c;
            if (r.step >= 0) {
                measuredCost += c;
                measuredImages += r.images;
            }
        } else if (price.failedCharged && ran(r)) {
            // A failure carries no image count; the request is taken to have asked for one.
            out.failed += outputCost(
                price, std::max(1, r.images), requestWidth(r, options), requestHeight(r, options), options.steps);
        }
    }
    if (measuredImages > 0)
        out.marginalWarmPerImage = measuredCost / measuredImages;
}

} // namespace

std::string_view toString(CostMethod method)
{
    switch (method) {
    case CostMethod::WorkerLifetimes:
        return "worker_lifetimes";
    case CostMethod::PerRequest:
        return "per_request";
    case CostMethod::PerOutput:
        break;
    }
    return "per_output";
}

CostBreakdown computeRunCost(std::span<const RequestRecord> records, std::span<const WorkerSample> samples,
    const Price& price, const CostOptions& options)
{
    CostBreakdown out;
    out.priceLabel = price.label;
    out.priceRead = price.read;
    if (!isTimeUnit(price.unit))
        outputCosts(records, price, options, out);
    else if (hasWorkerTimings(records))
        lifetimeCosts(records, samples, price, options, runDurationS(records, samples, options), out);
    else
        perRequestCosts(records, samples, price, options, runDurationS(records, samples, options), out);

    const EgressPrice& egress = options.egress.tiers.empty() ? price.egress : options.egress;
    double bytes = 0;
    for (const RequestRecord& r : records)
        bytes += static_cast<double>(r.bytes);
    out.egress = egressCost(bytesToGb(bytes), egress.tiers);
    out.egressLabel = egress.label;
    out.egressRead = egress.read;

    for (const RequestRecord& r : records) {
        if (r.ok && r.step >= 0)
            out.images += r.images;
        // The platform's own figure: its charge in USD, else its usage at the catalog's prices.
        std::optional<double> reported = r.reportedCostUsd;
        if (!reported)
            reported = tokenUsageCost(r.reportedUsage, price.tokenUsdPerMillion);
        if (reported) {
            out.reportedUsd = out.reportedUsd.value_or(0) + *reported;
            ++out.reportedRequests;
        }
    }
    out.total = out.compute + out.coldStart + out.idle + out.keepWarm + out.egress + out.failed;
    if (out.images > 0) {
        out.perImage = out.total / out.images;
        out.per1000 = out.perImage * 1000.0;
    }
    return out;
}

std::string priceText(const CostBreakdown& c)
{
    return c.priceLabel + (c.priceRead.empty() ? std::string(" (undated)") : " (read " + c.priceRead + ")");
}

} // namespace t2i
