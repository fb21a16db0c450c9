// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "studies/studyrow.h"

#include <QAbstractTableModel>
#include <QList>

namespace t2i::ui {

// The library's studies as a table: kind, provider / variant, status, created, answer. It holds
// what a background load hands it and never reads the database itself.
class StudiesTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Kind, Target, Status, Created, Answer, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, // dates as QDateTime, the rest as text
        StudyIdRole,
    };

    explicit StudiesTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setRows(const QList<StudyRow>& rows); // a model reset: the list is replaced whole
    void clear();

    int rowOf(const QString& studyId) const; // -1 when not listed
    const StudyRow& study(int row) const { return m_rows.at(row); }
    const QList<StudyRow>& rows() const { return m_rows; }

private:
    QVariant displayText(const StudyRow& row, int column) const;

    QList<StudyRow> m_rows;
};

} // namespace t2i::ui
