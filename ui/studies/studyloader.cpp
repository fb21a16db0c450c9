// SPDX-License-Identifier: Apache-2.0
#include "studies/studyrow.h"

#include "library/runloader.h"
#include "store/store.h"
#include "study/studytypes.h"

#include <QFileInfo>

#include <nlohmann/json.hpp>

namespace t2i::ui {
namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

QString titleOf(const std::string& kind)
{
    const StudyType* type = findStudyType(kind);
    return type ? qs(type->title) : qs(kind);
}

} // namespace

StudyRow studyRowOf(const StudyInfo& study)
{
    StudyRow row;
    row.id = qs(study.id);
    row.kind = qs(study.kind);
    row.title = titleOf(study.kind);
    row.configName = qs(study.configName);
    row.provider = qs(study.providerId);
    row.variant = qs(study.variantId);
    row.status = qs(std::string(toString(study.status)));
    row.createdIso = qs(study.created);
    row.created = parseIsoUtc(row.createdIso);
    row.finishedIso = qs(study.finished);
    row.message = qs(study.message);
    row.paramsJson = qs(study.paramsJson);
    if (!study.resultJson.empty()) {
        // A result this build cannot read (a newer shape, a damaged row) is said, not fatal:
        // the rest of the library still lists.
        try {
            row.result = studyResultFromJson(nlohmann::json::parse(study.resultJson));
        } catch (const std::exception& e) {
            row.resultError = QStringLiteral("the stored result cannot be read: ") + qs(e.what());
        }
    }
    for (const StudyRunRef& run : study.runs)
        row.runs.append({ qs(run.runId), qs(run.role) });
    return row;
}

QList<StudyRow> loadStudyRows(const QString& dbPath)
{
    // A library that does not exist has no studies; opening it would create an empty file.
    if (!QFileInfo::exists(dbPath))
        return {};
    auto store = Store::open(dbPath.toStdString());
    QList<StudyRow> rows;
    for (const StudyInfo& study : store->listStudies())
        rows.append(studyRowOf(study));
    return rows;
}

} // namespace t2i::ui
