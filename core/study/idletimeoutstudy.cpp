// SPDX-License-Identifier: Apache-2.0
#include "study/idletimeoutstudy.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace t2i {

namespace {

constexpr int kProbeStep = 0; // the workload below: the warm-up (step -1), then one cold probe

// One probe run: a warm-up wakes a worker, then one request after askedS of silence. The probe
// must not wait for the health endpoint to show zero workers (that would stretch the gap past
// the platform's timeout): it asks it once, for the evidence, and goes.
WorkloadConfig probeWorkload(double askedS, const WorkloadConfig& base)
{
    WorkloadConfig w;
    w.timeoutS = base.timeoutS;
    w.pollIntervalMs = base.pollIntervalMs;
    w.healthIntervalS = base.healthIntervalS;
    w.warmupRequests = 1;
    WorkloadStep probe;
    probe.kind = StepKind::ColdProbe;
    probe.idleS = askedS;
    probe.repeat = 1;
    probe.waitForZeroS = 0;
    w.steps = { probe };
    return w;
}

std::string secondsText(double s)
{
    std::ostringstream out;
    out.precision(s < 10 ? 3 : 4);
    out << s << " s";
    return out.str();
}

std::string labelText(ColdLabel label)
{
    switch (label) {
    case ColdLabel::Cold:
        return "cold";
    case ColdLabel::Warm:
        return "warm";
    case ColdLabel::Unknown:
        break;
    }
    return "unknown";
}

// The workers a health sample shows: RunPod's "ready" is idle + running, so they are not added twice.
int workersShown(const WorkerSample& s)
{
    return std::max(s.ready, s.idle + s.running) + s.initializing + s.throttled + s.unhealthy;
}

} // namespace

std::optional<double> IdleSearch::answerS() const
{
    if (!firstColdS)
        return std::nullopt;
    return (lastWarmS.value_or(0) + *firstColdS) / 2.0;
}

IdleProbe readIdleProbe(
    double askedS, const std::vector<RequestRecord>& records, const std::vector<WorkerSample>& workerSamples)
{
    IdleProbe p;
    p.askedS = askedS;
    const RequestRecord* warmup = nullptr;
    const RequestRecord* probe = nullptr;
    for (const RequestRecord& r : records) {
        if (r.step == -1 && r.ok)
            warmup = &r; // the last one: the worker it left idle is the one the gap is about
        else if (r.step == kProbeStep && !probe)
            probe = &r;
    }
    if (!probe) {
        p.evidence = "no probe request was made";
        return p;
    }
    if (!probe->ok) {
        p.evidence = "the probe failed: " + probe->errorMessage;
        return p;
    }
    std::vector<std::string> evidence;
    p.label = probe->cold;
    if (warmup) {
        // The platform's clock starts at the job's finish, which the client learns up to a poll late.
        const double finishAtPlatform = warmup->finishedMs - warmup->detectionLagMs.value_or(0);
        p.measuredS = (probe->sentMs - finishAtPlatform) / 1000.0;
        if (!warmup->workerId.empty() && !probe->workerId.empty()) {
            const bool same = warmup->workerId == probe->workerId;
            evidence.push_back(same ? "same worker as the warm-up" : "new worker");
            if (same && p.label == ColdLabel::Cold)
                p.label = ColdLabel::Unknown; // a cold label on the warm-up's own worker: the signals disagree
        }
    } else {
        evidence.push_back("no successful warm-up, so no gap");
        p.label = ColdLabel::Unknown;
    }
    if (probe->queueMs)
        evidence.push_back("queue wait " + secondsText(*probe->queueMs / 1000.0));
    const WorkerSample* lastHealth = nullptr;
    for (const WorkerSample& s : workerSamples)
        if (s.tMs <= probe->sentMs)
            lastHealth = &s;
    if (lastHealth && warmup && lastHealth->tMs >= warmup->finishedMs)
        evidence.push_back("health " + std::to_string(workersShown(*lastHealth)) + " worker(s) "
            + secondsText((probe->sentMs - lastHealth->tMs) / 1000.0) + " before");
    std::string joined;
    for (const std::string& e : evidence)
        joined += (joined.empty() ? "" : "; ") + e;
    p.evidence = joined;
    return p;
}

