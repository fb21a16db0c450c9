// SPDX-License-Identifier: Apache-2.0
// The libcurl multi transport against a real HTTP server on loopback (Qt HTTP Server on its own thread).
#include "transport/callnetwork.h"
#include "transport/httptransport.h"

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QThread>
#include <QTimer>
#include <QtTest>

using namespace t2i;

namespace {

// A small server on a thread of its own, so the test thread can drive the transport's loop.
class ServerThread : public QThread {
public:
    quint16 port = 0;
    QSemaphore ready;

protected:
    void run() override
    {
        QHttpServer server;
        server.route("/echo", [](const QHttpServerRequest& request) {
            QHttpServerResponse response(
                QByteArray(request.method() == QHttpServerRequest::Method::Post ? "POST " : "GET ") + request.body());
            response.setHeader("X-Seen-Auth", request.value("Authorization"));
            return response;
        });
        // 10,000 "a"s, gzipped (46 bytes): what a platform that compresses its answers sends.
        server.route("/gzip", [] {
            static const char gz[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xed\xc1\x01\x0d\x00\x00\x00\xc2\xa0"
                                     "\xac\xef\x5f\xc2\x1c\x6e\x40\x01\x00\x00\x00\x00\x00\x00\x00\x00\xc0\xbf"
                                     "\x01\x97\xd4\x7e\x46\x10\x27\x00\x00";
            QHttpServerResponse response("application/octet-stream", QByteArray(gz, sizeof gz - 1));
            response.setHeader("Content-Encoding", "gzip");
            return response;
        });
        server.route("/big/<arg>",
            [](int bytes) { return QHttpServerResponse("application/octet-stream", QByteArray(bytes, 'x')); });
        server.route(
            "/status/<arg>", [](int status) { return QHttpServerResponse(QHttpServerResponder::StatusCode(status)); });
        server.route("/slow", [](QHttpServerResponder&& responder) {
            auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
            QTimer::singleShot(3000, [held] { held->write(QHttpServerResponder::StatusCode::Ok); });
        });
        port = server.listen(QHostAddress::LocalHost, 0);
        ready.release();
        exec();
    }
};

struct Loop {
    RunClock clock;
    HttpTransport transport { clock };
    // Polls until `done` holds or 10 s pass (a safety net, not a timing assertion).
    template <typename F> bool until(F done)
    {
        const double deadline = clock.nowMs() + 10000;
        while (!done() && clock.nowMs() < deadline)
            transport.poll(20);
        return done();
    }
};

} // namespace

class TestHttpTransport : public QObject {
    Q_OBJECT
private:
    ServerThread m_server;
    std::string base() const { return "http://127.0.0.1:" + std::to_string(m_server.port); }

private slots:
    void initTestCase()
    {
        m_server.start();
        m_server.ready.acquire();
        QVERIFY(m_server.port != 0);
    }
    void cleanupTestCase()
    {
        m_server.quit();
        m_server.wait();
    }

    void postCarriesBodyAndHeadersBack()
    {
        Loop loop;
        std::optional<HttpResponse> got;
        HttpRequest request;
        request.method = "POST";
        request.url = base() + "/echo";
        request.body = R"({"input":{}})";
        request.headers = { { "Authorization", "Bearer k" }, { "Content-Type", "application/json" } };
        loop.transport.send(request, 5000, [&](HttpResponse&& r) { got = std::move(r); });
        QVERIFY(loop.until([&] { return got.has_value(); }));
        QCOMPARE(got->status, 200);
        QCOMPARE(got->body, std::string(R"(POST {"input":{}})"));
        QCOMPARE(got->header("x-seen-auth"), std::string("Bearer k")); // names arrive lower-cased
        QVERIFY(got->receivedMs >= got->sentMs);
        // What crossed the wire: the body as sent, and a header block at least as long as the
        // status line, the headers read ("name: value\r\n") and the empty line.
        QCOMPARE(got->wireBodyBytes, std::int64_t(got->body.size()));
        std::int64_t lines = std::int64_t(std::string_view("HTTP/1.1 200 OK\r\n\r\n").size());
        for (const auto& [name, value] : got->headers)
            lines += std::int64_t(name.size() + value.size() + 4);
        QVERIFY2(got->headerBytes >= lines, qPrintable(QString("%1 < %2").arg(got->headerBytes).arg(lines)));
    }

