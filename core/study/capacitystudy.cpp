// SPDX-License-Identifier: Apache-2.0
#include "study/capacitystudy.h"

#include "stats/summary.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace t2i {

namespace {

constexpr int kWarmStep = 0; // each level's run: step 0 warm phase (discarded), step 1 measured window
constexpr int kMeasuredStep = 1;

WorkloadConfig levelWorkload(const nlohmann::json& params, const WorkloadConfig& base, double rate, double slaMs)
{
    WorkloadConfig w;
    // A request that waits several SLAs has failed the level anyway: the timeout bounds how long
    // an over-saturated level drains after its window (the run ends with its last request).
    w.timeoutS = std::min(base.timeoutS, std::max(10.0, 4.0 * slaMs / 1000.0));
    w.pollIntervalMs = base.pollIntervalMs;
    w.healthIntervalS = base.healthIntervalS;
    const StepKind kind = params["arrivals"].get<std::string>() == "poisson" ? StepKind::Poisson : StepKind::Constant;
    WorkloadStep warm;
    warm.kind = kind;
    warm.rate = rate;
    warm.durationS = params["warm_s"].get<double>();
    WorkloadStep measured = warm;
    measured.durationS = params["window_s"].get<double>();
    w.steps = { warm, measured };
    // The over-saturation guard: by Little's law a level that meets the SLA holds about
    // rate x p95 requests in flight; four times that (at least 16) can only be a queue that grows,
    // and the level stops there instead of draining it.
    w.maxInFlight = std::max(16, int(std::ceil(4.0 * rate * slaMs / 1000.0)));
    return w;
}

std::string seconds(double ms)
{
    return formatFinding(ms / 1000.0, "s");
}

std::string rateText(double rate)
{
    return formatFinding(rate, "req/s");
}

double meanInFlight(const std::vector<RequestRecord>& records, double fromMs, double toMs)
{
    constexpr int kPoints = 20;
    double sum = 0;
    for (int i = 0; i < kPoints; ++i) {
        const double t = fromMs + (toMs - fromMs) * (i + 0.5) / kPoints;
        for (const RequestRecord& r : records)
            sum += r.step >= 0 && r.sentMs <= t && r.doneMs > t ? 1 : 0;
    }
    return sum / kPoints;
}

std::string errorsText(const std::map<std::string, int>& byClass)
{
    std::string text;
    for (const auto& [name, count] : byClass)
        text += (text.empty() ? "" : ", ") + name + " " + std::to_string(count);
    return text.empty() ? "-" : text;
}

} // namespace

bool inFlightGrows(const std::vector<RequestRecord>& records, double fromMs, double toMs)
{
    if (records.empty() || toMs <= fromMs)
        return false;
    const double third = (toMs - fromMs) / 3.0;
    const double early = meanInFlight(records, fromMs, fromMs + third);
    const double late = meanInFlight(records, toMs - third, toMs);
    // A stable system's in-flight count wobbles around its mean; a queue that only grows adds
    // (rate - capacity) x window / 1.5 between the thirds. Both a relative and an absolute margin,
    // so one straggler at low load is not read as growth.
    return late > early * 1.3 + 1.0;
}