IdleSearch searchIdleTimeout(const IdleSearchSettings& settings, const IdleProbeFunction& probeAt)
{
    using Outcome = IdleSearch::Outcome;
    IdleSearch search;
    double overheadSum = 0; // measured - asked, so a bisection asks for the gap it means to measure
    int overheadCount = 0;
    // One probe, made again once if it is inconclusive. nullopt: stop (cancelled or Inconclusive).
    auto conclusive = [&](double askedS) -> std::optional<IdleProbe> {
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (int(search.probes.size()) >= settings.maxProbes) {
                search.outcome = Outcome::ProbeLimit;
                return std::nullopt;
            }
            std::optional<IdleProbe> p = probeAt(askedS);
            if (!p) {
                search.outcome = Outcome::Stopped;
                return std::nullopt;
            }
            p->repeat = attempt > 0;
            search.probes.push_back(*p);
            if (p->label != ColdLabel::Unknown && p->measuredS) {
                overheadSum += *p->measuredS - p->askedS;
                ++overheadCount;
                return p;
            }
        }
        search.outcome = Outcome::Inconclusive;
        return std::nullopt;
    };

    // Growth: the first cold probe brackets the timeout with the last warm one.
    for (double asked = settings.minIdleS;;) {
        const auto p = conclusive(asked);
        if (!p)
            return search;
        if (p->label == ColdLabel::Cold) {
            search.firstColdS = *p->measuredS;
            break;
        }
        search.lastWarmS = std::max(search.lastWarmS.value_or(0), *p->measuredS);
        if (asked >= settings.maxIdleS) {
            search.outcome = Outcome::NoScaleToZero;
            return search;
        }
        asked = std::min(asked * settings.growth, settings.maxIdleS);
    }

    // Bisection on measured gaps.
    for (;;) {
        const double lo = search.lastWarmS.value_or(0), hi = *search.firstColdS;
        if (lo >= hi) {
            search.outcome = Outcome::Inconsistent;
            return search;
        }
        if ((hi - lo) / hi <= settings.precision) {
            search.outcome = Outcome::Bracketed;
            return search;
        }
        const double overhead = overheadCount > 0 ? overheadSum / overheadCount : 0;
        const auto p = conclusive(std::max(0.0, (lo + hi) / 2.0 - overhead));
        if (!p)
            return search;
        if (p->label == ColdLabel::Cold) {
            if (*p->measuredS <= lo) { // cold below a gap that stayed warm: the timeout is not one number
                search.outcome = Outcome::Inconsistent;
                return search;
            }
            search.firstColdS = std::min(hi, *p->measuredS);
        } else {
            if (*p->measuredS >= hi) {
                search.outcome = Outcome::Inconsistent;
                return search;
            }
            search.lastWarmS = std::max(lo, *p->measuredS);
        }
    }
}