    // docs/measurement.md, "Network phases": the first call opens a connection, the second
    // reuses it and spends nothing on lookup, connect or handshake; each call's phases lie within
    // the time the client measured for it (libcurl's clock and the run's are both monotonic).
    void networkPhasesOfANewThenAReusedConnection()
    {
        Loop loop;
        std::vector<HttpResponse> got;
        for (int call = 0; call < 2; ++call) {
            loop.transport.send(
                { "GET", base() + "/echo", {}, {}, {} }, 5000, [&](HttpResponse&& r) { got.push_back(std::move(r)); });
            QVERIFY(loop.until([&] { return got.size() == std::size_t(call + 1); }));
        }
        for (const HttpResponse& r : got) {
            QVERIFY(r.network.measured);
            QCOMPARE(r.network.remoteIp, std::string("127.0.0.1"));
            QVERIFY(!r.network.tlsHandshake); // plain HTTP
            QCOMPARE(r.network.phases.tlsMs, 0.0);
            QVERIFY(r.network.phases.ttfbMs > 0);
            QVERIFY2(r.network.phases.totalMs() <= r.receivedMs - r.sentMs + 0.01,
                qPrintable(QString("%1 > %2").arg(r.network.phases.totalMs()).arg(r.receivedMs - r.sentMs)));
        }
        QCOMPARE(got[0].network.newConnections, 1);
        QVERIFY(got[0].network.phases.connectMs > 0);
        QCOMPARE(got[1].network.newConnections, 0);
        QCOMPARE(got[1].network.phases.setupMs(), 0.0);
    }

    // libcurl's timers as points from the call's start, turned into phases that follow one
    // another; a stage never reached adds nothing, and a reused connection's stamps go to ttfb.
    void phasesFromLibcurlTimers_data()
    {
        QTest::addColumn<QList<qint64>>("timersUs"); // lookup, connect, handshake, pretransfer, first byte, total
        QTest::addColumn<bool>("newConnection");
        QTest::addColumn<QList<double>>("phasesMs"); // dns, connect, tls, ttfb, transfer
        QTest::newRow("a new TLS connection: every phase")
            << QList<qint64> { 1000, 3000, 9000, 9100, 20000, 25000 } << true << QList<double> { 1, 2, 6, 11, 5 };
        QTest::newRow("plain HTTP: no handshake")
            << QList<qint64> { 1000, 3000, 0, 3050, 8000, 8500 } << true << QList<double> { 1, 2, 0, 5, 0.5 };
        QTest::newRow("a reused connection: libcurl's early stamps go to ttfb")
            << QList<qint64> { 10, 12, 15, 30, 4000, 4500 } << false << QList<double> { 0, 0, 0, 4, 0.5 };
        QTest::newRow("a refused connect: the lookup, then the connect until it failed")
            << QList<qint64> { 1000, 0, 0, 0, 0, 1500 } << true << QList<double> { 1, 0.5, 0, 0, 0 };
        QTest::newRow("a name that never resolved: all of it is dns")
            << QList<qint64> { 0, 0, 0, 0, 0, 700 } << true << QList<double> { 0.7, 0, 0, 0, 0 };
        QTest::newRow("a failed handshake: the rest is tls")
            << QList<qint64> { 100, 200, 0, 0, 0, 5000 } << true << QList<double> { 0.1, 0.1, 4.8, 0, 0 };
        QTest::newRow("no answer to a sent request: the wait is ttfb")
            << QList<qint64> { 100, 200, 0, 250, 0, 30000 } << true << QList<double> { 0.1, 0.1, 0, 29.8, 0 };
        QTest::newRow("no answer on a reused connection: the wait is ttfb")
            << QList<qint64> { 5, 6, 0, 9, 0, 30000 } << false << QList<double> { 0, 0, 0, 30, 0 };
    }
    void phasesFromLibcurlTimers()
    {
        QFETCH(QList<qint64>, timersUs);
        QFETCH(bool, newConnection);
        QFETCH(QList<double>, phasesMs);
        const CallPhases p = phasesFromCurlTimes(
            { timersUs[0], timersUs[1], timersUs[2], timersUs[3], timersUs[4], timersUs[5] }, newConnection);
        const QList<double> got { p.dnsMs, p.connectMs, p.tlsMs, p.ttfbMs, p.transferMs };
        for (int i = 0; i < got.size(); ++i)
            QVERIFY2(qAbs(got[i] - phasesMs[i]) < 1e-9, qPrintable(QString("phase %1: %2").arg(i).arg(got[i])));
        QVERIFY(qAbs(p.totalMs() - double(timersUs[5]) / 1000) < 1e-9); // they add up to libcurl's total
    }

