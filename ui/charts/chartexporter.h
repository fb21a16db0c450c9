// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartbuilders.h"

#include <QChart>
#include <QSize>
#include <QString>

#include <functional>

class QPainter;

namespace t2i::ui {

// Builds a fresh chart for one export; the exporter owns and deletes it. Exports never touch
// the chart on screen, so its size, zoom and hover state stay as they are.
using ChartFactory = std::function<QChart*()>;

struct PngOptions {
    QSize pixels { 1600, 1000 };
    double dpi = 192; // stored in the file; the layout is pixels * 96 / dpi logical units
};

inline constexpr QSizeF kDefaultChartSize { 800, 500 }; // logical units (1/96 inch)

// The chart laid out at `logical` size and painted into target (report pages, exporters).
// Takes ownership of chart. Vector devices get thinned timelines (at most ~1,000 rows).
void renderChart(QChart* chart, QPainter* painter, const QRectF& target, const QSizeF& logical, bool vector);

bool exportPng(const ChartFactory& make, const QString& path, const PngOptions& options, QString* error);
bool exportSvg(const ChartFactory& make, const QString& path, const QSizeF& logical, QString* error);
bool exportPdf(const ChartFactory& make, const QString& path, const QSizeF& logical, QString* error);
bool exportCsv(const charts::ComparisonData& data, charts::ChartKind kind, const ChartOptions& options,
    const QString& path, QString* error);
// By the path's suffix: .png, .svg, .pdf or .csv.
bool exportChart(const charts::ComparisonData& data, charts::ChartKind kind, const ChartOptions& options,
    const QString& path, const PngOptions& png, QString* error);

QByteArray renderPng(const ChartFactory& make, const PngOptions& options); // PNG bytes, for the HTML report

} // namespace t2i::ui
