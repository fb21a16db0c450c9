// SPDX-License-Identifier: Apache-2.0
// Latency charts: histogram, ECDF with its band and percentile markers, box plot, stages.
#include "chartbuilders.h"
#include "chartstyle.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QHorizontalStackedBarSeries>
#include <QLineSeries>
#include <QScatterSeries>

#include <algorithm>
#include <cmath>

namespace t2i::ui {

using namespace t2i::charts;

namespace {

QString populationText(Population p)
{
    switch (p) {
    case Population::Warm:
        return QStringLiteral("warm requests");
    case Population::Cold:
        return QStringLiteral("cold requests");
    case Population::All:
        break;
    }
    return QStringLiteral("all successful requests");
}

QAbstractAxis* latencyAxis(const ChartPalette& palette, bool logScale, double lo, double hi)
{
    const QString title = QStringLiteral("latency (ms)");
    if (logScale)
        return style::logAxis(palette, title, lo, hi);
    return style::valueAxis(palette, title, std::min(0.0, lo), hi);
}

QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

} // namespace

QChart* histogramChart(const ComparisonData& data, const ChartOptions& o)
{
    const ChartPalette palette { o.dark };
    const std::size_t scale = o.logLatency ? 1 : 0;
    const HistogramBins& bins = data.bins[scale][index(o.population)];
    QChart* chart = style::newChart(palette, QStringLiteral("Latency distribution"),
        populationText(o.population) + QStringLiteral(" · share of each run's requests per bin · ")
            + (o.logLatency ? QStringLiteral("log-scale ") : QString()) + QStringLiteral("Freedman–Diaconis bins"));
    style::setUnits(
        chart, QStringLiteral("latency"), QStringLiteral("ms"), QStringLiteral("share"), QStringLiteral("%"));
    if (bins.edges.size() < 2)
        return chart;
    double peak = 0;
    for (const RunChartData& run : data.runs)
        for (const double p : run.histogram[scale][index(o.population)].percent)
            peak = std::max(peak, p);
    QAbstractAxis* x = latencyAxis(palette, o.logLatency, bins.edges.front(), bins.edges.back());
    QValueAxis* y = style::valueAxis(palette, QStringLiteral("share of requests (%)"), 0, std::max(1.0, peak * 1.05));
    for (std::size_t r = 0; r < data.runs.size(); ++r) {
        const Histogram& h = data.runs[r].histogram[scale][index(o.population)];
        if (h.n == 0)
            continue;
        // A step outline closed to the axis: bars of every run stay visible through each other.
        QList<QPointF> outline;
        QStringList tips;
        outline.reserve(static_cast<qsizetype>(h.counts.size() * 2 + 2));
        outline.append(QPointF(bins.edges.front(), 0));
        tips << QString();
        for (std::size_t i = 0; i < h.counts.size(); ++i) {
            outline.append(QPointF(bins.edges[i], h.percent[i]));
            outline.append(QPointF(bins.edges[i + 1], h.percent[i]));
            const QString tip = QStringLiteral("<b>%1</b><br>%2 – %3<br>%4 requests (%5)")
                                    .arg(QString::fromStdString(data.runs[r].label).toHtmlEscaped(),
                                        style::ms(bins.edges[i]), style::ms(bins.edges[i + 1]),
                                        style::thousands(h.counts[i]), style::percent(h.percent[i] / 100.0));
            tips << tip << tip;
        }
        outline.append(QPointF(bins.edges.back(), 0));
        tips << QString();
        auto* upper = new QLineSeries;
        upper->replace(outline);
        auto* area = new QAreaSeries(upper);
        area->setName(QString::fromStdString(data.runs[r].legend));
        const QColor colour = palette.run(r);
        area->setBrush(withAlpha(colour, 46));
        area->setPen(QPen(colour, 1.6));
        style::attach(chart, area, x, y);
        // The outline again as a line series: it carries the tooltips and hovers.
        auto* edge = new QLineSeries;
        edge->replace(outline);
        edge->setPen(QPen(colour, 1.6));
        edge->setName(area->name());
        edge->setProperty(style::kTooltips, tips);
        style::attach(chart, edge, x, y);
        style::hideFromLegend(chart, edge);
    }
    return chart;
}

QChart* ecdfChart(const ComparisonData& data, const ChartOptions& o)
{
    const ChartPalette palette { o.dark };
    QChart* chart = style::newChart(palette, QStringLiteral("Latency ECDF"),
        populationText(o.population) + QStringLiteral(" · dots: p50, p95 with 95% CI · band: 95% DKW"));
    style::setUnits(
        chart, QStringLiteral("latency"), QStringLiteral("ms"), QStringLiteral("at or below"), QStringLiteral("%"));
    double lo = 0, hi = 0;
    bool any = false;
    for (const RunChartData& run : data.runs) {
        const Ecdf& e = run.ecdf[index(o.population)];
        if (e.points.empty())
            continue;
        lo = any ? std::min(lo, e.points.front().x) : e.points.front().x;
        hi = any ? std::max(hi, e.points.back().x) : e.points.back().x;
        any = true;
    }
    if (!any)
        return chart;
    QAbstractAxis* x = latencyAxis(palette, o.logLatency, lo, hi);
    QValueAxis* y = style::valueAxis(palette, QStringLiteral("requests at or below (%)"), 0, 100);
    for (std::size_t r = 0; r < data.runs.size(); ++r) {
        const Ecdf& e = data.runs[r].ecdf[index(o.population)];
        if (e.points.empty())
            continue;
        const QColor colour = palette.run(r);
        const QString name = QString::fromStdString(data.runs[r].legend);
        QList<QPointF> line, upper, lower;
        QStringList tips;
        // The step up from 0 at the fastest request, so every curve starts on the axis.
        line.append(QPointF(e.points.front().x, 0));
        upper.append(QPointF(e.points.front().x, std::min(1.0, e.dkwEpsilon) * 100));
        lower.append(QPointF(e.points.front().x, 0));
        tips << QString();
        for (const XY& p : e.points) {
            line.append(QPointF(p.x, p.y * 100));
            upper.append(QPointF(p.x, std::min(1.0, p.y + e.dkwEpsilon) * 100));
            lower.append(QPointF(p.x, std::max(0.0, p.y - e.dkwEpsilon) * 100));
            tips << QStringLiteral("<b>%1</b><br>%2 of requests at or below %3<br>95% band %4 – %5")
                        .arg(name.toHtmlEscaped(), style::percent(p.y), style::ms(p.x),
                            style::percent(std::max(0.0, p.y - e.dkwEpsilon)),
                            style::percent(std::min(1.0, p.y + e.dkwEpsilon)));
        }
        auto* bandUpper = new QLineSeries;
        bandUpper->replace(upper);
        auto* bandLower = new QLineSeries;
        bandLower->replace(lower);
        auto* band = new QAreaSeries(bandUpper, bandLower);
        band->setBrush(withAlpha(colour, 38));
        band->setPen(Qt::NoPen);
        band->setName(name + QStringLiteral(" (95% band)"));
        style::attach(chart, band, x, y);
        style::hideFromLegend(chart, band);

        auto* curve = new QLineSeries;
        curve->replace(line);
        curve->setName(name);
        curve->setPen(QPen(colour, 2));
        curve->setProperty(style::kTooltips, tips);
        style::attach(chart, curve, x, y);

        // Percentile confidence intervals as horizontal bars at their level, then the dots.
        const struct {
            double p, value;
            Interval ci;
            const char* label;
        } marks[] = { { 0.50, e.p50, e.p50Ci, "p50" }, { 0.95, e.p95, e.p95Ci, "p95" } };
        auto* dots = new QScatterSeries;
        dots->setName(name + QStringLiteral(" percentiles"));
        dots->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        dots->setMarkerSize(8);
        dots->setColor(colour);
        dots->setBorderColor(palette.background());
        QStringList dotTips;
        // Runs' interval bars are dodged a little apart vertically so overlapping ones stay
        // readable; the dots sit at the exact level.
        const double dodge = (static_cast<double>(r) - (static_cast<double>(data.runs.size()) - 1) / 2) * 1.6;
        for (const auto& m : marks) {
            auto* ci = new QLineSeries;
            ci->replace({ QPointF(m.ci.lo, m.p * 100 + dodge), QPointF(m.ci.hi, m.p * 100 + dodge) });
            ci->setPen(QPen(withAlpha(colour, 190), 3, Qt::SolidLine, Qt::FlatCap));
            ci->setName(name + QStringLiteral(" ") + QLatin1String(m.label) + QStringLiteral(" CI"));
            const QString tip = QStringLiteral("<b>%1</b><br>%2 = %3<br>95% CI %4 – %5<br>n = %6")
                                    .arg(name.toHtmlEscaped(), QLatin1String(m.label), style::ms(m.value),
                                        style::ms(m.ci.lo), style::ms(m.ci.hi), style::thousands(e.n));
            ci->setProperty(style::kTooltips, QStringList { tip, tip });
            style::attach(chart, ci, x, y);
            style::hideFromLegend(chart, ci);
            dots->append(QPointF(m.value, m.p * 100)); // not yet in a chart: append is cheap here
            dotTips << tip;
        }
        dots->setProperty(style::kTooltips, dotTips);
        style::attach(chart, dots, x, y);
        style::hideFromLegend(chart, dots);
    }
    return chart;
}

QChart* boxPlotChart(const ComparisonData& data, const ChartOptions& o)
{
    const ChartPalette palette { o.dark };
    QChart* chart = style::newChart(palette, QStringLiteral("Latency spread, cold and warm apart"),
        QStringLiteral("quartiles and median · whiskers: furthest request within 1.5 IQR · dots: outliers"));
    style::setUnits(chart, QString(), QString(), QStringLiteral("latency"), QStringLiteral("ms"));
    const Population order[] = { Population::All, Population::Warm, Population::Cold };
    QStringList categories { QStringLiteral("all successful"), QStringLiteral("warm"), QStringLiteral("cold") };
    double lo = 0, hi = 0;
    bool any = false;
    for (const RunChartData& run : data.runs)
        for (const Population p : order) {
            const BoxStats& b = run.box[index(p)];
            if (b.n == 0)
                continue;
            double smallest = b.lowerWhisker, largest = b.upperWhisker;
            for (const double v : b.shownOutliers) {
                smallest = std::min(smallest, v);
                largest = std::max(largest, v);
            }
            lo = any ? std::min(lo, smallest) : smallest;
            hi = any ? std::max(hi, largest) : largest;
            any = true;
        }
    if (!any)
        return chart;
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    style::styleAxis(palette, x, QString());
    QAbstractAxis* y = o.logLatency
        ? static_cast<QAbstractAxis*>(style::logAxis(palette, QStringLiteral("latency (ms)"), lo, hi))
        : style::valueAxis(palette, QStringLiteral("latency (ms)"), std::min(0.0, lo), hi);
    const auto runs = static_cast<double>(data.runs.size());
    for (std::size_t r = 0; r < data.runs.size(); ++r) {
        const RunChartData& run = data.runs[r];
        const QColor colour = palette.run(r);
        const QString name = QString::fromStdString(run.legend);
        auto* series = new QBoxPlotSeries;
        series->setName(name);
        series->setBoxWidth(0.7);
        series->setBrush(withAlpha(colour, 90)); // what the legend shows
        series->setPen(QPen(colour, 1.4));
        auto* outliers = new QScatterSeries;
        outliers->setMarkerSize(5);
        outliers->setColor(withAlpha(colour, 200));
        outliers->setBorderColor(withAlpha(colour, 200));
        QStringList outlierTips;
        for (std::size_t c = 0; c < 3; ++c) {
            const BoxStats& b = run.box[index(order[c])];
            QBoxSet* set;
            if (b.n == 0) {
                // No requests of this kind: an invisible box keeps the others in their columns.
                const double at = o.logLatency ? lo : 0.0;
                set = new QBoxSet(at, at, at, at, at, categories[static_cast<qsizetype>(c)]);
                set->setPen(Qt::NoPen);
                set->setBrush(Qt::NoBrush);
            } else {
                set = new QBoxSet(
                    b.lowerWhisker, b.q1, b.median, b.q3, b.upperWhisker, categories[static_cast<qsizetype>(c)]);
                set->setBrush(withAlpha(colour, 90));
                set->setPen(QPen(colour, 1.4));
            }
            series->append(set);
            // Where Qt Charts draws this box (boxwhiskers.cpp): column c, slot r of the runs.
            const double centre = static_cast<double>(c) - 0.5 + (static_cast<double>(r) + 0.5) / runs;
            for (const double v : b.shownOutliers) {
                outliers->append(QPointF(centre, v));
                outlierTips << QStringLiteral("<b>%1</b><br>%2 outlier: %3")
                                   .arg(name.toHtmlEscaped(), categories[static_cast<qsizetype>(c)], style::ms(v));
            }
        }
        QStringList boxTips;
        for (std::size_t c = 0; c < 3; ++c) {
            const BoxStats& b = run.box[index(order[c])];
            boxTips << (b.n == 0
                    ? QStringLiteral("<b>%1</b><br>no %2 requests")
                          .arg(name.toHtmlEscaped(), categories[static_cast<qsizetype>(c)])
                    : QStringLiteral(
                        "<b>%1</b> · %2 (n = %3)<br>median %4<br>quartiles %5 – %6<br>whiskers %7 – %8<br>%9 outliers")
                          .arg(name.toHtmlEscaped(), categories[static_cast<qsizetype>(c)], style::thousands(b.n),
                              style::ms(b.median), style::ms(b.q1), style::ms(b.q3), style::ms(b.lowerWhisker),
                              style::ms(b.upperWhisker), style::thousands(b.outliers)));
        }
        series->setProperty(style::kTooltips, boxTips);
        style::attach(chart, series, x, y);
        if (outliers->count() > 0) {
            outliers->setProperty(style::kTooltips, outlierTips);
            style::attach(chart, outliers, x, y);
            style::hideFromLegend(chart, outliers);
        } else {
            delete outliers;
        }
    }
    return chart;
}

QChart* stagesChart(const ComparisonData& data, const ChartOptions& o)
{
    const ChartPalette palette { o.dark };
    QChart* chart = style::newChart(palette, QStringLiteral("Where the time goes"),
        QStringLiteral("mean per successful request · the parts add up to the mean latency"));
    style::setUnits(chart, QStringLiteral("time"), QStringLiteral("ms"), QString(), QString());
    struct Part {
        const char* name;
        double StageStack::*field;
        QColor colour;
    };
    // In the order a request lives them: the network's set-up before the platform's work, the
    // answer's transfer and the download after it (docs/measurement.md, "Network phases").
    const Part parts[] = { { "client lag", &StageStack::clientLag, palette.stage(TimelineSegment::ClientLag) },
        { "DNS", &StageStack::dns, palette.networkPart(ChartPalette::Dns) },
        { "connect", &StageStack::connect, palette.networkPart(ChartPalette::Connect) },
        { "TLS", &StageStack::tls, palette.networkPart(ChartPalette::Tls) },
        { "queue", &StageStack::queue, palette.stage(TimelineSegment::Queue) },
        { "cold start", &StageStack::coldStart, palette.stage(TimelineSegment::ColdStart) },
        { "execution", &StageStack::execution, palette.stage(TimelineSegment::Execution) },
        { "transfer", &StageStack::transfer, palette.networkPart(ChartPalette::Transfer) },
        { "download", &StageStack::download, palette.stage(TimelineSegment::Download) },
        { "other", &StageStack::other, palette.stage(TimelineSegment::InFlight) } };
    auto* series = new QHorizontalStackedBarSeries;
    series->setBarWidth(0.6);
    QStringList categories;
    double longest = 0;
    // Horizontal bars are drawn bottom up: feed the runs last first so the baseline is on top.
    const std::vector<RunChartData> topDown(data.runs.rbegin(), data.runs.rend());
    for (const RunChartData& run : topDown) {
        categories << QString::fromStdString(run.legend);
        longest = std::max(longest, run.stages.meanLatency);
    }
    for (const Part& part : parts) {
        auto* set = new QBarSet(QLatin1String(part.name));
        set->setColor(part.colour);
        set->setBorderColor(palette.background());
        QStringList tips;
        for (const RunChartData& run : topDown) {
            const double value = run.stages.*(part.field);
            set->append(value);
            tips << QStringLiteral("<b>%1</b><br>%2: %3 (%4 of the mean latency %5)")
                        .arg(QString::fromStdString(run.label).toHtmlEscaped(), QLatin1String(part.name),
                            style::ms(value),
                            style::percent(run.stages.meanLatency > 0 ? value / run.stages.meanLatency : 0),
                            style::ms(run.stages.meanLatency));
        }
        set->setProperty(style::kTooltips, tips);
        series->append(set);
    }
    style::hideEmptyBarSets(series);
    auto* y = new QBarCategoryAxis;
    y->append(categories);
    style::styleAxis(palette, y, QString());
    y->setGridLineVisible(false);
    QValueAxis* x
        = style::valueAxis(palette, QStringLiteral("mean time per successful request (ms)"), 0, std::max(1.0, longest));
    chart->addSeries(series);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    return chart;
}

} // namespace t2i::ui