CapacityLevel analyzeCapacityLevel(
    const std::vector<RequestRecord>& records, double rate, double slaP95Ms, double maxErrorRate)
{
    CapacityLevel level;
    level.rate = rate;
    std::vector<double> latencies;
    double fromMs = std::numeric_limits<double>::infinity(), toMs = 0, lastDone = 0;
    for (const RequestRecord& r : records) {
        if (r.step != kMeasuredStep)
            continue;
        ++level.requests;
        fromMs = std::min(fromMs, r.intendedMs);
        toMs = std::max(toMs, r.intendedMs);
        lastDone = std::max(lastDone, r.doneMs);
        if (r.ok) {
            latencies.push_back(r.latencyMs());
        } else {
            ++level.failed;
            ++level.errorsByClass[r.errorClass == ErrorClass::None ? "unclassified"
                                                                   : std::string(toString(r.errorClass))];
        }
    }
    if (level.requests == 0) {
        level.reason = "no request was measured";
        return level;
    }
    std::sort(latencies.begin(), latencies.end());
    if (!latencies.empty()) {
        level.p50Ms = quantileNearestRank(latencies, 0.5);
        level.p95Ms = quantileNearestRank(latencies, 0.95);
        const Interval ci = bootstrapQuantileCi95(latencies, 0.95);
        level.p95LowMs = ci.lo;
        level.p95HighMs = ci.hi;
    }
    // Throughput: the successes over the time from the window's first send to its last result.
    if (lastDone > fromMs)
        level.achieved = double(latencies.size()) / ((lastDone - fromMs) / 1000.0);
    // The measured step starts once the warm phase's requests have ended, so its requests in
    // flight first ramp up for about one latency: the growth test starts after that.
    const double rampMs = level.p50Ms ? std::min(*level.p50Ms, (toMs - fromMs) / 3.0) : 0.0;
    level.queueGrows = inFlightGrows(records, fromMs + rampMs, toMs);

    std::vector<std::string> reasons;
    if (!level.p95Ms)
        reasons.push_back("no request succeeded");
    else if (*level.p95Ms > slaP95Ms)
        reasons.push_back("p95 " + seconds(*level.p95Ms) + " over " + seconds(slaP95Ms));
    if (level.errorRate() > maxErrorRate)
        reasons.push_back("errors " + formatFinding(100.0 * level.errorRate(), "%", {}, {}, 1) + " ("
            + errorsText(level.errorsByClass) + ")");
    if (level.queueGrows)
        reasons.push_back("requests in flight kept growing (over-saturated)");
    level.pass = reasons.empty();
    for (const std::string& reason : reasons)
        level.reason += (level.reason.empty() ? "" : "; ") + reason;
    return level;
}

CapacitySearch::CapacitySearch(double startRate, double maxRate, double precision, int maxLevels)
    : m_start(startRate)
    , m_max(maxRate)
    , m_precision(precision)
    , m_maxLevels(maxLevels)
{
}

std::optional<double> CapacitySearch::next() const
{
    if (m_levels >= m_maxLevels)
        return std::nullopt;
    if (!m_pass && !m_fail)
        return m_start;
    if (!m_fail) { // the ramp up: every level so far passed
        if (*m_pass >= m_max)
            return std::nullopt;
        return std::min(*m_pass * 2.0, m_max);
    }
    if (!m_pass) { // the ramp down: every level so far failed
        const double lower = *m_fail / 2.0;
        return lower < m_start / 64.0 ? std::nullopt : std::optional<double>(lower);
    }
    if (*m_fail - *m_pass <= m_precision * *m_pass)
        return std::nullopt;
    return (*m_pass + *m_fail) / 2.0;
}

void CapacitySearch::record(double rate, bool pass)
{
    ++m_levels;
    if (pass)
        m_pass = std::max(m_pass.value_or(rate), rate);
    else
        m_fail = std::min(m_fail.value_or(rate), rate);
}

