// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace t2i::ui {

class BackgroundJob;
class StudiesTableModel;
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

    StudiesTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    StudyView* view() const { return m_view; }

signals:
    void listed(); // the latest load's rows are in the model
    void openRunRequested(const QString& runId);
    void errorOccurred(const QString& message);
    void loadingChanged(bool loading);

private:
    void showSelected();

    QString m_dbPath;
    BackgroundJob* m_job;
    StudiesTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_count;
    QTableView* m_table;
    StudyView* m_view;
};

} // namespace t2i::ui
