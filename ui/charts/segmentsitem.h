// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartdata.h"
#include "charts/palette.h"

#include <QChart>
#include <QGraphicsObject>

#include <vector>

class QAbstractSeries;

namespace t2i::ui {

// Draws a timeline's stage segments inside a chart's plot area, mapped through the axes of an
// anchor series, so zoom, pan, export and printing treat it like any series. Qt Charts has no
// series with gaps; thousands of one-segment series would cost far more than one item painting
// bounded data (at most kMaxTimelineRequests rows).
class SegmentsItem : public QGraphicsObject {
    Q_OBJECT
public:
    SegmentsItem(QChart* chart, QAbstractSeries* anchor, std::vector<charts::TimelineSegment> segments,
        const ChartPalette& palette);

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    const std::vector<charts::TimelineSegment>& segments() const { return m_segments; }
    // Draw every stride-th row only (vector exports of very large timelines); 1 draws all.
    void setRowStride(int stride);
    // The segment under a chart position, for tooltips; nullptr when none.
    const charts::TimelineSegment* segmentAt(const QPointF& chartPosition) const;

private:
    void refresh();

    QChart* m_chart;
    QAbstractSeries* m_anchor;
    std::vector<charts::TimelineSegment> m_segments;
    ChartPalette m_palette;
    int m_stride = 1;
};

} // namespace t2i::ui
