// SPDX-License-Identifier: Apache-2.0
// Charts over the run's time: the request timeline, requests in flight, workers and queue,
// errors and throughput.
#include "chartbuilders.h"
#include "chartstyle.h"
#include "segmentsitem.h"

#include <QLineSeries>

#include <algorithm>

namespace t2i::ui {

using namespace t2i::charts;

namespace {

// A step function's points (value held until the next change) drawn as a staircase.
QList<QPointF> staircase(const std::vector<XY>& steps, double endS)
{
    QList<QPointF> points;
    points.reserve(static_cast<qsizetype>(steps.size() * 2 + 1));
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (i > 0)
            points.append(QPointF(steps[i].x, steps[i - 1].y));
        points.append(QPointF(steps[i].x, steps[i].y));
    }
    if (!steps.empty() && endS > steps.back().x)
        points.append(QPointF(endS, steps.back().y));
    return points;
}

double endOf(const ComparisonData& data)
{
    double end = 0;
    for (const RunChartData& run : data.runs) {
        if (!run.time.errors.empty())
            end = std::max(end, run.time.errors.back().x + run.time.bucketS);
        if (!run.time.inFlight.empty())
            end = std::max(end, run.time.inFlight.back().x);
    }
    return end;
}

} // namespace

QChart* timelineChart(const ComparisonData& data, const ChartOptions& o)
{
    const ChartPalette palette { o.dark };
    if (o.run >= data.runs.size())
        return style::newChart(palette, QStringLiteral("Timeline"), QStringLiteral("no such run"));
    const RunChartData& run = data.runs[o.run];
    const Timeline& t = run.timeline;
    QString subtitle = QString::fromStdString(run.label) + QStringLiteral(" · ");
    subtitle += t.sampled ? QStringLiteral("%1 of %2 requests, sampled evenly by intended send time")
                                .arg(style::thousands(t.shown), style::thousands(t.requests))
                          : QStringLiteral("all %1 measured requests").arg(style::thousands(t.requests));
    QChart* chart = style::newChart(palette, QStringLiteral("Request timeline"), subtitle);
    style::setUnits(
        chart, QStringLiteral("time since start"), QStringLiteral("s"), QStringLiteral("request"), QString());
    double end = 0;
    for (const TimelineSegment& s : t.segments)
        end = std::max(end, s.endS);
    QValueAxis* x = style::valueAxis(palette, QStringLiteral("time since the run started (s)"), 0, std::max(end, 1.0));
    QValueAxis* y = style::valueAxis(
        palette, QStringLiteral("request (by send time)"), 0, std::max(1.0, static_cast<double>(t.shown)), true);
    y->setReverse(true); // the first request on top, as in a waterfall
    // The frame: spans the data so the axes have a series to map through; never drawn.
    auto* frame = new QLineSeries;
    frame->replace({ QPointF(0, 0), QPointF(std::max(end, 1.0), static_cast<double>(t.shown)) });
    frame->setPen(Qt::NoPen);
    frame->setName(QStringLiteral("frame"));
    style::attach(chart, frame, x, y);
    style::hideFromLegend(chart, frame);
    // Legend entries, one per stage that occurs.
    bool present[kTimelineStageCount] = {};
    for (const TimelineSegment& s : t.segments)
        present[s.stage] = true;
    for (int stage = 0; stage < kTimelineStageCount; ++stage) {
        if (!present[stage])
            continue;
        auto* key = new QLineSeries;
        key->setName(QString::fromUtf8(stageName(static_cast<TimelineSegment::Stage>(stage))));
        key->setColor(palette.stage(static_cast<TimelineSegment::Stage>(stage)));
        style::attach(chart, key, x, y);
    }
    new SegmentsItem(chart, frame, t.segments, palette); // owned by the chart
    return chart;
}

