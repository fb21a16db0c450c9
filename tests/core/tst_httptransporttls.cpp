// SPDX-License-Identifier: Apache-2.0
// The libcurl transport over HTTPS against the emulator's own TLS server (ShardedHttpServer with
// a self-signed certificate, as `t2ibench-emulator --tls` serves): TransportOptions::caFile is the
// only trust, and verification is never skipped, whatever the file (docs/configuration.md, ca_file).
#include "servertls.h"
#include "shardedhttpserver.h"
#include "transport/httptransport.h"

#include <QFile>
#include <QHttpServerResponse>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <optional>

using namespace t2i;

namespace {

// The server on a thread of its own, so the test thread can drive the transport's loop.
class TlsServerThread : public QThread {
public:
    quint16 port = 0;
    QByteArray certificatePem;
    QSemaphore ready;

protected:
    void run() override
    {
        ShardedHttpServer server;
        server.route("/echo", [](const QHttpServerRequest&) { return QHttpServerResponse("ok"); });
        port = server.listen(0, tls::selfSignedConfiguration(&certificatePem));
        ready.release();
        exec();
    }
};

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

} // namespace

class TestHttpTransportTls : public QObject {
    Q_OBJECT
private:
    TlsServerThread m_server;
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        m_server.start();
        m_server.ready.acquire();
        QVERIFY(m_server.port != 0);
        QVERIFY(writeFile(m_dir.filePath("served.pem"), m_server.certificatePem));
        QByteArray other;
        tls::selfSignedConfiguration(&other);
        QVERIFY(writeFile(m_dir.filePath("other.pem"), other));
    }
    void cleanupTestCase()
    {
        m_server.quit();
        m_server.wait();
    }

    void caFileIsTheOnlyTrust_data()
    {
        QTest::addColumn<QString>("caFile"); // in the test's folder; "" for none
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("httpVersion");
        QTest::addColumn<QString>("error"); // a word of the transport error (any case); "" when answered
        const auto row
            = [](const char* name, const char* caFile, const char* host, const char* version, const char* error) {
                  QTest::newRow(name) << QString(caFile) << QString(host) << QString(version) << QString(error);
              };
        row("trusting the served certificate reaches the server", "served.pem", "127.0.0.1", "1.1", "");
        row("the certificate names localhost too", "served.pem", "localhost", "1.1", "");
        row("HTTP/2 asked, HTTP/1.1 agreed by ALPN", "served.pem", "127.0.0.1", "2", "");
        row("without ca_file the system's CAs do not trust it", "", "127.0.0.1", "1.1", "certificate");
        row("a CA file holding another certificate does not trust it", "other.pem", "127.0.0.1", "1.1", "certificate");
        row("a missing CA file fails, not falls back to no verification", "missing.pem", "127.0.0.1", "1.1", "CA cert");
    }
    void caFileIsTheOnlyTrust()
    {
        QFETCH(QString, caFile);
        QFETCH(QString, host);
        QFETCH(QString, httpVersion);
        QFETCH(QString, error);
        RunClock clock;
        TransportOptions options;
        options.httpVersion = httpVersion.toStdString();
        if (!caFile.isEmpty())
            options.caFile = m_dir.filePath(caFile).toStdString();
        HttpTransport transport(clock, options);
        std::optional<HttpResponse> got;
        const std::string url = "https://" + host.toStdString() + ":" + std::to_string(m_server.port) + "/echo";
        transport.send({ "GET", url, {}, {}, {} }, 10000, [&](HttpResponse&& r) { got = std::move(r); });
        const double deadline = clock.nowMs() + 15000; // a safety net, not a timing assertion
        while (!got && clock.nowMs() < deadline)
            transport.poll(20);
        QVERIFY(got);
        if (error.isEmpty()) {
            QVERIFY2(got->status == 200, got->transportError.c_str());
            QCOMPARE(got->body, std::string("ok"));
        } else {
            QCOMPARE(got->status, 0);
            QVERIFY2(QString::fromStdString(got->transportError).contains(error, Qt::CaseInsensitive),
                got->transportError.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestHttpTransportTls)
#include "tst_httptransporttls.moc"
