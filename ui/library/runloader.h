// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "library/runrow.h"
#include "model/run.h"
#include "report/runreport.h"

#include <QList>
#include <QString>

#include <optional>

namespace t2i::ui {

// Blocking reads of the run library, for background jobs only (never the GUI thread). Each
// opens its own Store connection (a connection belongs to one thread) and throws StoreError,
// whose message names the file, when the library cannot be read.

// Every run, newest first, with its record count, tags and notes; no statistics.
QList<RunRow> loadRunRows(const QString& dbPath);

// The library row's statistics of one run: the same summary and cost as `t2ibench-cli show`.
RunStats computeRunStats(const RunReport& report);
RunStats loadRunStats(const QString& dbPath, const QString& runId);

// Everything the run detail page shows.
struct RunDetail {
    RunReport report;
    QString tags;
    QString notes;
    RunStats stats;
};
std::optional<RunDetail> loadRunDetail(const QString& dbPath, const QString& runId); // nullopt: no such run

// Writes. Each run is deleted in its own transaction, so a failure leaves whole runs.
void deleteRuns(const QString& dbPath, const QStringList& runIds);
void saveRunNotes(const QString& dbPath, const QString& runId, const QString& tags, const QString& notes);

QDateTime parseIsoUtc(const QString& iso);

} // namespace t2i::ui
