// SPDX-License-Identifier: Apache-2.0
#include "app/mainwindow.h"

#include "app/comparepage.h"
#include "app/sidebar.h"
#include "common/icons.h"
#include "common/text.h"
#include "compare/comparisonview.h"
#include "detail/rundetailpage.h"
#include "library/librarypage.h"
#include "library/runlibrary.h"
#include "library/runstablemodel.h"
#include "registry/registry.h"
#include "run/livepage.h"
#include "run/runprocess.h"
#include "setup/launchpage.h"
#include "setup/setuppage.h"
#include "studies/studiespage.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>

namespace t2i::ui {
namespace {

const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
const QString kLibraryHeader = QStringLiteral("library/header");
const QString kDatabase = QStringLiteral("library/database");

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_library(new RunLibrary(this))
    , m_sidebar(new Sidebar(this))
    , m_pages(new QStackedWidget(this))
    , m_libraryPage(new LibraryPage(m_library, this))
    , m_comparePage(new ComparePage(this))
    , m_detailPage(new RunDetailPage(this))
    , m_livePage(new LivePage(this))
    , m_setupPage(new SetupPage(providerCatalog(), this))
    , m_launchPage(new LaunchPage(this))
    , m_studiesPage(new StudiesPage(this))
    , m_dbLabel(new QLabel(this))
    , m_message(new QLabel(this))
    , m_progress(new QProgressBar(this))
{
    setWindowTitle(QStringLiteral("t2ibench"));
    const QColor ink = palette().color(QPalette::WindowText);
    m_sidebar->addPage(lineIcon(IconKind::Library, ink), tr("Runs"), tr("The runs library (Ctrl+1)"));
    m_sidebar->addPage(lineIcon(IconKind::Compare, ink), tr("Compare"), tr("Runs side by side (Ctrl+2)"));
    m_sidebar->addPage(lineIcon(IconKind::RunDetail, ink), tr("Run"), tr("One run in detail (Ctrl+3)"));
    m_sidebar->addPage(lineIcon(IconKind::Notes, ink), tr("Setup"),
        tr("Providers, variants, prompts and workload of a configuration (Ctrl+4)"));
    m_sidebar->addPage(
        lineIcon(IconKind::Refresh, ink), tr("Launch"), tr("What a run will take, and launching it (Ctrl+5)"));
    m_sidebar->addPage(lineIcon(IconKind::Live, ink), tr("Live"), tr("The launch running now (Ctrl+6)"));
    m_sidebar->addPage(lineIcon(IconKind::Study, ink), tr("Studies"),
        tr("The library's studies: each experiment's answer, findings, charts and runs (Ctrl+7)"));
    // In the order of Page.
    for (QWidget* page : { static_cast<QWidget*>(m_libraryPage), static_cast<QWidget*>(m_comparePage),
             static_cast<QWidget*>(m_detailPage), static_cast<QWidget*>(m_setupPage),
             static_cast<QWidget*>(m_launchPage), static_cast<QWidget*>(m_livePage),
             static_cast<QWidget*>(m_studiesPage) })
        m_pages->addWidget(page);
    m_sidebar->setPageEnabled(CompareView, false);
    m_sidebar->setPageEnabled(RunView, false);
    m_sidebar->setPageEnabled(LiveView, false);
    m_sidebar->setCurrentRow(LibraryView);
    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);

    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_sidebar);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    connect(m_libraryPage, &LibraryPage::openRunRequested, this, &MainWindow::openRun);
    connect(m_libraryPage, &LibraryPage::compareRequested, this, &MainWindow::compareRuns);
    connect(m_library, &RunLibrary::listed, this, &MainWindow::runPending);
    connect(m_library, &RunLibrary::errorOccurred, this, &MainWindow::showError);
    connect(m_library, &RunLibrary::loadingChanged, this, [this](bool busy) { setBusy(m_library, busy); });
    connect(m_library, &RunLibrary::progressChanged, m_progress, &QProgressBar::setValue);
    connect(m_library, &RunLibrary::runsDeleted, this, [this](const QStringList& ids) {
        if (ids.contains(m_detailPage->runId())) {
            m_sidebar->setPageEnabled(RunView, false);
            m_detailPage->setDatabase(m_library->databasePath());
        }
        for (const QString& id : ids)
            if (m_comparePage->runIds().contains(id)) {
                m_sidebar->setPageEnabled(CompareView, false);
                m_comparePage->setDatabase(m_library->databasePath());
                break;
            }
        m_message->setText(tr("Deleted %1").arg(runsText(ids.size())));
    });
    // Studies are listed again whenever the runs are (a refresh, a launch that ended), as a
    // study that ran from the command line meanwhile adds both.
    connect(m_library, &RunLibrary::listed, m_studiesPage, &StudiesPage::reload);
    connect(m_studiesPage, &StudiesPage::openRunRequested, this, &MainWindow::openRun);
    connect(m_studiesPage, &StudiesPage::errorOccurred, this, &MainWindow::showError);
    connect(m_studiesPage, &StudiesPage::loadingChanged, this, [this](bool busy) { setBusy(m_studiesPage, busy); });
    connect(m_comparePage, &ComparePage::errorOccurred, this, &MainWindow::showError);
    connect(m_comparePage, &ComparePage::reportWritten, this, [this](const QString& path) {
        m_message->setText(tr("Report written to %1").arg(QDir::toNativeSeparators(path)));
    });
    connect(m_comparePage->view(), &ComparisonView::loadingChanged, this,
        [this](bool busy) { setBusy(m_comparePage->view(), busy); });
    connect(m_comparePage->view(), &ComparisonView::progressChanged, m_progress, &QProgressBar::setValue);
    connect(m_detailPage, &RunDetailPage::errorOccurred, this, &MainWindow::showError);
    connect(m_detailPage, &RunDetailPage::loadingChanged, this, [this](bool busy) { setBusy(m_detailPage, busy); });
    connect(m_livePage, &LivePage::started, this, [this] {
        m_sidebar->setPageEnabled(LiveView, true);
        showPage(LiveView);
    });
    // A stored run shows in the library as soon as it ends (its records are in the library already).
    connect(m_livePage, &LivePage::runFinished, m_library, &RunLibrary::reload);
    connect(m_livePage, &LivePage::openRunRequested, this, &MainWindow::openRun);
    connect(m_livePage, &LivePage::errorOccurred, this, &MainWindow::showError);
    connect(m_livePage, &LivePage::launchFinished, this, [this] {
        if (m_closeWhenLaunchEnds)
            close();
    });
    connect(m_setupPage, &SetupPage::documentChanged, this, [this] {
        m_studiesPage->setDefaultConfig(m_setupPage->filePath());
        m_launchPage->setConfiguration(
            m_setupPage->document().document(), m_setupPage->filePath(), !m_setupPage->isDirty());
    });
    connect(m_setupPage, &SetupPage::errorOccurred, this, &MainWindow::showError);
    connect(m_setupPage, &SetupPage::message, m_message, &QLabel::setText);
    m_launchPage->setConfiguration(
        m_setupPage->document().document(), m_setupPage->filePath(), !m_setupPage->isDirty());
    connect(m_launchPage, &LaunchPage::launchRequested, this, [this](const LaunchRequest& request) {
        m_livePage->start(
            request.configPath, request.providerIds, request.variantIds, request.budgetUsd, m_library->databasePath());
    });

