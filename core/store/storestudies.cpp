// SPDX-License-Identifier: Apache-2.0
// The studies and study_runs tables (schema version 8, docs/schema.md): a study's row, its
// result as JSON, and the runs it made in order with the role each played.
#include "store/store.h"

#include "storeimpl.h"

#include <unistd.h>

namespace t2i {

std::string_view toString(StudyStatus status)
{
    switch (status) {
    case StudyStatus::Running:
        return "running";
    case StudyStatus::Completed:
        return "completed";
    case StudyStatus::Failed:
        return "failed";
    case StudyStatus::Cancelled:
        return "cancelled";
    case StudyStatus::Interrupted:
        return "interrupted";
    }
    return "failed";
}

bool studyStatusFromString(std::string_view text, StudyStatus& out)
{
    for (StudyStatus s : { StudyStatus::Running, StudyStatus::Completed, StudyStatus::Failed, StudyStatus::Cancelled,
             StudyStatus::Interrupted })
        if (toString(s) == text) {
            out = s;
            return true;
        }
    return false;
}

namespace {

constexpr std::string_view kStudyColumns = "id, kind, config_name, provider_id, variant_id, status, created, "
                                           "coalesce(finished, ''), message, params_json, result_json";

StudyInfo readStudy(Database& db, Statement& st)
{
    StudyInfo s;
    s.id = st.text(0);
    s.kind = st.text(1);
    s.configName = st.text(2);
    s.providerId = st.text(3);
    s.variantId = st.text(4);
    studyStatusFromString(st.text(5), s.status);
    s.created = st.text(6);
    s.finished = st.text(7);
    s.message = st.text(8);
    s.paramsJson = st.text(9);
    s.resultJson = st.text(10);
    auto runs = db.prepare("SELECT run_id, role FROM study_runs WHERE study_id = ?1 ORDER BY ord");
    runs.bind(1, s.id);
    while (runs.step())
        s.runs.push_back({ runs.text(0), runs.text(1) });
    return s;
}

} // namespace

void Store::createStudy(const StudyInfo& study)
{
    auto st = d->db.prepare("INSERT INTO studies (id, kind, config_name, provider_id, variant_id, status, created, "
                            "message, params_json, owner_pid, owner_host) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                            "?10, ?11)");
    st.bind(1, study.id);
    st.bind(2, study.kind);
    st.bind(3, study.configName);
    st.bind(4, study.providerId);
    st.bind(5, study.variantId);
    st.bind(6, toString(study.status));
    st.bind(7, study.created);
    st.bind(8, study.message);
    st.bind(9, study.paramsJson.empty() ? std::string("{}") : study.paramsJson);
    st.bind(10, static_cast<std::int64_t>(getpid()));
    st.bind(11, hostName());
    st.run();
}

void Store::finishStudy(const StudyInfo& study)
{
    auto st
        = d->db.prepare("UPDATE studies SET status = ?1, finished = ?2, message = ?3, result_json = ?4 WHERE id = ?5");
    st.bind(1, toString(study.status));
    st.bind(2, study.finished.empty() ? std::optional<std::string>() : std::optional<std::string>(study.finished));
    st.bind(3, study.message);
    st.bind(4, study.resultJson);
    st.bind(5, study.id);
    st.run();
}

void Store::addStudyRun(const std::string& studyId, const StudyRunRef& run)
{
    auto st = d->db.prepare("INSERT INTO study_runs (study_id, ord, run_id, role) VALUES (?1, (SELECT "
                            "coalesce(max(ord), -1) + 1 FROM study_runs WHERE study_id = ?1), ?2, ?3)");
    st.bind(1, studyId);
    st.bind(2, run.runId);
    st.bind(3, run.role);
    st.run();
}

std::vector<StudyInfo> Store::listStudies() const
{
    auto st = d->db.prepare("SELECT " + std::string(kStudyColumns) + " FROM studies ORDER BY created DESC, id DESC");
    std::vector<StudyInfo> out;
    while (st.step())
        out.push_back(readStudy(d->db, st));
    return out;
}

std::optional<StudyInfo> Store::findStudy(const std::string& idOrPrefix) const
{
    if (idOrPrefix.empty())
        return std::nullopt;
    // substr, not LIKE: LIKE is case-insensitive and treats '_' as a wildcard.
    auto st = d->db.prepare("SELECT " + std::string(kStudyColumns)
        + " FROM studies WHERE id = ?1 OR substr(id, 1, length(?1)) = ?1 ORDER BY id = ?1 DESC LIMIT 2");
    st.bind(1, idOrPrefix);
    if (!st.step())
        return std::nullopt;
    StudyInfo found = readStudy(d->db, st);
    if (found.id != idOrPrefix && st.step())
        return std::nullopt; // ambiguous
    return found;
}

bool Store::deleteStudy(const std::string& studyId)
{
    Transaction tx(d->db);
    auto runs = d->db.prepare("DELETE FROM study_runs WHERE study_id = ?1");
    runs.bind(1, studyId);
    runs.run();
    auto st = d->db.prepare("DELETE FROM studies WHERE id = ?1");
    st.bind(1, studyId);
    st.run();
    const bool deleted = d->db.changes() > 0;
    tx.commit();
    return deleted;
}

} // namespace t2i
