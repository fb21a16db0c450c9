// SPDX-License-Identifier: Apache-2.0
#pragma once

// Fixture studies for the Studies page and the study report: written through the Store API
// into a FixtureDatabase, with a StudyResult whose every part is known (a table, and a chart of
// each style), a failed study with its message, and one still running.

#include "study/studyresult.h"
#include "uifixture.h"

#include <string>

namespace t2i::test {

inline constexpr const char* kCompletedStudy = "s20260101-130000-aaaa01";
inline constexpr const char* kFailedStudy = "s20260101-130100-bbbb02";
inline constexpr const char* kRunningStudy = "s20260101-130200-cccc03";
inline constexpr const char* kStudyAnswer = "A cold start adds 6.00 s (5.90-6.10) at the median.";
inline constexpr const char* kStudyFailure = "the provider refused the study: no health endpoint";

// line: 2 series of 3 points; scatter: 1 series of 4 points; step: 3 series of 2 points.
inline StudyResult fixtureStudyResult()
{
    StudyResult r;
    r.kind = "cold_start";
    r.answer = kStudyAnswer;
    r.findings.push_back(makeFinding("overhead_s", "Cold-start overhead", 6.0, "s", 5.9, 6.1));
    r.findings.push_back(makeFinding("cold_p50_s", "Cold latency p50", 8.0, "s"));
    r.tables.push_back({ "Cold and warm latency", { "requests", "n", "p50" },
        { { "warm", "29", "2.15 s" }, { "cold", "1", "8.00 s" } } });
    r.charts.push_back({ "Latency by request", "request", "latency (s)", "line",
        { { "warm", { { 1, 2.1 }, { 2, 2.2 }, { 3, 2.3 } } }, { "cold", { { 1, 8 }, { 2, 8.1 }, { 3, 7.9 } } } } });
    r.charts.push_back({ "Latency against idle time", "idle (s)", "latency (s)", "scatter",
        { { "probes", { { 1, 2 }, { 2, 2 }, { 4, 8 }, { 8, 8 } } } } });
    r.charts.push_back({ "Share of requests", "latency (s)", "share", "step",
        { { "a", { { 1, 0.5 }, { 2, 1 } } }, { "b", { { 1.5, 0.5 }, { 3, 1 } } },
            { "c", { { 2, 0.5 }, { 4, 1 } } } } });
    r.notes.push_back("One worker only: the platform was idle before each cold request.");
    return r;
}

// As createStudy() stores it: running, no result yet.
inline StudyInfo fixtureStudy(const std::string& id, const std::string& created)
{
    StudyInfo s;
    s.id = id;
    s.kind = "cold_start";
    s.configName = "fixture";
    s.providerId = "steady";
    s.variantId = "sdxl";
    s.status = StudyStatus::Running;
    s.created = created;
    s.paramsJson = "{\"cold_samples\":1}";
    return s;
}

// Adds the fixture run (uifixture.h) and three studies: completed (with that run), failed and
// running.
inline void addFixtureStudies(FixtureDatabase& db)
{
    const FixtureRun run;
    db.add(run);
    Store& store = db.store();
    StudyInfo done = fixtureStudy(kCompletedStudy, "2026-01-01T13:00:00Z");
    store.createStudy(done);
    store.addStudyRun(done.id, { run.id, "cold and warm" });
    done.status = StudyStatus::Completed;
    done.finished = "2026-01-01T13:00:40Z";
    done.resultJson = toJson(fixtureStudyResult()).dump();
    store.finishStudy(done);

    StudyInfo failed = fixtureStudy(kFailedStudy, "2026-01-01T13:01:00Z");
    store.createStudy(failed);
    failed.status = StudyStatus::Failed;
    failed.finished = "2026-01-01T13:01:05Z";
    failed.message = kStudyFailure;
    store.finishStudy(failed);

    store.createStudy(fixtureStudy(kRunningStudy, "2026-01-01T13:02:00Z"));
}

} // namespace t2i::test
