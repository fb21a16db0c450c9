// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/palette.h"

#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

#include <vector>

class QChart;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace t2i::ui {

// A chart of a run as it happens (the live page): a few lines over the run's clock (seconds),
// and optionally marks (cold starts). setData() hands each series its whole, bounded point
// list with replace(), never append() on a shown series, and rescales the axes; OpenGL stays off.
class LiveChart {
public:
    LiveChart(const QString& title, const QString& yTitle, const QStringList& lines, const QString& marks = {},
        const ChartPalette& palette = {});
    QChart* chart() const { return m_chart; } // owned by whoever shows it (a QChartView)
    void setData(const std::vector<QVector<QPointF>>& lines, const QVector<QPointF>& marks = {});
    int pointCount() const; // what the series hold now (for tests)

private:
    QChart* m_chart;
    QValueAxis* m_x;
    QValueAxis* m_y;
    std::vector<QLineSeries*> m_lines;
    QScatterSeries* m_marks = nullptr;
};

} // namespace t2i::ui
