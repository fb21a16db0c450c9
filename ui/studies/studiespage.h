// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace t2i::ui {

class BackgroundJob;
class StudiesTableModel;
class StudyLauncher;
struct StudyRequest;
class StudyView;

// The Studies page (Ctrl+7): the library's studies, listed off the GUI thread, and the one
// selected drawn from its result (StudyView). A newer load supersedes an older one, whose
// rows are dropped (BackgroundJob's generations); the selection survives a reload.
class StudiesPage : public QWidget {
    Q_OBJECT
public:
    explicit StudiesPage(QWidget* parent = nullptr);

    void setDatabase(const QString& dbPath);
    void reload();
    void selectStudy(const QString& studyId); // nothing when it is not listed
    bool isLoading() const;

    // "Run Study…": `t2ibench-cli study` as a child process into this library; the list
    // refreshes when it ends and shows the study it made. One at a time.
    void setDefaultConfig(const QString& configPath) { m_defaultConfig = configPath; }
    void askAndRunStudy(); // the dialog, then runStudy()
    void runStudy(const StudyRequest& request);
    void cancelStudy(); // SIGTERM: the study ends cancelled and keeps its runs
    StudyLauncher* launcher() const { return m_launcher; }
    QLabel* launchStatus() const { return m_launchStatus; }

    StudiesTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    StudyView* view() const { return m_view; }

signals:
    void listed(); // the latest load's rows are in the model
    void openRunRequested(const QString& runId);
    void errorOccurred(const QString& message);
    void loadingChanged(bool loading);
    void studyFinished(int exitCode, const QString& errorText); // after the list shows its study

private:
    void showSelected();
    void onStudyFinished(int exitCode, const QString& errorText);

    QString m_dbPath;
    BackgroundJob* m_job;
    StudiesTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_count;
    QTableView* m_table;
    StudyView* m_view;
    StudyLauncher* m_launcher;
    QPushButton* m_runButton;
    QPushButton* m_cancelButton;
    QLabel* m_launchStatus;
    QString m_defaultConfig;
    bool m_selectNewest = false; // the next listing shows the newest study: the one just made
};

} // namespace t2i::ui
