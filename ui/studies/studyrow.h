// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "study/studyresult.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace t2i {
struct StudyInfo;
}

namespace t2i::ui {

// One study of the library as the Studies page shows it: the row (kind, provider, status,
// dates) and, once it ended, its result parsed from the stored JSON. Made off the GUI thread
// (loadStudyRows), so the page only draws.
struct StudyRunRow {
    QString runId;
    QString role; // "cold 1", "warm" ... as the study named it
};

struct StudyRow {
    QString id;
    QString kind; // "cold_start", ...
    QString title; // the study type's title, or the kind when the type is unknown to this build
    QString configName;
    QString provider;
    QString variant;
    QString status; // "running", "completed", "failed", "cancelled", "interrupted"
    QString createdIso;
    QDateTime created;
    QString finishedIso;
    QString message; // why it failed or stopped
    QString paramsJson;
    std::optional<StudyResult> result; // nullopt: still running, failed before a result, or unreadable
    QString resultError; // why a stored result could not be read
    QList<StudyRunRow> runs;

    QString answer() const { return result ? QString::fromStdString(result->answer) : QString(); }
};

// The row of one stored study, its result parsed (a result that cannot be read is said in
// resultError, not thrown).
StudyRow studyRowOf(const StudyInfo& study);

// Every study of the library, newest first. Blocking: for background jobs only. Throws
// StoreError, naming the file, when the library cannot be read.
QList<StudyRow> loadStudyRows(const QString& dbPath);

} // namespace t2i::ui
