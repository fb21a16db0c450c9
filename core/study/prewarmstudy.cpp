// SPDX-License-Identifier: Apache-2.0
#include "study/prewarmstudy.h"

#include "stats/summary.h"
#include "study/idletimeoutstudy.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace t2i {

namespace {

// The measured traffic, the same for every strategy: a warm-up, then sparse Poisson arrivals
// (the same seed, so the same arrival times) whose gaps often exceed the idle timeout.
WorkloadConfig sparseWorkload(const nlohmann::json& params, double rate, const WorkloadConfig& base)
{
    WorkloadConfig w;
    w.timeoutS = base.timeoutS;
    w.pollIntervalMs = base.pollIntervalMs;
    w.healthIntervalS = base.healthIntervalS;
    w.warmupRequests = 1;
    WorkloadStep step;
    step.kind = StepKind::Poisson;
    step.rate = rate;
    step.requests = params.at("requests").get<int>();
    w.steps = { step };
    return w;
}

std::string fixed(double v, int decimals)
{
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(decimals);
    out << v;
    return out.str();
}

std::string change(double value, double reference)
{
    if (reference == 0)
        return "-";
    const double pct = (value - reference) / reference * 100.0;
    return (pct >= 0 ? "+" : "") + fixed(pct, 0) + "%";
}

struct StrategyFigures {
    int n = 0;
    double p50S = 0, p95S = 0;
    double coldShare = 0;
    std::optional<double> per1000Usd, totalUsd;
};

std::optional<StrategyFigures> figuresOf(const PrewarmRun& run)
{
    std::vector<double> latencies;
    int cold = 0;
    for (const RequestRecord& r : run.records) {
        if (r.step < 0 || !r.ok) // warm-up (-1) and keep-warm pings (-2) are not the traffic measured
            continue;
        latencies.push_back(r.latencyMs() / 1000.0);
        cold += r.cold == ColdLabel::Cold;
    }
    if (latencies.empty())
        return std::nullopt;
    std::sort(latencies.begin(), latencies.end());
    StrategyFigures f;
    f.n = int(latencies.size());
    f.p50S = quantileNearestRank(latencies, 0.5);
    f.p95S = quantileNearestRank(latencies, 0.95);
    f.coldShare = double(cold) / double(f.n);
    if (run.cost && run.cost->images > 0) {
        f.per1000Usd = run.cost->per1000;
        f.totalUsd = run.cost->total;
    }
    return f;
}

} // namespace

