// SPDX-License-Identifier: Apache-2.0
#include "chartstyle.h"

#include <QAbstractBarSeries>
#include <QAbstractSeries>
#include <QBarSet>
#include <QLegend>
#include <QLegendMarker>
#include <QLocale>

#include <cmath>

namespace t2i::ui::style {
namespace {

const QLocale& english()
{
    static const QLocale locale(QLocale::English, QLocale::UnitedStates);
    return locale;
}

// A "nice" axis range (1, 2, 2.5 or 5 times a power of ten per tick) around [lo, hi].
void niceRange(double& lo, double& hi, int& ticks, bool integers)
{
    if (!(hi > lo)) {
        const double pad = lo == 0 ? 1.0 : std::fabs(lo) * 0.1;
        lo -= pad;
        hi += pad;
    }
    double rawStep = (hi - lo) / 5.0;
    if (integers)
        rawStep = std::max(rawStep, 1.0); // counts: never a tick between two whole numbers
    const double magnitude = std::pow(10.0, std::floor(std::log10(rawStep)));
    double step = magnitude;
    for (const double m : { 1.0, 2.0, 2.5, 5.0, 10.0 })
        if (m * magnitude >= rawStep && !(integers && m == 2.5 && magnitude < 10)) {
            step = m * magnitude;
            break;
        }
    lo = std::floor(lo / step + 1e-9) * step;
    hi = std::ceil(hi / step - 1e-9) * step;
    ticks = static_cast<int>(std::lround((hi - lo) / step)) + 1;
}

} // namespace

QChart* newChart(const ChartPalette& palette, const QString& title, const QString& subtitle)
{
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundBrush(palette.background());
    chart->setBackgroundRoundness(0);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setDropShadowEnabled(false);
    chart->setMargins(QMargins(6, 4, 10, 4));
    chart->setLocalizeNumbers(true); // group separators in axis labels: 10,000 not 10000
    chart->setLocale(QLocale(QLocale::English, QLocale::UnitedStates));
    setTitle(chart, palette, title, subtitle);
    styleLegend(chart, palette);
    return chart;
}

void setTitle(QChart* chart, const ChartPalette& palette, const QString& title, const QString& subtitle)
{
    chart->setTitleFont(ChartPalette::titleFont());
    chart->setTitleBrush(palette.text());
    QString html = QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped());
    if (!subtitle.isEmpty())
        html += QStringLiteral("<br><span style=\"font-size:8.5pt; font-weight:normal; color:%1\">%2</span>")
                    .arg(palette.mutedText().name(), subtitle.toHtmlEscaped());
    chart->setTitle(html);
    chart->setProperty("t2iTitle", title);
}

void setUnits(QChart* chart, const QString& xLabel, const QString& xUnit, const QString& yLabel, const QString& yUnit)
{
    chart->setProperty(kXLabel, xLabel);
    chart->setProperty(kXUnit, xUnit);
    chart->setProperty(kYLabel, yLabel);
    chart->setProperty(kYUnit, yUnit);
}

void styleAxis(const ChartPalette& palette, QAbstractAxis* axis, const QString& title)
{
    axis->setTitleText(title);
    axis->setTitleFont(ChartPalette::axisTitleFont());
    axis->setTitleBrush(palette.text());
    axis->setLabelsFont(ChartPalette::labelFont());
    axis->setLabelsBrush(palette.text());
    axis->setLinePen(QPen(palette.axis(), 1));
    axis->setGridLinePen(QPen(palette.grid(), 1));
    axis->setMinorGridLinePen(QPen(palette.grid(), 0.5, Qt::DotLine));
    axis->setShadesVisible(false);
}

QValueAxis* valueAxis(const ChartPalette& palette, const QString& title, double lo, double hi, bool integers)
{
    auto* axis = new QValueAxis;
    styleAxis(palette, axis, title);
    int ticks = 6;
    niceRange(lo, hi, ticks, integers);
    axis->setRange(lo, hi);
    axis->setTickCount(std::clamp(ticks, 2, 11));
    const double step = (hi - lo) / std::max(1, ticks - 1);
    const int decimals = integers || step >= 1 ? 0 : std::min(4, static_cast<int>(std::ceil(-std::log10(step))));
    // %g would switch to exponents and drop group separators; "%.Nf" keeps labels plain.
    axis->setLabelFormat(QStringLiteral("%.%1f").arg(decimals));
    return axis;
}

QLogValueAxis* logAxis(const ChartPalette& palette, const QString& title, double lo, double hi, double base)
{
    auto* axis = new QLogValueAxis;
    styleAxis(palette, axis, title);
    axis->setBase(base);
    lo = std::max(lo, 1e-3);
    hi = std::max(hi, lo * base);
    // Whole powers of the base at the ends, so each tick is labelled 1, 10, 100 ... or 1, 2, 4 ...
    const double from = std::pow(base, std::floor(std::log(lo) / std::log(base) + 1e-9));
    const double to = std::pow(base, std::ceil(std::log(hi) / std::log(base) - 1e-9));
    axis->setRange(from, to);
    // Not "%g": Qt Charts 6.4 draws no labels at all for %g on a log axis with localized numbers.
    axis->setLabelFormat(from >= 1 ? QStringLiteral("%.0f") : QStringLiteral("%.3f"));
    axis->setMinorTickCount(base == 10 ? 8 : 0);
    return axis;
}

void attach(QChart* chart, QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y)
{
    if (!series->chart())
        chart->addSeries(series);
    if (x && !chart->axes().contains(x))
        chart->addAxis(x, Qt::AlignBottom);
    if (y && !chart->axes().contains(y))
        chart->addAxis(y, Qt::AlignLeft);
    if (x)
        series->attachAxis(x);
    if (y)
        series->attachAxis(y);
}

void hideFromLegend(QChart* chart, QAbstractSeries* series)
{
    for (QLegendMarker* marker : chart->legend()->markers(series))
        marker->setVisible(false);
}

void hideEmptyBarSets(QAbstractBarSeries* series)
{
    const QList<QBarSet*> sets = series->barSets();
    for (QBarSet* set : sets) {
        bool empty = true;
        for (int i = 0; i < set->count(); ++i)
            empty = empty && set->at(i) == 0.0;
        if (empty && sets.size() > 1)
            series->remove(set); // deletes the set
    }
}

void styleLegend(QChart* chart, const ChartPalette& palette, Qt::Alignment where)
{
    QLegend* legend = chart->legend();
    legend->setAlignment(where);
    legend->setFont(ChartPalette::labelFont());
    legend->setLabelColor(palette.text());
    legend->setBackgroundVisible(false);
    legend->setMarkerShape(QLegend::MarkerShapeRectangle);
    legend->setShowToolTips(true);
}

QString number(double value, int decimals)
{
    if (decimals < 0) {
        const double a = std::fabs(value);
        decimals = a >= 100 || a == 0 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
        if (value == std::round(value) && a < 1e15)
            decimals = 0;
    }
    return english().toString(value, 'f', decimals);
}

QString ms(double value)
{
    return number(value) + QStringLiteral(" ms");
}

QString usd(double value)
{
    const double a = std::fabs(value);
    const int decimals = a >= 100 ? 0 : a >= 1 ? 2 : a >= 0.01 ? 4 : 6;
    return QStringLiteral("$") + english().toString(value, 'f', decimals);
}

QString percent(double fraction)
{
    return english().toString(fraction * 100.0, 'f', 1) + QStringLiteral("%");
}

QString thousands(std::size_t value)
{
    return english().toString(static_cast<qulonglong>(value));
}

} // namespace t2i::ui::style
