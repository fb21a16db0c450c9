// SPDX-License-Identifier: Apache-2.0
#include "study/localstartstudy.h"

#include "stats/summary.h"

#include <algorithm>

namespace t2i {

namespace {

// One request, no warm-up: the run's first image is that request's, and the launch timings end there.
WorkloadConfig oneRequestWorkload(const WorkloadConfig& base)
{
    WorkloadConfig w;
    w.timeoutS = base.timeoutS;
    w.pollIntervalMs = base.pollIntervalMs;
    w.healthIntervalS = base.healthIntervalS;
    w.warmupRequests = 0;
    WorkloadStep one;
    one.kind = StepKind::Closed;
    one.concurrency = { 1 };
    one.requests = 1;
    w.steps = { one };
    return w;
}

std::optional<double> secondsOf(const nlohmann::json& launch, const char* key)
{
    const auto it = launch.find(key);
    if (it == launch.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>() / 1000.0;
}

std::string seconds(std::optional<double> s)
{
    return s ? formatFinding(*s, "s") : std::string("-");
}

// The median with its 95% bootstrap interval (none from a single start).
StudyFinding medianFinding(const std::string& key, const std::string& label, std::vector<double> values)
{
    if (values.empty())
        return makeFinding(key, label, std::nullopt, "s");
    std::sort(values.begin(), values.end());
    const double median = quantileNearestRank(values, 0.5);
    if (values.size() < 2)
        return makeFinding(key, label, median, "s");
    const Interval ci = bootstrapQuantileCi95(values, 0.5);
    return makeFinding(key, label, median, "s", ci.lo, ci.hi);
}

} // namespace

LocalStart localStartFromRun(
    const std::string& runId, const std::string& environmentJson, bool runOk, const std::string& message)
{
    LocalStart s;
    s.runId = runId;
    const nlohmann::json environment = nlohmann::json::parse(environmentJson, nullptr, false);
    const nlohmann::json launch
        = environment.is_object() ? environment.value("launch", nlohmann::json()) : nlohmann::json();
    if (launch.is_object()) {
        s.startToReadyS = secondsOf(launch, "start_to_ready_ms");
        s.readyToFirstImageS = secondsOf(launch, "ready_to_first_image_ms");
        s.startToFirstImageS = secondsOf(launch, "start_to_first_image_ms");
    }
    if (!s.startToFirstImageS)
        s.problem = !message.empty() ? message
            : !launch.is_object()    ? "the run has no launch timings"
            : runOk                  ? "no request succeeded"
                                     : "the run failed";
    return s;
}

StudyResult analyzeLocalStart(const std::vector<LocalStart>& starts)
{
    StudyResult r;
    r.kind = "local_start";
    std::vector<double> ready, readyToImage, image;
    for (const LocalStart& s : starts) {
        if (s.startToReadyS)
            ready.push_back(*s.startToReadyS);
        if (s.readyToFirstImageS)
            readyToImage.push_back(*s.readyToFirstImageS);
        if (s.startToFirstImageS)
            image.push_back(*s.startToFirstImageS);
    }
    r.findings.push_back(medianFinding("start_to_first_image_s", "Process start to first image (median)", image));
    r.findings.push_back(medianFinding("start_to_ready_s", "Process start to ready (median)", ready));
    r.findings.push_back(medianFinding("ready_to_first_image_s", "Ready to first image (median)", readyToImage));
    if (!image.empty())
        r.answer = "A fresh start of the local server gives its first image after " + r.findings[0].text
            + " at the median of " + std::to_string(image.size()) + " start" + (image.size() == 1 ? "" : "s")
            + ": ready after " + r.findings[1].text + ", then " + r.findings[2].text
            + " for the first request (95% confidence interval in brackets).";
    else
        r.answer
            = starts.empty() ? "No start was made." : "No start reached a first image: " + starts.front().problem + ".";

    StudyTable table { "Starts",
        { "start", "run", "start to ready", "ready to first image", "start to first image", "problem" }, {} };
    StudyChart chart { "Local cold start by start", "start", "seconds", "scatter", {} };
    StudySeries readySeries { "start to ready", {} }, imageSeries { "start to first image", {} };
    for (std::size_t i = 0; i < starts.size(); ++i) {
        const LocalStart& s = starts[i];
        table.rows.push_back({ std::to_string(i + 1), s.runId.empty() ? "-" : s.runId, seconds(s.startToReadyS),
            seconds(s.readyToFirstImageS), seconds(s.startToFirstImageS), s.problem.empty() ? "-" : s.problem });
        if (s.startToReadyS)
            readySeries.points.emplace_back(double(i + 1), *s.startToReadyS);
        if (s.startToFirstImageS)
            imageSeries.points.emplace_back(double(i + 1), *s.startToFirstImageS);
    }
    r.tables.push_back(std::move(table));
    chart.series.push_back(std::move(readySeries));
    chart.series.push_back(std::move(imageSeries));
    r.charts.push_back(std::move(chart));
    const std::size_t failed = starts.size() - image.size();
    if (failed > 0)
        r.notes.push_back(std::to_string(failed)
            + " start(s) gave no first image (the table says why) and are left "
              "out of the stages they did not reach.");
    r.notes.push_back("Each start is a run of one request that launches the server afresh; ready is polled every "
                      "50 ms, so it is up to 50 ms late. The interval is the percentile-bootstrap interval of the "
                      "median (docs/statistics.md): with few starts it is wide.");
    return r;
}

StudyType localStartStudyType()
{
    using K = StudyParam::Kind;
    StudyType t;
    t.kind = "local_start";
    t.title = "Local start";
    t.summary = "how long a launched local server takes from process start to ready and to its first image";
    t.params = {
        { "repeat", K::Integer, 5, "fresh starts of the server, each a run of one request", 1, 1000 },
    };
    t.run = [](StudyContext& ctx) {
        if (!ctx.provider().settings.contains("launch"))
            throw StudyRefused("the provider \"" + ctx.provider().id
                + "\" has no launch: t2ibench does not start its server, so it cannot time the server's start "
                  "(docs/configuration.md, \"Launching a local server\")");
        std::vector<LocalStart> starts;
        const int count = ctx.params()["repeat"].get<int>();
        for (int i = 1; i <= count && !ctx.cancelled(); ++i) {
            const StudyProbe probe = ctx.run(oneRequestWorkload(ctx.config().workload), "start " + std::to_string(i));
            starts.push_back(
                localStartFromRun(probe.runId, probe.environmentJson, probe.ok(), probe.ok() ? "" : probe.message));
        }
        return analyzeLocalStart(starts);
    };
    return t;
}

} // namespace t2i
