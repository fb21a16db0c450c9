// SPDX-License-Identifier: Apache-2.0
#include "timecharts.h"
#include "stats/sortdoubles.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace t2i::charts {
namespace {

constexpr double kMsPerS = 1000.0;

void addSegment(Timeline& t, std::uint32_t row, double fromMs, double toMs, TimelineSegment::Stage stage)
{
    if (toMs > fromMs)
        t.segments.push_back({ fromMs / kMsPerS, toMs / kMsPerS, row, stage });
}

void addRequest(Timeline& t, const RunColumns& c, std::size_t i, std::uint32_t row)
{
    addSegment(t, row, c.intendedMs[i], c.sentMs[i], TimelineSegment::ClientLag);
    if (!c.isOk(i)) {
        addSegment(t, row, c.sentMs[i], c.doneMs[i], TimelineSegment::Failed);
        return;
    }
    const double started = c.startedMs[i];
    if (RunColumns::known(started)) {
        const auto wait = c.coldLabel(i) == ColdLabel::Cold ? TimelineSegment::ColdStart : TimelineSegment::Queue;
        addSegment(t, row, c.sentMs[i], started, wait);
        const double execEnd
            = RunColumns::known(c.execMs[i]) ? std::min(started + c.execMs[i], c.finishedMs[i]) : c.finishedMs[i];
        addSegment(t, row, started, execEnd, TimelineSegment::Execution);
        addSegment(t, row, execEnd, c.finishedMs[i], TimelineSegment::Delivery);
    } else {
        addSegment(t, row, c.sentMs[i], c.finishedMs[i], TimelineSegment::InFlight);
    }
    addSegment(t, row, c.finishedMs[i], c.doneMs[i], TimelineSegment::Download);
}

std::vector<std::size_t> measuredByIntended(const RunColumns& c)
{
    std::vector<std::size_t> order;
    order.reserve(c.size());
    for (std::size_t i = 0; i < c.size(); ++i)
        if (c.measured(i))
            order.push_back(i);
    std::stable_sort(
        order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return c.intendedMs[a] < c.intendedMs[b]; });
    return order;
}

std::vector<XY> workerSeries(
    std::span<const WorkerSample> samples, double endS, std::size_t maxPoints, int (*value)(const WorkerSample&))
{
    std::vector<XY> steps;
    steps.reserve(samples.size());
    for (const WorkerSample& s : samples)
        steps.push_back({ s.tMs / kMsPerS, static_cast<double>(value(s)) });
    return thinStepMax(steps, endS, maxPoints);
}

} // namespace

Timeline timeline(const RunColumns& c, std::size_t maxRequests)
{
    Timeline t;
    const std::vector<std::size_t> order = measuredByIntended(c);
    t.requests = order.size();
    if (order.empty() || maxRequests == 0)
        return t;
    std::vector<std::size_t> shown;
    if (order.size() <= maxRequests) {
        shown = order;
    } else {
        t.sampled = true;
        shown.reserve(maxRequests);
        const double first = c.intendedMs[order.front()];
        const double last = c.intendedMs[order.back()];
        std::size_t next = 0; // the first request not yet shown, in intended order
        for (std::size_t j = 0; j < maxRequests && next < order.size(); ++j) {
            const double at = first + (last - first) * static_cast<double>(j) / static_cast<double>(maxRequests - 1);
            const auto it = std::lower_bound(order.begin() + static_cast<std::ptrdiff_t>(next), order.end(), at,
                [&](std::size_t i, double value) { return c.intendedMs[i] < value; });
            if (it == order.end())
                break;
            shown.push_back(*it);
            next = static_cast<std::size_t>(it - order.begin()) + 1;
        }
    }
    t.shown = shown.size();
    t.segments.reserve(shown.size() * 4);
    for (std::size_t row = 0; row < shown.size(); ++row)
        addRequest(t, c, shown[row], static_cast<std::uint32_t>(row));
    return t;
}

