// SPDX-License-Identifier: Apache-2.0
// The studies and study_runs tables: a study's row and result survive, its runs keep their order
// and roles, ids are found by prefix, deleting a run drops it from its study, and a study whose
// process died is marked interrupted when the library is next opened.
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace t2i;

class TestStudyStore : public QObject {
    Q_OBJECT

private:
    static RunInfo run(const std::string& id)
    {
        RunInfo r;
        r.id = id;
        r.name = "demo.cold_start/emu/sdxl";
        r.status = RunStatus::Completed;
        r.providerId = "emu";
        r.variantId = "sdxl";
        r.created = "2026-12-08T04:00:00Z";
        return r;
    }

    static StudyInfo study(const std::string& id, const std::string& created = "2026-12-08T04:00:00Z")
    {
        StudyInfo s;
        s.id = id;
        s.kind = "cold_start";
        s.configName = "demo";
        s.providerId = "emu";
        s.variantId = "sdxl";
        s.created = created;
        s.paramsJson = R"({"cold_samples":5})";
        return s;
    }

private slots:
    void aStudyKeepsItsRowResultAndRunsInOrder()
    {
        QTemporaryDir dir;
        auto store = Store::open(dir.filePath("lib.db").toStdString());
        QCOMPARE(Store::schemaVersion(), 8);
        store->createRun(run("r1"));
        store->createRun(run("r2"));
        store->createStudy(study("s20261208-040000-aaaa"));
        store->addStudyRun("s20261208-040000-aaaa", { "r2", "probe 1: 2.0 s idle" });
        store->addStudyRun("s20261208-040000-aaaa", { "r1", "probe 2: 4.0 s idle" });
        StudyInfo done = study("s20261208-040000-aaaa");
        done.status = StudyStatus::Completed;
        done.finished = "2026-12-08T04:05:00Z";
        done.resultJson = R"({"kind":"cold_start","answer":"3 s"})";
        store->finishStudy(done);

        const auto found = store->findStudy("s20261208-040000");
        QVERIFY(found);
        QVERIFY(found->status == StudyStatus::Completed);
        QCOMPARE(found->finished, done.finished);
        QCOMPARE(found->resultJson, done.resultJson);
        QCOMPARE(found->paramsJson, std::string(R"({"cold_samples":5})"));
        QCOMPARE(found->runs.size(), std::size_t(2));
        QCOMPARE(found->runs[0].runId, std::string("r2"));
        QCOMPARE(found->runs[1].role, std::string("probe 2: 4.0 s idle"));
    }

    void prefixesAreExactOrUnambiguous()
    {
        QTemporaryDir dir;
        auto store = Store::open(dir.filePath("lib.db").toStdString());
        store->createStudy(study("s1-a"));
        store->createStudy(study("s1-ab"));
        QVERIFY(!store->findStudy("s1")); // two match
        QCOMPARE(store->findStudy("s1-a")->id, std::string("s1-a")); // exact wins over prefix
        QCOMPARE(store->findStudy("s1-ab")->id, std::string("s1-ab"));
        QVERIFY(!store->findStudy(""));
        QVERIFY(!store->findStudy("s1_")); // '_' is no wildcard
    }

    void theListIsNewestFirst()
    {
        QTemporaryDir dir;
        auto store = Store::open(dir.filePath("lib.db").toStdString());
        store->createStudy(study("s-old", "2026-12-01T00:00:00Z"));
        store->createStudy(study("s-new", "2026-12-08T00:00:00Z"));
        const auto list = store->listStudies();
        QCOMPARE(list.size(), std::size_t(2));
        QCOMPARE(list.front().id, std::string("s-new"));
    }

    void deletingARunDropsItFromItsStudyAndDeletingAStudyKeepsItsRuns()
    {
        QTemporaryDir dir;
        auto store = Store::open(dir.filePath("lib.db").toStdString());
        store->createRun(run("r1"));
        store->createRun(run("r2"));
        store->createStudy(study("s1"));
        store->addStudyRun("s1", { "r1", "a" });
        store->addStudyRun("s1", { "r2", "b" });
        QVERIFY(store->deleteRun("r1"));
        QCOMPARE(store->findStudy("s1")->runs.size(), std::size_t(1));
        QVERIFY(store->deleteStudy("s1"));
        QVERIFY(!store->findStudy("s1"));
        QVERIFY(store->findRun("r2"));
        QVERIFY(!store->deleteStudy("s1"));
    }

    void aStudyWhoseProcessDiedIsInterruptedOnOpen()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("lib.db").toStdString();
        {
            auto store = Store::open(path);
            store->createStudy(study("s-dead"));
            store->createStudy(study("s-alive"));
        }
        // Forge a dead owner: a pid that cannot exist on this host.
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(
                     db, "UPDATE studies SET owner_pid = 2147483646 WHERE id = 's-dead'", nullptr, nullptr, nullptr),
            SQLITE_OK);
        sqlite3_close(db);
        auto store = Store::open(path);
        QVERIFY(store->findStudy("s-dead")->status == StudyStatus::Interrupted);
        QVERIFY(store->findStudy("s-dead")->message.find("interrupted") != std::string::npos);
        QVERIFY(store->findStudy("s-alive")->status == StudyStatus::Running); // this process owns it
    }
};

QTEST_GUILESS_MAIN(TestStudyStore)
#include "tst_studystore.moc"
