// SPDX-License-Identifier: Apache-2.0
#include "segmentsitem.h"

#include <QAbstractAxis>
#include <QAbstractSeries>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace t2i::ui {

SegmentsItem::SegmentsItem(
    QChart* chart, QAbstractSeries* anchor, std::vector<charts::TimelineSegment> segments, const ChartPalette& palette)
    : QGraphicsObject(chart)
    , m_chart(chart)
    , m_anchor(anchor)
    , m_segments(std::move(segments))
    , m_palette(palette)
{
    setZValue(chart->zValue() + 10); // above the grid, below the legend and the title
    setAcceptHoverEvents(false);
    connect(chart, &QChart::plotAreaChanged, this, &SegmentsItem::refresh);
    for (QAbstractAxis* axis : chart->axes())
        connect(axis, &QAbstractAxis::visibleChanged, this, &SegmentsItem::refresh);
    for (QAbstractAxis* axis : anchor->attachedAxes())
        if (auto* valueAxis = qobject_cast<QValueAxis*>(axis)) // zoom and pan move the ranges
            connect(valueAxis, &QValueAxis::rangeChanged, this, &SegmentsItem::refresh);
}

void SegmentsItem::refresh()
{
    prepareGeometryChange();
    update();
}

void SegmentsItem::setRowStride(int stride)
{
    m_stride = std::max(1, stride);
    update();
}

QRectF SegmentsItem::boundingRect() const
{
    return m_chart->plotArea();
}

void SegmentsItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    const QRectF plot = m_chart->plotArea();
    // The axes are linear: two mapped points give the whole affine map.
    const QPointF origin = m_chart->mapToPosition(QPointF(0, 0), m_anchor);
    const QPointF unit = m_chart->mapToPosition(QPointF(1, 1), m_anchor);
    const double sx = unit.x() - origin.x();
    const double sy = unit.y() - origin.y();
    const double rowHeight = std::max(0.7, std::fabs(sy) * 0.8 * m_stride);
    painter->save();
    painter->setClipRect(plot);
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(Qt::NoPen);
    int lastStage = -1;
    for (const charts::TimelineSegment& s : m_segments) {
        if (m_stride > 1 && s.row % static_cast<std::uint32_t>(m_stride) != 0)
            continue;
        const double y = origin.y() + sy * static_cast<double>(s.row);
        if (y < plot.top() - rowHeight || y > plot.bottom() + rowHeight)
            continue;
        double x0 = origin.x() + sx * s.startS;
        double x1 = origin.x() + sx * s.endS;
        if (x1 < plot.left() || x0 > plot.right())
            continue;
        if (x1 - x0 < 0.6) // keep sub-pixel stages visible
            x1 = x0 + 0.6;
        if (s.stage != lastStage) {
            painter->setBrush(m_palette.stage(s.stage));
            lastStage = s.stage;
        }
        painter->drawRect(QRectF(x0, y - rowHeight / 2, x1 - x0, rowHeight));
    }
    painter->restore();
}

const charts::TimelineSegment* SegmentsItem::segmentAt(const QPointF& position) const
{
    const QPointF value = m_chart->mapToValue(position, m_anchor);
    const QPointF origin = m_chart->mapToPosition(QPointF(0, 0), m_anchor);
    const QPointF unit = m_chart->mapToPosition(QPointF(1, 1), m_anchor);
    const double rowsPerPixel = 1.0 / std::max(1e-9, std::fabs(unit.y() - origin.y()));
    const double tolerance = std::max(0.5, 2.0 * rowsPerPixel);
    const charts::TimelineSegment* best = nullptr;
    double bestDistance = tolerance;
    for (const charts::TimelineSegment& s : m_segments) {
        const double distance = std::fabs(static_cast<double>(s.row) - value.y());
        if (distance <= bestDistance && value.x() >= s.startS && value.x() <= s.endS) {
            best = &s;
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace t2i::ui
