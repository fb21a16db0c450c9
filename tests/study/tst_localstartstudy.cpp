// SPDX-License-Identifier: Apache-2.0
// The local_start study: its analysis on hand-made starts, the launch timings read from a run's
// environment, and the whole study launching the real emulator as a local server, fresh for
// each start; a provider without launch is refused.
#include "studyfixture.h"

#include "study/localstartstudy.h"
#include "transport/httptransport.h"

#include <cmath>
#include <set>

using namespace t2itest;
using nlohmann::json;

namespace {

const char* kKeyVariable = "T2I_LOCAL_START_KEY";
const char* kKey = "local-start-key-1b6453892473a467";

using Starts = std::vector<t2i::LocalStart>;

t2i::LocalStart start(std::optional<double> ready, std::optional<double> toImage, std::string problem = {})
{
    t2i::LocalStart s;
    s.runId = "r1";
    s.startToReadyS = ready;
    s.readyToFirstImageS = toImage;
    if (ready && toImage)
        s.startToFirstImageS = *ready + *toImage;
    s.problem = std::move(problem);
    return s;
}

double valueOf(const t2i::StudyResult& r, const std::string& key)
{
    const t2i::StudyFinding* f = r.finding(key);
    return f && f->value ? *f->value : std::nan("");
}

json localConfig(const json& provider)
{
    return {
        { "version", 1 },
        { "name", "local" },
        { "providers", { provider } },
        { "variants",
            { { { "id", "sd256" }, { "model", "sd-1.5" }, { "width", 256 }, { "height", 256 }, { "steps", 4 },
                { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 1 } } },
        { "workload",
            { { "timeout_s", 60 }, { "poll_interval_ms", 50 }, { "warmup_requests", 1 },
                { "steps", { { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 3 } } } } } },
    };
}

} // namespace

Q_DECLARE_METATYPE(Starts)

