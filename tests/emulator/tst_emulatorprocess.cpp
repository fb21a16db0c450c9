// SPDX-License-Identifier: Apache-2.0
// The t2ibench-emulator executable as scripts use it (docs/cli.md): the first stdout line,
// truth lines as jobs finish, the ledger on SIGTERM/SIGINT, exit code 2 for a bad profile, and
// HTTPS with --tls (docs/emulator.md) that a client verifies.
#include "emulatortestclient.h"
#include "selfsignedcert.h"

#include <QDir>
#include <QFile>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace t2i::test;

namespace {

QString emulatorPath()
{
    return QDir(qEnvironmentVariable("T2IBENCH_BIN_DIR")).filePath(QStringLiteral("t2ibench-emulator"));
}

// The truth file's job and ledger lines (utilisation == false) or its {"utilization": ...} lines.
std::vector<nlohmann::json> readLines(const QString& path, bool utilisation = false)
{
    QFile file(path);
    std::vector<nlohmann::json> lines;
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        nlohmann::json j = nlohmann::json::parse(line.toStdString(), nullptr, false);
        if (j.contains("utilization") == utilisation)
            lines.push_back(utilisation ? j["utilization"] : j);
    }
    return lines;
}

// Starts the emulator and reads its first line, which must name this scheme; returns the port, or 0.
quint16 start(QProcess& process, const QStringList& arguments, const QString& scheme = QStringLiteral("http"))
{
    process.start(emulatorPath(), arguments);
    if (!process.waitForStarted(10000))
        return 0;
    QSignalSpy output(&process, &QProcess::readyReadStandardOutput);
    while (!process.canReadLine() && process.state() == QProcess::Running)
        output.wait(10000);
    const QRegularExpression first("^listening on " + scheme + "://127\\.0\\.0\\.1:(\\d+)\\n$");
    const auto match = first.match(QString::fromUtf8(process.readLine()));
    return match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
}

bool writeFile(const QString& path, const std::string& text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text.data(), qint64(text.size())) == qint64(text.size());
}

QList<QSslCertificate> readCertificates(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QSslCertificate::fromData(file.readAll()) : QList<QSslCertificate> {};
}

void stop(QProcess& process)
{
    process.terminate(); // SIGTERM
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 0);
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
    void httpsAnswersAClientThatTrustsTheCertificate_data();
    void httpsAnswersAClientThatTrustsTheCertificate();
    void httpsRefusesAClientThatDoesNotTrustIt_data();
    void httpsRefusesAClientThatDoesNotTrustIt();
    void givenCertificateAndKeyAreServed();
    void badTlsFlagsExitWith2_data();
    void badTlsFlagsExitWith2();
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
    // Alone on its worker of one slot (fast-scaling): fully used, from its start to its finish.
    T2I_COMPARE_JSON(truth["utilization_at_start"], 1.0);
    const std::vector<nlohmann::json> steps = readLines(truthPath, true);
    QCOMPARE(steps.size(), size_t { 2 });
    for (const nlohmann::json& step : steps) {
        T2I_COMPARE_JSON(step["worker_id"], truth["worker_id"]);
        T2I_COMPARE_JSON(step["concurrency"], 1);
    }
    T2I_COMPARE_JSON(steps[0]["t_ms"], truth["start_ms"]);
    T2I_COMPARE_JSON(steps[0]["running"], 1);
    T2I_COMPARE_JSON(steps[1]["t_ms"], truth["finish_ms"]);
    T2I_COMPARE_JSON(steps[1]["running"], 0);

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
    QTest::newRow("min workers above the profile's max") << QStringList { "--profile", "steady", "--min-workers", "7" };
    QTest::newRow("min workers not a number") << QStringList { "--profile", "steady", "--min-workers", "-1" };
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

