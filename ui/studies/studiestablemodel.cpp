// SPDX-License-Identifier: Apache-2.0
#include "studies/studiestablemodel.h"

#include <QColor>
#include <QLocale>

namespace t2i::ui {

StudiesTableModel::StudiesTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int StudiesTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int StudiesTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StudiesTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::ToolTipRole && section == Answer)
        return tr("The study's answer; a failed study shows why it failed");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Kind:
        return tr("Study");
    case Target:
        return tr("Provider / variant");
    case Status:
        return tr("Status");
    case Created:
        return tr("Created");
    case Answer:
        return tr("Answer");
    default:
        return {};
    }
}

QVariant StudiesTableModel::displayText(const StudyRow& row, int column) const
{
    switch (column) {
    case Kind:
        return row.kind;
    case Target:
        return row.provider + QStringLiteral(" / ") + row.variant;
    case Status:
        return row.status;
    case Created:
        return row.created.isValid() ? QLocale().toString(row.created.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm"))
                                     : row.createdIso;
    case Answer:
        // One line in the list; the page shows the whole answer.
        if (row.result)
            return row.answer().section(QLatin1Char('\n'), 0, 0);
        return row.message.isEmpty() ? row.resultError : row.message;
    default:
        return {};
    }
}

QVariant StudiesTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StudyRow& row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Kind)
            return QStringLiteral("%1 (%2)").arg(row.title, row.id);
        if (index.column() == Answer)
            return displayText(row, Answer);
        return {};
    case Qt::ForegroundRole:
        // A study that did not complete reads as such at a glance.
        if (index.column() == Status && row.status != QLatin1String("completed")
            && row.status != QLatin1String("running"))
            return QColor(0xc9, 0x4a, 0x4a);
        return {};
    case SortRole:
        if (index.column() == Created)
            return row.created;
        return displayText(row, index.column());
    case StudyIdRole:
        return row.id;
    default:
        return {};
    }
}

void StudiesTableModel::setRows(const QList<StudyRow>& rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

void StudiesTableModel::clear()
{
    setRows({});
}

int StudiesTableModel::rowOf(const QString& studyId) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == studyId)
            return static_cast<int>(i);
    return -1;
}

} // namespace t2i::ui