StudyResult analyzePrewarm(const std::vector<PrewarmRun>& runs)
{
    StudyResult r;
    r.kind = "prewarm";
    StudyTable table { "Strategies",
        { "strategy", "p50", "p95", "cold-start share", "cost / 1,000 images", "p95 change vs none",
            "cost change vs none" },
        {} };
    StudyChart chart { "p95 and cost per strategy", "strategy (1 none, 2 ping, 3 min_workers, 4 hybrid)",
        "p95 (s); cost / 1,000 images (USD)", "scatter", { { "p95 (s)", {} }, { "cost / 1,000 images (USD)", {} } } };
    std::optional<StrategyFigures> none;
    for (const PrewarmRun& run : runs)
        if (run.strategy == "none" && run.refused.empty())
            none = figuresOf(run);
    std::string best;
    std::optional<StrategyFigures> bestFigures;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const PrewarmRun& run = runs[i];
        if (!run.refused.empty()) {
            table.rows.push_back({ run.strategy, "refused: " + run.refused, "", "", "", "", "" });
            r.notes.push_back(run.strategy + " was refused: " + run.refused + ".");
            continue;
        }
        const std::optional<StrategyFigures> f = figuresOf(run);
        if (!f) {
            table.rows.push_back({ run.strategy, "no request succeeded", "", "", "", "", "" });
            continue;
        }
        const std::string costText = f->per1000Usd ? "$" + fixed(*f->per1000Usd, 2) : "-";
        const bool vsNone = none && run.strategy != "none";
        table.rows.push_back({ run.strategy, formatFinding(f->p50S, "s"), formatFinding(f->p95S, "s"),
            fixed(f->coldShare * 100.0, 0) + "%", costText, vsNone ? change(f->p95S, none->p95S) : "-",
            vsNone && f->per1000Usd && none->per1000Usd ? change(*f->per1000Usd, *none->per1000Usd) : "-" });
        r.findings.push_back(makeFinding(run.strategy + "_p50_s", run.strategy + ": p50", f->p50S, "s"));
        r.findings.push_back(makeFinding(run.strategy + "_p95_s", run.strategy + ": p95", f->p95S, "s"));
        r.findings.push_back(makeFinding(
            run.strategy + "_cold_share", run.strategy + ": cold-start share", f->coldShare * 100.0, "%", {}, {}, 0));
        r.findings.push_back(makeFinding(
            run.strategy + "_cost_per_1000_usd", run.strategy + ": cost / 1,000 images", f->per1000Usd, "USD"));
        r.findings.push_back(
            makeFinding(run.strategy + "_cost_usd", run.strategy + ": cost of the run", f->totalUsd, "USD", {}, {}, 6));
        const double x = double(i + 1);
        chart.series[0].points.emplace_back(x, f->p95S);
        if (f->per1000Usd)
            chart.series[1].points.emplace_back(x, *f->per1000Usd);
        if (run.strategy != "none" && (!bestFigures || f->p95S < bestFigures->p95S)) {
            best = run.strategy;
            bestFigures = f;
        }
        if (!run.note.empty())
            r.notes.push_back(run.strategy + ": " + run.note);
    }
    if (none && bestFigures) {
        // The headline pair `studies --summary` shows: the best strategy's p95 and its change.
        r.findings.push_back(makeFinding("best_p95_s", "best strategy (" + best + "): p95", bestFigures->p95S, "s"));
        r.findings.push_back(makeFinding("best_p95_change_pct", "p95 change, " + best + " against none",
            (bestFigures->p95S / none->p95S - 1.0) * 100.0, "%", {}, {}, 0));
        r.answer = best + " gives the lowest p95: " + formatFinding(bestFigures->p95S, "s") + " against "
            + formatFinding(none->p95S, "s") + " with no pre-warming (" + change(bestFigures->p95S, none->p95S)
            + "), cold starts " + fixed(bestFigures->coldShare * 100.0, 0) + "% against "
            + fixed(none->coldShare * 100.0, 0) + "%";
        if (bestFigures->per1000Usd && none->per1000Usd)
            r.answer += ", at $" + fixed(*bestFigures->per1000Usd, 2) + " per 1,000 images against $"
                + fixed(*none->per1000Usd, 2) + " (" + change(*bestFigures->per1000Usd, *none->per1000Usd) + ")";
        r.answer += ".";
    } else {
        r.answer = none ? "No pre-warming strategy could be measured."
                        : "The run without pre-warming gave no result, "
                          "so nothing can be compared with it.";
    }
    r.tables.push_back(std::move(table));
    r.charts.push_back(std::move(chart));
    r.notes.push_back("Every strategy had the same measured traffic (the same seeded Poisson arrivals after one "
                      "warm-up); latency and the cold-start share are over those requests only, while the cost per "
                      "1,000 images includes the warm-up, the keep-warm pings and the always-on workers' time.");
    return r;
}

