// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QObject>
#include <QPair>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTcpSocket>

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <vector>

// QCOMPARE cannot take nlohmann::json (its overloads make the conversions ambiguous).
#define T2I_COMPARE_JSON(actual, expected)                                                                             \
    QVERIFY2(nlohmann::json(actual) == nlohmann::json(expected),                                                       \
        (nlohmann::json(actual).dump() + " != " + nlohmann::json(expected).dump()).c_str())

namespace t2i::test {

struct HttpResult {
    int status = 0; // 0: no answer in time
    QByteArray body;
    nlohmann::json json; // discarded if the body is not JSON
    QList<QPair<QByteArray, QByteArray>> headers;
    int networkError = 0; // QNetworkReply::NetworkError: SslHandshakeFailedError when verification failed
    QByteArray header(const QByteArray& name) const;
};

// A blocking-looking HTTP client for tests: each call spins the event loop (QSignalSpy::wait)
// until the reply is in, so the emulator in the same thread keeps serving meanwhile.
class TestClient {
public:
    explicit TestClient(quint16 port, QByteArray authorization = "Bearer test-key");
    HttpResult get(const QString& path, int timeoutMs = 30000);
    HttpResult post(const QString& path, const QByteArray& body, int timeoutMs = 30000);
    // Speaks HTTPS from now on, trusting only these certificates; none: Qt's default (the system's CAs).
    void useHttps(const QList<QSslCertificate>& trusted = {});

private:
    HttpResult wait(class QNetworkReply* reply, int timeoutMs);
    QNetworkRequest makeRequest(const QString& path) const;
    QNetworkAccessManager m_manager;
    std::optional<QSslConfiguration> m_tls;
    quint16 m_port;
    QByteArray m_authorization;
};

// N raw sockets, each sending one POST /runsync at once: QNetworkAccessManager would open only
// 6 connections per host. The response parsing is the minimum a test needs (Content-Length).
class RunsyncFlood : public QObject {
    Q_OBJECT
public:
    RunsyncFlood(quint16 port, int clients, QByteArray body);
    int answered() const { return m_answered; }
    // Answers with HTTP 200 and this job status ("COMPLETED", "CANCELLED", ...).
    int count(const std::string& status) const;

private:
    void onReadyRead(QTcpSocket* socket, QByteArray* buffer);
    std::vector<std::unique_ptr<QTcpSocket>> m_sockets;
    std::vector<QByteArray> m_buffers;
    QByteArray m_request;
    int m_answered = 0;
    std::map<std::string, int> m_statuses;
};

// The width and height in a PNG's IHDR, after checking its signature, every chunk's CRC and
// that IDAT inflates to exactly height * (1 + 3 * width) bytes; {-1, -1} if anything is wrong.
QPair<int, int> checkPng(const QByteArray& png);
// Decodes "data:image/png;base64,..." ({} if it is not one).
QByteArray decodeDataUri(const std::string& uri);

} // namespace t2i::test
