// SPDX-License-Identifier: Apache-2.0
#include "cost/runcost.h"

#include "cost/billing.h"
#include "cost/workerlifetimes.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
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
        || r.errorClass == ErrorClass::OutOfMemory || r.errorClass == ErrorClass::ContentFiltered
        || r.errorClass == ErrorClass::InvalidImage;
}

// When a request occupied the platform, as far as is known: its reported execution (placed at
// its reported start, else ending with its result), else, for a request that ran, the time the
// client saw it there, from sending it to its result less any reported queue time. The latter
// is an estimate and an upper bound: the network round trip and polling delays are in it.
struct BusySpan {
    double fromMs = 0, toMs = 0;
    bool estimated = false; // client-observed, not reported
    double ms() const { return toMs - fromMs; }
};

std::optional<BusySpan> busySpan(const RequestRecord& r)
{
    if (r.execMs) {
        const double from = r.startedMs ? *r.startedMs : r.finishedMs - *r.execMs;
        return BusySpan { from, from + *r.execMs, false };
    }
    if (!r.ok && !ran(r))
        return std::nullopt; // refused, throttled, timed out in a queue: nothing ran that we know of
    const double from = r.sentMs + r.queueMs.value_or(0);
    if (r.finishedMs <= from)
        return std::nullopt;
    return BusySpan { from, r.finishedMs, true };
}

std::string plural(long n, const char* one, const char* many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string seconds1(double s)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f s", s);
    return buffer;
}

std::string clientTimeNote(int requests)
{
    return "estimate: " + plural(requests, "request", "requests")
        + " reported no execution time; each is billed for the time the client saw it on the platform (sent "
          "to result, less any reported queue time), an upper bound with the network and polling in it";
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
        if (!r.ok || r.step < 0 || r.cold == ColdLabel::Cold || r.images <= 0)
            continue;
        if (const auto span = busySpan(r)) {
            seconds
                += billedSeconds(span->ms(), perRequest ? price.billingIncrementS : 0, perRequest ? price.minimumS : 0);
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
    out.basis = "each worker's life from boot to idle-out, rounded once (the platform named its workers)";
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
    bool anyRan = false;
    for (const RequestRecord& r : records) {
        // The reported execution, else the client-observed time on the platform: never $0 for
        // a platform that reports no timings (docs/cost.md).
        if (const auto span = busySpan(r)) {
            (r.ok ? okExec : failedExec).push_back(span->ms());
            out.clientTimedRequests += span->estimated;
            anyRan = true;
        }
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
    // Whatever served the requests idles out once after the last of them, cold starts seen or not.
    if (samples.empty() && anyRan && options.keepWarmWorkers == 0)
        out.scaleDowns = std::max(out.scaleDowns, 1);
    out.idle = out.scaleDowns * billedSeconds(options.idleTimeoutS * 1000.0, price.billingIncrementS) * perSecond;
    out.marginalWarmPerImage = marginalWarmPerImage(records, price);
    const int timed = static_cast<int>(okExec.size() + failedExec.size()) - out.clientTimedRequests;
    if (out.clientTimedRequests == 0)
        out.basis = "each request's reported execution time, with estimated boots and idle tails (no worker ids)";
    else if (timed == 0)
        out.basis = "each request's client-observed time on the platform (no execution time reported), with "
                    "estimated idle tails";
    else
        out.basis = "each request's reported execution time (client-observed for "
            + plural(out.clientTimedRequests, "request", "requests") + "), with estimated boots and idle tails";
    if (out.clientTimedRequests > 0)
        out.notes.push_back(clientTimeNote(out.clientTimedRequests));
}

// The instance-seconds the platform's samples show over [0, duration]: each sample's count of
// instances (ready, starting or unhealthy: all billed) holds until the next; the first also
// before it.
double sampledInstanceSeconds(std::span<const WorkerSample> samples, double durationS)
{
    const double endMs = durationS * 1000.0;
    double totalMs = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const double from = std::clamp(i == 0 ? 0.0 : samples[i].tMs, 0.0, endMs);
        const double to = std::clamp(i + 1 < samples.size() ? samples[i + 1].tMs : endMs, 0.0, endMs);
        if (to > from)
            totalMs += aliveWorkers(samples[i]) * (to - from);
    }
    return totalMs / 1000.0;
}

// Busy instance time: at each moment k requests on the platform keep min(k, instances) of them
// busy, shared equally among the k; what ok and failed requests held, in seconds.
std::pair<double, double> busyInstanceSeconds(std::span<const RequestRecord> records, double instances)
{
    struct Event {
        double tMs;
        int ok, failed; // +1 at a start, -1 at an end
    };
    std::vector<Event> events;
    for (const RequestRecord& r : records)
        if (const auto span = busySpan(r); span && span->ms() > 0) {
            events.push_back({ span->fromMs, r.ok ? 1 : 0, r.ok ? 0 : 1 });
            events.push_back({ span->toMs, r.ok ? -1 : 0, r.ok ? 0 : -1 });
        }
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.tMs < b.tMs; });
    double okMs = 0, failedMs = 0;
    int ok = 0, failed = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
        ok += events[i].ok;
        failed += events[i].failed;
        const int k = ok + failed;
        if (k <= 0 || i + 1 >= events.size())
            continue;
        const double busyMs = std::min(double(k), instances) * (events[i + 1].tMs - events[i].tMs);
        okMs += busyMs * ok / k;
        failedMs += busyMs * failed / k;
    }
    return { okMs / 1000.0, failedMs / 1000.0 };
}

