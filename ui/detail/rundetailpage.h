// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTreeWidget;

namespace t2i::ui {

class BackgroundJob;
class ComparisonView;
class RunSummaryPanel;
struct RunDetail;

// One run: its summary with confidence intervals, the configuration it ran with, its
// environment (tool version, host, time) and its charts. Everything is read off the GUI thread.
class RunDetailPage : public QWidget {
    Q_OBJECT
public:
    explicit RunDetailPage(QWidget* parent = nullptr);

    void setDatabase(const QString& dbPath);
    void showRun(const QString& runId);
    QString runId() const { return m_runId; }

    RunSummaryPanel* summaryPanel() const { return m_summary; }
    ComparisonView* charts() const { return m_charts; }
    QString configurationText() const;
    QString environmentValue(const QString& key) const; // for tests: "" when absent

signals:
    void loaded(); // the latest showRun() is on screen
    void errorOccurred(const QString& message);
    void loadingChanged(bool loading);

private:
    void present(const RunDetail& detail);
    void showMessage(const QString& text);

    QString m_dbPath;
    QString m_runId;
    BackgroundJob* m_job;
    QLabel* m_title;
    QLabel* m_status;
    QLabel* m_subtitle;
    QLabel* m_tags;
    RunSummaryPanel* m_summary;
    QTabWidget* m_tabs;
    ComparisonView* m_charts;
    QPlainTextEdit* m_configuration;
    QTreeWidget* m_environment;
    QPlainTextEdit* m_notes;
};

} // namespace t2i::ui
