// SPDX-License-Identifier: Apache-2.0
// A run through the real t2ibench-cli against `t2ibench-emulator --tls` (docs/emulator.md): the
// provider's ca_file (docs/configuration.md), relative to the config, is what lets its requests
// through, image downloads included; without it every request fails verification.
#include "clifixture.h"

using namespace t2itest;
using nlohmann::json;

class TestEndToEndTls : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qputenv("T2I_TLS_TEST_KEY", "k-tls"); }

    void caFileLetsTheRunThrough_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<QString>("provider"); // "{base}": https://127.0.0.1:PORT
        QTest::addColumn<bool>("trusted"); // ca_file given
        QTest::newRow("runpod over https with ca_file")
            << "runpod"
            << R"({"type": "runpod", "endpoint_id": "e", "mode": "run", "base_url": "{base}/v2"})" << true;
        QTest::newRow("replicate with URL images over https with ca_file")
            << "replicate"
            << R"({"type": "replicate", "model": "acme/sdxl", "base_url": "{base}/v1"})" << true;
        QTest::newRow("runpod over https without ca_file fails verification")
            << "runpod"
            << R"({"type": "runpod", "endpoint_id": "e", "mode": "run", "base_url": "{base}/v2"})" << false;
    }
    void caFileLetsTheRunThrough()
    {
        QFETCH(QString, protocol);
        QFETCH(QString, provider);
        QFETCH(bool, trusted);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QDir(dir.path()).mkpath("certs"));
        QProcess emulator;
        const quint16 port = startEmulatorTls(emulator, protocol, dir.filePath("certs/emulator-ca.pem"));
        QVERIFY(port != 0);

        json p
            = json::parse(provider.replace("{base}", QStringLiteral("https://127.0.0.1:%1").arg(port)).toStdString());
        p["id"] = "tls";
        p["api_key_env"] = "T2I_TLS_TEST_KEY";
        if (trusted)
            p["ca_file"] = "certs/emulator-ca.pem"; // relative to the config's folder
        json config = json::parse(instantRunConfig("tls", json::object(), "", 64, 1));
        config["providers"] = json::array({ p });
        const QString configPath = dir.filePath("tls.json");
        writeFile(configPath, config.dump(2));
        const QString db = dir.filePath("lib.db");

        // A run whose requests all fail still completes (exit 0): the failures are its result.
        const CliResult run = runCli({ "run", configPath, "--db", db, "--json" });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString runId = QString::fromStdString(json::parse(run.out.toStdString())["runs"][0].get<std::string>());
        const CliResult show = runCli({ "show", runId, "--db", db, "--json" });
        QVERIFY2(show.exitCode == 0, show.err.constData());
        const json shown = json::parse(show.out.toStdString());
        QCOMPARE(shown["ok"].get<int>(), trusted ? 6 : 0);
        QCOMPARE(shown["errors"].get<int>(), trusted ? 0 : 6);
        const CliResult exported = runCli({ "export", runId, "--db", db, "--format", "json" });
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        const json rows = json::parse(exported.out.toStdString()); // an array, one request a line
        for (const json& row : rows) {
            const std::string message = row["error_message"].is_string() ? row["error_message"] : "";
            if (trusted)
                QVERIFY2(row["status"] == "ok", row.dump().c_str());
            else
                QVERIFY2(row["error_class"] == "transport"
                        && QString::fromStdString(message).contains("certificate", Qt::CaseInsensitive),
                    row.dump().c_str());
        }
        QVERIFY(rows.size() >= 6); // the warm-up request is exported too
        emulator.terminate();
        QVERIFY(emulator.waitForFinished(20000));
    }
};

QTEST_GUILESS_MAIN(TestEndToEndTls)
#include "tst_endtoendtls.moc"
