// SPDX-License-Identifier: Apache-2.0
#include "summarytables.h"

#include "charts/chartstyle.h"
#include "report/runreport.h"

#include <QFont>

namespace t2i::ui {

using namespace t2i::charts;

namespace {

QString withCi(double value, const Interval& ci, std::size_t n)
{
    if (n == 0)
        return QStringLiteral("–");
    return QStringLiteral("%1 [%2 – %3]").arg(style::number(value), style::number(ci.lo), style::number(ci.hi));
}

QString orDash(const Distribution& d, double Distribution::*field)
{
    return d.n == 0 ? QStringLiteral("–") : style::number(d.*field);
}

QString formatValue(const std::string& metric, double v)
{
    if (metric.find("rate") != std::string::npos)
        return style::percent(v);
    if (metric.find("cost") != std::string::npos)
        return style::usd(v);
    return style::number(v);
}

QString signedValue(const std::string& metric, double v)
{
    const QString text = formatValue(metric, v);
    return v > 0 ? QStringLiteral("+") + text : text;
}

} // namespace

TableText runsTable(const ComparisonData& data)
{
    TableText t;
    t.header = { QStringLiteral("run"), QStringLiteral("status"), QStringLiteral("requests"), QStringLiteral("errors"),
        QStringLiteral("images/s"), QStringLiteral("p50 ms [95% CI]"), QStringLiteral("p95 ms [95% CI]"),
        QStringLiteral("cold starts"), QStringLiteral("warm p50 ms"), QStringLiteral("cold p50 ms"),
        QStringLiteral("detection lag p50 / p99 ms"), QStringLiteral("polls (429)"),
        QStringLiteral("USD / 1,000 images"), QStringLiteral("price used") };
    for (const RunChartData& run : data.runs) {
        const RunSummary& s = run.summary;
        t.rows.append({ QString::fromStdString(run.label), QString::fromUtf8(toString(run.info.status).data()),
            style::thousands(s.requests),
            QStringLiteral("%1 (%2)").arg(style::thousands(s.errors), style::percent(s.errorRate)),
            style::number(s.throughputIps), withCi(s.latency.p50, s.p50Ci, s.latency.n),
            withCi(s.latency.p95, s.p95Ci, s.latency.n),
            QStringLiteral("%1 (%2)").arg(style::thousands(s.coldStarts), style::percent(s.coldRate)),
            orDash(s.warmLatency, &Distribution::p50), orDash(s.coldLatency, &Distribution::p50),
            s.detectionLagMs.n == 0 ? QStringLiteral("–")
                                    : QStringLiteral("%1 / %2").arg(style::number(s.detectionLagMs.p50),
                                        style::number(s.detectionLagMs.p99)),
            QStringLiteral("%1 (%2)").arg(style::thousands(s.polls), style::thousands(s.throttledPolls)),
            run.cost.available ? style::usd(run.cost.total) : QStringLiteral("–"),
            run.cost.available ? QString::fromStdString(run.cost.price) : QString::fromStdString(run.cost.why) });
    }
    return t;
}

QStringList measurementWarnings(const ComparisonData& data)
{
    QStringList warnings;
    for (const RunChartData& run : data.runs)
        for (const std::string& note : measurementNotes(run.info, run.summary))
            warnings << QStringLiteral("%1: %2").arg(QString::fromStdString(run.label), QString::fromStdString(note));
    return warnings;
}

TableText differencesTable(const ComparisonData& data)
{
    TableText t;
    t.header = { QStringLiteral("run"), QStringLiteral("metric"), QStringLiteral("baseline"),
        QStringLiteral("run value"), QStringLiteral("difference"), QStringLiteral("95% CI of difference"),
        QStringLiteral("p"), QStringLiteral("test"), QStringLiteral("verdict at 5%") };
    for (const RunComparisonRow& row : data.significance) {
        for (const Difference& d : row.differences) {
            QString ci = QStringLiteral("–");
            if (d.deltaCi)
                ci = QStringLiteral("%1 – %2").arg(
                    signedValue(d.metric, d.deltaCi->lo), signedValue(d.metric, d.deltaCi->hi));
            QString p = QStringLiteral("–");
            if (d.pValue)
                p = *d.pValue < 1e-4 ? QStringLiteral("< 0.0001") : QString::number(*d.pValue, 'f', 4);
            QString test = QString::fromStdString(d.test);
            if (d.effect)
                test += QStringLiteral("; P(slower) = %1").arg(*d.effect, 0, 'f', 3);
            const QString verdict = !d.testable ? QStringLiteral("not tested")
                : d.significant                 ? QStringLiteral("significant")
                                                : QStringLiteral("not significant");
            if (d.testable && d.significant)
                t.emphasised.append(static_cast<int>(t.rows.size()));
            t.rows.append({ QString::fromStdString(data.runs[row.run].label), QString::fromStdString(d.metric),
                formatValue(d.metric, d.baseline), formatValue(d.metric, d.value), signedValue(d.metric, d.delta), ci,
                p, test, verdict });
        }
    }
    return t;
}

void TextTableModel::setTable(TableText table)
{
    beginResetModel();
    m_table = std::move(table);
    endResetModel();
}

int TextTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_table.rows.size());
}

int TextTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_table.header.size());
}

QVariant TextTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const QStringList& row = m_table.rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return index.column() < row.size() ? row[index.column()] : QString();
    case Qt::FontRole:
        if (m_table.emphasised.contains(index.row())) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == 0 ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant TextTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return {};
    return m_table.header[section];
}

} // namespace t2i::ui