StudyResult idleTimeoutResult(const IdleSearch& search, const IdleSearchSettings& settings)
{
    using Outcome = IdleSearch::Outcome;
    StudyResult r;
    r.kind = "idle_timeout";
    const std::optional<double> answer = search.answerS();
    const std::optional<double> lo = search.lastWarmS.value_or(0);
    if (answer) {
        r.findings.push_back(makeFinding("idle_timeout_s", "Idle timeout", *answer, "s", lo, search.firstColdS, 2));
        r.answer = "The platform keeps an idle worker for about " + formatFinding(*answer, "s")
            + " before it scales to zero: a gap of " + formatFinding(*lo, "s") + " found it warm, one of "
            + formatFinding(*search.firstColdS, "s") + " found it cold.";
    } else {
        r.findings.push_back(makeFinding("idle_timeout_s", "Idle timeout", std::nullopt, "s"));
        if (search.outcome == Outcome::NoScaleToZero)
            r.answer = "No scale to zero within max_idle_s (" + formatFinding(settings.maxIdleS, "s")
                + "): a worker idle that long was still warm.";
        else
            r.answer = "No cold probe was observed, so the idle timeout was not found.";
    }
    switch (search.outcome) {
    case Outcome::Bracketed:
    case Outcome::NoScaleToZero:
        break;
    case Outcome::Inconclusive:
        r.notes.push_back("A probe was inconclusive twice (the platform's signals gave no cold or warm label): the "
                          "search stopped there"
            + std::string(answer ? ", so the bracket is wider than asked." : "."));
        break;
    case Outcome::Inconsistent:
        r.notes.push_back(
            "The probes disagree (a longer gap found a worker warm where a shorter one found it cold): "
            "the platform's idle timeout is not one fixed number; the bracket is the last consistent one.");
        break;
    case Outcome::ProbeLimit:
        r.notes.push_back("The search stopped at max_probes (" + std::to_string(settings.maxProbes)
            + ") before the bracket was narrower than precision.");
        break;
    case Outcome::Stopped:
        r.notes.push_back("The study was stopped before the search ended.");
        break;
    }

    StudyTable table { "Probes", { "probe", "gap asked", "gap measured", "label", "evidence" }, {} };
    StudyChart chart { "Probes: cold (1) or warm (0) by idle gap", "idle gap (s)", "cold", "step", {} };
    std::vector<std::pair<double, double>> points;
    for (std::size_t i = 0; i < search.probes.size(); ++i) {
        const IdleProbe& p = search.probes[i];
        table.rows.push_back({ std::to_string(i + 1) + (p.repeat ? " (again)" : ""), secondsText(p.askedS),
            p.measuredS ? secondsText(*p.measuredS) : "-", labelText(p.label), p.evidence });
        if (p.measuredS && p.label != ColdLabel::Unknown)
            points.emplace_back(*p.measuredS, p.label == ColdLabel::Cold ? 1.0 : 0.0);
    }
    std::sort(points.begin(), points.end());
    chart.series.push_back({ "probes", boundedPoints(std::move(points)) });
    r.tables.push_back(std::move(table));
    r.charts.push_back(std::move(chart));
    r.notes.push_back("Gaps are the platform's: from the warm-up's finish at the platform (the client's finish less "
                      "its poll detection lag) to the probe's send; labels come from the platform's signals (a new "
                      "worker the probe waited for, or a health endpoint at zero), never from latency alone.");
    return r;
}

IdleSearchSettings idleSearchSettings(const nlohmann::json& params)
{
    IdleSearchSettings s;
    s.minIdleS = params.at("min_idle_s").get<double>();
    s.maxIdleS = std::max(s.minIdleS, params.at("max_idle_s").get<double>());
    s.growth = params.at("growth").get<double>();
    s.precision = params.at("precision").get<double>();
    s.maxProbes = params.at("max_probes").get<int>();
    return s;
}

IdleSearch searchIdleTimeout(StudyContext& ctx, const IdleSearchSettings& settings)
{
    int n = 0;
    return searchIdleTimeout(settings, [&](double askedS) -> std::optional<IdleProbe> {
        if (ctx.cancelled())
            return std::nullopt;
        // The role is also the progress line StudyRunner prints as the run starts.
        const StudyProbe run = ctx.run(probeWorkload(askedS, ctx.config().workload),
            "idle probe " + std::to_string(++n) + ": " + secondsText(askedS) + " of silence");
        if (ctx.cancelled())
            return std::nullopt;
        IdleProbe p = readIdleProbe(askedS, run.records, run.workerSamples);
        p.runId = run.runId;
        if (!run.ok() && p.label == ColdLabel::Unknown)
            p.evidence += std::string(p.evidence.empty() ? "" : "; ") + "run " + std::string(toString(run.status))
                + ": " + run.message;
        return p;
    });
}

StudyType idleTimeoutStudyType()
{
    using K = StudyParam::Kind;
    StudyType t;
    t.kind = "idle_timeout";
    t.title = "Idle timeout";
    t.summary = "how long the platform keeps an idle worker before it scales to zero";
    t.params = {
        { "min_idle_s", K::Number, 5, "the first gap tried", 0.01, 86400 },
        { "max_idle_s", K::Number, 300, "the longest gap tried; warm there: no scale to zero", 0.01, 86400 },
        { "growth", K::Number, 2, "each gap of the growth phase is the last times this", 1.1, 10 },
        { "precision", K::Number, 0.05, "bisect until (hi - lo) / hi is at most this", 0.001, 0.5 },
        { "max_probes", K::Integer, 30, "the most probe runs, repeats included", 2, 200 },
    };
    t.run = [](StudyContext& ctx) {
        const IdleSearchSettings settings = idleSearchSettings(ctx.params());
        return idleTimeoutResult(searchIdleTimeout(ctx, settings), settings);
    };
    return t;
}

} // namespace t2i