StudyResult summarizeCapacity(std::vector<CapacityLevel> levels, double slaP95Ms, double maxErrorRate)
{
    StudyResult r;
    r.kind = "capacity";
    std::sort(levels.begin(), levels.end(), [](const auto& a, const auto& b) { return a.rate < b.rate; });
    const CapacityLevel* best = nullptr; // the highest passing level below every failing one
    const CapacityLevel* knee = nullptr; // the lowest failing level
    for (const CapacityLevel& l : levels)
        if (!l.pass && !knee)
            knee = &l;
    for (const CapacityLevel& l : levels)
        if (l.pass && (!knee || l.rate < knee->rate))
            best = &l;

    // The bracket, widened where the verdict at its ends is not certain: a pass whose p95
    // interval reaches past the SLA could have failed (take the highest pass below it that is
    // certain), a fail by p95 alone whose interval reaches under the SLA could have passed (take
    // the lowest fail above it that is certain).
    const auto certainPass = [&](const CapacityLevel& l) { return !l.p95HighMs || *l.p95HighMs <= slaP95Ms; };
    const auto certainFail = [&](const CapacityLevel& l) {
        return l.queueGrows || l.errorRate() > maxErrorRate || !l.p95LowMs || *l.p95LowMs > slaP95Ms;
    };
    std::optional<double> low, high;
    if (best) {
        low = 0.0;
        for (const CapacityLevel& l : levels)
            if (l.pass && l.rate <= best->rate && certainPass(l))
                low = l.rate;
    }
    if (knee) {
        for (auto it = levels.rbegin(); it != levels.rend(); ++it)
            if (!it->pass && it->rate >= knee->rate && certainFail(*it))
                high = it->rate;
        if (!high)
            high = levels.back().rate; // no failing level is certain: the highest tried bounds it
    }

    if (best)
        r.findings.push_back(
            makeFinding("capacity_rps", "Largest rate meeting the SLA", best->rate, "req/s", low, high, 2));
    else
        r.findings.push_back(makeFinding("capacity_rps", "Largest rate meeting the SLA", std::nullopt, "req/s"));
    if (best && best->p95Ms)
        r.findings.push_back(makeFinding("p95_at_capacity_s", "p95 at that rate", *best->p95Ms / 1000.0, "s",
            *best->p95LowMs / 1000.0, *best->p95HighMs / 1000.0));
    if (best)
        r.findings.push_back(
            makeFinding("throughput_at_capacity_rps", "Achieved throughput at that rate", best->achieved, "req/s"));
    if (knee)
        r.findings.push_back(makeFinding("knee_rps", "Lowest rate that broke the SLA", knee->rate, "req/s"));

    const std::string sla
        = "p95 <= " + seconds(slaP95Ms) + " and errors <= " + formatFinding(100.0 * maxErrorRate, "%", {}, {}, 1);
    if (best && knee)
        r.answer = "The platform sustains " + r.findings.front().text + " (" + sla + "; the bracket in brackets); at "
            + rateText(knee->rate) + " it broke: " + knee->reason + ".";
    else if (best)
        r.answer = "Every rate tried met the SLA (" + sla + "), up to " + rateText(best->rate)
            + ": the capacity is at least that (raise max_rate).";
    else if (knee)
        r.answer = "No rate tried met the SLA (" + sla + "), down to " + rateText(levels.front().rate) + ": "
            + levels.front().reason + ".";
    else
        r.answer = "No level was run.";

    StudyTable table { "Rate levels",
        { "rate (req/s)", "achieved (req/s)", "p50", "p95", "error rate", "errors by class", "verdict" }, {} };
    StudyChart p95Chart { "p95 latency against offered rate", "offered rate (req/s)", "p95 (s)", "line", {} };
    StudyChart throughputChart { "Throughput against offered rate", "offered rate (req/s)", "achieved (req/s)", "line",
        {} };
    StudySeries p95Series { "p95", {} }, slaSeries { "SLA", {} }, achievedSeries { "achieved", {} },
        offeredSeries { "offered", {} };
    for (const CapacityLevel& l : levels) {
        table.rows.push_back(
            { formatFinding(l.rate, ""), formatFinding(l.achieved, ""), l.p50Ms ? seconds(*l.p50Ms) : "-",
                l.p95Ms ? formatFinding(*l.p95Ms / 1000.0, "s", *l.p95LowMs / 1000.0, *l.p95HighMs / 1000.0) : "-",
                formatFinding(100.0 * l.errorRate(), "%", {}, {}, 1), errorsText(l.errorsByClass),
                l.pass ? "pass" : "fail: " + l.reason });
        if (l.p95Ms)
            p95Series.points.emplace_back(l.rate, *l.p95Ms / 1000.0);
        slaSeries.points.emplace_back(l.rate, slaP95Ms / 1000.0);
        achievedSeries.points.emplace_back(l.rate, l.achieved);
        offeredSeries.points.emplace_back(l.rate, l.rate);
    }
    r.tables.push_back(std::move(table));
    p95Chart.series = { p95Series, slaSeries };
    throughputChart.series = { achievedSeries, offeredSeries };
    r.charts.push_back(std::move(p95Chart));
    r.charts.push_back(std::move(throughputChart));
    r.notes.push_back("Each level is its own run: a warm phase (discarded), then the measured window. The bracket "
                      "runs from the highest passing rate whose p95 interval stays under the SLA to the lowest "
                      "failing rate that failed for certain (errors, growth, or a p95 interval wholly over it).");
    return r;
}

