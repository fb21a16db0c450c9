// SPDX-License-Identifier: Apache-2.0
#include "charts/studycharts.h"

#include "charts/chartstyle.h"

#include <QLineSeries>
#include <QPointF>
#include <QScatterSeries>

#include <algorithm>
#include <cmath>
#include <limits>

namespace t2i::ui {
namespace {

QList<QPointF> toPoints(const std::vector<std::pair<double, double>>& points)
{
    QList<QPointF> out;
    out.reserve(static_cast<qsizetype>(points.size()));
    for (const auto& [x, y] : points)
        if (std::isfinite(x) && std::isfinite(y)) // a stored NaN would blank the whole chart
            out.append(QPointF(x, y));
    return out;
}

// Each value held until the next point's x: (x0,y0) (x1,y0) (x1,y1) ...
QList<QPointF> stepped(const QList<QPointF>& points)
{
    QList<QPointF> out;
    out.reserve(points.size() * 2);
    for (qsizetype i = 0; i < points.size(); ++i) {
        if (i > 0)
            out.append(QPointF(points[i].x(), points[i - 1].y()));
        out.append(points[i]);
    }
    return out;
}

} // namespace

QChart* buildStudyChart(const StudyChart& chart, const ChartPalette& palette)
{
    QChart* out = style::newChart(palette, QString::fromStdString(chart.title));
    const QString xLabel = QString::fromStdString(chart.xLabel);
    const QString yLabel = QString::fromStdString(chart.yLabel);
    style::setUnits(out, xLabel, {}, yLabel, {});
    double xLo = std::numeric_limits<double>::infinity(), xHi = -xLo, yLo = xLo, yHi = -xLo;
    std::vector<std::pair<QXYSeries*, QList<QPointF>>> made;
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
        const StudySeries& series = chart.series[s];
        // Bounded again here: a stored result is trusted for its shape, not its size.
        QList<QPointF> points = toPoints(boundedPoints(series.points));
        for (const QPointF& p : points) {
            xLo = std::min(xLo, p.x());
            xHi = std::max(xHi, p.x());
            yLo = std::min(yLo, p.y());
            yHi = std::max(yHi, p.y());
        }
        QXYSeries* xy = nullptr;
        const QColor colour = palette.run(s);
        if (chart.style == "scatter") {
            auto* scatter = new QScatterSeries;
            scatter->setMarkerSize(7);
            scatter->setBorderColor(colour);
            xy = scatter;
        } else {
            auto* line = new QLineSeries;
            line->setPen(QPen(colour, 2));
            xy = line;
            if (chart.style == "step")
                points = stepped(points);
        }
        xy->setName(QString::fromStdString(series.name));
        xy->setColor(colour);
        made.emplace_back(xy, std::move(points));
    }
    if (!(xLo <= xHi)) { // no point at all: an empty frame, still labelled
        xLo = yLo = 0;
        xHi = yHi = 1;
    }
    // Counts and times start at zero more often than not; a y range near zero keeps it.
    if (yLo > 0 && yLo < (yHi - yLo) * 0.5)
        yLo = 0;
    auto* x = style::valueAxis(palette, xLabel, xLo, xHi);
    auto* y = style::valueAxis(palette, yLabel, yLo, yHi);
    for (auto& [series, points] : made) {
        series->replace(points); // filled before it is shown, never appended point by point
        style::attach(out, series, x, y);
    }
    out->legend()->setVisible(!chart.series.empty());
    return out;
}

} // namespace t2i::ui
