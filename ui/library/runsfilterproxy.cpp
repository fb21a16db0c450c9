// SPDX-License-Identifier: Apache-2.0
#include "library/runsfilterproxy.h"

#include "library/runstablemodel.h"

#include <QProcess>
#include <QRegularExpression>

namespace t2i::ui {

RunsFilterProxy::RunsFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(RunsTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(true);
}

void RunsFilterProxy::setQuery(const QString& query)
{
    if (query == m_query)
        return;
    m_query = query;
    m_terms = parse(query);
    invalidateFilter();
}

QList<RunsFilterProxy::Term> RunsFilterProxy::parse(const QString& query)
{
    static const QRegularExpression keyed(QStringLiteral("^([A-Za-z0-9]+)(:|<=|>=|<|>|=)(.*)$"));
    QList<Term> terms;
    for (const QString& word : QProcess::splitCommand(query)) {
        Term term;
        term.op = QStringLiteral(":");
        term.text = word;
        const auto match = keyed.match(word);
        if (match.hasMatch()) {
            for (int column = 0; column < RunsTableModel::ColumnCount; ++column) {
                if (RunsTableModel::columnKey(column).compare(match.captured(1), Qt::CaseInsensitive) != 0)
                    continue;
                const QString op = match.captured(2);
                bool isNumber = false;
                const double number = match.captured(3).toDouble(&isNumber);
                if (op != QLatin1String(":") && !(RunsTableModel::isNumeric(column) && isNumber))
                    break; // "name>x" is no comparison: search the whole word as text
                term.column = column;
                term.op = op;
                term.text = match.captured(3);
                term.number = number;
                break;
            }
        }
        if (!term.text.isEmpty() || term.column >= 0)
            terms.append(term);
    }
    return terms;
}

bool RunsFilterProxy::matches(const Term& term, int sourceRow) const
{
    const QAbstractItemModel* model = sourceModel();
    auto textAt
        = [&](int column) { return model->index(sourceRow, column).data(RunsTableModel::FilterRole).toString(); };
    if (term.column < 0) {
        for (int column = 0; column < model->columnCount(); ++column)
            if (textAt(column).contains(term.text, Qt::CaseInsensitive))
                return true;
        return false;
    }
    if (term.op == QLatin1String(":"))
        return textAt(term.column).contains(term.text, Qt::CaseInsensitive);
    const QVariant raw = model->index(sourceRow, term.column).data(RunsTableModel::SortRole);
    const double value = raw.toDouble();
    if (value < 0)
        return false; // not known yet: no comparison holds
    if (term.op == QLatin1String("<"))
        return value < term.number;
    if (term.op == QLatin1String("<="))
        return value <= term.number;
    if (term.op == QLatin1String(">"))
        return value > term.number;
    if (term.op == QLatin1String(">="))
        return value >= term.number;
    return qFuzzyCompare(value + 1.0, term.number + 1.0);
}

bool RunsFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    for (const Term& term : m_terms)
        if (!matches(term, sourceRow))
            return false;
    return true;
}

} // namespace t2i::ui