    buildMenus();
    buildStatusBar();
    restoreSettings();
}

MainWindow::~MainWindow() = default;

QString MainWindow::defaultDatabasePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/t2ibench/library.db");
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(lineIcon(IconKind::Open, palette().color(QPalette::WindowText)),
        tr("&Open Library…"), this, &MainWindow::chooseDatabase);
    open->setShortcut(QKeySequence::Open);
    QAction* exportReport = file->addAction(tr("&Export Report…"), m_comparePage, &ComparePage::exportReport);
    exportReport->setShortcut(Qt::CTRL | Qt::Key_E);
    exportReport->setEnabled(false);
    file->addSeparator();
    for (QAction* action : { m_setupPage->newAction(), m_setupPage->openAction(), m_setupPage->saveAction(),
             m_setupPage->saveAsAction(), m_setupPage->importAction(), m_setupPage->exportAction() })
        file->addAction(action);
    connect(m_pages, &QStackedWidget::currentChanged, exportReport, [this, exportReport](int page) {
        exportReport->setEnabled(page == CompareView && !m_comparePage->runIds().isEmpty());
    });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    const std::pair<Page, QString> pages[] = { { LibraryView, tr("&Runs") }, { CompareView, tr("&Compare") },
        { RunView, tr("R&un") }, { SetupView, tr("&Setup") }, { LaunchView, tr("&Launch") }, { LiveView, tr("L&ive") },
        { StudiesView, tr("S&tudies") } };
    for (const auto& [page, label] : pages) {
        QAction* action = view->addAction(label, this, [this, page = page] { showPage(page); });
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(int(Qt::Key_1) + int(page))));
    }
    view->addSeparator();
    QAction* refresh = view->addAction(tr("Re&fresh Library"), m_library, &RunLibrary::reload);
    refresh->setShortcut(QKeySequence::Refresh);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About t2ibench"), this, [this] {
        QMessageBox::about(this, tr("About t2ibench"),
            tr("<b>t2ibench %1</b><p>Benchmarks text-to-image inference on serverless, hosted and local "
               "platforms.</p><p>Library: %2</p>")
                .arg(QApplication::applicationVersion(), m_library->databasePath().toHtmlEscaped()));
    });
}

