// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QStackedWidget;
class QTableView;

namespace t2i::ui {

class RunLibrary;
class RunsFilterProxy;

// The runs library page: search, a sortable table, and the actions on the selected runs
// (open, compare 2 to 8, tags and notes, delete with confirmation).
class LibraryPage : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMinCompare = 2;
    static constexpr int kMaxCompare = 8;

    explicit LibraryPage(RunLibrary* library, QWidget* parent = nullptr);

    QTableView* table() const { return m_table; }
    RunsFilterProxy* proxy() const { return m_proxy; }
    QLineEdit* searchField() const { return m_search; }
    QStringList selectedRunIds() const; // in table order
    void selectRuns(const QStringList& runIds);

    QByteArray saveHeaderState() const;
    void restoreHeaderState(const QByteArray& state);

    void compareSelected();
    void openSelected();
    void editNotesOfSelected();
    void deleteSelected(); // asks first

signals:
    void openRunRequested(const QString& runId);
    void compareRequested(const QStringList& runIds);

private:
    void buildActions();
    void updateActions();
    void updateSummary();
    void showContextMenu(const QPoint& position);

    RunLibrary* m_library;
    RunsFilterProxy* m_proxy;
    QLineEdit* m_search;
    QLabel* m_count;
    QLabel* m_hint;
    QTableView* m_table;
    QLabel* m_empty;
    QStackedWidget* m_stack;
    QAction* m_compare = nullptr;
    QAction* m_open = nullptr;
    QAction* m_notes = nullptr;
    QAction* m_delete = nullptr;
    QAction* m_refresh = nullptr;
};

} // namespace t2i::ui
