// SPDX-License-Identifier: Apache-2.0
// The t2ibench-emulator executable as scripts use it (docs/cli.md): the first stdout line,
// truth lines as jobs finish, the ledger on SIGTERM/SIGINT, exit code 2 for a bad profile.
#include "emulatortestclient.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace t2i::test;

namespace {

QString emulatorPath()
{
    return QDir(qEnvironmentVariable("T2IBENCH_BIN_DIR")).filePath(QStringLiteral("t2ibench-emulator"));
}

std::vector<nlohmann::json> readLines(const QString& path)
{
    QFile file(path);
    std::vector<nlohmann::json> lines;
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (!line.trimmed().isEmpty())
            lines.push_back(nlohmann::json::parse(line.toStdString(), nullptr, false));
    }
    return lines;
}

// Starts the emulator and reads its first line; returns the port, or 0.
quint16 start(QProcess& process, const QStringList& arguments)
{
    process.start(emulatorPath(), arguments);
    if (!process.waitForStarted(10000))
        return 0;
    QSignalSpy output(&process, &QProcess::readyReadStandardOutput);
    while (!process.canReadLine() && process.state() == QProcess::Running)
        output.wait(10000);
    static const QRegularExpression first(QStringLiteral("^listening on http://127\\.0\\.0\\.1:(\\d+)\\n$"));
    const auto match = first.match(QString::fromUtf8(process.readLine()));
    return match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
}

QByteArray job()
{
    return R"({"input": {"prompt": "a red fox", "width": 64, "height": 48, "num_inference_steps": 4}})";
}

} // namespace

class TestEmulatorProcess : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void signalWritesTheLedger_data();
    void signalWritesTheLedger();
    void badProfileExitsWith2_data();
    void badProfileExitsWith2();
    void badArgumentsExitWith2_data();
    void badArgumentsExitWith2();
    void apiKeyFromTheNamedVariable();
};

void TestEmulatorProcess::initTestCase()
{
    QVERIFY2(QFile::exists(emulatorPath()), qPrintable(emulatorPath() + " is missing (T2IBENCH_BIN_DIR)"));
}

void TestEmulatorProcess::signalWritesTheLedger_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void TestEmulatorProcess::signalWritesTheLedger()
{
    QFETCH(int, signalNumber);
    QTemporaryDir dir;
    const QString truthPath = dir.filePath("truth.jsonl");
    QProcess process;
    const quint16 port = start(process,
        { "--profile", "fast-scaling", "--port", "0", "--seed", "9", "--truth", truthPath, "--time-scale", "0.2" });
    QVERIFY(port != 0);

    TestClient client(port);
    const HttpResult r = client.post("/v2/any-endpoint/runsync", job());
    QCOMPARE(r.json.value("status", ""), std::string("COMPLETED"));
    // Written and flushed when the job finished, not at exit.
    auto lines = readLines(truthPath);
    QCOMPARE(lines.size(), size_t { 1 });
    const nlohmann::json& truth = lines[0];
    T2I_COMPARE_JSON(truth["job_id"], r.json["id"]);
    T2I_COMPARE_JSON(truth["front"], "runpod");
    T2I_COMPARE_JSON(truth["queue_ms"], r.json["delayTime"]);
    T2I_COMPARE_JSON(truth["exec_ms"], r.json["executionTime"]);
    T2I_COMPARE_JSON(truth["worker_id"], r.json["workerId"]);
    T2I_COMPARE_JSON(truth["status"], "COMPLETED");
    T2I_COMPARE_JSON(truth["cold"], true);
    for (const char* key : { "arrival_ms", "start_ms", "finish_ms", "cold_start_ms", "billed_s", "cost_usd" })
        QVERIFY2(truth.contains(key), key);

    ::kill(pid_t(process.processId()), signalNumber);
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    lines = readLines(truthPath);
    QCOMPARE(lines.size(), size_t { 2 });
    const nlohmann::json& ledger = lines.back()["ledger"];
    QVERIFY(ledger["billed_s"].is_number_integer());
    QVERIFY(ledger["billed_s"].get<int>() >= 1);
    T2I_COMPARE_JSON(ledger["workers_started"], 1);
    T2I_COMPARE_JSON(ledger["price_per_s"], 0.00116);
    QCOMPARE(ledger["cost_usd"].get<double>(), ledger["billed_s"].get<double>() * 0.00116);
}

void TestEmulatorProcess::badProfileExitsWith2_data()
{
    QTest::addColumn<QByteArray>("content"); // empty: no file at all
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no such profile name") << QByteArray() << "no-such-profile";
    QTest::newRow("misspelt key") << QByteArray(R"({"workers": {"mx": 1}})") << "workers.mx";
    QTest::newRow("not JSON") << QByteArray("{") << "not valid JSON";
}

void TestEmulatorProcess::badProfileExitsWith2()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    QString profile = "no-such-profile";
    if (!content.isEmpty()) {
        profile = dir.filePath("bad.json");
        QFile file(profile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    QProcess process;
    process.start(emulatorPath(), { "--profile", profile });
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 2);
    const QString error = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(error.contains(mentions), qPrintable(error));
    if (!content.isEmpty())
        QVERIFY2(error.contains(profile), qPrintable(error));
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

void TestEmulatorProcess::badArgumentsExitWith2_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("no --profile") << QStringList {};
    QTest::newRow("port not a number") << QStringList { "--profile", "steady", "--port", "http" };
    QTest::newRow("negative time scale") << QStringList { "--profile", "steady", "--time-scale", "-1" };
    QTest::newRow("unknown option") << QStringList { "--profile", "steady", "--warp-speed" };
}

void TestEmulatorProcess::badArgumentsExitWith2()
{
    QFETCH(QStringList, arguments);
    QProcess process;
    process.start(emulatorPath(), arguments);
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 2);
}

void TestEmulatorProcess::apiKeyFromTheNamedVariable()
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("T2I_TEST_EMULATOR_KEY", "k-123");
    process.setProcessEnvironment(environment);
    const quint16 port = start(process, { "--profile", "instant", "--api-key-env", "T2I_TEST_EMULATOR_KEY" });
    QVERIFY(port != 0);
    QCOMPARE(TestClient(port, "Bearer k-123").get("/v2/e/health").status, 200);
    QCOMPARE(TestClient(port, "Bearer wrong").get("/v2/e/health").status, 401);
    process.terminate(); // SIGTERM
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestEmulatorProcess)
#include "tst_emulatorprocess.moc"
