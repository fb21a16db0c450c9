// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "library/runrow.h"

#include <QAbstractTableModel>
#include <QList>

namespace t2i::ui {

// The runs library as a table. It holds what background loads hand it (rows first, statistics
// as they are computed) and never reads the database itself.
class RunsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Name,
        Provider,
        Variant,
        Date,
        Status,
        Requests,
        P50,
        P95,
        ErrorRate,
        CostPer1000,
        Tags,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // the raw value: numbers as numbers, dates as QDateTime
        RunIdRole,
        FilterRole, // the text a search matches (display text, plus id and notes for the name)
    };

    explicit RunsTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setRows(const QList<RunRow>& rows);
    void setStats(const RunStats& stats); // ignored when the run is no longer listed
    void setNotes(const QString& runId, const QString& tags, const QString& notes);
    void removeRuns(const QStringList& runIds);
    void clear();

    int rowOf(const QString& runId) const; // -1 when not listed
    const RunRow& run(int row) const { return m_rows.at(row); }
    const QList<RunRow>& rows() const { return m_rows; }

    // The word a search uses for a column ("provider:steady", "p95>4"); empty for none.
    static QString columnKey(int column);
    static bool isNumeric(int column);

private:
    QVariant displayText(const RunRow& row, int column) const;
    QVariant sortValue(const RunRow& row, int column) const;
    QVariant toolTip(const RunRow& row, int column) const;

    QList<RunRow> m_rows;
};

// "2.15" for 2,150 ms: latency columns are in seconds, the unit named in their headers.
QString formatSeconds(double ms);

} // namespace t2i::ui
