// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMainWindow>
#include <QSet>
#include <QStringList>

class QLabel;
class QProgressBar;
class QStackedWidget;

namespace t2i::ui {

class ComparePage;
class LibraryPage;
class LivePage;
class LaunchPage;
class RunDetailPage;
class SetupPage;
class StudiesPage;
struct LaunchRequest;
class RunLibrary;
class Sidebar;

// The dashboard window. It only wires pages together: the sidebar picks a page, the library
// opens a run or a comparison, and window state and the last library persist (QSettings).
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Page { LibraryView, CompareView, RunView, SetupView, LaunchView, LiveView, StudiesView };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void openDatabase(const QString& dbPath);
    // Ids or unique prefixes; resolved against the library once it is listed.
    void compareRuns(const QStringList& idsOrPrefixes);
    void openRun(const QString& idOrPrefix); // resolved like compareRuns()
    void showPage(Page page);
    Page currentPage() const;

    RunLibrary* library() const { return m_library; }
    LibraryPage* libraryPage() const { return m_libraryPage; }
    ComparePage* comparePage() const { return m_comparePage; }
    RunDetailPage* detailPage() const { return m_detailPage; }
    LivePage* livePage() const { return m_livePage; }
    // How long closing the window waits for a cancelled launch to stop before it kills it.
    void setCloseWait(int ms) { m_closeWaitMs = ms; }
    SetupPage* setupPage() const { return m_setupPage; }
    LaunchPage* launchPage() const { return m_launchPage; }
    StudiesPage* studiesPage() const { return m_studiesPage; }

    // $XDG_DATA_HOME/t2ibench/library.db, the CLI's default.
    static QString defaultDatabasePath();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildStatusBar();
    void restoreSettings();
    void saveSettings() const;
    void chooseDatabase();
    void showError(const QString& message);
    void setBusy(const QObject* source, bool busy);
    void runPending();
    bool confirmCloseWhileRunning(); // false: the close waits (or was called off)

    RunLibrary* m_library;
    Sidebar* m_sidebar;
    QStackedWidget* m_pages;
    LibraryPage* m_libraryPage;
    ComparePage* m_comparePage;
    RunDetailPage* m_detailPage;
    LivePage* m_livePage;
    SetupPage* m_setupPage;
    LaunchPage* m_launchPage;
    StudiesPage* m_studiesPage;
    QLabel* m_dbLabel;
    QLabel* m_message;
    QProgressBar* m_progress;
    QStringList m_pendingCompare;
    QString m_pendingOpen;
    QSet<const QObject*> m_busy; // what is loading now: the library, the comparison
    bool m_closeWhenLaunchEnds = false; // the user chose "Cancel the run and quit"
    int m_closeWaitMs = 30000;
};

} // namespace t2i::ui
