// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartcsv.h"
#include "charts/chartdata.h"
#include "charts/palette.h"

#include <QChart>
#include <QString>

namespace t2i::ui {

struct ChartOptions {
    charts::Population population = charts::Population::All;
    bool logLatency = true; // latency axes (and histogram bins) in log scale
    bool dark = false;
    std::size_t run = 0; // for the per-run charts (timeline)
};

// Builds one chart of a comparison from its precomputed, bounded data: one series per run in
// the run's own colour, named by its label, filled with replace() before the chart is shown.
// The caller owns the chart. Never turns OpenGL on (on Qt 6.4 a chart with an OpenGL series crashes offscreen).
QChart* buildChart(const charts::ComparisonData& data, charts::ChartKind kind, const ChartOptions& options = {});

QString chartTitle(charts::ChartKind kind); // "Latency distribution", ...
bool isPerRunChart(charts::ChartKind kind); // the timeline: one chart per run

// The builders, one per chart (chartbuilders.cpp dispatches).
QChart* histogramChart(const charts::ComparisonData& data, const ChartOptions& options);
QChart* ecdfChart(const charts::ComparisonData& data, const ChartOptions& options);
QChart* boxPlotChart(const charts::ComparisonData& data, const ChartOptions& options);
QChart* stagesChart(const charts::ComparisonData& data, const ChartOptions& options);
QChart* scalingChart(const charts::ComparisonData& data, const ChartOptions& options, bool p95);
QChart* costStackChart(const charts::ComparisonData& data, const ChartOptions& options);
QChart* costVsP95Chart(const charts::ComparisonData& data, const ChartOptions& options);
QChart* timelineChart(const charts::ComparisonData& data, const ChartOptions& options);
QChart* timeSeriesChart(const charts::ComparisonData& data, const ChartOptions& options, charts::ChartKind kind);
QChart* gpuChart(const charts::ComparisonData& data, const ChartOptions& options, charts::ChartKind kind);

} // namespace t2i::ui