void MainWindow::buildStatusBar()
{
    m_dbLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_dbLabel->setForegroundRole(QPalette::PlaceholderText);
    m_progress->setRange(0, 100);
    m_progress->setMaximumWidth(160);
    m_progress->setMaximumHeight(fontMetrics().height());
    m_progress->setTextVisible(false);
    m_progress->hide();
    statusBar()->addWidget(m_dbLabel, 1);
    statusBar()->addPermanentWidget(m_message);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->setSizeGripEnabled(true);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(kGeometry).toByteArray()))
        resize(1440, 880);
    restoreState(settings.value(kState).toByteArray());
    m_libraryPage->restoreHeaderState(settings.value(kLibraryHeader).toByteArray());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(kGeometry, saveGeometry());
    settings.setValue(kState, saveState());
    settings.setValue(kLibraryHeader, m_libraryPage->saveHeaderState());
    if (!m_library->databasePath().isEmpty())
        settings.setValue(kDatabase, m_library->databasePath());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // Unsaved changes to a configuration ask before being lost (once: a close deferred until the
    // launch ends has had its answer).
    if (!m_closeWhenLaunchEnds && !m_setupPage->confirmDiscard()) {
        event->ignore();
        return;
    }
    if (m_livePage->isRunning() && !confirmCloseWhileRunning()) {
        event->ignore();
        return;
    }
    saveSettings();
    event->accept();
}

bool MainWindow::confirmCloseWhileRunning()
{
    if (!m_closeWhenLaunchEnds) {
        QMessageBox ask(QMessageBox::Question, tr("A run is in progress"),
            tr("A launch is still running. Cancel it and quit? In-flight jobs are cancelled on the platform and "
               "everything collected so far is kept."),
            QMessageBox::NoButton, this);
        QPushButton* quit = ask.addButton(tr("Cancel the Run and Quit"), QMessageBox::DestructiveRole);
        ask.addButton(tr("Keep Running"), QMessageBox::RejectRole);
        ask.setDefaultButton(quit);
        ask.exec();
        if (ask.clickedButton() != static_cast<QAbstractButton*>(quit))
            return false;
        m_closeWhenLaunchEnds = true;
        m_livePage->cancel();
        m_message->setText(tr("Cancelling the run; the window closes when it has stopped…"));
        // The close waits for the child without blocking this thread; a child that does not
        // stop in time is killed (its committed records stay; the run is marked interrupted).
        QTimer::singleShot(m_closeWaitMs, this, [this] {
            if (m_livePage->isRunning())
                m_livePage->process()->kill();
        });
    }
    return false; // launchFinished closes the window
}

