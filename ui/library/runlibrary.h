// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "library/runrow.h"

#include <QHash>
#include <QObject>
#include <QStringList>

#include <functional>

namespace t2i::ui {

class BackgroundJob;
class RunsTableModel;

// The run library as the GUI sees it: RunsTableModel fed by background loads. Listing the runs
// is quick and comes first; each run's statistics follow one by one (progress 0..100), and
// those of finished runs are kept in memory, so a reload recomputes only what can have changed.
// Writes (delete, tags and notes) also run off the GUI thread; the model shows them at once.
class RunLibrary : public QObject {
    Q_OBJECT
public:
    explicit RunLibrary(QObject* parent = nullptr);
    ~RunLibrary() override;

    RunsTableModel* model() const { return m_model; }
    QString databasePath() const { return m_dbPath; }
    bool isLoading() const { return m_loading; }

    void setDatabase(const QString& dbPath); // forgets the old library's rows and statistics
    void reload();
    void deleteRuns(const QStringList& runIds);
    void setNotes(const QString& runId, const QString& tags, const QString& notes);

    // Full run ids for ids or unique prefixes of listed runs; on failure an empty list, and
    // *error names the first that matched none or several.
    QStringList resolve(const QStringList& idsOrPrefixes, QString* error) const;

signals:
    void loadingChanged(bool loading);
    void progressChanged(int percent);
    void listed(); // rows are in the model; statistics may still be coming
    void statsReady(); // every listed run has its statistics
    void runsDeleted(const QStringList& runIds);
    void errorOccurred(const QString& message);

private:
    void loadStats();
    void setLoading(bool loading);
    void write(std::function<void()> work, const QString& what);

    QString m_dbPath;
    RunsTableModel* m_model;
    BackgroundJob* m_listJob;
    BackgroundJob* m_statsJob;
    QHash<QString, RunStats> m_statsCache; // finished runs of m_dbPath
    bool m_loading = false;
};

} // namespace t2i::ui
