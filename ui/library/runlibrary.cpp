// SPDX-License-Identifier: Apache-2.0
#include "library/runlibrary.h"

#include "common/text.h"
#include "jobs/backgroundjob.h"
#include "library/runloader.h"
#include "library/runstablemodel.h"

#include <QFutureWatcher>
#include <QPointer>

namespace t2i::ui {

RunLibrary::RunLibrary(QObject* parent)
    : QObject(parent)
    , m_model(new RunsTableModel(this))
    , m_listJob(new BackgroundJob(this))
    , m_statsJob(new BackgroundJob(this))
{
    for (BackgroundJob* job : { m_listJob, m_statsJob })
        connect(job, &BackgroundJob::failed, this, [this](const QString& message) {
            setLoading(false);
            emit errorOccurred(message);
        });
    connect(m_statsJob, &BackgroundJob::progressChanged, this, &RunLibrary::progressChanged);
}

RunLibrary::~RunLibrary() = default;

void RunLibrary::setDatabase(const QString& dbPath)
{
    m_listJob->cancel();
    m_statsJob->cancel();
    m_dbPath = dbPath;
    m_statsCache.clear();
    m_model->clear();
    reload();
}

void RunLibrary::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void RunLibrary::reload()
{
    if (m_dbPath.isEmpty())
        return;
    m_statsJob->cancel();
    setLoading(true);
    emit progressChanged(0);
    const QString dbPath = m_dbPath;
    auto rows = std::make_shared<QList<RunRow>>();
    m_listJob->start<QList<RunRow>>(
        [dbPath](QPromise<QList<RunRow>>& promise) { promise.addResult(loadRunRows(dbPath)); },
        [rows](const QList<RunRow>& loaded) { *rows = loaded; },
        [this, rows] {
            for (RunRow& row : *rows) {
                const auto cached = m_statsCache.constFind(row.id);
                if (row.isFinal() && cached != m_statsCache.constEnd())
                    row.stats = *cached;
            }
            m_model->setRows(*rows);
            emit listed();
            loadStats();
        });
}

void RunLibrary::loadStats()
{
    QStringList pending;
    for (const RunRow& row : m_model->rows())
        if (!row.stats)
            pending.append(row.id);
    if (pending.isEmpty()) {
        setLoading(false);
        emit progressChanged(100);
        emit statsReady();
        return;
    }
    const QString dbPath = m_dbPath;
    m_statsJob->start<RunStats>(
        [dbPath, pending](QPromise<RunStats>& promise) {
            promise.setProgressRange(0, static_cast<int>(pending.size()));
            int done = 0;
            for (const QString& id : pending) {
                if (promise.isCanceled())
                    return;
                // A run deleted meanwhile (by another process) is skipped, not an error.
                try {
                    promise.addResult(loadRunStats(dbPath, id));
                } catch (const std::exception&) {
                }
                promise.setProgressValue(++done);
            }
        },
        [this](const RunStats& stats) {
            const int row = m_model->rowOf(stats.runId);
            if (row >= 0 && m_model->run(row).isFinal())
                m_statsCache.insert(stats.runId, stats);
            m_model->setStats(stats);
        },
        [this] {
            setLoading(false);
            emit statsReady();
        });
}

void RunLibrary::write(std::function<void()> work, const QString& what)
{
    // Writes are never superseded, so they do not go through a BackgroundJob.
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        const QString error = watcher->result();
        if (!error.isEmpty()) {
            emit errorOccurred(error);
            reload(); // show what the library really holds
        }
    });
    watcher->setFuture(QtConcurrent::run([work = std::move(work), what]() -> QString {
        try {
            work();
            return {};
        } catch (const std::exception& e) {
            return what + QStringLiteral(": ") + QString::fromStdString(e.what());
        }
    }));
}

void RunLibrary::deleteRuns(const QStringList& runIds)
{
    if (runIds.isEmpty())
        return;
    m_model->removeRuns(runIds);
    for (const QString& id : runIds)
        m_statsCache.remove(id);
    emit runsDeleted(runIds);
    const QString dbPath = m_dbPath;
    write([dbPath, runIds] { t2i::ui::deleteRuns(dbPath, runIds); },
        tr("Could not delete %1 from %2").arg(runsText(runIds.size()), dbPath));
}

void RunLibrary::setNotes(const QString& runId, const QString& tags, const QString& notes)
{
    m_model->setNotes(runId, tags, notes);
    const QString dbPath = m_dbPath;
    write([dbPath, runId, tags, notes] { saveRunNotes(dbPath, runId, tags, notes); },
        tr("Could not save the tags and notes of %1").arg(runId));
}

QStringList RunLibrary::resolve(const QStringList& idsOrPrefixes, QString* error) const
{
    QStringList ids;
    for (const QString& wanted : idsOrPrefixes) {
        QStringList matches;
        for (const RunRow& row : m_model->rows()) {
            if (row.id == wanted) {
                matches = { row.id };
                break;
            }
            if (row.id.startsWith(wanted))
                matches.append(row.id);
        }
        if (matches.size() != 1) {
            if (error)
                *error = matches.isEmpty()
                    ? tr("No run \"%1\" in %2").arg(wanted, m_dbPath)
                    : tr("\"%1\" matches %2 runs; give more of the id").arg(wanted).arg(matches.size());
            return {};
        }
        ids.append(matches.front());
    }
    return ids;
}

} // namespace t2i::ui