    // A compressed answer counts compressed: egress is what the platform sent
    // (docs/measurement.md, "Bytes"); the adapters read it decoded.
    void compressedBodyCountsAsReceived()
    {
        Loop loop;
        std::optional<HttpResponse> got;
        loop.transport.send(
            { "GET", base() + "/gzip", {}, {}, {} }, 5000, [&](HttpResponse&& r) { got = std::move(r); });
        QVERIFY(loop.until([&] { return got.has_value(); }));
        QCOMPARE(got->status, 200);
        QCOMPARE(got->body, std::string(10000, 'a'));
        QCOMPARE(got->wireBodyBytes, std::int64_t(46));
        QVERIFY(got->headerBytes > 0);
    }

    // One answer must not take the client's memory: past max_answer_mb it is cut off, as a
    // transport error that names the cap; up to it, it arrives whole, in a body reserved from its
    // Content-Length with room for the JSON reader's padding.
    void answersPastTheCapAreCutOff_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<qint64>("cap");
        QTest::addColumn<bool>("whole");
        QTest::newRow("a Content-Length past the cap ends it before the body")
            << "/big/100000" << qint64(50000) << false;
        QTest::newRow("a compressed body that inflates past the cap is cut")
            << "/gzip" << qint64(5000) << false; // 46 bytes on the wire, 10,000 inflated
        QTest::newRow("an answer of exactly the cap is whole") << "/big/50000" << qint64(50000) << true;
        QTest::newRow("no cap takes anything") << "/big/100000" << qint64(0) << true;
    }
    void answersPastTheCapAreCutOff()
    {
        QFETCH(QString, path);
        QFETCH(qint64, cap);
        QFETCH(bool, whole);
        RunClock clock;
        TransportOptions options;
        options.maxAnswerBytes = cap;
        HttpTransport transport(clock, options);
        std::optional<HttpResponse> got;
        transport.send(
            { "GET", base() + path.toStdString(), {}, {}, {} }, 5000, [&](HttpResponse&& r) { got = std::move(r); });
        const double deadline = clock.nowMs() + 10000;
        while (!got && clock.nowMs() < deadline)
            transport.poll(20);
        QVERIFY(got);
        if (whole) {
            QCOMPARE(got->status, 200);
            QVERIFY(got->body.size() >= 50000);
            if (path.startsWith("/big"))
                QVERIFY(got->body.capacity() >= got->body.size() + kBodyPadding);
        } else {
            QCOMPARE(got->status, 0);
            QCOMPARE(got->transportError,
                "the answer is larger than the cap of " + std::to_string(cap) + " bytes per answer (max_answer_mb)");
            QVERIFY(got->body.size() <= std::size_t(cap));
        }
    }