void MainWindow::openDatabase(const QString& dbPath)
{
    const QString path = QFileInfo(dbPath).absoluteFilePath();
    setWindowTitle(QStringLiteral("%1 — t2ibench").arg(QFileInfo(path).fileName()));
    m_dbLabel->setText(QDir::toNativeSeparators(path));
    m_dbLabel->setToolTip(tr("The run library"));
    m_message->clear();
    m_comparePage->setDatabase(path);
    m_detailPage->setDatabase(path);
    m_studiesPage->setDatabase(path);
    m_sidebar->setPageEnabled(CompareView, false);
    m_sidebar->setPageEnabled(RunView, false);
    showPage(LibraryView);
    m_library->setDatabase(path);
    QSettings().setValue(kDatabase, path);
}

void MainWindow::chooseDatabase()
{
    const QString current = m_library->databasePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open run library"),
        current.isEmpty() ? QDir::homePath() : QFileInfo(current).absolutePath(),
        tr("t2ibench libraries (*.db *.sqlite);;All files (*)"));
    if (!path.isEmpty())
        openDatabase(path);
}

void MainWindow::compareRuns(const QStringList& idsOrPrefixes)
{
    m_pendingCompare = idsOrPrefixes;
    // Before the first listing there is nothing to resolve against; listed() calls back.
    if (m_library->model()->rowCount() > 0 || !m_library->isLoading())
        runPending();
}

void MainWindow::openRun(const QString& idOrPrefix)
{
    m_pendingOpen = idOrPrefix;
    if (m_library->model()->rowCount() > 0 || !m_library->isLoading())
        runPending();
}

void MainWindow::runPending()
{
    QString error;
    if (!m_pendingOpen.isEmpty()) {
        const QStringList ids = m_library->resolve({ std::exchange(m_pendingOpen, {}) }, &error);
        if (ids.isEmpty()) {
            showError(error);
        } else {
            m_detailPage->showRun(ids.front());
            m_sidebar->setPageEnabled(RunView, true);
            showPage(RunView);
        }
    }
    if (m_pendingCompare.isEmpty())
        return;
    const QStringList ids = m_library->resolve(std::exchange(m_pendingCompare, {}), &error);
    if (ids.isEmpty()) {
        showError(error);
        return;
    }
    if (ids.size() < LibraryPage::kMinCompare || ids.size() > LibraryPage::kMaxCompare) {
        showError(tr("Compare takes %1 to %2 runs, not %3")
                      .arg(LibraryPage::kMinCompare)
                      .arg(LibraryPage::kMaxCompare)
                      .arg(ids.size()));
        return;
    }
    m_comparePage->showRuns(ids);
    m_sidebar->setPageEnabled(CompareView, true);
    showPage(CompareView);
}

void MainWindow::showPage(Page page)
{
    const QListWidgetItem* entry = m_sidebar->item(page);
    if (entry && entry->flags().testFlag(Qt::ItemIsEnabled))
        m_sidebar->setCurrentRow(page);
}

MainWindow::Page MainWindow::currentPage() const
{
    return static_cast<Page>(m_pages->currentIndex());
}

void MainWindow::showError(const QString& message)
{
    m_message->setText(QStringLiteral("<span style='color:#c94a4a'>⚠</span> ") + message.toHtmlEscaped());
    m_message->setToolTip(message);
}

void MainWindow::setBusy(const QObject* source, bool busy)
{
    // One bar for every source; it stays while any of them is still loading.
    const bool wasBusy = !m_busy.isEmpty();
    if (busy)
        m_busy.insert(source);
    else
        m_busy.remove(source);
    m_progress->setVisible(!m_busy.isEmpty());
    if (!wasBusy && busy)
        m_progress->setValue(0);
}

} // namespace t2i::ui
