// SPDX-License-Identifier: Apache-2.0
#include "study/saturationstudy.h"

#include "stats/summary.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>

namespace t2i {

namespace {

// What makes a knee "clear" (docs/studies.md, saturation): the slope above it at least this many
// times the slope below it (or than zero, when latency was flat or fell below it) ...
constexpr double kSlopeRatio = 2.0;
// ... the knee removing at least this share of what a straight line leaves unexplained ...
constexpr double kMinGain = 0.5;
// ... and latency at the top rising at least this share of the latency at the knee above the line.
constexpr double kMinRise = 0.1;
// The bracket: every knee whose fit keeps at least 90% of the best knee's gain over a line.
constexpr double kBracketShare = 0.1;
constexpr double kTieShare = 0.01; // knees that fit within 1% of the best gain count as equal
constexpr double kKneeGridStep = 0.005; // utilisation, 0..1: the knees tried

std::string pct(double utilization, int decimals = 0)
{
    return formatFinding(100.0 * utilization, "%", std::nullopt, std::nullopt, decimals);
}

std::string seconds(double ms)
{
    return formatFinding(ms / 1000.0, "s");
}

// Weighted least squares of y on the columns of X (rows of 2 or 3 regressors); the residual sum
// of squares and the coefficients, or nothing when the system is singular.
template <std::size_t N>
std::optional<std::pair<double, std::array<double, N>>> leastSquares(
    const std::vector<std::array<double, N>>& x, const std::vector<double>& y, const std::vector<double>& w)
{
    std::array<std::array<double, N + 1>, N> m {}; // the normal equations, augmented
    for (std::size_t r = 0; r < x.size(); ++r)
        for (std::size_t i = 0; i < N; ++i) {
            for (std::size_t j = 0; j < N; ++j)
                m[i][j] += w[r] * x[r][i] * x[r][j];
            m[i][N] += w[r] * x[r][i] * y[r];
        }
    for (std::size_t c = 0; c < N; ++c) { // Gauss-Jordan with partial pivoting
        std::size_t pivot = c;
        for (std::size_t r = c + 1; r < N; ++r)
            if (std::abs(m[r][c]) > std::abs(m[pivot][c]))
                pivot = r;
        if (std::abs(m[pivot][c]) < 1e-12)
            return std::nullopt;
        std::swap(m[c], m[pivot]);
        for (std::size_t r = 0; r < N; ++r) {
            if (r == c)
                continue;
            const double f = m[r][c] / m[c][c];
            for (std::size_t j = c; j <= N; ++j)
                m[r][j] -= f * m[c][j];
        }
    }
    std::array<double, N> beta {};
    for (std::size_t i = 0; i < N; ++i)
        beta[i] = m[i][N] / m[i][i];
    double sse = 0;
    for (std::size_t r = 0; r < x.size(); ++r) {
        double fit = 0;
        for (std::size_t i = 0; i < N; ++i)
            fit += beta[i] * x[r][i];
        sse += w[r] * (y[r] - fit) * (y[r] - fit);
    }
    return std::make_pair(sse, beta);
}

} // namespace

double meanOverInterval(const UtilizationSteps& steps, double fromMs, double toMs)
{
    if (steps.empty())
        return 0;
    // The value in force at t: the last step at or before it (the first step's before any).
    const auto valueAt = [&](double t) {
        auto it = std::upper_bound(steps.begin(), steps.end(), t,
            [](double time, const std::pair<double, double>& step) { return time < step.first; });
        return it == steps.begin() ? steps.front().second : std::prev(it)->second;
    };
    if (toMs <= fromMs)
        return valueAt(fromMs);
    double area = 0;
    double t = fromMs;
    double value = valueAt(fromMs);
    auto it = std::upper_bound(steps.begin(), steps.end(), fromMs,
        [](double time, const std::pair<double, double>& step) { return time < step.first; });
    for (; it != steps.end() && it->first < toMs; ++it) {
        area += value * (it->first - t);
        t = it->first;
        value = it->second;
    }
    area += value * (toMs - t);
    return area / (toMs - fromMs);
}

std::vector<SaturationBin> saturationBins(
    const std::vector<std::pair<double, double>>& utilizationLatency, double binPct)
{
    const int count = std::max(1, int(std::ceil(100.0 / binPct - 1e-9)));
    std::vector<std::vector<std::pair<double, double>>> members(static_cast<std::size_t>(count));
    for (const auto& [u, latency] : utilizationLatency) {
        const int index = std::clamp(int(std::floor(100.0 * u / binPct)), 0, count - 1);
        members[static_cast<std::size_t>(index)].emplace_back(u, latency);
    }
    std::vector<SaturationBin> bins;
    for (int i = 0; i < count; ++i) {
        const auto& m = members[static_cast<std::size_t>(i)];
        if (m.empty())
            continue;
        SaturationBin b;
        b.lowPct = i * binPct;
        b.highPct = std::min(100.0, (i + 1) * binPct);
        b.n = m.size();
        std::vector<double> latencies;
        for (const auto& [u, latency] : m) {
            b.meanUtilization += u / double(m.size());
            latencies.push_back(latency);
        }
        std::sort(latencies.begin(), latencies.end());
        b.p50Ms = quantileNearestRank(latencies, 0.5);
        b.p95Ms = quantileNearestRank(latencies, 0.95);
        bins.push_back(b);
    }
    return bins;
}

SaturationKnee fitKnee(const std::vector<SaturationBin>& bins, std::size_t minPerBin)
{
    SaturationKnee result;
    std::vector<double> xs, ys, ws;
    for (const SaturationBin& b : bins)
        if (b.n >= minPerBin) {
            xs.push_back(b.meanUtilization);
            ys.push_back(b.p50Ms);
            ws.push_back(double(b.n)); // a bin of many requests is a surer median
        }
    if (xs.size() < 3)
        return result;
    std::vector<std::array<double, 2>> lineX;
    for (double x : xs)
        lineX.push_back({ 1.0, x });
    const auto line = leastSquares<2>(lineX, ys, ws);
    if (!line)
        return result;
    // Knees from the second bin on (two bins below, for the slope there) to below the last.
    struct Trial {
        double knee, sse;
        std::array<double, 3> beta;
    };
    std::vector<Trial> trials;
    for (int i = 0;; ++i) {
        const double k = xs[1] + i * kKneeGridStep;
        if (k >= xs.back())
            break;
        std::vector<std::array<double, 3>> hingeX;
        for (double x : xs)
            hingeX.push_back({ 1.0, x, std::max(0.0, x - k) });
        if (const auto fit = leastSquares<3>(hingeX, ys, ws))
            trials.push_back({ k, fit->first, fit->second });
    }
    if (trials.empty())
        return result;
    // The least squares. Practically equal ones (within kTieShare of the gain over a line) are
    // common: with one bin above the bend, a knee anywhere between the last flat bin and it fits
    // as well, and the data cannot say where; the middle of those knees is taken, the bracket
    // below showing the whole range.
    double leastSse = std::numeric_limits<double>::infinity();
    for (const Trial& t : trials)
        leastSse = std::min(leastSse, t.sse);
    const double ties = std::max(1e-9 * std::max(1.0, line->first), kTieShare * (line->first - leastSse));
    double tiedLow = std::numeric_limits<double>::infinity(), tiedHigh = -tiedLow;
    for (const Trial& t : trials)
        if (t.sse <= leastSse + ties) {
            tiedLow = std::min(tiedLow, t.knee);
            tiedHigh = std::max(tiedHigh, t.knee);
        }
    const double middle = (tiedLow + tiedHigh) / 2;
    const Trial best = *std::min_element(trials.begin(), trials.end(), [&](const Trial& a, const Trial& b) {
        const bool aTied = a.sse <= leastSse + ties, bTied = b.sse <= leastSse + ties;
        if (aTied != bTied)
            return aTied;
        return std::abs(a.knee - middle) < std::abs(b.knee - middle);
    });
    const double gain = line->first - best.sse;
    result.knee = best.knee;
    result.slopeBelow = best.beta[1];
    result.slopeAbove = best.beta[1] + best.beta[2];
    result.low = result.high = best.knee;
    const double tolerance = std::max(kBracketShare * gain, ties + (leastSse - best.sse));
    for (const Trial& t : trials)
        if (t.sse - best.sse <= tolerance) {
            result.low = std::min(result.low, t.knee);
            result.high = std::max(result.high, t.knee);
        }
    const double atKnee = best.beta[0] + best.beta[1] * best.knee;
    const double rise = best.beta[2] * (xs.back() - best.knee);
    result.found = result.slopeAbove > 0 && result.slopeAbove >= kSlopeRatio * std::max(result.slopeBelow, 0.0)
        && gain >= kMinGain * line->first && line->first > 0 && rise >= kMinRise * std::abs(atKnee);
    return result;
}

StudyResult analyzeSaturation(const SaturationInput& input, double binPct, std::size_t minPerBin)
{
    StudyResult r;
    r.kind = "saturation";
    std::vector<std::pair<double, double>> points; // (utilisation 0..1, latency ms)
    int unplaced = 0;
    for (const SaturationRequest& q : input.requests) {
        const auto series = input.utilization.find(q.unit);
        if (series == input.utilization.end() || series->second.empty()) {
            ++unplaced;
            continue;
        }
        points.emplace_back(std::clamp(meanOverInterval(series->second, q.startMs, q.endMs), 0.0, 1.0), q.latencyMs);
    }
    const std::vector<SaturationBin> bins = saturationBins(points, binPct);
    const SaturationKnee knee = fitKnee(bins, minPerBin);
    const std::string& name = input.latencyName;

    StudyTable table { "p50 and p95 " + name + " by GPU utilisation",
        { "utilisation", "requests", "mean utilisation", "p50", "p95" }, {} };
    for (const SaturationBin& b : bins)
        table.rows.push_back({ formatFinding(b.lowPct, "", {}, {}, 0) + "-" + formatFinding(b.highPct, "%", {}, {}, 0),
            std::to_string(b.n), pct(b.meanUtilization, 1), seconds(b.p50Ms), seconds(b.p95Ms) });
    r.tables.push_back(std::move(table));

    std::vector<const SaturationBin*> fitted;
    for (const SaturationBin& b : bins)
        if (b.n >= minPerBin)
            fitted.push_back(&b);
    if (knee.found) {
        r.findings.push_back(makeFinding("knee_utilization_pct", "Utilisation past which " + name + " rises faster",
            100.0 * knee.knee, "%", 100.0 * knee.low, 100.0 * knee.high, 0));
    } else {
        r.findings.push_back(
            makeFinding("knee_utilization_pct", "Utilisation past which " + name + " rises faster", std::nullopt, "%"));
    }
    if (fitted.size() >= 3) {
        // Slopes per percentage point: how much each 1% more utilisation costs.
        r.findings.push_back(makeFinding(
            "slope_below_ms_per_pct", "p50 " + name + " slope below the knee", knee.slopeBelow / 100.0, "ms/%"));
        r.findings.push_back(makeFinding(
            "slope_above_ms_per_pct", "p50 " + name + " slope above the knee", knee.slopeAbove / 100.0, "ms/%"));
    }
    if (!fitted.empty()) {
        r.findings.push_back(makeFinding("p50_lowest_s",
            "p50 " + name + " at the lowest utilisation (" + pct(fitted.front()->meanUtilization) + ")",
            fitted.front()->p50Ms / 1000.0, "s"));
        r.findings.push_back(makeFinding("p50_highest_s",
            "p50 " + name + " at the highest utilisation (" + pct(fitted.back()->meanUtilization) + ")",
            fitted.back()->p50Ms / 1000.0, "s"));
    }
    r.findings.push_back(
        makeFinding("requests", "Requests placed on the utilisation", double(points.size()), "", {}, {}, 0));

    if (fitted.size() < 3) {
        r.answer = "Too few utilisation levels to fit a knee: " + std::to_string(fitted.size()) + " bin(s) of "
            + formatFinding(binPct, "%", {}, {}, 0) + " hold " + std::to_string(minPerBin)
            + " or more requests, 3 are needed (widen the concurrency sweep or add requests per level).";
    } else if (knee.found) {
        r.answer = "The GPU starves past " + pct(knee.knee) + " utilisation (the data place the knee between "
            + pct(knee.low) + " and " + pct(knee.high) + "): p50 " + name + " grows "
            + formatFinding(knee.slopeBelow / 100.0, "ms", {}, {}, 1) + " per 1% below it and "
            + formatFinding(knee.slopeAbove / 100.0, "ms", {}, {}, 1) + " per 1% above it, from "
            + seconds(fitted.front()->p50Ms) + " at " + pct(fitted.front()->meanUtilization) + " to "
            + seconds(fitted.back()->p50Ms) + " at " + pct(fitted.back()->meanUtilization) + ".";
    } else {
        r.answer = "No knee up to " + pct(fitted.back()->meanUtilization) + " utilisation: p50 " + name
            + " grows no faster than linearly (" + seconds(fitted.front()->p50Ms) + " at "
            + pct(fitted.front()->meanUtilization) + ", " + seconds(fitted.back()->p50Ms) + " at "
            + pct(fitted.back()->meanUtilization) + ").";
    }

    StudyChart scatter { name + " against GPU utilisation", "mean GPU utilisation over the request (%)", name + " (s)",
        "scatter", {} };
    std::vector<std::pair<double, double>> requestPoints, p50, p95;
    for (const auto& [u, latency] : points)
        requestPoints.emplace_back(100.0 * u, latency / 1000.0);
    for (const SaturationBin& b : bins) {
        p50.emplace_back(100.0 * b.meanUtilization, b.p50Ms / 1000.0);
        p95.emplace_back(100.0 * b.meanUtilization, b.p95Ms / 1000.0);
    }
    scatter.series.push_back({ "requests", boundedPoints(std::move(requestPoints)) });
    scatter.series.push_back({ "p95 per bin", p95 });
    r.charts.push_back(std::move(scatter));
    r.charts.push_back({ "p50 and p95 " + name + " by utilisation bin", "mean GPU utilisation (%)", name + " (s)",
        "line", { { "p50", p50 }, { "p95", p95 } } });

    // Utilisation over time, from the first request's start.
    double origin = std::numeric_limits<double>::infinity();
    for (const SaturationRequest& q : input.requests)
        origin = std::min(origin, q.startMs);
    if (!std::isfinite(origin))
        origin = 0;
    StudyChart overTime { "GPU utilisation over time", "time since the first request (s)", "utilisation (%)", "step",
        {} };
    for (const auto& [unit, steps] : input.utilization) {
        std::vector<std::pair<double, double>> series;
        for (const auto& [t, u] : steps)
            series.emplace_back((t - origin) / 1000.0, 100.0 * u);
        overTime.series.push_back(
            { unit.empty() ? std::string("GPUs (mean)") : unit, boundedPoints(std::move(series)) });
    }
    r.charts.push_back(std::move(overTime));

    r.notes.push_back("Utilisation: " + input.source
        + "; each request's is the mean over its execution. Knee: "
          "two-segment least-squares fit of the p50 per bin (bins of "
        + std::to_string(minPerBin)
        + " or more requests, weighted by their count); the bracket holds every knee that keeps 90% of the best "
          "knee's gain over a straight line (docs/studies.md).");
    if (unplaced > 0)
        r.notes.push_back(std::to_string(unplaced)
            + " request(s) had no utilisation sample for their GPU or worker and "
              "are left out.");
    return r;
}

TruthUtilization readTruthUtilization(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error(path + ": cannot read the emulator's truth file");
    TruthUtilization truth;
    std::map<std::string, std::vector<std::pair<double, double>>> steps;
    for (std::string line; std::getline(in, line);) {
        const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_object())
            continue;
        if (const auto u = j.find("utilization"); u != j.end() && u->is_object()) {
            const double concurrency = std::max(1.0, u->value("concurrency", 1.0));
            steps[u->value("worker_id", "")].emplace_back(
                u->value("t_ms", 0.0), u->value("running", 0.0) / concurrency);
        } else if (j.contains("job_id") && j.value("worker_id", "") != "") {
            truth.jobs[j.value("job_id", "")]
                = { j.value("start_ms", 0.0), j.value("finish_ms", 0.0), j.value("worker_id", "") };
        }
    }
    // Written in batches, not in time order; a stable sort keeps same-time steps in written order.
    for (auto& [worker, s] : steps) {
        std::stable_sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        truth.workers[worker] = std::move(s);
    }
    return truth;
}