void TestEmulatorProcess::httpsAnswersAClientThatTrustsTheCertificate_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("pointer"); // into the answer
    QTest::addColumn<QString>("startsWith"); // "{base}": https://127.0.0.1:PORT
    QTest::newRow("runpod runsync completes over https")
        << "runpod" << QByteArray("Bearer k") << "/v2/e/runsync" << job() << "/status"
        << "COMPLETED";
    QTest::newRow("replicate hands out https urls")
        << "replicate" << QByteArray("Bearer k") << "/v1/models/acme/sdxl/predictions"
        << QByteArray(R"({"input": {"prompt": "a red fox", "width": 64, "height": 48}})") << "/urls/get"
        << "{base}/v1/predictions/";
    QTest::newRow("fal hands out https urls") << "fal" << QByteArray("Key k") << "/fal-ai/fast-sdxl"
                                              << QByteArray(R"({"prompt": "a red fox"})") << "/status_url"
                                              << "{base}/fal-ai/fast-sdxl/requests/";
    QTest::newRow("openai image urls are https")
        << "openai" << QByteArray("Bearer k") << "/v1/images/generations"
        << QByteArray(R"({"model": "gpt-image-1", "prompt": "a red fox", "size": "64x48", "response_format": "url"})")
        << "/data/0/url"
        << "{base}/files/";
}

void TestEmulatorProcess::httpsAnswersAClientThatTrustsTheCertificate()
{
    QFETCH(QString, protocol);
    QFETCH(QByteArray, authorization);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, pointer);
    QFETCH(QString, startsWith);
    QTemporaryDir dir;
    const QString caPath = dir.filePath("ca.pem");
    QProcess process;
    const quint16 port
        = start(process, { "--profile", "instant", "--protocol", protocol, "--tls", "--tls-ca-out", caPath }, "https");
    QVERIFY(port != 0);
    const QList<QSslCertificate> trusted = readCertificates(caPath); // written before the first line
    QCOMPARE(trusted.size(), 1);

    TestClient client(port, authorization);
    client.useHttps(trusted);
    const HttpResult r = client.post(path, body);
    QVERIFY2(r.status == 200 || r.status == 201, r.body.constData());
    const nlohmann::json::json_pointer at(pointer.toStdString());
    QVERIFY2(r.json.contains(at) && r.json[at].is_string(), r.body.constData());
    const QString expected = QString(startsWith).replace("{base}", QStringLiteral("https://127.0.0.1:%1").arg(port));
    QVERIFY2(QString::fromStdString(r.json[at].get<std::string>()).startsWith(expected), r.body.constData());
    stop(process);
}

void TestEmulatorProcess::httpsRefusesAClientThatDoesNotTrustIt_data()
{
    QTest::addColumn<QString>("client"); // system: Qt's default CAs; other: another self-signed one; cleartext
    QTest::addColumn<int>("error");
    QTest::newRow("a client with the system's CAs fails verification")
        << "system" << int(QNetworkReply::SslHandshakeFailedError);
    QTest::newRow("a client trusting another certificate fails verification")
        << "other" << int(QNetworkReply::SslHandshakeFailedError);
    QTest::newRow("a cleartext client gets no answer") << "cleartext" << -1; // any error
}

void TestEmulatorProcess::httpsRefusesAClientThatDoesNotTrustIt()
{
    QFETCH(QString, client);
    QFETCH(int, error);
    QTemporaryDir dir;
    QProcess process;
    const quint16 port
        = start(process, { "--profile", "instant", "--tls", "--tls-ca-out", dir.filePath("ca.pem") }, "https");
    QVERIFY(port != 0);
    TestClient c(port);
    if (client == "system")
        c.useHttps();
    else if (client == "other")
        c.useHttps(QSslCertificate::fromData(QByteArray::fromStdString(t2i::makeSelfSignedCertificate().certificate)));
    const HttpResult r = c.get("/v2/e/health");
    QCOMPARE(r.status, 0);
    if (error >= 0)
        QCOMPARE(r.networkError, error);
    else
        QVERIFY(r.networkError != QNetworkReply::NoError);
    stop(process);
}

