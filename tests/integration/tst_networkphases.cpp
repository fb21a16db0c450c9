// SPDX-License-Identifier: Apache-2.0
// Where the network time goes, end to end over HTTPS (docs/measurement.md, "Network phases"): a
// short run through the real t2ibench-cli against the emulator serving TLS with a certificate
// it made, verified against it (never with verification off); then the export says, for each
// request, what its calls cost on the network.
//
// What is checked, per front (a one-call protocol and a submit-then-poll one):
//   - one TLS handshake per connection: every new connection shook hands, and a submit call
//     that opened one spent time on DNS, connect and TLS, while one that reused a connection
//     spent none (exactly 0);
//   - connection reuse across the run's requests: far fewer connections than calls;
//   - the submit call's phases add up to the time the client measured for that call (its
//     answer's arrival less its send). libcurl's clock and the run's are both monotonic and
//     libcurl's interval lies inside the client's, so the phases never exceed it; what is left
//     is the engine's own moments around the call, under 1 ms at the median.
#include "clifixture.h"

#include <algorithm>
#include <cmath>

using namespace t2itest;
using nlohmann::json;

namespace {

double num(const json& row, const char* key)
{
    return row.at(key).is_null() ? std::nan("") : row.at(key).get<double>();
}

double phaseSum(const json& row, const std::string& call)
{
    double sum = 0;
    for (const char* phase : { "dns", "connect", "tls", "ttfb", "transfer" })
        sum += row.at(call + "_" + phase + "_ms").get<double>();
    return sum;
}

} // namespace

