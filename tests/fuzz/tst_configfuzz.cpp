// SPDX-License-Identifier: Apache-2.0
// The configuration loader against configurations of every shape (docs/testing.md): odd ones
// written out, then a bounded random campaign from the examples and the docs' provider examples.
// A failure prints the seed; T2I_FUZZ_SEED=<n> replays it.
#include "configfuzzer.h"

#include <QtTest>

#include <cstdlib>

using namespace t2ifuzz;

namespace {

constexpr std::uint64_t kFirstSeed = 20261207;

double seconds()
{
    double total = 4;
    if (const char* env = std::getenv("T2I_CONFIG_FUZZ_SECONDS"))
        total = std::atof(env);
    return total;
}

// A quickstart-like configuration with one provider object of the given JSON text.
std::string withProvider(const std::string& provider)
{
    return "{\"version\": 1, \"providers\": [" + provider
        + "], \"variants\": [{\"id\": \"v\", \"width\": 1024, \"height\": 1024}], \"prompts\": {\"set\": \"default\"}, "
          "\"workload\": {\"steps\": [{\"kind\": \"closed\", \"concurrency\": [1], \"requests\": 2}]}}";
}

} // namespace

class TestConfigFuzz : public QObject {
    Q_OBJECT
private slots:
    void seedsAreThere()
    {
        QVERIFY(configSeeds().size() >= 3);
        // The examples themselves pass every check.
        for (const std::string& seed : configSeeds())
            QVERIFY2(checkConfig(seed).empty(), checkConfig(seed).c_str());
    }

    void oddConfigurationsAreRefusedOrWork_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("not JSON") << "{\"version\": 1,";
        QTest::newRow("an array") << "[]";
        QTest::newRow("invalid UTF-8") << QString::fromLatin1("{\"name\": \"\xff\"}");
        QTest::newRow("providers an object") << "{\"version\": 1, \"providers\": {}}";
        QTest::newRow("http headers an array") << QString::fromStdString(
            withProvider("{\"id\": \"h\", \"type\": \"http\", \"url\": \"https://x.example/g\", \"headers\": [1]}"));
        QTest::newRow("http poll interval a string") << QString::fromStdString(
            withProvider("{\"id\": \"h\", \"type\": \"http\", \"url\": \"https://x.example/g\", "
                         "\"poll\": {\"url\": \"/s/{{job_id}}\", \"interval_ms\": \"fast\"}}"));
        QTest::newRow("http body with a number in it") << QString::fromStdString(
            withProvider("{\"id\": \"h\", \"type\": \"http\", \"url\": \"https://x.example/g\", "
                         "\"body\": {\"prompt\": \"{{prompt}}\", \"steps\": 30, \"hires\": false}}"));
        QTest::newRow("runpod mode a number") << QString::fromStdString(
            withProvider("{\"id\": \"r\", \"type\": \"runpod\", \"endpoint_id\": \"e\", \"mode\": 3}"));
        QTest::newRow("replicate wait_s huge") << QString::fromStdString(
            withProvider("{\"id\": \"r\", \"type\": \"replicate\", \"model\": \"a/b\", \"wait_s\": 1e300}"));
        QTest::newRow("modal extract an array") << QString::fromStdString(
            withProvider("{\"id\": \"m\", \"type\": \"modal\", \"url\": \"https://x.modal.run\", \"extract\": []}"));
        QTest::newRow("hf scale_up_retry max a string")
            << QString::fromStdString(withProvider("{\"id\": \"h\", \"type\": \"hf_endpoint\", \"url\": \"https://x\", "
                                                   "\"scale_up_retry\": {\"max\": \"5\"}}"));
    }
    void oddConfigurationsAreRefusedOrWork()
    {
        QFETCH(QString, text);
        const std::string problem = checkConfig(text.toStdString());
        QVERIFY2(problem.empty(), problem.c_str());
    }

    void randomConfigurationsKeepTheInvariants()
    {
        const CampaignResult result = runConfigCampaign(kFirstSeed, seconds(), 1000000);
        qInfo("config: %llu configurations in %.2f s", static_cast<unsigned long long>(result.stats.jobs),
            result.seconds);
        if (!result.findings.empty())
            QFAIL(qPrintable(QString::fromStdString(result.findings.front().describe())));
        QVERIFY(result.stats.jobs > 0);
    }

    void replayOneSeed()
    {
        const char* seed = std::getenv("T2I_FUZZ_SEED");
        if (!seed)
            QSKIP("set T2I_FUZZ_SEED to replay one configuration");
        Stats stats;
        if (const auto finding = fuzzOneConfig(std::strtoull(seed, nullptr, 10), stats))
            QFAIL(qPrintable(QString::fromStdString(finding->describe())));
    }
};

QTEST_GUILESS_MAIN(TestConfigFuzz)
#include "tst_configfuzz.moc"
