// SPDX-License-Identifier: Apache-2.0
#include "chartbuilders.h"

#include "chartstyle.h"

namespace t2i::ui {

using charts::ChartKind;

QString chartTitle(ChartKind kind)
{
    switch (kind) {
    case ChartKind::Histogram:
        return QStringLiteral("Latency distribution");
    case ChartKind::Ecdf:
        return QStringLiteral("Latency ECDF");
    case ChartKind::BoxPlot:
        return QStringLiteral("Latency spread");
    case ChartKind::Stages:
        return QStringLiteral("Where the time goes");
    case ChartKind::ScalingThroughput:
        return QStringLiteral("Throughput against load");
    case ChartKind::ScalingP95:
        return QStringLiteral("p95 latency against load");
    case ChartKind::CostStack:
        return QStringLiteral("Cost per 1,000 images");
    case ChartKind::CostVsP95:
        return QStringLiteral("Cost against p95 latency");
    case ChartKind::Timeline:
        return QStringLiteral("Request timeline");
    case ChartKind::InFlight:
        return QStringLiteral("Requests in flight");
    case ChartKind::Workers:
        return QStringLiteral("Workers and queue");
    case ChartKind::Errors:
        return QStringLiteral("Errors over time");
    case ChartKind::Throughput:
        return QStringLiteral("Throughput over time");
    case ChartKind::Summary:
        return QStringLiteral("Differences against the baseline");
    case ChartKind::GpuUtilization:
        return QStringLiteral("GPU utilisation");
    case ChartKind::GpuMemory:
        return QStringLiteral("GPU memory");
    }
    return {};
}

bool isPerRunChart(ChartKind kind)
{
    return kind == ChartKind::Timeline;
}

QChart* buildChart(const charts::ComparisonData& data, ChartKind kind, const ChartOptions& options)
{
    QChart* chart = nullptr;
    switch (kind) {
    case ChartKind::Histogram:
        chart = histogramChart(data, options);
        break;
    case ChartKind::Ecdf:
        chart = ecdfChart(data, options);
        break;
    case ChartKind::BoxPlot:
        chart = boxPlotChart(data, options);
        break;
    case ChartKind::Stages:
        chart = stagesChart(data, options);
        break;
    case ChartKind::ScalingThroughput:
        chart = scalingChart(data, options, false);
        break;
    case ChartKind::ScalingP95:
        chart = scalingChart(data, options, true);
        break;
    case ChartKind::CostStack:
        chart = costStackChart(data, options);
        break;
    case ChartKind::CostVsP95:
        chart = costVsP95Chart(data, options);
        break;
    case ChartKind::Timeline:
        chart = timelineChart(data, options);
        break;
    case ChartKind::InFlight:
    case ChartKind::Workers:
    case ChartKind::Errors:
    case ChartKind::Throughput:
    case ChartKind::Summary:
        chart = timeSeriesChart(data, options, kind == ChartKind::Summary ? ChartKind::Throughput : kind);
        break;
    case ChartKind::GpuUtilization:
    case ChartKind::GpuMemory:
        chart = gpuChart(data, options, kind);
        break;
    }
    chart->setProperty(style::kChartKind, static_cast<int>(kind));
    return chart;
}

} // namespace t2i::ui
