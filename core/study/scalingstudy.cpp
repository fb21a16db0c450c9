// SPDX-License-Identifier: Apache-2.0
#include "study/scalingstudy.h"

#include <algorithm>
#include <limits>
#include <string>

namespace t2i {

namespace {

constexpr int kBurstStep = 0; // the workload below: step 0 the burst, step 1 the scale-down watch
constexpr int kWatchStep = 1;

// A burst from idle, then one cold probe: its wait for the health endpoint to show zero workers
// (at most scale_down_wait_s, the step's wait_for_zero_s) is what keeps the
// health samples coming after the burst's last request, since a run ends with its last request.
WorkloadConfig scalingWorkload(const nlohmann::json& params, const WorkloadConfig& base)
{
    WorkloadConfig w;
    w.timeoutS = base.timeoutS;
    w.pollIntervalMs = base.pollIntervalMs;
    w.healthIntervalS = params["health_interval_s"].get<double>();
    w.warmupRequests = 0; // from idle: a warm-up would wake the first worker before the burst
    WorkloadStep burst;
    burst.kind = StepKind::Burst;
    burst.requests = params["requests"].get<int>();
    WorkloadStep watch;
    watch.kind = StepKind::ColdProbe;
    watch.idleS = 0;
    watch.waitForZeroS = params["scale_down_wait_s"].get<double>();
    watch.repeat = 1;
    w.steps = { burst, watch };
    return w;
}

std::string seconds(double ms)
{
    return formatFinding(ms / 1000.0, "s");
}

// The index of the first sample in [from, end) that satisfies `pred`; npos when none does.
template <typename Pred>
std::size_t firstSample(const std::vector<WorkerSample>& samples, std::size_t from, std::size_t end, Pred pred)
{
    for (std::size_t i = from; i < end; ++i)
        if (pred(samples[i]))
            return i;
    return std::string::npos;
}

} // namespace

int workersReady(const WorkerSample& s)
{
    return std::max(s.ready, s.idle + s.running);
}

int workersAlive(const WorkerSample& s)
{
    return s.initializing + workersReady(s) + s.throttled + s.unhealthy;
}

StudyResult analyzeScaling(
    const std::vector<RequestRecord>& records, const std::vector<WorkerSample>& samples, int k, double scaleDownWaitS)
{
    StudyResult r;
    r.kind = "scaling";
    double burstStart = std::numeric_limits<double>::infinity(), lastDone = 0;
    double watchSent = std::numeric_limits<double>::infinity();
    bool watchSawZero = false;
    int requests = 0;
    for (const RequestRecord& rec : records) {
        if (rec.step == kBurstStep) {
            ++requests;
            burstStart = std::min(burstStart, rec.sentMs);
            lastDone = std::max(lastDone, rec.doneMs);
        } else if (rec.step == kWatchStep && rec.sentMs < watchSent) {
            watchSent = rec.sentMs;
            // A probe is labelled cold when the engine's own check (every 250 ms, between the
            // periodic samples) saw zero workers just before sending it, or when it waited for a
            // worker it had never seen: either way the burst's workers were gone.
            watchSawZero = rec.cold == ColdLabel::Cold;
        }
    }
    if (requests == 0) {
        r.answer = "The burst made no request, so nothing can be said about scaling.";
        return r;
    }
    // Only the samples up to the watch's own request: it wakes a worker of its own.
    std::size_t end = 0;
    while (end < samples.size() && samples[end].tMs < watchSent)
        ++end;
    std::size_t first = 0; // the first sample after the burst began
    while (first < end && samples[first].tMs < burstStart)
        ++first;
    if (first >= end) {
        r.answer = "The health endpoint gave no sample during the burst, so nothing can be said about scaling.";
        return r;
    }
    const int baseAlive = first > 0 ? workersAlive(samples[first - 1]) : 0;
    const int baseReady = first > 0 ? workersReady(samples[first - 1]) : 0;
    const auto since = [&](std::size_t i) { return samples[i].tMs - burstStart; };
    // The event lies between the sample before (or the burst's start) and the one that shows it.
    const auto bracketed = [&](std::string key, std::string label, std::size_t i, double fromMs) {
        const double before = i > first ? std::max(fromMs, samples[i - 1].tMs) : fromMs;
        return makeFinding(std::move(key), std::move(label), since(i) / 1000.0, "s", (before - burstStart) / 1000.0,
            since(i) / 1000.0);
    };

    int maxAlive = 0;
    for (std::size_t i = first; i < end; ++i)
        maxAlive = std::max(maxAlive, workersAlive(samples[i]));
    const std::size_t firstAlive
        = firstSample(samples, first, end, [&](const WorkerSample& s) { return workersAlive(s) > baseAlive; });
    const std::size_t firstReady
        = firstSample(samples, first, end, [&](const WorkerSample& s) { return workersReady(s) > baseReady; });
    const int added = maxAlive - baseAlive;
    const int target = std::min(k, std::max(added, 0));
    const std::size_t kAlive = target > 0
        ? firstSample(samples, first, end, [&](const WorkerSample& s) { return workersAlive(s) >= baseAlive + target; })
        : std::string::npos;

    constexpr std::size_t none = std::string::npos;
    r.findings.push_back(firstAlive != none
            ? bracketed("first_worker_s", "Time to the first new worker (booting)", firstAlive, burstStart)
            : makeFinding("first_worker_s", "Time to the first new worker (booting)", std::nullopt, "s"));
    r.findings.push_back(firstReady != none
            ? bracketed("first_ready_s", "Time to the first new worker ready", firstReady, burstStart)
            : makeFinding("first_ready_s", "Time to the first new worker ready", std::nullopt, "s"));
    const std::string kLabel = "Time to add " + std::to_string(k) + " workers"
        + (target < k ? " (only " + std::to_string(std::max(added, 0)) + " reached: time to those)" : "");
    r.findings.push_back(kAlive != none ? bracketed("k_workers_s", kLabel, kAlive, burstStart)
                                        : makeFinding("k_workers_s", kLabel, std::nullopt, "s"));
    r.findings.push_back(makeFinding("max_replicas", "Most workers alive at once", maxAlive, "workers", {}, {}, 0));

    // The peak: from the first sample at the most workers to the last one; the requests that
    // were in flight in it (sent before its end, done after its start).
    std::size_t peakFrom = none, peakTo = none;
    for (std::size_t i = first; i < end; ++i)
        if (workersAlive(samples[i]) == maxAlive) {
            peakFrom = peakFrom == none ? i : peakFrom;
            peakTo = i;
        }
    int inFlight = 0, failedInFlight = 0, failed = 0;
    for (const RequestRecord& rec : records) {
        if (rec.step != kBurstStep)
            continue;
        failed += rec.ok ? 0 : 1;
        if (peakFrom != none && rec.sentMs <= samples[peakTo].tMs && rec.doneMs >= samples[peakFrom].tMs) {
            ++inFlight;
            failedInFlight += rec.ok ? 0 : 1;
        }
    }
    const std::optional<double> peakErrorRate
        = inFlight > 0 ? std::optional<double>(100.0 * failedInFlight / inFlight) : std::nullopt;
    r.findings.push_back(makeFinding(
        "peak_error_rate_pct", "Errors among the requests in flight at the peak", peakErrorRate, "%", {}, {}, 1));

    // Back to zero: the first sample after the last request ended that shows no worker alive;
    // else the watch's own check, when it saw zero before a periodic sample did.
    const std::size_t zero = firstSample(samples, first, end,
        [&](const WorkerSample& s) { return s.tMs >= lastDone && workersAlive(s) == 0 && s.inQueue == 0; });
    std::optional<double> zeroAtMs, zeroAfterMs;
    if (zero != none) {
        zeroAtMs = samples[zero].tMs;
        zeroAfterMs = zero > first ? std::max(lastDone, samples[zero - 1].tMs) : lastDone;
    } else if (watchSawZero && watchSent >= lastDone) {
        zeroAtMs = watchSent;
        zeroAfterMs = end > first ? std::max(lastDone, samples[end - 1].tMs) : lastDone;
    }
    if (zeroAtMs) {
        r.findings.push_back(makeFinding("scale_to_zero_s", "Time to scale to zero after the last request",
            (*zeroAtMs - lastDone) / 1000.0, "s", (*zeroAfterMs - lastDone) / 1000.0, (*zeroAtMs - lastDone) / 1000.0));
    } else {
        r.findings.push_back(
            makeFinding("scale_to_zero_s", "Time to scale to zero after the last request", std::nullopt, "s"));
        r.notes.push_back("The health endpoint still showed workers " + formatFinding(scaleDownWaitS, "s", {}, {}, 0)
            + " after the last request (scale_down_wait_s): the platform keeps them longer, or has minimum workers.");
    }

    StudyTable table { "Scale-out", { "measure", "value" }, {} };
    for (const StudyFinding& f : r.findings)
        table.rows.push_back({ f.label, f.text });
    table.rows.push_back({ "Requests in the burst", std::to_string(requests) });
    table.rows.push_back({ "Requests failed", std::to_string(failed) });
    r.tables.push_back(std::move(table));

    StudyChart chart { "Workers over time, from the burst", "time since the burst (s)", "workers", "step", {} };
    std::vector<std::pair<double, double>> alive, ready, queued;
    for (std::size_t i = first > 0 ? first - 1 : 0; i < end; ++i) {
        const double t = std::max(0.0, since(i)) / 1000.0;
        alive.emplace_back(t, workersAlive(samples[i]));
        ready.emplace_back(t, workersReady(samples[i]));
        queued.emplace_back(t, samples[i].inQueue);
    }
    chart.series.push_back({ "alive (booting or ready)", boundedPoints(std::move(alive)) });
    chart.series.push_back({ "ready", boundedPoints(std::move(ready)) });
    chart.series.push_back({ "jobs in queue", boundedPoints(std::move(queued)) });
    r.charts.push_back(std::move(chart));

    std::string answer = "For a burst of " + std::to_string(requests) + " requests from idle, ";
    answer += firstAlive != none ? "the first new worker appeared after " + seconds(since(firstAlive))
            + (firstReady != none ? " (ready after " + seconds(since(firstReady)) + ")" : " (none became ready)")
                                 : "no new worker appeared";
    answer += "; the platform reached " + std::to_string(maxAlive) + " worker(s)";
    if (kAlive != none)
        answer += target == k
            ? ", " + std::to_string(k) + " added in " + seconds(since(kAlive))
            : " (fewer than " + std::to_string(k) + ": all of them in " + seconds(since(kAlive)) + ")";
    if (peakErrorRate)
        answer
            += "; " + formatFinding(*peakErrorRate, "%", {}, {}, 1) + " of the requests in flight at the peak failed";
    answer += zeroAtMs ? "; it was back to zero " + seconds(*zeroAtMs - lastDone) + " after the last request."
                       : "; it had not scaled back to zero when the study stopped watching.";
    r.answer = answer;
    if (baseAlive > 0)
        r.notes.push_back(std::to_string(baseAlive)
            + " worker(s) were already alive when the burst began (minimum workers, or a run just before): the times "
              "count the workers added beyond them.");
    r.notes.push_back("Times are from the burst's first send to the first health sample that shows the change; the "
                      "bracket is the interval between that sample and the one before (the sampling interval, "
                      "health_interval_s).");
    return r;
}

StudyType scalingStudyType()
{
    using K = StudyParam::Kind;
    StudyType t;
    t.kind = "scaling";
    t.title = "Scaling";
    t.summary = "how fast the platform adds workers for a burst, how many, and how fast it lets them go";
    t.params = {
        { "requests", K::Integer, 64, "requests sent at once from idle (about 4 x the workers you expect)", 1, 100000 },
        { "k", K::Integer, 16, "the workers whose addition is timed", 1, 100000 },
        { "health_interval_s", K::Number, 0.5, "how often the health endpoint is sampled", 0.05, 60 },
        { "scale_down_wait_s", K::Number, 120, "how long to keep watching for zero workers after the last request", 0,
            600 },
    };
    t.run = [](StudyContext& ctx) {
        const nlohmann::json& params = ctx.params();
        const ProviderConfig& provider = ctx.provider();
        const StudyProbe probe = ctx.run(scalingWorkload(params, ctx.config().workload), "burst");
        if (probe.records.empty())
            throw std::runtime_error("the run made no request: " + probe.message);
        if (probe.workerSamples.empty())
            throw StudyRefused("the platform answered no health request (provider type " + provider.type
                + "): the scaling study reads the workers from the platform's health endpoint, and this one has "
                  "none (or it failed every time)");
        StudyResult r = analyzeScaling(
            probe.records, probe.workerSamples, params["k"].get<int>(), params["scale_down_wait_s"].get<double>());
        if (!probe.ok())
            r.notes.push_back("The run ended " + std::string(toString(probe.status)) + ": " + probe.message);
        return r;
    };
    return t;
}

} // namespace t2i
