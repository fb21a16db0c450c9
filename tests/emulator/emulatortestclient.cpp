// SPDX-License-Identifier: Apache-2.0
#include "emulatortestclient.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QtEndian>

#include <zlib.h>

namespace t2i::test {

QByteArray HttpResult::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

TestClient::TestClient(quint16 port, QByteArray authorization)
    : m_port(port)
    , m_authorization(std::move(authorization))
{
}

QNetworkRequest TestClient::makeRequest(const QString& path) const
{
    QNetworkRequest request(
        QUrl(QStringLiteral("%1://127.0.0.1:%2%3").arg(m_tls ? "https" : "http").arg(m_port).arg(path)));
    if (m_tls)
        request.setSslConfiguration(*m_tls);
    if (!m_authorization.isEmpty())
        request.setRawHeader("Authorization", m_authorization);
    return request;
}

HttpResult TestClient::get(const QString& path, int timeoutMs)
{
    return wait(m_manager.get(makeRequest(path)), timeoutMs);
}

HttpResult TestClient::post(const QString& path, const QByteArray& body, int timeoutMs)
{
    QNetworkRequest r = makeRequest(path);
    r.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    return wait(m_manager.post(r, body), timeoutMs);
}

void TestClient::useHttps(const QList<QSslCertificate>& trusted)
{
    m_tls = QSslConfiguration::defaultConfiguration();
    if (!trusted.isEmpty())
        m_tls->setCaCertificates(trusted); // replaces the system's CAs
}

HttpResult TestClient::wait(QNetworkReply* reply, int timeoutMs)
{
    std::unique_ptr<QNetworkReply> owner(reply);
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(timeoutMs);
    }
    HttpResult result;
    if (!reply->isFinished())
        return result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.networkError = reply->error();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    result.json = nlohmann::json::parse(result.body.toStdString(), nullptr, false);
    return result;
}

RunsyncFlood::RunsyncFlood(quint16 port, int clients, QByteArray body)
{
    m_request = "POST /v2/flood/runsync?wait=60000 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer flood\r\n"
                "Content-Type: application/json\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    m_buffers.resize(static_cast<size_t>(clients));
    for (int i = 0; i < clients; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        QTcpSocket* s = socket.get();
        QByteArray* buffer = &m_buffers[static_cast<size_t>(i)];
        connect(s, &QTcpSocket::connected, this, [this, s] { s->write(m_request); });
        connect(s, &QTcpSocket::readyRead, this, [this, s, buffer] { onReadyRead(s, buffer); });
        s->connectToHost(QHostAddress::LocalHost, port);
        m_sockets.push_back(std::move(socket));
    }
}

void RunsyncFlood::onReadyRead(QTcpSocket* socket, QByteArray* buffer)
{
    buffer->append(socket->readAll());
    const qsizetype headerEnd = buffer->indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    const QByteArray head = buffer->left(headerEnd).toLower();
    const qsizetype at = head.indexOf("content-length:");
    const qsizetype length = at < 0 ? 0 : head.mid(at + 15, head.indexOf("\r\n", at) - at - 15).trimmed().toLongLong();
    if (buffer->size() < headerEnd + 4 + length)
        return;
    const auto json = nlohmann::json::parse(buffer->mid(headerEnd + 4, length).toStdString(), nullptr, false);
    ++m_answered;
    if (head.startsWith("http/1.1 200") && json.is_object())
        ++m_statuses[json.value("status", "")];
    socket->disconnectFromHost();
}

int RunsyncFlood::count(const std::string& status) const
{
    const auto it = m_statuses.find(status);
    return it == m_statuses.end() ? 0 : it->second;
}

QByteArray decodeDataUri(const std::string& uri)
{
    static const std::string prefix = "data:image/png;base64,";
    if (uri.rfind(prefix, 0) != 0)
        return {};
    return QByteArray::fromBase64(QByteArray::fromStdString(uri.substr(prefix.size())));
}

QPair<int, int> checkPng(const QByteArray& png)
{
    const QPair<int, int> bad { -1, -1 };
    if (!png.startsWith("\x89PNG\r\n\x1a\n"))
        return bad;
    int width = -1, height = -1;
    QByteArray idat;
    qsizetype at = 8;
    bool ended = false;
    while (at + 12 <= png.size() && !ended) {
        const auto length = qFromBigEndian<quint32>(png.constData() + at);
        if (at + 12 + qsizetype(length) > png.size())
            return bad;
        const QByteArray typeAndData = png.mid(at + 4, 4 + qsizetype(length));
        const auto crc = qFromBigEndian<quint32>(png.constData() + at + 8 + length);
        const auto* bytes = reinterpret_cast<const Bytef*>(typeAndData.constData());
        if (crc32(0, bytes, uInt(typeAndData.size())) != crc)
            return bad;
        const QByteArray type = typeAndData.left(4);
        if (type == "IHDR") {
            width = int(qFromBigEndian<quint32>(typeAndData.constData() + 4));
            height = int(qFromBigEndian<quint32>(typeAndData.constData() + 8));
        } else if (type == "IDAT") {
            idat += typeAndData.mid(4);
        }
        ended = type == "IEND";
        at += 12 + qsizetype(length);
    }
    if (!ended || width <= 0 || height <= 0)
        return bad;
    uLongf size = uLongf(height) * (1 + 3 * uLongf(width));
    QByteArray pixels(qsizetype(size) + 1, '\0'); // one spare byte: more data than expected is an error
    uLongf got = uLongf(pixels.size());
    if (uncompress(reinterpret_cast<Bytef*>(pixels.data()), &got, reinterpret_cast<const Bytef*>(idat.constData()),
            uLong(idat.size()))
            != Z_OK
        || got != size)
        return bad;
    return { width, height };
}

} // namespace t2i::test