class TestLocalStartStudy : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        t2i::initHttpGlobally();
        qputenv(kKeyVariable, kKey);
    }

    void analysis_data()
    {
        QTest::addColumn<Starts>("starts");
        QTest::addColumn<double>("toImage");
        QTest::addColumn<double>("toReady");
        QTest::addColumn<int>("notes");
        QTest::addColumn<QString>("answerHas");
        const double none = std::nan("");
        QTest::newRow("one start gives its own times")
            << Starts { start(10, 2) } << 12.0 << 10.0 << 1 << "after 12.00 s at the median of 1 start:";
        QTest::newRow("five starts give the median") << Starts { start(10, 2), start(30, 2), start(20, 1), start(40, 5),
            start(12, 1) } << 21.0 << 20.0 << 1 << "median of 5 starts";
        QTest::newRow("a start that never got ready is left out and noted")
            << Starts { start(std::nullopt, std::nullopt, "launch: not ready"), start(20, 1), start(30, 1) } << 21.0
            << 20.0 << 2 << "median of 2 starts";
        QTest::newRow("no first image answers with the first start's problem")
            << Starts { start(8, std::nullopt, "no request succeeded") } << none << 8.0 << 2
            << "No start reached a first image: no request succeeded";
    }

    void analysis()
    {
        QFETCH(Starts, starts);
        QFETCH(double, toImage);
        QFETCH(double, toReady);
        QFETCH(int, notes);
        QFETCH(QString, answerHas);
        const t2i::StudyResult r = t2i::analyzeLocalStart(starts);
        const double image = valueOf(r, "start_to_first_image_s");
        QVERIFY2(std::isnan(toImage) ? std::isnan(image) : image == toImage, r.answer.c_str());
        QCOMPARE(valueOf(r, "start_to_ready_s"), toReady);
        QVERIFY2(QString::fromStdString(r.answer).contains(answerHas), r.answer.c_str());
        QCOMPARE(int(r.notes.size()), notes);
        QCOMPARE(r.tables.at(0).rows.size(), starts.size());
        const t2i::StudyFinding* f = r.finding("start_to_first_image_s");
        if (f->value && starts.size() > 1) { // the interval holds the median
            QVERIFY(f->low && f->high);
            QVERIFY(*f->low <= *f->value && *f->value <= *f->high);
        }
    }

    void launchTimingsAreReadFromTheRunsEnvironment_data()
    {
        QTest::addColumn<QString>("environment");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("message");
        QTest::addColumn<double>("toImage");
        QTest::addColumn<QString>("problem");
        const double none = std::nan("");
        QTest::newRow("a launched run gives start to first image")
            << R"({"launch":{"start_to_ready_ms":1500,"ready_to_first_image_ms":250,"start_to_first_image_ms":1750}})"
            << true << "" << 1.75 << "";
        QTest::newRow("a launch that never got ready gives the run's message")
            << R"({"launch":{"pid":4,"exit_status":-15}})" << false << "launch: not ready" << none
            << "launch: not ready";
        QTest::newRow("a run without launch says so")
            << R"({"emulator":{}})" << true << "" << none << "the run has no launch timings";
        QTest::newRow("a completed run without an image says no request succeeded")
            << R"({"launch":{"start_to_ready_ms":1500,"first_image_ms":null}})" << true << "" << none
            << "no request succeeded";
    }

    void launchTimingsAreReadFromTheRunsEnvironment()
    {
        QFETCH(QString, environment);
        QFETCH(bool, ok);
        QFETCH(QString, message);
        QFETCH(double, toImage);
        QFETCH(QString, problem);
        const t2i::LocalStart s = t2i::localStartFromRun("r1", environment.toStdString(), ok, message.toStdString());
        QCOMPARE(s.startToFirstImageS.has_value(), !std::isnan(toImage));
        if (s.startToFirstImageS)
            QCOMPARE(*s.startToFirstImageS, toImage);
        QCOMPARE(QString::fromStdString(s.problem), problem);
    }

    void eachStartLaunchesTheServerAfresh()
    {
        const int port = freePort();
        const std::string base = "http://127.0.0.1:" + std::to_string(port);
        const std::string emulator = (binDir() + "/t2ibench-emulator").toStdString();
        const json launch = {
            { "command",
                { emulator, "--profile", "instant", "--port", std::to_string(port), "--protocol", "runpod",
                    "--api-key-env", kKeyVariable, "--seed", "3", "--exit-with-stdin" } },
            { "ready_url", base + "/v2/emulated/health" },
            { "ready_headers", { { "Authorization", "Bearer {{api_key}}" } } },
            { "ready_timeout_s", 60 },
        };
        const json provider = { { "id", "local" }, { "type", "runpod" }, { "endpoint_id", "emulated" },
            { "base_url", base + "/v2" }, { "api_key_env", kKeyVariable }, { "launch", launch } };
        const std::string db = m_dir.filePath("local.db").toStdString();
        const StudyRun s
            = runStudy(localConfig(provider), m_dir.path().toStdString(), db, "local_start", { { "repeat", "2" } });
        QVERIFY2(s.prepareErrors.empty(), s.prepareErrors.empty() ? "" : s.prepareErrors.front().c_str());
        QVERIFY2(s.outcome.status == t2i::StudyStatus::Completed, s.outcome.message.c_str());
        const t2i::StudyResult& r = s.outcome.result;
        qInfo("%s", r.answer.c_str());
        // Two runs, two different server processes, each with its own timings.
        QCOMPARE(s.info.runs.size(), std::size_t(2));
        auto store = t2i::Store::open(db);
        std::set<int> pids;
        for (const auto& ref : s.info.runs) {
            const auto run = store->findRun(ref.runId);
            QVERIFY(run);
            const json l = json::parse(run->environmentJson).at("launch");
            pids.insert(l.at("pid").get<int>());
            QCOMPARE(store->records(ref.runId).size(), std::size_t(1)); // one request, no warm-up
        }
        QCOMPARE(pids.size(), std::size_t(2));
        const double image = valueOf(r, "start_to_first_image_s");
        QVERIFY(image > 0);
        QVERIFY(valueOf(r, "start_to_ready_s") < image);
        QCOMPARE(r.tables.at(0).rows.size(), std::size_t(2));
        QCOMPARE(r.charts.at(0).series.at(1).points.size(), std::size_t(2));
        for (const auto& row : r.tables.at(0).rows)
            QCOMPARE(QString::fromStdString(row.back()), QString("-"));
    }

    void providerWithoutLaunchIsRefused()
    {
        const json provider = { { "id", "remote" }, { "type", "runpod" }, { "endpoint_id", "emulated" },
            { "base_url", "http://127.0.0.1:9/v2" }, { "api_key_env", kKeyVariable } };
        const std::string db = m_dir.filePath("refused.db").toStdString();
        const StudyRun s = runStudy(localConfig(provider), m_dir.path().toStdString(), db, "local_start");
        QVERIFY(s.prepareErrors.empty());
        QCOMPARE(int(s.outcome.status), int(t2i::StudyStatus::Failed));
        QVERIFY2(s.outcome.message.rfind("refused: the provider \"remote\" has no launch", 0) == 0,
            s.outcome.message.c_str());
        QVERIFY(s.info.runs.empty());
    }
};

QTEST_GUILESS_MAIN(TestLocalStartStudy)
#include "tst_localstartstudy.moc"
