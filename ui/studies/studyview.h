// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "studies/studyrow.h"

#include <QWidget>

#include <vector>

class QChartView;
class QGridLayout;
class QLabel;
class QTableWidget;
class QVBoxLayout;

namespace t2i::ui {

// One study, drawn from its StudyResult alone, so every kind of study shows without changes
// here: the answer (large), the findings (value with its interval), each table, each chart
// (ui/charts/studycharts.h), the notes, and the runs it made (double-click opens one). A
// study without a result says why (its message).
class StudyView : public QWidget {
    Q_OBJECT
public:
    explicit StudyView(QWidget* parent = nullptr);

    void showStudy(const StudyRow& study);
    void clear();

    // For tests and the report: what is shown now.
    QString studyId() const { return m_studyId; }
    QLabel* answerLabel() const { return m_answer; }
    QLabel* messageLabel() const { return m_message; }
    QTableWidget* findingsTable() const { return m_findings; }
    QTableWidget* runsTable() const { return m_runs; }
    const std::vector<QTableWidget*>& resultTables() const { return m_tables; }
    const std::vector<QChartView*>& chartViews() const { return m_charts; }

signals:
    void openRunRequested(const QString& runId);

private:
    void clearResult();

    QString m_studyId;
    QLabel* m_heading;
    QLabel* m_meta;
    QLabel* m_answer;
    QLabel* m_message;
    QTableWidget* m_findings;
    // Rebuilt for each study: its tables (beside the findings) and its charts (two to a row).
    QWidget* m_tablesBox;
    QVBoxLayout* m_tablesLayout;
    QWidget* m_chartsBox;
    QGridLayout* m_chartsLayout;
    QLabel* m_notes;
    QTableWidget* m_runs;
    std::vector<QTableWidget*> m_tables;
    std::vector<QChartView*> m_charts;
};

} // namespace t2i::ui
