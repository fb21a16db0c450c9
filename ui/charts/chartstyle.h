// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the chart builders: a styled empty chart, axes with units, number formats, and the
// properties ChartView reads for tooltips. Not for use outside ui/charts.

#include "charts/palette.h"

#include <QChart>
#include <QLogValueAxis>
#include <QString>
#include <QStringList>
#include <QValueAxis>

class QAbstractSeries;
class QAbstractBarSeries;

namespace t2i::ui::style {

// Properties on a chart and its series that ChartView and the exporters read.
inline constexpr const char* kXLabel = "t2iXLabel"; // e.g. "latency", with kXUnit "ms"
inline constexpr const char* kXUnit = "t2iXUnit";
inline constexpr const char* kYLabel = "t2iYLabel";
inline constexpr const char* kYUnit = "t2iYUnit";
inline constexpr const char* kTooltips = "t2iTooltips"; // on a series: exact text for each point or bar
inline constexpr const char* kChartKind = "t2iChartKind"; // int(charts::ChartKind)

// A chart with the palette's colours, no animation, and a title with an optional smaller
// second line (what was left out, how the series was bounded).
QChart* newChart(const ChartPalette& palette, const QString& title, const QString& subtitle = {});
void setTitle(QChart* chart, const ChartPalette& palette, const QString& title, const QString& subtitle);
void setUnits(QChart* chart, const QString& xLabel, const QString& xUnit, const QString& yLabel, const QString& yUnit);

QValueAxis* valueAxis(const ChartPalette& palette, const QString& title, double lo, double hi, bool integers = false);
QLogValueAxis* logAxis(const ChartPalette& palette, const QString& title, double lo, double hi, double base = 10);
void styleAxis(const ChartPalette& palette, QAbstractAxis* axis, const QString& title);
void attach(QChart* chart, QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y);
void hideFromLegend(QChart* chart, QAbstractSeries* series);
// Bar sets that are zero for every category leave the legend (a cost part no run paid).
void hideEmptyBarSets(QAbstractBarSeries* series);
void styleLegend(QChart* chart, const ChartPalette& palette, Qt::Alignment where = Qt::AlignBottom);

QString number(double value, int decimals = -1); // 1,234.5; decimals -1 picks by magnitude
QString ms(double value); // "1,234 ms"
QString usd(double value); // "$0.0123"
QString percent(double fraction); // "12.3%"
QString thousands(std::size_t value); // "1,000,000"

} // namespace t2i::ui::style
