// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartdata.h"

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

namespace t2i::ui {

// A table as text: what the summary tab shows and the report prints, from one place.
struct TableText {
    QStringList header;
    QList<QStringList> rows;
    QList<int> emphasised; // rows to set apart (significant differences)
};

// One row per run: requests, errors, throughput, p50 and p95 with their 95% intervals, cold
// and warm apart, detection lag and polls, cost per 1,000 images.
TableText runsTable(const charts::ComparisonData& data);
// What a reader must know before trusting each run's latencies (completions noticed late,
// throttled polls), one line a warning, naming the run; empty when there is nothing to say.
QStringList measurementWarnings(const charts::ComparisonData& data);
// One row per run after the baseline and metric: the difference, its 95% interval, the test and
// the verdict at 5%.
TableText differencesTable(const charts::ComparisonData& data);

// A read-only table model over a TableText (sortable through a proxy; bold where emphasised).
class TextTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;
    void setTable(TableText table);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    TableText m_table;
};

} // namespace t2i::ui
