// SPDX-License-Identifier: Apache-2.0
#include "studies/studiespage.h"

#include "common/text.h"
#include "jobs/backgroundjob.h"
#include "studies/runstudydialog.h"
#include "studies/studiestablemodel.h"
#include "studies/studylauncher.h"
#include "studies/studyview.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <utility>

namespace t2i::ui {

StudiesPage::StudiesPage(QWidget* parent)
    : QWidget(parent)
    , m_job(new BackgroundJob(this))
    , m_model(new StudiesTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_count(new QLabel(this))
    , m_table(new QTableView(this))
    , m_view(new StudyView(this))
    , m_launcher(new StudyLauncher(this))
    , m_runButton(new QPushButton(tr("Run Study…"), this))
    , m_cancelButton(new QPushButton(tr("Cancel Study"), this))
    , m_launchStatus(new QLabel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(StudiesTableModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(StudiesTableModel::Created, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &StudiesPage::showSelected);
    connect(m_view, &StudyView::openRunRequested, this, &StudiesPage::openRunRequested);
    connect(m_job, &BackgroundJob::busyChanged, this, &StudiesPage::loadingChanged);
    connect(m_job, &BackgroundJob::failed, this, &StudiesPage::errorOccurred);

    m_runButton->setToolTip(tr("Run `t2ibench-cli study` on a configuration into this library"));
    m_cancelButton->setToolTip(tr("Cancel the study: it ends cancelled and keeps the runs it made"));
    m_cancelButton->hide();
    m_launchStatus->setWordWrap(true);
    m_launchStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_runButton, &QPushButton::clicked, this, &StudiesPage::askAndRunStudy);
    connect(m_cancelButton, &QPushButton::clicked, this, &StudiesPage::cancelStudy);
    connect(m_launcher, &StudyLauncher::finished, this, &StudiesPage::onStudyFinished);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    top->addWidget(m_count, 1);
    top->addWidget(m_launchStatus, 2);
    top->addWidget(m_cancelButton);
    top->addWidget(m_runButton);
    leftLayout->addLayout(top);
    leftLayout->addWidget(m_table);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(left);
    splitter->addWidget(m_view);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 4);
    splitter->setSizes({ 150, 600 });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    m_count->setText(tr("No library open"));
}

bool StudiesPage::isLoading() const
{
    return m_job->isBusy();
}

void StudiesPage::setDatabase(const QString& dbPath)
{
    m_job->cancel();
    m_dbPath = dbPath;
    m_model->clear();
    m_view->clear();
    reload();
}

void StudiesPage::reload()
{
    if (m_dbPath.isEmpty())
        return;
    const QString dbPath = m_dbPath;
    m_job->start<QList<StudyRow>>(
        [dbPath](QPromise<QList<StudyRow>>& promise) { promise.addResult(loadStudyRows(dbPath)); },
        [this](const QList<StudyRow>& rows) {
            const QString selected = m_view->studyId();
            m_model->setRows(rows);
            m_table->resizeColumnsToContents();
            // The answer takes what is left; a long one is read in full below.
            m_table->setColumnWidth(StudiesTableModel::Answer, 200);
            m_count->setText(rows.isEmpty()
                    ? tr("No studies in this library yet: `t2ibench-cli study CONFIG --kind KIND` makes one "
                         "(docs/studies.md)")
                    : countText(rows.size(), tr("study"), tr("studies")));
            // The study on screen stays on screen (with its fresh row); else the newest shows,
            // as it does after "Run Study…" made one.
            if (std::exchange(m_selectNewest, false) && !rows.isEmpty())
                selectStudy(rows.front().id);
            else if (!selected.isEmpty() && m_model->rowOf(selected) >= 0)
                selectStudy(selected);
            else if (!rows.isEmpty())
                m_table->selectRow(0);
            else
                m_view->clear();
            emit listed();
        });
}

void StudiesPage::selectStudy(const QString& studyId)
{
    const int row = m_model->rowOf(studyId);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_table->selectRow(index.row());
    // Selecting the row already current changes nothing, so nothing is signalled: draw it here.
    if (m_view->studyId() != studyId)
        showSelected();
}

void StudiesPage::showSelected()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_view->clear();
        return;
    }
    const int row = m_proxy->mapToSource(current).row();
    m_view->showStudy(m_model->study(row));
}

void StudiesPage::askAndRunStudy()
{
    RunStudyDialog dialog(m_defaultConfig, this);
    if (dialog.exec() == QDialog::Accepted)
        runStudy(dialog.request());
}

void StudiesPage::runStudy(const StudyRequest& request)
{
    if (m_launcher->isRunning() || m_dbPath.isEmpty())
        return;
    m_runButton->setEnabled(false);
    m_cancelButton->show();
    m_launchStatus->setText(tr("Running the %1 study of %2…").arg(request.kind, request.configPath));
    m_launcher->start(request, m_dbPath);
}

void StudiesPage::cancelStudy()
{
    m_launchStatus->setText(tr("Cancelling the study…"));
    m_launcher->cancel();
}

void StudiesPage::onStudyFinished(int exitCode, const QString& errorText)
{
    m_runButton->setEnabled(true);
    m_cancelButton->hide();
    // The CLI's exit codes (docs/cli.md): 2 is a study refused before it ran (nothing stored).
    switch (exitCode) {
    case 0:
        m_launchStatus->setText(tr("The study completed."));
        break;
    case 130:
        m_launchStatus->setText(tr("The study was cancelled; it keeps the runs it made."));
        break;
    default:
        m_launchStatus->setText(
            // What the CLI said, on one line (the whole of it in the tooltip).
            tr("The study did not complete (exit %1): %2")
                .arg(exitCode)
                .arg(errorText.split(QLatin1Char('\n'), Qt::SkipEmptyParts).join(QStringLiteral("; "))));
        m_launchStatus->setToolTip(errorText);
        break;
    }
    m_selectNewest = exitCode != 2 && exitCode != -1;
    auto* once = new QObject(this);
    connect(this, &StudiesPage::listed, once, [this, once, exitCode, errorText] {
        once->deleteLater();
        emit studyFinished(exitCode, errorText);
    });
    reload();
}

} // namespace t2i::ui