void TestEmulatorProcess::givenCertificateAndKeyAreServed()
{
    QTemporaryDir dir;
    const t2i::PemCredentials given = t2i::makeSelfSignedCertificate();
    QVERIFY(writeFile(dir.filePath("cert.pem"), given.certificate));
    QVERIFY(writeFile(dir.filePath("key.pem"), given.privateKey));
    QProcess process;
    const quint16 port = start(process,
        { "--profile", "instant", "--tls-cert", dir.filePath("cert.pem"), "--tls-key", dir.filePath("key.pem"),
            "--tls-ca-out", dir.filePath("served.pem") },
        "https"); // --tls-cert implies --tls
    QVERIFY(port != 0);
    const QList<QSslCertificate> served = readCertificates(dir.filePath("served.pem"));
    QCOMPARE(served, QSslCertificate::fromData(QByteArray::fromStdString(given.certificate)));
    QFile written(dir.filePath("served.pem"));
    QVERIFY(written.open(QIODevice::ReadOnly));
    QVERIFY2(!written.readAll().contains("PRIVATE KEY"), "the key must never be written out");
    TestClient client(port);
    client.useHttps(served);
    QCOMPARE(client.get("/v2/e/health").status, 200);
    stop(process);
}

void TestEmulatorProcess::badTlsFlagsExitWith2_data()
{
    // {cert} and {key}: a certificate and its key; {otherkey}: another's key; {dir}: a folder.
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("--tls without --tls-ca-out or files")
        << QStringList { "--tls" } << QStringList { "--tls-ca-out", "--tls-cert" };
    QTest::newRow("--tls-ca-out without --tls")
        << QStringList { "--tls-ca-out", "{dir}/ca.pem" } << QStringList { "--tls-ca-out needs --tls" };
    QTest::newRow("--tls-cert without --tls-key")
        << QStringList { "--tls-cert", "{cert}" } << QStringList { "--tls-cert and --tls-key go together" };
    QTest::newRow("missing --tls-cert file names the flag and the file") << QStringList { "--tls-cert",
        "{dir}/missing.pem", "--tls-key", "{key}" } << QStringList { "--tls-cert", "{dir}/missing.pem" };
    QTest::newRow("missing --tls-key file names the flag and the file") << QStringList { "--tls-cert", "{cert}",
        "--tls-key", "{dir}/missing.pem" } << QStringList { "--tls-key", "{dir}/missing.pem" };
    QTest::newRow("a key given as --tls-cert") << QStringList { "--tls-cert", "{key}", "--tls-key", "{key}" }
                                               << QStringList { "--tls-cert", "holds no PEM certificate" };
    QTest::newRow("a certificate given as --tls-key") << QStringList { "--tls-cert", "{cert}", "--tls-key", "{cert}" }
                                                      << QStringList { "--tls-key", "holds no unencrypted PEM" };
    QTest::newRow("another certificate's key") << QStringList { "--tls-cert", "{cert}", "--tls-key", "{otherkey}" }
                                               << QStringList { "--tls-key", "is not the private key" };
    QTest::newRow("--tls-ca-out in a missing folder") << QStringList { "--tls", "--tls-ca-out",
        "{dir}/no/such/ca.pem" } << QStringList { "--tls-ca-out: cannot write", "{dir}/no/such/ca.pem" };
}

void TestEmulatorProcess::badTlsFlagsExitWith2()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, mentions);
    QTemporaryDir dir;
    const t2i::PemCredentials made = t2i::makeSelfSignedCertificate();
    QVERIFY(writeFile(dir.filePath("cert.pem"), made.certificate));
    QVERIFY(writeFile(dir.filePath("key.pem"), made.privateKey));
    QVERIFY(writeFile(dir.filePath("otherkey.pem"), t2i::makeSelfSignedCertificate().privateKey));
    const auto expand = [&](QStringList list) {
        for (QString& s : list)
            s.replace("{cert}", dir.filePath("cert.pem"))
                .replace("{otherkey}", dir.filePath("otherkey.pem"))
                .replace("{key}", dir.filePath("key.pem"))
                .replace("{dir}", dir.path());
        return list;
    };
    QProcess process;
    process.start(emulatorPath(), QStringList { "--profile", "instant" } + expand(arguments));
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 2);
    const QString error = QString::fromUtf8(process.readAllStandardError());
    for (const QString& words : expand(mentions))
        QVERIFY2(error.contains(words), qPrintable(error));
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

QTEST_GUILESS_MAIN(TestEmulatorProcess)
#include "tst_emulatorprocess.moc"
