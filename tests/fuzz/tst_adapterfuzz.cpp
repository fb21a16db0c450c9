// SPDX-License-Identifier: Apache-2.0
// Every adapter against answers of every shape (docs/testing.md): the odd answers that broke runs,
// then a bounded random campaign per adapter type and mode with fixed seeds. A failure prints the
// seed; T2I_FUZZ_SETUP="<row>" T2I_FUZZ_SEED=<n> replays that one job with its trace.
#include "answerfuzzer.h"
#include "oddanswers.h"

#include "registry/registry.h"

#include <QtTest>

#include <cstdlib>

using namespace t2ifuzz;

namespace {

// The campaign's share of the suite's time: T2I_FUZZ_SECONDS in all (default 20) over the setups.
double secondsPerSetup()
{
    double total = 20;
    if (const char* env = std::getenv("T2I_FUZZ_SECONDS"))
        total = std::atof(env);
    return total / double(setups().size());
}

constexpr std::uint64_t kFirstSeed = 20261207;

std::unique_ptr<t2i::Adapter> adapterOf(const Setup& setup)
{
    return t2i::makeAdapter(setup.provider, setup.context);
}

t2i::HttpResponse responseOf(const OddAnswer& answer)
{
    t2i::HttpResponse r;
    r.status = answer.status;
    r.body = answer.body;
    r.headers = answer.headers;
    return r;
}

} // namespace

class TestAdapterFuzz : public QObject {
    Q_OBJECT
private slots:
    void oddAnswersAreClassifiedWithTheFieldNamed_data()
    {
        QTest::addColumn<int>("index");
        const auto cases = oddAnswerCases();
        for (std::size_t i = 0; i < cases.size(); ++i)
            QTest::newRow(cases[i].name) << int(i);
    }
    void oddAnswersAreClassifiedWithTheFieldNamed()
    {
        QFETCH(int, index);
        const OddAnswerCase c = oddAnswerCases().at(std::size_t(index));
        const Setup* setup = setupNamed(c.setup);
        QVERIFY2(setup, c.setup);
        auto adapter = adapterOf(*setup);
        QVERIFY(adapter);
        t2i::JobState job;
        job.job.prompt = "a red fox";
        job.job.variant = setup->variant;
        adapter->submit(job);
        if (std::string(c.setup) == "comfyui")
            job.jobId = "ID"; // the server's id in the answers
        t2i::Action action;
        for (const OddAnswer& answer : c.answers) {
            try {
                action = adapter->onResponse(job, responseOf(answer));
            } catch (const std::exception& e) {
                QFAIL(qPrintable(QString("onResponse threw: ") + e.what()));
            }
            QVERIFY2(checkAction(action).empty(), checkAction(action).c_str());
            QVERIFY2(checkJob(job).empty(), checkJob(job).c_str());
        }
        if (c.error == t2i::ErrorClass::None) {
            QVERIFY2(action.kind != t2i::Action::Kind::Fail, action.message.c_str());
            return;
        }
        QCOMPARE(int(action.kind), int(t2i::Action::Kind::Fail));
        QCOMPARE(QString::fromStdString(std::string(t2i::toString(action.error))),
            QString::fromStdString(std::string(t2i::toString(c.error))));
        QVERIFY2(action.message.find(c.part) != std::string::npos, action.message.c_str());
    }

    void oddHealthAnswersAreNoSampleNotACrash_data()
    {
        QTest::addColumn<int>("index");
        const auto cases = oddHealthCases();
        for (std::size_t i = 0; i < cases.size(); ++i)
            QTest::newRow(cases[i].name) << int(i);
    }
    void oddHealthAnswersAreNoSampleNotACrash()
    {
        QFETCH(int, index);
        const OddHealthCase c = oddHealthCases().at(std::size_t(index));
        const Setup* setup = setupNamed(c.setup);
        QVERIFY2(setup, c.setup);
        auto adapter = adapterOf(*setup);
        QVERIFY(adapter && adapter->healthRequest());
        std::optional<t2i::WorkerSample> sample;
        try {
            sample = adapter->parseHealth(responseOf({ 200, c.body }));
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QString("parseHealth threw: ") + e.what()));
        }
        QCOMPARE(sample.has_value(), c.sample);
        QVERIFY(checkSample(sample).empty());
    }

    void retryAfterGarbageIsNoWait_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("wait");
        QTest::newRow("seconds") << "2" << true;
        QTest::newRow("nan") << "nan" << false;
        QTest::newRow("inf") << "inf" << false;
        QTest::newRow("out of range") << "1e999" << false;
        QTest::newRow("negative") << "-3" << false;
        QTest::newRow("an HTTP date") << "Wed, 21 Oct 2015 07:28:00 GMT" << false;
        QTest::newRow("trailing text") << "2 seconds" << false;
    }
    void retryAfterGarbageIsNoWait()
    {
        QFETCH(QString, value);
        QFETCH(bool, wait);
        for (const Setup& setup : setups()) {
            auto adapter = adapterOf(setup);
            const auto ms = adapter->retryAfterMs(responseOf({ 429, "", { { "retry-after", value.toStdString() } } }));
            QVERIFY2(ms.has_value() == wait, setup.name.c_str());
            QVERIFY(checkRetryAfter(ms).empty());
        }
    }

    void randomAnswersKeepTheInvariants_data()
    {
        QTest::addColumn<QString>("setup");
        for (const Setup& s : setups())
            QTest::newRow(s.name.c_str()) << QString::fromStdString(s.name);
    }
    void randomAnswersKeepTheInvariants()
    {
        QFETCH(QString, setup);
        const Setup* s = setupNamed(setup.toStdString());
        QVERIFY(s);
        const CampaignResult result = runCampaign(*s, kFirstSeed, secondsPerSetup(), 1000000);
        qInfo("%s: %llu jobs, %llu answers (%llu done, %llu failed, %llu still polling), %llu probes in %.2f s",
            s->name.c_str(), static_cast<unsigned long long>(result.stats.jobs),
            static_cast<unsigned long long>(result.stats.answers), static_cast<unsigned long long>(result.stats.done),
            static_cast<unsigned long long>(result.stats.failed),
            static_cast<unsigned long long>(result.stats.unfinished),
            static_cast<unsigned long long>(result.stats.probes), result.seconds);
        if (!result.findings.empty())
            QFAIL(qPrintable(QString::fromStdString(result.findings.front().describe())));
        QVERIFY(result.stats.jobs > 0);
    }

    void replayOneSeed()
    {
        const char* name = std::getenv("T2I_FUZZ_SETUP");
        const char* seed = std::getenv("T2I_FUZZ_SEED");
        if (!name || !seed)
            QSKIP("set T2I_FUZZ_SETUP and T2I_FUZZ_SEED to replay one job");
        const Setup* s = setupNamed(name);
        QVERIFY(s);
        Stats stats;
        const auto finding = fuzzOneJob(*s, std::strtoull(seed, nullptr, 10), stats);
        if (finding)
            QFAIL(qPrintable(QString::fromStdString(finding->describe())));
    }
};

QTEST_GUILESS_MAIN(TestAdapterFuzz)
#include "tst_adapterfuzz.moc"