// A dedicated endpoint or instance bills every instance for all the time it is up: the
// instances the platform reported over the run (where its samples count them), at least the
// configured ones (pricing.min_workers), at least one for the run's duration when nothing
// says more. Split into the busy time of ok and failed requests and the rest, idle.
void instanceCosts(std::span<const RequestRecord> records, std::span<const WorkerSample> samples, const Price& price,
    const CostOptions& options, double durationS, CostBreakdown& out)
{
    out.method = CostMethod::InstanceTime;
    const double perSecond = price.perSecondUsd();
    const int configured = std::max(0, options.keepWarmWorkers);
    double instanceS = std::max(1, configured) * durationS;
    const std::string over = " over the run's " + seconds1(durationS) + ", busy or idle";
    if (options.samplesCountInstances && !samples.empty()) {
        const double reported = sampledInstanceSeconds(samples, durationS);
        if (reported >= configured * durationS) {
            instanceS = reported;
            out.basis = "instance time: " + seconds1(reported) + " of instances as the platform reported them" + over;
        } else {
            instanceS = configured * durationS;
            out.basis
                = "instance time: " + plural(configured, "instance", "instances") + " (pricing.min_workers)" + over;
        }
    } else if (configured > 0) {
        out.basis = "instance time: " + plural(configured, "instance", "instances") + " (pricing.min_workers)" + over;
    } else {
        out.basis = "instance time: 1 instance" + over;
        out.notes.push_back("estimate: the platform reported no instance count and pricing.min_workers is not set: "
                            "one instance billed for the whole run");
    }
    const double billedS = billedSeconds(instanceS * 1000.0, price.billingIncrementS, price.minimumS);
    out.instanceS = billedS;
    out.instances = durationS > 0 ? instanceS / durationS : 0;
    auto [okS, failedS] = busyInstanceSeconds(records, std::max(1.0, out.instances));
    if (okS + failedS > billedS) { // busy time can only be what the billed time holds
        const double scale = billedS / (okS + failedS);
        okS *= scale;
        failedS *= scale;
    }
    out.compute = okS * perSecond;
    out.failed = failedS * perSecond;
    out.idle = std::max(0.0, billedS - okS - failedS) * perSecond;
    for (const RequestRecord& r : records)
        if (const auto span = busySpan(r))
            out.clientTimedRequests += span->estimated;
    if (out.clientTimedRequests > 0)
        out.notes.push_back("the split into compute and idle uses client-observed time for "
            + plural(out.clientTimedRequests, "request", "requests")
            + " that reported no execution time; the total does not depend on it");
    out.marginalWarmPerImage = marginalWarmPerImage(records, price);
}

void outputCosts(
    std::span<const RequestRecord> records, const Price& price, const CostOptions& options, CostBreakdown& out)
{
    out.basis = "what came out, " + std::string(toString(price.unit)) + " (the platform bills no time)";
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
    case CostMethod::InstanceTime:
        return "instance_time";
    case CostMethod::PerOutput:
        break;
    }
    return "per_output";
}

std::string_view toString(TimeBilling billing)
{
    return billing == TimeBilling::Instances ? "instances" : "workers";
}

CostBreakdown computeRunCost(std::span<const RequestRecord> records, std::span<const WorkerSample> samples,
    const Price& price, const CostOptions& options)
{
    CostBreakdown out;
    out.priceLabel = price.label;
    out.priceRead = price.read;
    if (!isTimeUnit(price.unit))
        outputCosts(records, price, options, out);
    else if (options.timeBilling == TimeBilling::Instances)
        instanceCosts(records, samples, price, options, runDurationS(records, samples, options), out);
    else if (hasWorkerTimings(records))
        lifetimeCosts(records, samples, price, options, runDurationS(records, samples, options), out);
    else
        perRequestCosts(records, samples, price, options, runDurationS(records, samples, options), out);

    const EgressPrice& egress = options.egress.tiers.empty() ? price.egress : options.egress;
    // Billed on what left the platform: the bodies and the headers of every answer.
    for (const RequestRecord& r : records) {
        out.egressBytes += r.bytes + r.headerBytes;
        out.egressHeaderBytes += r.headerBytes;
    }
    out.egress = egressCost(bytesToGb(static_cast<double>(out.egressBytes)), egress.tiers);
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