StudyType prewarmStudyType()
{
    using K = StudyParam::Kind;
    StudyType t;
    t.kind = "prewarm";
    t.title = "Pre-warming";
    t.summary = "what keeping workers warm (pings, minimum workers, both) buys in latency and costs";
    t.params = {
        { "idle_timeout_s", K::Number, 0, "the platform's idle timeout; 0: found first by the idle_timeout search", 0,
            86400 },
        { "ping_interval_s", K::Number, 0, "seconds between keep-warm pings; 0: half the idle timeout", 0, 86400 },
        { "min_workers", K::Integer, 1, "always-on workers of min_workers and hybrid", 1, 1000 },
        { "rate", K::Number, 0, "Poisson arrivals per second; 0: one per 1.5 idle timeouts on average", 0, 1000 },
        { "requests", K::Integer, 20, "measured requests per strategy", 2, 100000 },
        // The idle_timeout search's own, used when idle_timeout_s is 0.
        { "min_idle_s", K::Number, 5, "idle_timeout search: the first gap tried", 0.01, 86400 },
        { "max_idle_s", K::Number, 300, "idle_timeout search: the longest gap tried", 0.01, 86400 },
        { "growth", K::Number, 2, "idle_timeout search: growth of the gap", 1.1, 10 },
        { "precision", K::Number, 0.05, "idle_timeout search: (hi - lo) / hi at which it stops", 0.001, 0.5 },
        { "max_probes", K::Integer, 30, "idle_timeout search: the most probe runs", 2, 200 },
    };
    t.run = [](StudyContext& ctx) {
        const nlohmann::json& params = ctx.params();
        double idleS = params.at("idle_timeout_s").get<double>();
        std::vector<std::string> notes;
        if (idleS <= 0) {
            ctx.progress("finding the idle timeout first");
            const IdleSearch search = searchIdleTimeout(ctx, idleSearchSettings(params));
            if (!search.answerS())
                throw std::runtime_error("the idle timeout could not be found (" + std::to_string(search.probes.size())
                    + " probes): give idle_timeout_s");
            idleS = *search.answerS();
            notes.push_back("The idle timeout, " + formatFinding(idleS, "s") + ", was found by the idle_timeout "
                + "search first (" + std::to_string(search.probes.size()) + " probe runs).");
        }
        double pingS = params.at("ping_interval_s").get<double>();
        if (pingS <= 0)
            pingS = 0.5 * idleS;
        double rate = params.at("rate").get<double>();
        if (rate <= 0)
            rate = 1.0 / (1.5 * idleS);
        const WorkloadConfig traffic = sparseWorkload(params, rate, ctx.config().workload);
        const ProviderDescriptor* descriptor = ctx.descriptor();
        const std::string minKey = descriptor ? descriptor->minWorkersSetting : std::string();
        const std::string refusal = descriptor && !descriptor->minWorkersRefusal.empty()
            ? descriptor->minWorkersRefusal
            : "t2ibench cannot set minimum workers on " + ctx.provider().type + " providers";

        std::vector<PrewarmRun> runs;
        for (const std::string strategy : { "none", "ping", "min_workers", "hybrid" }) {
            if (ctx.cancelled())
                break;
            PrewarmRun run;
            run.strategy = strategy;
            const bool pings = strategy == "ping" || strategy == "hybrid";
            const bool minWorkers = strategy == "min_workers" || strategy == "hybrid";
            if (minWorkers && minKey.empty()) {
                run.refused = refusal;
                runs.push_back(std::move(run));
                continue;
            }
            ProviderConfig provider = ctx.provider();
            if (!minKey.empty()) // none and ping run with no always-on worker, whatever the provider says
                provider.settings[minKey] = minWorkers ? params.at("min_workers").get<int>() : 0;
            WorkloadConfig workload = traffic;
            if (pings)
                workload.keepWarmIntervalS = pingS;
            const StudyProbe probe = ctx.run(workload, "prewarm " + strategy, &provider);
            run.records = probe.records;
            run.cost = probe.cost;
            if (!probe.ok())
                run.note = "the run ended " + std::string(toString(probe.status)) + ": " + probe.message;
            else if (!probe.cost)
                run.note = "no cost: " + probe.costError;
            runs.push_back(std::move(run));
        }
        StudyResult r = analyzePrewarm(runs);
        r.findings.push_back(makeFinding("idle_timeout_s", "Idle timeout used", idleS, "s"));
        r.findings.push_back(makeFinding("ping_interval_s", "Ping interval", pingS, "s"));
        r.findings.push_back(makeFinding("rate", "Arrival rate", rate, "req/s", {}, {}, 3));
        r.notes.insert(r.notes.begin(), notes.begin(), notes.end());
        return r;
    };
    return t;
}

} // namespace t2i