    // Large answers arriving together hold no more than the limit: past it, a body waits for
    // the ones before it to be handed over, and still arrives whole.
    void answersArrivingTogetherShareTheMemoryLimit()
    {
        RunClock clock;
        TransportOptions options;
        options.maxBufferedAnswerBytes = 150000; // one 100,000-byte answer at a time
        HttpTransport transport(clock, options);
        std::vector<HttpResponse> got;
        for (int i = 0; i < 6; ++i)
            transport.send({ "GET", base() + "/big/100000", {}, {}, {} }, 10000,
                [&](HttpResponse&& r) { got.push_back(std::move(r)); });
        const double deadline = clock.nowMs() + 10000;
        while (got.size() < 6 && clock.nowMs() < deadline)
            transport.poll(20);
        QCOMPARE(got.size(), std::size_t(6));
        for (const HttpResponse& r : got) {
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body, std::string(100000, 'x'));
        }
        const auto use = transport.answerMemory();
        QVERIFY2(use.peakBytes <= 150000, qPrintable(QString::number(use.peakBytes)));
        QVERIFY(use.peakBytes >= 100000);
        qInfo("%lld of 6 answers waited for room", static_cast<long long>(use.pausedAnswers));
    }

    void statusCodesPassThrough_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("429 throttled") << 429;
        QTest::newRow("404 not found") << 404;
        QTest::newRow("503 unavailable") << 503;
    }
    void statusCodesPassThrough()
    {
        QFETCH(int, status);
        Loop loop;
        std::optional<HttpResponse> got;
        loop.transport.send({ "GET", base() + "/status/" + std::to_string(status), {}, {}, {} }, 5000,
            [&](HttpResponse&& r) { got = std::move(r); });
        QVERIFY(loop.until([&] { return got.has_value(); }));
        QCOMPARE(got->status, status);
    }

    void timeoutIsReportedAsSuch()
    {
        Loop loop;
        std::optional<HttpResponse> got;
        loop.transport.send(
            { "GET", base() + "/slow", {}, {}, {} }, 200, [&](HttpResponse&& r) { got = std::move(r); });
        QVERIFY(loop.until([&] { return got.has_value(); }));
        QCOMPARE(got->status, 0);
        QVERIFY(got->timedOut);
    }

    void refusedConnectionIsATransportError()
    {
        Loop loop;
        std::optional<HttpResponse> got;
        loop.transport.send(
            { "GET", "http://127.0.0.1:1/", {}, {}, {} }, 5000, [&](HttpResponse&& r) { got = std::move(r); });
        QVERIFY(loop.until([&] { return got.has_value(); }));
        QCOMPARE(got->status, 0);
        QVERIFY(!got->timedOut);
        QVERIFY(!got->transportError.empty());
    }

    void manyConcurrentRequestsAllComplete()
    {
        Loop loop;
        int done = 0, ok = 0;
        for (int i = 0; i < 300; ++i)
            loop.transport.send({ "GET", base() + "/echo", {}, {}, {} }, 10000, [&](HttpResponse&& r) {
                ++done;
                ok += r.status == 200;
            });
        QCOMPARE(loop.transport.inFlight(), std::size_t(300));
        QVERIFY(loop.until([&] { return done == 300; }));
        QCOMPARE(ok, 300);
        QCOMPARE(loop.transport.inFlight(), std::size_t(0));
    }

    void callbacksMaySendAgain()
    {
        Loop loop;
        int chain = 0;
        std::function<void(HttpResponse &&)> next = [&](HttpResponse&&) {
            if (++chain < 5)
                loop.transport.send({ "GET", base() + "/echo", {}, {}, {} }, 5000, next);
        };
        loop.transport.send({ "GET", base() + "/echo", {}, {}, {} }, 5000, next);
        QVERIFY(loop.until([&] { return chain == 5; }));
    }

    void wakeupBreaksAWait()
    {
        Loop loop;
        std::thread waker([&] { loop.transport.wakeup(); });
        const double before = loop.clock.nowMs();
        loop.transport.poll(60000); // returns on the wake-up, not after a minute
        waker.join();
        QVERIFY(loop.clock.nowMs() - before < 60000);
    }
};

QTEST_GUILESS_MAIN(TestHttpTransport)
#include "tst_httptransport.moc"
