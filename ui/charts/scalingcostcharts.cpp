// SPDX-License-Identifier: Apache-2.0
// Scaling curves with their knees, cost per 1,000 images, and cost against p95.
#include "chartbuilders.h"
#include "chartstyle.h"

#include "charts/runcharts.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QHorizontalStackedBarSeries>
#include <QLineSeries>
#include <QScatterSeries>

#include <algorithm>
#include <cmath>

namespace t2i::ui {

using namespace t2i::charts;

namespace {

QString offeredTitle(LoadUnit unit)
{
    return unit == LoadUnit::Concurrency ? QStringLiteral("offered load: concurrency (requests in flight)")
                                         : QStringLiteral("offered load (requests/s)");
}

QString offeredText(LoadUnit unit, double offered)
{
    return unit == LoadUnit::Concurrency ? QStringLiteral("concurrency %1").arg(style::number(offered))
                                         : QStringLiteral("%1 requests/s offered").arg(style::number(offered));
}

} // namespace

QChart* scalingChart(const ComparisonData& data, const ChartOptions& o, bool p95)
{
    const ChartPalette palette { o.dark };
    const LoadUnit unit = data.scalingUnit;
    QString subtitle = p95 ? QStringLiteral("p95 of each load level's successful requests")
                           : QStringLiteral("images per second over each load level's window");
    subtitle += QStringLiteral(" · ring: the knee (docs/dashboard.md)");
    QChart* chart = style::newChart(palette,
        p95 ? QStringLiteral("p95 latency against load") : QStringLiteral("Throughput against load"), subtitle);
    style::setUnits(chart, QStringLiteral("offered"),
        unit == LoadUnit::Concurrency ? QString() : QStringLiteral("requests/s"),
        p95 ? QStringLiteral("p95") : QStringLiteral("throughput"),
        p95 ? QStringLiteral("ms") : QStringLiteral("images/s"));
    double xLo = 0, xHi = 0, yLo = 0, yHi = 0;
    bool any = false;
    std::size_t leftOut = 0;
    for (const RunChartData& run : data.runs) {
        leftOut += run.scaling.leftOut;
        for (const ScalingPoint& p : run.scaling.points) {
            const double y = p95 ? p.p95 : p.achievedIps;
            if (p95 && p.ok == 0)
                continue;
            xLo = any ? std::min(xLo, p.offered) : p.offered;
            xHi = any ? std::max(xHi, p.offered) : p.offered;
            yLo = any ? std::min(yLo, y) : y;
            yHi = any ? std::max(yHi, y) : y;
            any = true;
        }
    }
    if (!any) {
        style::setTitle(chart, palette, chart->property("t2iTitle").toString(),
            QStringLiteral("no load levels to draw: the runs have no closed-loop or open-loop steps"));
        return chart;
    }
    // Sweeps usually double (1, 2, 4, 8 ...): a log2 axis spaces them evenly.
    QAbstractAxis* x;
    if (xLo > 0 && xHi / xLo >= 8)
        x = style::logAxis(palette, offeredTitle(unit), xLo, xHi, 2);
    else
        x = style::valueAxis(palette, offeredTitle(unit), 0, xHi * 1.05);
    QAbstractAxis* y;
    if (p95 && o.logLatency && yLo > 0 && yHi / yLo >= 10)
        y = style::logAxis(palette, QStringLiteral("p95 latency (ms)"), yLo, yHi);
    else
        y = style::valueAxis(
            palette, p95 ? QStringLiteral("p95 latency (ms)") : QStringLiteral("throughput (images/s)"), 0, yHi * 1.08);
    std::size_t knees = 0;
    for (std::size_t r = 0; r < data.runs.size(); ++r) {
        const ScalingCurve& c = data.runs[r].scaling;
        if (c.points.empty())
            continue;
        const QColor colour = palette.run(r);
        const QString name = QString::fromStdString(data.runs[r].legend);
        QList<QPointF> points;
        QStringList tips;
        for (const ScalingPoint& p : c.points) {
            if (p95 && p.ok == 0)
                continue;
            points.append(QPointF(p.offered, p95 ? p.p95 : p.achievedIps));
            tips << QStringLiteral("<b>%1</b><br>%2<br>%3 images/s · p50 %4 · p95 %5<br>%6 of %7 requests ok")
                        .arg(name.toHtmlEscaped(), offeredText(unit, p.offered), style::number(p.achievedIps),
                            style::ms(p.p50), style::ms(p.p95), style::thousands(p.ok), style::thousands(p.requests));
        }
        auto* line = new QLineSeries;
        line->replace(points);
        line->setName(name);
        line->setPen(QPen(colour, 2));
        line->setPointsVisible(true);
        line->setMarkerSize(6);
        line->setProperty(style::kTooltips, tips);
        style::attach(chart, line, x, y);
        if (c.knee && !(p95 && c.points[*c.knee].ok == 0)) {
            const ScalingPoint& k = c.points[*c.knee];
            auto* knee = new QScatterSeries;
            knee->setName(QStringLiteral("knee"));
            knee->setMarkerShape(QScatterSeries::MarkerShapeCircle);
            knee->setMarkerSize(17);
            knee->setColor(Qt::transparent);
            knee->setBorderColor(colour);
            knee->setPen(QPen(colour, 2));
            knee->append(QPointF(k.offered, p95 ? k.p95 : k.achievedIps));
            knee->setProperty(style::kTooltips,
                QStringList { QStringLiteral("<b>%1</b><br>knee at %2<br>%3")
                                  .arg(name.toHtmlEscaped(), offeredText(unit, k.offered),
                                      QString::fromStdString(c.kneeReason).toHtmlEscaped()) });
            style::attach(chart, knee, x, y);
            style::hideFromLegend(chart, knee);
            ++knees;
        }
    }
    if (knees > 0) {
        // One legend entry explains every ring.
        auto* key = new QScatterSeries;
        key->setName(QStringLiteral("knee"));
        key->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        key->setColor(Qt::transparent);
        key->setBorderColor(palette.frontLine());
        key->setPen(QPen(palette.frontLine(), 1.5));
        style::attach(chart, key, x, y);
    }
    if (leftOut > 0)
        style::setTitle(chart, palette, chart->property("t2iTitle").toString(),
            subtitle + QStringLiteral(" · %1 levels of other kinds not drawn").arg(leftOut));
    return chart;
}

QChart* costStackChart(const ComparisonData& data, const ChartOptions& o)
{
    const ChartPalette palette { o.dark };
    QChart* chart = style::newChart(palette, QStringLiteral("Cost per 1,000 images"),
        QStringLiteral("estimated from each run's records and price (docs/cost.md), by where it went"));
    style::setUnits(chart, QStringLiteral("cost"), QStringLiteral("USD per 1,000 images"), QString(), QString());
    struct Part {
        const char* name;
        double CostStack::*field;
    };
    const Part parts[] = { { "compute", &CostStack::compute }, { "cold start", &CostStack::coldStart },
        { "idle", &CostStack::idle }, { "keep-warm", &CostStack::keepWarm }, { "egress", &CostStack::egress },
        { "failures", &CostStack::failed } };
    QStringList categories;
    double most = 0;
    bool anyCost = false;
    // Horizontal bars are drawn bottom up: feed the runs last first so the baseline is on top.
    const std::vector<RunChartData> topDown(data.runs.rbegin(), data.runs.rend());
    for (const RunChartData& run : topDown) {
        const QString label = QString::fromStdString(run.legend);
        categories << (run.cost.available ? label : label + QStringLiteral(" (no price)"));
        most = std::max(most, run.cost.total);
        anyCost = anyCost || run.cost.available;
    }
    if (!anyCost)
        style::setTitle(chart, palette, QStringLiteral("Cost per 1,000 images"),
            data.costsComputed
                ? QStringLiteral("no run has a price: set one in the provider's configuration or the pricing catalog")
                : QStringLiteral("computing each run's cost (its workers' lives are being rebuilt) ..."));
    auto* series = new QHorizontalStackedBarSeries;
    series->setBarWidth(0.6);
    int index = 0;
    for (const Part& part : parts) {
        auto* set = new QBarSet(QLatin1String(part.name));
        set->setColor(palette.costPart(index++));
        set->setBorderColor(palette.background());
        QStringList tips;
        for (const RunChartData& run : topDown) {
            const double value = run.cost.available ? run.cost.*(part.field) : 0.0;
            set->append(value);
            tips << (run.cost.available
                    ? QStringLiteral("<b>%1</b><br>%2: %3 per 1,000 images (%4 of %5)<br>price: %6")
                          .arg(QString::fromStdString(run.label).toHtmlEscaped(), QLatin1String(part.name),
                              style::usd(value), style::percent(run.cost.total > 0 ? value / run.cost.total : 0),
                              style::usd(run.cost.total), QString::fromStdString(run.cost.price).toHtmlEscaped())
                    : QStringLiteral("<b>%1</b><br>%2")
                          .arg(QString::fromStdString(run.label).toHtmlEscaped(),
                              QString::fromStdString(run.cost.why).toHtmlEscaped()));
        }
        set->setProperty(style::kTooltips, tips);
        series->append(set);
    }
    style::hideEmptyBarSets(series);
    auto* y = new QBarCategoryAxis;
    y->append(categories);
    style::styleAxis(palette, y, QString());
    y->setGridLineVisible(false);
    QValueAxis* x = style::valueAxis(palette, QStringLiteral("USD per 1,000 images"), 0, std::max(most, 0.01));
    x->setLabelFormat(QStringLiteral("$%.2f"));
    chart->addSeries(series);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    return chart;
}

QChart* costVsP95Chart(const ComparisonData& data, const ChartOptions& o)
{
    const ChartPalette palette { o.dark };
    QChart* chart = style::newChart(palette, QStringLiteral("Cost against p95 latency"),
        QStringLiteral("lower left is better · dashed: the Pareto front (no other run is cheaper and faster)"));
    style::setUnits(chart, QStringLiteral("p95"), QStringLiteral("ms"), QStringLiteral("cost"),
        QStringLiteral("USD per 1,000 images"));
    double xLo = 0, xHi = 0, yHi = 0;
    bool any = false;
    for (const RunChartData& run : data.runs) {
        if (!run.cost.available || run.summary.latency.n == 0)
            continue;
        xLo = any ? std::min(xLo, run.summary.latency.p95) : run.summary.latency.p95;
        xHi = any ? std::max(xHi, run.summary.latency.p95) : run.summary.latency.p95;
        yHi = std::max(yHi, run.cost.total);
        any = true;
    }
    if (!any) {
        style::setTitle(chart, palette, QStringLiteral("Cost against p95 latency"),
            data.costsComputed ? QStringLiteral("no run has both a price and a successful request")
                               : QStringLiteral("computing each run's cost ..."));
        return chart;
    }
    QValueAxis* x = style::valueAxis(palette, QStringLiteral("p95 latency (ms)"), 0, xHi * 1.1);
    QValueAxis* y = style::valueAxis(palette, QStringLiteral("USD per 1,000 images"), 0, std::max(yHi * 1.15, 0.01));
    y->setLabelFormat(QStringLiteral("$%.2f"));
    if (data.paretoFront.size() > 1) {
        auto* front = new QLineSeries;
        QList<QPointF> points;
        for (const std::size_t i : data.paretoFront)
            points.append(QPointF(data.runs[i].summary.latency.p95, data.runs[i].cost.total));
        front->replace(points);
        front->setName(QStringLiteral("Pareto front"));
        front->setPen(QPen(palette.frontLine(), 1.4, Qt::DashLine));
        style::attach(chart, front, x, y);
    }
    for (std::size_t r = 0; r < data.runs.size(); ++r) {
        const RunChartData& run = data.runs[r];
        if (!run.cost.available || run.summary.latency.n == 0)
            continue;
        const bool onFront = std::find(data.paretoFront.begin(), data.paretoFront.end(), r) != data.paretoFront.end();
        auto* dot = new QScatterSeries;
        dot->setName(QString::fromStdString(run.legend));
        dot->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        dot->setMarkerSize(12);
        dot->setColor(palette.run(r));
        dot->setBorderColor(palette.background());
        dot->append(QPointF(run.summary.latency.p95, run.cost.total));
        dot->setProperty(style::kTooltips,
            QStringList {
                QStringLiteral("<b>%1</b><br>p95 %2 (95% CI %3 – %4)<br>%5 per 1,000 images%6")
                    .arg(QString::fromStdString(run.label).toHtmlEscaped(), style::ms(run.summary.latency.p95),
                        style::ms(run.summary.p95Ci.lo), style::ms(run.summary.p95Ci.hi), style::usd(run.cost.total),
                        onFront ? QStringLiteral("<br>on the Pareto front") : QString()) });
        style::attach(chart, dot, x, y);
    }
    return chart;
}

} // namespace t2i::ui
