// SPDX-License-Identifier: Apache-2.0
// A local server's GPUs over the run's time, from its nvidia-smi samples: utilisation and memory,
// one line per GPU (a single run: each GPU in its own colour; several runs: each run in its
// colour, its GPUs told apart by the dash).
#include "chartbuilders.h"
#include "chartstyle.h"

#include <QLineSeries>

#include <algorithm>
#include <limits>

namespace t2i::ui {

using namespace t2i::charts;

QChart* gpuChart(const ComparisonData& data, const ChartOptions& o, ChartKind kind)
{
    const ChartPalette palette { o.dark };
    const bool memory = kind == ChartKind::GpuMemory;
    const QString title = memory ? QStringLiteral("GPU memory") : QStringLiteral("GPU utilisation");
    const QString yTitle = memory ? QStringLiteral("memory used (MiB)") : QStringLiteral("utilisation (%)");
    const bool oneRun = data.runs.size() == 1;
    double start = 0, end = 1, peak = memory ? 1.0 : 100.0;
    bool any = false;
    for (const RunChartData& run : data.runs)
        for (const GpuCurve& gpu : run.gpus) {
            for (const XY& p : memory ? gpu.memoryUsedMiB : gpu.utilizationPct) {
                start = std::min(start, p.x);
                end = std::max(end, p.x);
                peak = std::max(peak, p.y);
                any = true;
            }
            if (memory)
                peak = std::max(peak, gpu.memoryTotalMiB); // the card's size: how close to full it ran
        }
    const QString subtitle = any
        ? (memory ? QStringLiteral("nvidia-smi memory.used per GPU; the axis ends at the largest GPU's memory")
                  : QStringLiteral("nvidia-smi utilization.gpu per GPU; negative time: the server loading"))
        : QStringLiteral("no GPU was sampled: only a local server the run launches, with nvidia-smi, is");
    QChart* chart = style::newChart(palette, title, subtitle);
    style::setUnits(chart, QStringLiteral("time"), QStringLiteral("s"), yTitle,
        memory ? QStringLiteral("MiB") : QStringLiteral("%"));
    QValueAxis* x = style::valueAxis(palette, QStringLiteral("time since the run started (s)"), start, end);
    QValueAxis* y = style::valueAxis(palette, yTitle, 0, memory ? peak * 1.02 : 100.0);
    static const Qt::PenStyle dashes[] = { Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine };
    for (std::size_t r = 0; r < data.runs.size(); ++r) {
        const RunChartData& run = data.runs[r];
        for (std::size_t g = 0; g < run.gpus.size(); ++g) {
            const GpuCurve& gpu = run.gpus[g];
            QList<QPointF> points;
            for (const XY& p : memory ? gpu.memoryUsedMiB : gpu.utilizationPct)
                points.append(QPointF(p.x, p.y));
            auto* series = new QLineSeries;
            series->replace(points);
            const QString name = QStringLiteral("GPU %1").arg(gpu.gpu);
            series->setName(oneRun ? name : QString::fromStdString(run.legend) + QStringLiteral(" · ") + name);
            series->setPen(oneRun ? QPen(palette.run(g), 1.8)
                                  : QPen(palette.run(r), 1.8, dashes[g % (sizeof dashes / sizeof dashes[0])]));
            style::attach(chart, series, x, y);
        }
    }
    if (!any) { // keep the axes on screen
        auto* empty = new QLineSeries;
        style::attach(chart, empty, x, y);
        style::hideFromLegend(chart, empty);
    }
    return chart;
}

} // namespace t2i::ui
