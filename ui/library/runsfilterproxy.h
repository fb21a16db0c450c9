// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QSortFilterProxyModel>

namespace t2i::ui {

// Sorting and searching over RunsTableModel. A query is words, all of which must match:
//   steady                 any column contains "steady" (case-insensitive; the name also
//                          matches the run id and its notes)
//   provider:fast          that column contains "fast" (keys: RunsTableModel::columnKey)
//   p95>4  errors<=1.5     numeric comparison in the column's unit (s, %, $, count)
//   "two words"            quotes keep spaces in one word
// A word whose key is unknown is searched as plain text, so a typo filters visibly instead of
// being ignored.
class RunsFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RunsFilterProxy(QObject* parent = nullptr);

    void setQuery(const QString& query);
    QString query() const { return m_query; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    struct Term {
        int column = -1; // -1: any column
        QString op; // ":" contains, or one of < <= > >= =
        QString text;
        double number = 0;
    };
    static QList<Term> parse(const QString& query);
    bool matches(const Term& term, int sourceRow) const;

    QString m_query;
    QList<Term> m_terms;
};

} // namespace t2i::ui
