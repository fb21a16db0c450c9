// SPDX-License-Identifier: Apache-2.0
#include "library/runstablemodel.h"

#include "common/icons.h"

#include <QLocale>

namespace t2i::ui {
namespace {

const QString kPending = QStringLiteral("…");
const QString kNone = QStringLiteral("—");

QString percent(double fraction)
{
    return QLocale().toString(fraction * 100.0, 'f', 1) + QStringLiteral(" %");
}

} // namespace

QString formatSeconds(double ms)
{
    return QLocale().toString(ms / 1000.0, 'f', 2);
}

RunsTableModel::RunsTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int RunsTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunsTableModel::columnKey(int column)
{
    switch (column) {
    case Name:
        return QStringLiteral("name");
    case Provider:
        return QStringLiteral("provider");
    case Variant:
        return QStringLiteral("variant");
    case Date:
        return QStringLiteral("date");
    case Status:
        return QStringLiteral("status");
    case Requests:
        return QStringLiteral("requests");
    case P50:
        return QStringLiteral("p50");
    case P95:
        return QStringLiteral("p95");
    case ErrorRate:
        return QStringLiteral("errors");
    case CostPer1000:
        return QStringLiteral("cost");
    case Tags:
        return QStringLiteral("tags");
    default:
        return {};
    }
}

bool RunsTableModel::isNumeric(int column)
{
    return column == Requests || column == P50 || column == P95 || column == ErrorRate || column == CostPer1000;
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(
            Qt::Alignment((isNumeric(section) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Requests:
            return tr("Measured requests (warm-up excluded)");
        case P50:
            return tr("Median end-to-end latency of successful requests, from the intended send time");
        case P95:
            return tr("95th percentile end-to-end latency of successful requests");
        case ErrorRate:
            return tr("Failed measured requests / measured requests");
        case CostPer1000:
            return tr("USD per 1,000 images, from the run's price (docs/cost.md)");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Provider:
        return tr("Provider");
    case Variant:
        return tr("Variant");
    case Date:
        return tr("Date");
    case Status:
        return tr("Status");
    case Requests:
        return tr("Requests");
    case P50:
        return tr("p50 (s)");
    case P95:
        return tr("p95 (s)");
    case ErrorRate:
        return tr("Errors");
    case CostPer1000:
        return tr("$ / 1k images");
    case Tags:
        return tr("Tags");
    default:
        return {};
    }
}

QVariant RunsTableModel::displayText(const RunRow& row, int column) const
{
    const auto& stats = row.stats;
    switch (column) {
    case Name:
        return row.name;
    case Provider:
        return row.provider;
    case Variant:
        return row.variant;
    case Date:
        return row.created.isValid() ? QLocale().toString(row.created.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm"))
                                     : row.createdIso;
    case Status:
        return row.status;
    case Requests:
        return QLocale().toString(stats ? stats->requests : row.recordCount);
    case P50:
        return !stats ? kPending : stats->hasLatency ? formatSeconds(stats->p50Ms) : kNone;
    case P95:
        return !stats ? kPending : stats->hasLatency ? formatSeconds(stats->p95Ms) : kNone;
    case ErrorRate:
        return !stats ? kPending : stats->requests > 0 ? percent(stats->errorRate) : kNone;
    case CostPer1000:
        return !stats ? kPending : stats->costPer1000 ? QLocale().toString(*stats->costPer1000, 'f', 2) : kNone;
    case Tags:
        return row.tags;
    default:
        return {};
    }
}

QVariant RunsTableModel::sortValue(const RunRow& row, int column) const
{
    const auto& stats = row.stats;
    // Unknown numbers sort as -1, below every real value.
    switch (column) {
    case Date:
        return row.created;
    case Requests:
        return stats ? stats->requests : row.recordCount;
    case P50:
        return stats && stats->hasLatency ? stats->p50Ms / 1000.0 : -1.0;
    case P95:
        return stats && stats->hasLatency ? stats->p95Ms / 1000.0 : -1.0;
    case ErrorRate:
        return stats && stats->requests > 0 ? stats->errorRate * 100.0 : -1.0;
    case CostPer1000:
        return stats && stats->costPer1000 ? *stats->costPer1000 : -1.0;
    default:
        return displayText(row, column);
    }
}

QVariant RunsTableModel::toolTip(const RunRow& row, int column) const
{
    const auto& stats = row.stats;
    switch (column) {
    case Name:
        return row.notes.isEmpty() ? row.id : row.id + QStringLiteral("\n\n") + row.notes;
    case Date:
        return row.createdIso;
    case Requests:
        return tr("%1 measured, %2 stored (warm-up included)")
            .arg(stats ? stats->requests : row.recordCount)
            .arg(row.recordCount);
    case P50:
    case P95: {
        if (!stats || !stats->hasLatency)
            return {};
        const bool p50 = column == P50;
        const double value = p50 ? stats->p50Ms : stats->p95Ms;
        const Interval ci = p50 ? stats->p50Ci : stats->p95Ci;
        return tr("%1 %2 s (95% CI %3 – %4 s)")
            .arg(p50 ? QStringLiteral("p50") : QStringLiteral("p95"), QLocale().toString(value / 1000.0, 'f', 3),
                QLocale().toString(ci.lo / 1000.0, 'f', 3), QLocale().toString(ci.hi / 1000.0, 'f', 3));
    }
    case ErrorRate:
        return stats ? tr("%1 of %2 measured requests failed").arg(stats->requests - stats->ok).arg(stats->requests)
                     : QVariant();
    case CostPer1000:
        return stats ? stats->costNote : QVariant();
    default:
        return {};
    }
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRow& row = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, column);
    case Qt::ToolTipRole:
        return toolTip(row, column);
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(
            Qt::Alignment((isNumeric(column) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
    case Qt::DecorationRole:
        return column == Status ? QVariant(statusIcon(row.status)) : QVariant();
    case SortRole:
        return sortValue(row, column);
    case RunIdRole:
        return row.id;
    case FilterRole: {
        const QString text = displayText(row, column).toString();
        return column == Name ? text + QLatin1Char(' ') + row.id + QLatin1Char(' ') + row.notes : text;
    }
    default:
        return {};
    }
}

void RunsTableModel::setRows(const QList<RunRow>& rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

void RunsTableModel::clear()
{
    setRows({});
}

int RunsTableModel::rowOf(const QString& runId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).id == runId)
            return i;
    return -1;
}

void RunsTableModel::setStats(const RunStats& stats)
{
    const int row = rowOf(stats.runId);
    if (row < 0)
        return;
    m_rows[row].stats = stats;
    emit dataChanged(index(row, Requests), index(row, CostPer1000));
}

void RunsTableModel::setNotes(const QString& runId, const QString& tags, const QString& notes)
{
    const int row = rowOf(runId);
    if (row < 0)
        return;
    m_rows[row].tags = tags;
    m_rows[row].notes = notes;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void RunsTableModel::removeRuns(const QStringList& runIds)
{
    for (const QString& id : runIds) {
        const int row = rowOf(id);
        if (row < 0)
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
}

} // namespace t2i::ui