std::vector<XY> thinStepMax(std::span<const XY> steps, double endS, std::size_t maxPoints)
{
    if (steps.size() <= maxPoints || maxPoints < 2)
        return { steps.begin(), steps.end() };
    // Each bucket reports the highest value the function took in it, at the bucket's start.
    const double startS = std::min(0.0, steps.front().x);
    const std::size_t buckets = maxPoints;
    const double width = std::max(endS - startS, 1e-9) / static_cast<double>(buckets);
    std::vector<XY> out;
    out.reserve(buckets);
    std::size_t i = 0;
    double current = 0; // the value in force entering the bucket
    for (std::size_t b = 0; b < buckets; ++b) {
        const double from = startS + width * static_cast<double>(b);
        const double to = from + width;
        double peak = current;
        while (i < steps.size() && steps[i].x < to) {
            current = steps[i].y;
            peak = std::max(peak, current);
            ++i;
        }
        out.push_back({ from, peak });
    }
    return out;
}

TimeSeries timeSeries(
    const RunColumns& c, std::span<const WorkerSample> samples, std::size_t maxPoints, std::size_t buckets)
{
    TimeSeries ts;
    double endMs = 0;
    std::vector<double> sent, done;
    sent.reserve(c.size());
    done.reserve(c.size());
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (!c.measured(i))
            continue;
        sent.push_back(c.sentMs[i]);
        done.push_back(c.doneMs[i]);
        endMs = std::max(endMs, c.doneMs[i]);
    }
    for (const WorkerSample& s : samples)
        endMs = std::max(endMs, s.tMs);
    const double endS = endMs / kMsPerS;

    // In flight: +1 at each send, -1 at each completion, merged in time order.
    sortDoubles(sent);
    sortDoubles(done);
    std::vector<XY> inFlight;
    inFlight.reserve(sent.size() + done.size() + 1);
    inFlight.push_back({ 0.0, 0.0 });
    double level = 0;
    for (std::size_t a = 0, b = 0; a < sent.size() || b < done.size();) {
        // A completion at the same instant as a send is counted first: the slot it frees is reused.
        const bool isDone = b < done.size() && (a == sent.size() || done[b] <= sent[a]);
        const double t = isDone ? done[b++] : sent[a++];
        level += isDone ? -1.0 : 1.0;
        if (inFlight.back().x == t / kMsPerS)
            inFlight.back().y = level;
        else
            inFlight.push_back({ t / kMsPerS, level });
    }
    ts.inFlight = thinStepMax(inFlight, endS, maxPoints);

    ts.hasWorkerSamples = !samples.empty();
    if (ts.hasWorkerSamples) {
        ts.workersRunning = workerSeries(samples, endS, maxPoints, [](const WorkerSample& s) { return s.running; });
        ts.workersIdle = workerSeries(samples, endS, maxPoints, [](const WorkerSample& s) { return s.idle; });
        ts.workersInitializing
            = workerSeries(samples, endS, maxPoints, [](const WorkerSample& s) { return s.initializing; });
        ts.queueDepth = workerSeries(samples, endS, maxPoints, [](const WorkerSample& s) { return s.inQueue; });
    }

    // Errors and images per interval of completion time. The interval is a round number of
    // seconds (1, 2 or 5 times a power of ten) giving at most `buckets` intervals.
    buckets = std::max<std::size_t>(1, buckets);
    const double raw = std::max(endS, 1e-3) / static_cast<double>(buckets);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    ts.bucketS = magnitude * (raw <= magnitude ? 1 : raw <= 2 * magnitude ? 2 : raw <= 5 * magnitude ? 5 : 10);
    buckets = std::clamp<std::size_t>(
        static_cast<std::size_t>(std::ceil(std::max(endS, 1e-3) / ts.bucketS - 1e-9)), 1, buckets);
    std::vector<double> errors(buckets, 0.0), images(buckets, 0.0);
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (!c.measured(i))
            continue;
        const auto b
            = std::min(buckets - 1, static_cast<std::size_t>(std::max(0.0, c.doneMs[i] / kMsPerS / ts.bucketS)));
        if (c.isOk(i))
            images[b] += std::max(0, c.images[i]);
        else
            errors[b] += 1.0;
    }
    for (std::size_t b = 0; b < buckets; ++b) {
        const double start = static_cast<double>(b) * ts.bucketS;
        ts.errors.push_back({ start, errors[b] });
        ts.throughputIps.push_back({ start, images[b] / ts.bucketS });
    }
    return ts;
}

} // namespace t2i::charts