QChart* timeSeriesChart(const ComparisonData& data, const ChartOptions& o, ChartKind kind)
{
    const ChartPalette palette { o.dark };
    const double end = std::max(endOf(data), 1.0);
    QString title, subtitle, yTitle, yUnit;
    double bucket = data.runs.empty() ? 0 : data.runs.front().time.bucketS;
    for (const RunChartData& run : data.runs)
        bucket = std::max(bucket, run.time.bucketS);
    switch (kind) {
    case ChartKind::InFlight:
        title = QStringLiteral("Requests in flight");
        subtitle = QStringLiteral("sent and not yet done, as the client saw them");
        yTitle = QStringLiteral("requests in flight");
        break;
    case ChartKind::Workers:
        title = QStringLiteral("Workers and queue");
        subtitle = QStringLiteral("the platform's own counters · solid: running workers · dashed: jobs in queue");
        yTitle = QStringLiteral("workers / jobs");
        break;
    case ChartKind::Errors:
        title = QStringLiteral("Errors over time");
        subtitle = QStringLiteral("failed requests per %1 s, by completion time").arg(QString::number(bucket, 'g', 3));
        yTitle = QStringLiteral("failed requests per interval");
        break;
    default:
        title = QStringLiteral("Throughput over time");
        subtitle
            = QStringLiteral("images completed per second, averaged over %1 s").arg(QString::number(bucket, 'g', 3));
        yTitle = QStringLiteral("throughput (images/s)");
        yUnit = QStringLiteral("images/s");
        break;
    }
    QChart* chart = style::newChart(palette, title, subtitle);
    style::setUnits(chart, QStringLiteral("time"), QStringLiteral("s"), yTitle, yUnit);
    double peak = 0;
    bool anyWorkers = false;
    struct Line {
        std::size_t run;
        QString name;
        QList<QPointF> points;
        Qt::PenStyle style;
    };
    std::vector<Line> lines;
    for (std::size_t r = 0; r < data.runs.size(); ++r) {
        const RunChartData& run = data.runs[r];
        const QString name = QString::fromStdString(run.legend);
        switch (kind) {
        case ChartKind::InFlight:
            lines.push_back({ r, name, staircase(run.time.inFlight, end), Qt::SolidLine });
            break;
        case ChartKind::Workers:
            if (run.time.hasWorkerSamples) {
                anyWorkers = true;
                lines.push_back({ r, name, staircase(run.time.workersRunning, end), Qt::SolidLine });
                lines.push_back(
                    { r, name + QStringLiteral(" · queue"), staircase(run.time.queueDepth, end), Qt::DashLine });
            }
            break;
        case ChartKind::Errors: // counts per interval: a step, flat over each interval
            lines.push_back({ r, name,
                staircase(run.time.errors, run.time.errors.empty() ? 0 : run.time.errors.back().x + run.time.bucketS),
                Qt::SolidLine });
            break;
        default:
            lines.push_back({ r, name,
                staircase(run.time.throughputIps,
                    run.time.throughputIps.empty() ? 0 : run.time.throughputIps.back().x + run.time.bucketS),
                Qt::SolidLine });
            break;
        }
    }
    for (const Line& line : lines)
        for (const QPointF& p : line.points)
            peak = std::max(peak, p.y());
    if (kind == ChartKind::Workers && !anyWorkers)
        style::setTitle(chart, palette, title,
            QStringLiteral("no worker counters were sampled: only platforms with a health endpoint report them"));
    QValueAxis* x = style::valueAxis(palette, QStringLiteral("time since the run started (s)"), 0, end);
    QValueAxis* y = style::valueAxis(palette, yTitle, 0, std::max(1.0, peak * 1.08), kind != ChartKind::Throughput);
    for (const Line& line : lines) {
        auto* series = new QLineSeries;
        series->replace(line.points);
        series->setName(line.name);
        series->setPen(QPen(palette.run(line.run), 1.8, line.style));
        style::attach(chart, series, x, y);
        if (line.style != Qt::SolidLine) // the subtitle says what dashes mean; the legend names runs
            style::hideFromLegend(chart, series);
    }
    if (lines.empty()) { // keep the axes on screen
        auto* empty = new QLineSeries;
        style::attach(chart, empty, x, y);
        style::hideFromLegend(chart, empty);
    }
    return chart;
}

} // namespace t2i::ui