namespace {

WorkloadConfig saturationWorkload(const nlohmann::json& params, const WorkloadConfig& base)
{
    WorkloadConfig w;
    w.timeoutS = base.timeoutS;
    w.pollIntervalMs = base.pollIntervalMs;
    w.healthIntervalS = base.healthIntervalS;
    w.warmupRequests = 1; // wakes a worker, so the sweep measures a warm GPU
    const int perLevel = params["requests_per_level"].get<int>();
    for (const nlohmann::json& c : params["concurrency"]) {
        WorkloadStep level;
        level.kind = StepKind::Closed;
        level.concurrency = { c.get<int>() };
        // At least two rounds of the level's clients, so most requests run at its utilisation.
        level.requests = std::max(perLevel, 2 * c.get<int>());
        w.steps.push_back(level);
    }
    return w;
}

// The analysis input of a run: its requests on the clock of the utilisation they ran under.
} // namespace

SaturationInput saturationInput(const StudyProbe& probe, const TruthUtilization* truth, std::vector<std::string>& notes)
{
    SaturationInput in;
    std::vector<const RequestRecord*> measured;
    int cold = 0, failed = 0;
    for (const RequestRecord& rec : probe.records) {
        if (rec.step < 0) // the warm-up
            continue;
        if (!rec.ok)
            ++failed;
        else if (rec.cold == ColdLabel::Cold)
            ++cold; // its latency is the worker's boot, not the GPU's load
        else
            measured.push_back(&rec);
    }
    // The platform's execution time where every request has it: the queue in front of a full
    // worker grows with load whatever the GPU does, and would hide the GPU's own knee.
    const bool execution = !measured.empty()
        && std::all_of(measured.begin(), measured.end(), [](const RequestRecord* r) { return r->execMs.has_value(); });
    in.latencyName = execution ? "execution time" : "latency";
    const auto latency = [&](const RequestRecord& r) { return execution ? *r.execMs : r.latencyMs(); };
    if (truth) {
        in.utilization = truth->workers;
        in.source = "the emulator's ground truth, each request's own worker (running jobs / its concurrency)";
        int unmatched = 0;
        for (const RequestRecord* r : measured) {
            const auto job = truth->jobs.find(r->jobId);
            if (job == truth->jobs.end()) {
                ++unmatched;
                continue;
            }
            in.requests.push_back({ latency(*r), job->second.startMs, job->second.finishMs, job->second.workerId });
        }
        if (unmatched > 0)
            notes.push_back(
                std::to_string(unmatched) + " request(s) were not found in the truth file and are left out.");
    } else {
        // nvidia-smi samples every GPU at once: their mean at each sample time, holding until the next.
        std::map<double, std::pair<double, int>> byTime;
        for (const GpuSample& g : probe.gpuSamples)
            if (g.utilizationPct) {
                auto& [sum, n] = byTime[g.tMs];
                sum += *g.utilizationPct / 100.0;
                ++n;
            }
        UtilizationSteps steps;
        for (const auto& [t, sumN] : byTime)
            steps.emplace_back(t, sumN.first / sumN.second);
        in.utilization[""] = std::move(steps);
        in.source = "nvidia-smi's utilization.gpu, the mean over the machine's GPUs";
        for (const RequestRecord* r : measured)
            in.requests.push_back({ latency(*r), r->startedMs.value_or(r->sentMs), r->finishedMs, "" });
    }
    if (cold > 0)
        notes.push_back(std::to_string(cold) + " cold request(s) are left out: their latency is a worker's start.");
    if (failed > 0)
        notes.push_back(std::to_string(failed) + " request(s) failed and are left out.");
    return in;
}

