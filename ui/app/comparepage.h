// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QStackedWidget;

namespace t2i::ui {

class ComparisonView;

// The compare page: the comparison view (its heading, charts, tables and "Export report…"),
// or a hint while nothing is compared. File > Export Report… comes here too.
class ComparePage : public QWidget {
    Q_OBJECT
public:
    explicit ComparePage(QWidget* parent = nullptr);

    void setDatabase(const QString& dbPath);
    void showRuns(const QStringList& runIds);
    QStringList runIds() const { return m_runIds; }
    ComparisonView* view() const { return m_view; }

    void exportReport(); // asks where, then writes
    bool exportReportTo(const QString& path, QString* error);

signals:
    void reportWritten(const QString& path);
    void errorOccurred(const QString& message);

private:
    ComparisonView* m_view;
    QLabel* m_title;
    QStackedWidget* m_stack;
    QLabel* m_empty;
    QStringList m_runIds;
};

} // namespace t2i::ui
