// SPDX-License-Identifier: Apache-2.0
#include "studies/studiespage.h"

#include "common/text.h"
#include "jobs/backgroundjob.h"
#include "studies/studiestablemodel.h"
#include "studies/studyview.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace t2i::ui {

StudiesPage::StudiesPage(QWidget* parent)
    : QWidget(parent)
    , m_job(new BackgroundJob(this))
    , m_model(new StudiesTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_count(new QLabel(this))
    , m_table(new QTableView(this))
    , m_view(new StudyView(this))
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

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_count);
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
            // The study on screen stays on screen (with its fresh row); else the newest shows.
            if (!selected.isEmpty() && m_model->rowOf(selected) >= 0)
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
    showSelected(); // a reload re-selects the same row: no currentRowChanged, but new data
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

} // namespace t2i::ui