class TestNetworkPhases : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qputenv("T2I_PHASES_TEST_KEY", "k-phases"); }

    void httpsRunKeepsEachCallsPhases_data()
    {
        QTest::addColumn<QString>("protocol"); // the emulator's front
        QTest::addColumn<QString>("provider"); // "{base}": https://127.0.0.1:PORT
        QTest::addColumn<bool>("oneCall"); // the submit call brings the result
        QTest::newRow("openai: one call per request")
            << "openai"
            << R"({"type": "openai", "model": "dall-e-2", "base_url": "{base}/v1"})" << true;
        QTest::newRow("runpod: submit, then polls")
            << "runpod"
            << R"({"type": "runpod", "endpoint_id": "e", "mode": "run", "base_url": "{base}/v2"})" << false;
        // The run starts the emulator over HTTPS itself and trusts the certificate it made.
        QTest::newRow("an emulated provider with tls")
            << ""
            << R"({"type": "emulated", "profile": "instant", "seed": 3, "tls": true})" << false;
    }

    void httpsRunKeepsEachCallsPhases()
    {
        QFETCH(QString, protocol);
        QFETCH(QString, provider);
        QFETCH(bool, oneCall);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcess emulator;
        json p = json::parse(provider.toStdString());
        if (!protocol.isEmpty()) { // an emulator of our own, reached as the platform it plays
            const quint16 port = startEmulatorTls(emulator, protocol, dir.filePath("emulator-ca.pem"));
            QVERIFY(port != 0);
            p = json::parse(provider.replace("{base}", QStringLiteral("https://127.0.0.1:%1").arg(port)).toStdString());
            p["api_key_env"] = "T2I_PHASES_TEST_KEY";
            p["ca_file"] = "emulator-ca.pem"; // verified against the certificate the emulator made
        }
        p["id"] = "https";
        json config = json::parse(instantRunConfig("https", json::object(), "", 256, 1));
        config["providers"] = json::array({ p });
        config["client"] = { { "region", "loopback" } };
        config["workload"]["steps"][0]["requests"] = 12; // two at a time: enough calls for reuse to show
        const QString configPath = dir.filePath("https.json");
        writeFile(configPath, config.dump(2));
        const QString db = dir.filePath("lib.db");

        const CliResult run = runCli({ "run", configPath, "--db", db, "--json" });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString id = QString::fromStdString(json::parse(run.out.toStdString())["runs"][0].get<std::string>());
        const CliResult exported = runCli({ "export", "--db", db, "--format", "json", id });
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        const json rows = json::parse(exported.out.toStdString());
        QVERIFY(rows.size() >= 13);

        std::int64_t calls = 0, connections = 0, handshakes = 0;
        std::int64_t measuredCalls = 0, measuredHandshakes = 0; // the summary leaves the warm-up out
        std::vector<double> residuals;
        for (const json& row : rows) {
            const QByteArray where = QByteArray("seq ") + QByteArray::number(row["seq"].get<qint64>());
            QVERIFY2(row["status"] == "ok", where + ": " + QByteArray::fromStdString(row.dump()));
            calls += row["calls"].get<std::int64_t>();
            connections += row["new_connections"].get<std::int64_t>();
            handshakes += row["tls_handshakes"].get<std::int64_t>();
            if (row["step"].get<int>() >= 0) {
                measuredCalls += row["calls"].get<std::int64_t>();
                measuredHandshakes += row["tls_handshakes"].get<std::int64_t>();
            }
            // Every connection over HTTPS shook hands once.
            QCOMPARE(row["tls_handshakes"], row["new_connections"]);
            QVERIFY2(!row["submit_ttfb_ms"].is_null(), where);
            QCOMPARE(row["final_ttfb_ms"].is_null(), oneCall);
            // A submit that opened a connection looked up, connected and shook hands; one that
            // reused a connection did none of it.
            const double tls = num(row, "submit_tls_ms");
            if (tls > 0) {
                QVERIFY2(num(row, "submit_connect_ms") > 0, where);
                QVERIFY2(row["new_connections"].get<int>() >= 1, where);
            } else {
                QCOMPARE(num(row, "submit_dns_ms"), 0.0);
                QCOMPARE(num(row, "submit_connect_ms"), 0.0);
            }
            for (const char* call : { "final", "download" })
                if (!row[std::string(call) + "_ttfb_ms"].is_null()
                    && num(row, (std::string(call) + "_tls_ms").c_str()) == 0)
                    QCOMPARE(num(row, (std::string(call) + "_connect_ms").c_str()), 0.0);
            // The submit call's time as the client measured it.
            const double clientMs = (oneCall ? num(row, "finished_ms") : num(row, "accepted_ms")) - num(row, "sent_ms");
            const double phases = phaseSum(row, "submit");
            QVERIFY2(phases <= clientMs + 0.01,
                where + ": phases " + QByteArray::number(phases) + " ms > " + QByteArray::number(clientMs) + " ms");
            residuals.push_back(clientMs - phases);
        }
        QVERIFY(handshakes >= 1);
        QCOMPARE(handshakes, connections);
        QVERIFY2(connections * 2 < calls,
            qPrintable(QString("%1 connections for %2 calls: no reuse").arg(connections).arg(calls)));
        std::sort(residuals.begin(), residuals.end());
        const double median = residuals[residuals.size() / 2];
        qInfo("%lld calls, %lld connections; client time beyond the phases: median %.3f ms, max %.3f ms",
            static_cast<long long>(calls), static_cast<long long>(connections), median, residuals.back());
        QVERIFY2(median < 1.0, qPrintable(QString("median %1 ms").arg(median)));

        // Where the client ran, and what the run's network summary says.
        const CliResult show = runCli({ "show", id, "--db", db, "--json" });
        QVERIFY2(show.exitCode == 0, show.err.constData());
        const json shown = json::parse(show.out.toStdString());
        QCOMPARE(shown["client"]["region"], json("loopback"));
        QCOMPARE(shown["network"]["calls"].get<std::int64_t>(), measuredCalls);
        QCOMPARE(shown["network"]["tls_handshakes"].get<std::int64_t>(), measuredHandshakes);
        QVERIFY(shown["network"]["reuse_rate"].get<double>() > 0.5);
        if (emulator.state() != QProcess::NotRunning) {
            emulator.terminate();
            QVERIFY(emulator.waitForFinished(20000));
        }
    }
};

QTEST_GUILESS_MAIN(TestNetworkPhases)
#include "tst_networkphases.moc"