StudyType capacityStudyType()
{
    using K = StudyParam::Kind;
    StudyType t;
    t.kind = "capacity";
    t.title = "Capacity";
    t.summary = "the largest request rate the platform sustains within a p95 SLA and an error limit";
    t.params = {
        { "p95_ms", K::Number, 0, "the SLA's p95 latency in ms (0: the configuration's thresholds.p95_ms)", 0,
            std::nullopt },
        { "max_error_rate", K::Number, 0.01, "the largest error rate a passing level may have (0..1)", 0, 1 },
        { "start_rate", K::Number, 1, "the first rate tried, requests/s", 0.001, std::nullopt },
        { "max_rate", K::Number, 1000, "the highest rate tried, requests/s", 0.001, std::nullopt },
        { "precision", K::Number, 0.1, "stop when the bracket is within this share of the passing rate", 0.001, 1 },
        { "max_levels", K::Integer, 12, "the most rate levels (runs) the search makes", 1, 100 },
        { "warm_s", K::Number, 5, "each level's warm phase, discarded", 0, std::nullopt },
        { "window_s", K::Number, 30, "each level's measured window", 1, std::nullopt },
        { "arrivals", K::String, "constant", "constant or poisson", std::nullopt, std::nullopt },
    };
    t.run = [](StudyContext& ctx) {
        const nlohmann::json& params = ctx.params();
        double sla = params["p95_ms"].get<double>();
        if (sla <= 0) {
            if (!ctx.config().thresholds.p95Ms)
                throw std::runtime_error("the capacity study needs an SLA: set its p95_ms parameter or the "
                                         "configuration's thresholds.p95_ms");
            sla = *ctx.config().thresholds.p95Ms;
        }
        const std::string arrivals = params["arrivals"].get<std::string>();
        if (arrivals != "constant" && arrivals != "poisson")
            throw std::runtime_error(
                "studies.capacity.arrivals: must be \"constant\" or \"poisson\" (got \"" + arrivals + "\")");
        const double maxErrorRate = params["max_error_rate"].get<double>();
        CapacitySearch search(params["start_rate"].get<double>(), params["max_rate"].get<double>(),
            params["precision"].get<double>(), params["max_levels"].get<int>());
        std::vector<CapacityLevel> levels;
        std::vector<std::string> notes;
        while (const auto rate = search.next()) {
            if (ctx.cancelled())
                break;
            const StudyProbe probe = ctx.run(
                levelWorkload(params, ctx.config().workload, *rate, sla), "rate " + formatFinding(*rate, "req/s"));
            if (probe.records.empty())
                throw std::runtime_error("the level at " + rateText(*rate) + " made no request: " + probe.message);
            CapacityLevel level = analyzeCapacityLevel(probe.records, *rate, sla, maxErrorRate);
            if (probe.status == RunStatus::Stopped && probe.message.starts_with("over-saturated")) {
                level.queueGrows = true;
                level.pass = false;
                level.reason = "stopped early, " + probe.message.substr(0, probe.message.find(';'))
                    + (level.reason.empty() ? "" : "; " + level.reason);
            } else if (!probe.ok())
                notes.push_back("The level at " + rateText(*rate) + " ended " + std::string(toString(probe.status))
                    + ": " + probe.message);
            ctx.progress("rate " + rateText(*rate) + ": " + (level.pass ? "pass" : "fail: " + level.reason));
            search.record(level.rate, level.pass);
            levels.push_back(std::move(level));
        }
        StudyResult r = summarizeCapacity(std::move(levels), sla, maxErrorRate);
        r.notes.insert(r.notes.end(), notes.begin(), notes.end());
        return r;
    };
    return t;
}

} // namespace t2i
