// SPDX-License-Identifier: Apache-2.0
#include "charts/livechart.h"

#include "charts/chartstyle.h"

#include <QChart>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace t2i::ui {
namespace {

// The smallest 1, 2 or 5 times a power of ten at or above value: an axis end that does not
// jitter with every update.
double niceCeiling(double value)
{
    if (!(value > 0))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double m : { 1.0, 2.0, 5.0, 10.0 })
        if (m * magnitude >= value)
            return m * magnitude;
    return 10 * magnitude;
}

} // namespace

LiveChart::LiveChart(const QString& title, const QString& yTitle, const QStringList& lines, const QString& marks,
    const ChartPalette& palette)
    : m_chart(style::newChart(palette, title))
    , m_x(style::valueAxis(palette, QObject::tr("time in run (s)"), 0, 10))
    , m_y(style::valueAxis(palette, yTitle, 0, 1))
{
    for (qsizetype i = 0; i < lines.size(); ++i) {
        auto* series = new QLineSeries;
        series->setName(lines[i]);
        QPen pen(palette.run(std::size_t(i)));
        pen.setWidthF(1.6);
        series->setPen(pen);
        style::attach(m_chart, series, m_x, m_y);
        m_lines.push_back(series);
    }
    if (!marks.isEmpty()) {
        m_marks = new QScatterSeries;
        m_marks->setName(marks);
        m_marks->setMarkerSize(9);
        m_marks->setColor(palette.run(4));
        m_marks->setBorderColor(palette.run(4));
        style::attach(m_chart, m_marks, m_x, m_y);
    }
}

void LiveChart::setData(const std::vector<QVector<QPointF>>& lines, const QVector<QPointF>& marks)
{
    double maxX = 10, maxY = 0;
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        const QVector<QPointF> points = i < lines.size() ? lines[i] : QVector<QPointF>();
        for (const QPointF& p : points) {
            maxX = std::max(maxX, p.x());
            maxY = std::max(maxY, p.y());
        }
        m_lines[i]->replace(points);
    }
    if (m_marks) {
        for (const QPointF& p : marks) {
            maxX = std::max(maxX, p.x());
            maxY = std::max(maxY, p.y());
        }
        m_marks->replace(marks);
    }
    const double xEnd = niceCeiling(maxX), yEnd = niceCeiling(maxY * 1.05);
    m_x->setRange(0, xEnd);
    m_y->setRange(0, yEnd);
    // Whole numbers once a tick step is 1 or more (a fifth of the range): "5,000", not "5,000.0".
    m_x->setLabelFormat(xEnd >= 5 ? QStringLiteral("%.0f") : QStringLiteral("%.1f"));
    m_y->setLabelFormat(yEnd >= 5 ? QStringLiteral("%.0f") : QStringLiteral("%.1f"));
}

int LiveChart::pointCount() const
{
    int count = m_marks ? int(m_marks->count()) : 0;
    for (const QLineSeries* series : m_lines)
        count += int(series->count());
    return count;
}

} // namespace t2i::ui
