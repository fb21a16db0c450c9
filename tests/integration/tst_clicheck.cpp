// SPDX-License-Identifier: Apache-2.0
// t2ibench-cli check (the dashboard's "Test connection"): one request to one provider, and what
// came back in words: OK with the workers the platform reports (the emulator), the key refused
// (a fake answering 401), a wrong endpoint (404), nothing listening, a key not set.
#include "clifixture.h"

#include "fakeserver.h"

#include <QTemporaryDir>

using namespace t2itest;
using nlohmann::json;

namespace {

json configWith(const json& provider)
{
    return { { "version", 1 }, { "providers", json::array({ provider }) },
        { "variants",
            json::array(
                { { { "id", "tiny" }, { "model", "sdxl" }, { "width", 64 }, { "height", 64 }, { "steps", 4 } } }) },
        { "workload",
            { { "timeout_s", 20 }, { "poll_interval_ms", 50 },
                { "steps", json::array({ { { "kind", "burst" }, { "requests", 5 } } }) } } } };
}

} // namespace

class TestCliCheck : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qputenv("T2I_CHECK_KEY", "check-key-not-a-real-one"); }
    void answersInWords_data();
    void answersInWords();
    void anEmulatedProviderIsOkWithItsWorkers();
    void anUnknownProviderIsBadUsage();
};

void TestCliCheck::answersInWords_data()
{
    QTest::addColumn<int>("status"); // what the fake answers every request with; 0: no server
    QTest::addColumn<QString>("keyEnv");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("401 is the key refused") << 401 << "T2I_CHECK_KEY"
                                            << "401: the key was refused" << 1;
    QTest::newRow("403 is the key refused") << 403 << "T2I_CHECK_KEY"
                                            << "403: the key was refused" << 1;
    QTest::newRow("404 is a wrong endpoint") << 404 << "T2I_CHECK_KEY"
                                             << "404: wrong endpoint or id" << 1;
    QTest::newRow("nothing listening is unreachable") << 0 << "T2I_CHECK_KEY"
                                                      << "unreachable: " << 1;
    QTest::newRow("a key not set is said before anything is sent") << 401 << "T2I_CHECK_UNSET_KEY"
                                                                   << "not ready: " << 1;
}

void TestCliCheck::answersInWords()
{
    QFETCH(int, status);
    QFETCH(QString, keyEnv);
    QFETCH(QString, summary);
    QFETCH(int, exitCode);
    FakeServer server([status](const FakeRequest&) {
        return FakeResponse::json(status, { { "error", "answered " + std::to_string(status) } });
    });
    // Port 9 (discard) on loopback has nobody listening: a refused connection.
    const std::string base = status == 0 ? std::string("http://127.0.0.1:9") : server.baseUrl();
    QTemporaryDir dir;
    const QString config = dir.filePath(QStringLiteral("check.json"));
    writeFile(config,
        configWith({ { "id", "rp" }, { "type", "runpod" }, { "endpoint_id", "ep" }, { "base_url", base + "/v2" },
                       { "api_key_env", keyEnv.toStdString() } })
            .dump());
    const CliResult result = runCli({ QStringLiteral("check"), config, QStringLiteral("--provider"),
        QStringLiteral("rp"), QStringLiteral("--json") });
    QCOMPARE(result.exitCode, exitCode);
    const json out = json::parse(result.out.toStdString(), nullptr, false);
    QVERIFY2(out.is_object(), result.out.constData());
    QVERIFY2(QString::fromStdString(out.value("summary", std::string())).startsWith(summary), result.out.constData());
    QCOMPARE(out.value("ok", true), false);
    if (summary.startsWith(QLatin1String("not ready")))
        QVERIFY(server.requests().empty()); // nothing was sent without a key
    else if (status != 0)
        QCOMPARE(out.value("http_status", 0), status);
    QVERIFY(!result.out.contains("check-key-not-a-real-one")); // the key is never printed
}

void TestCliCheck::anEmulatedProviderIsOkWithItsWorkers()
{
    QTemporaryDir dir;
    const QString config = dir.filePath(QStringLiteral("check.json"));
    writeFile(config, configWith({ { "id", "emu" }, { "type", "emulated" }, { "profile", "instant" } }).dump());
    const CliResult result = runCli({ QStringLiteral("check"), config, QStringLiteral("--provider"),
        QStringLiteral("emu"), QStringLiteral("--json") });
    QCOMPARE(result.exitCode, 0);
    const json out = json::parse(result.out.toStdString(), nullptr, false);
    QVERIFY2(out.value("ok", false), result.out.constData());
    QVERIFY2(QString::fromStdString(out.value("summary", std::string())).startsWith(QLatin1String("OK: ")),
        result.out.constData());
    QVERIFY(out.contains("workers"));
    QVERIFY(out["workers"]["idle"].get<int>() + out["workers"]["running"].get<int>() > 0);
    // Plain text says the same in one line.
    const CliResult text
        = runCli({ QStringLiteral("check"), config, QStringLiteral("--provider"), QStringLiteral("emu") });
    QVERIFY2(text.out.startsWith("emu: OK: "), text.out.constData());
}

void TestCliCheck::anUnknownProviderIsBadUsage()
{
    QTemporaryDir dir;
    const QString config = dir.filePath(QStringLiteral("check.json"));
    writeFile(config, configWith({ { "id", "emu" }, { "type", "emulated" }, { "profile", "instant" } }).dump());
    const CliResult result
        = runCli({ QStringLiteral("check"), config, QStringLiteral("--provider"), QStringLiteral("nope") });
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("no provider \"nope\""));
}

QTEST_GUILESS_MAIN(TestCliCheck)
#include "tst_clicheck.moc"