StudyType saturationStudyType()
{
    using K = StudyParam::Kind;
    StudyType t;
    t.kind = "saturation";
    t.title = "GPU saturation";
    t.summary = "how latency grows with GPU utilisation, and past which utilisation the GPU starves";
    t.params = {
        { "concurrency", K::NumberList, nlohmann::json::array({ 1, 2, 4, 8, 16, 32 }),
            "the closed-loop concurrency levels swept, in order (integers 1..1000)", 1, 1000 },
        { "requests_per_level", K::Integer, 20, "requests at each level (at least twice its concurrency)", 1, 100000 },
        { "bin_pct", K::Number, 10, "the width of a utilisation bin, in percentage points", 1, 50 },
    };
    t.run = [](StudyContext& ctx) {
        const nlohmann::json& settings = ctx.provider().settings;
        const bool fromTruth = settings.contains("truth") && settings["truth"].is_string();
        const bool launched = settings.contains("launch") && settings["launch"].is_object();
        if (!fromTruth && !launched)
            throw StudyRefused("the saturation study needs the GPU's utilisation over the run, and provider "
                + ctx.provider().id
                + " gives none: use a local server the run launches (\"launch\", its GPUs sampled with "
                  "nvidia-smi) or an emulated provider with a \"truth\" file");
        for (const nlohmann::json& c : ctx.params()["concurrency"])
            if (!c.is_number_integer())
                throw std::invalid_argument(
                    "studies.saturation.concurrency: must be whole numbers (got " + c.dump() + ")");
        const StudyProbe probe = ctx.run(saturationWorkload(ctx.params(), ctx.config().workload), "concurrency sweep");
        if (probe.records.empty())
            throw std::runtime_error("the run made no request: " + probe.message);
        if (!fromTruth && probe.gpuSamples.empty())
            throw StudyRefused("the run has no GPU samples: nvidia-smi was not found or gave nothing on this machine "
                               "(docs/measurement.md, \"Local servers\")");
        std::vector<std::string> notes;
        std::optional<TruthUtilization> truth;
        if (fromTruth)
            truth = readTruthUtilization(probe.truthPath);
        const SaturationInput input = saturationInput(probe, truth ? &*truth : nullptr, notes);
        StudyResult r = analyzeSaturation(input, ctx.params()["bin_pct"].get<double>());
        r.notes.insert(r.notes.end(), notes.begin(), notes.end());
        if (!probe.ok())
            r.notes.push_back("The run ended " + std::string(toString(probe.status)) + ": " + probe.message);
        return r;
    };
    return t;
}

} // namespace t2i
