// SPDX-License-Identifier: Apache-2.0
#include "fakeserver.h"

#include "pngimage.h"

#include <QAbstractHttpServer>
#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QPointer>
#include <QSemaphore>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

#include <mutex>
#include <stdexcept>

namespace t2itest {

std::string FakeRequest::header(const std::string& lowerName) const
{
    const auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

std::string FakeRequest::queryItem(const std::string& name) const
{
    const QUrlQuery q(QString::fromStdString(query));
    return q.queryItemValue(QString::fromStdString(name), QUrl::FullyDecoded).toStdString();
}

FakeResponse FakeResponse::json(int status, const nlohmann::json& body, int delayMs)
{
    return bytes(status, body.dump(), "application/json", delayMs);
}

FakeResponse FakeResponse::bytes(int status, std::string body, std::string contentType, int delayMs)
{
    FakeResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers.emplace_back("Content-Type", std::move(contentType));
    r.delayMs = delayMs;
    return r;
}

FakeResponse& FakeResponse::withHeader(std::string name, std::string value)
{
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

namespace {

// Every request, whatever its path, goes to the handler (QHttpServer's router would need a route
// per path; a fake wants the whole protocol in one place).
class CatchAllServer final : public QAbstractHttpServer {
public:
    CatchAllServer(FakeHandler handler, std::function<void(const FakeRequest&)> log, const QElapsedTimer& clock)
        : m_handler(std::move(handler))
        , m_log(std::move(log))
        , m_clock(clock)
    {
    }

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override
    {
        FakeRequest fake;
        fake.method = methodName(request.method());
        fake.path = request.url().path().toStdString();
        fake.query = request.url().query(QUrl::FullyEncoded).toStdString();
        for (const auto& [name, value] : request.headers())
            fake.headers[name.toLower().toStdString()] = value.toStdString();
        fake.body = request.body().toStdString();
        fake.atMs = double(m_clock.nsecsElapsed()) / 1e6;
        m_log(fake);

        FakeResponse response;
        try {
            response = m_handler(fake);
        } catch (const std::exception& e) {
            response = FakeResponse::json(500, { { "error", std::string("fake server bug: ") + e.what() } });
        }
        auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
        if (response.delayMs <= 0) {
            write(*responder, response);
        } else {
            QPointer<QTcpSocket> alive(socket);
            QTimer::singleShot(response.delayMs, socket, [responder, response, alive] {
                if (alive)
                    write(*responder, response);
            });
        }
        return true;
    }
    void missingHandler(const QHttpServerRequest&, QTcpSocket*) override { }

private:
    static void write(QHttpServerResponder& responder, const FakeResponse& response)
    {
        // Qt 6.4's HeaderList is an initializer_list, so a response built at run time is
        // written piece by piece.
        responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(response.status));
        bool hasType = false;
        for (const auto& [name, value] : response.headers) {
            responder.writeHeader(QByteArray::fromStdString(name), QByteArray::fromStdString(value));
            hasType = hasType || QByteArray::fromStdString(name).toLower() == "content-type";
        }
        if (!hasType)
            responder.writeHeader("Content-Type", "text/plain");
        responder.writeHeader("Content-Length", QByteArray::number(qsizetype(response.body.size())));
        responder.writeBody(QByteArray::fromStdString(response.body));
    }
    static std::string methodName(QHttpServerRequest::Method m)
    {
        using M = QHttpServerRequest::Method;
        switch (m) {
        case M::Get:
            return "GET";
        case M::Put:
            return "PUT";
        case M::Delete:
            return "DELETE";
        case M::Post:
            return "POST";
        case M::Head:
            return "HEAD";
        case M::Options:
            return "OPTIONS";
        case M::Patch:
            return "PATCH";
        default:
            return "OTHER";
        }
    }

    FakeHandler m_handler;
    std::function<void(const FakeRequest&)> m_log;
    const QElapsedTimer& m_clock;
};

// Qt HTTP Server writes head and body apart: without TCP_NODELAY the body waits for a delayed
// ACK (~40 ms), a delay no real platform adds.
class NoDelayTcpServer final : public QTcpServer {
protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto* socket = new QTcpSocket(this);
        socket->setSocketDescriptor(descriptor);
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        addPendingConnection(socket);
    }
};

} // namespace

struct FakeServer::Impl : QThread {
    FakeHandler handler;
    std::uint16_t wantedPort = 0;
    std::uint16_t port = 0;
    QSemaphore ready;
    QElapsedTimer clock;
    mutable std::mutex mutex;
    std::vector<FakeRequest> log;

    void run() override
    {
        CatchAllServer server(
            handler,
            [this](const FakeRequest& r) {
                std::lock_guard lock(mutex);
                log.push_back(r);
            },
            clock);
        // bind() hands the TCP server to the HTTP server, which deletes it.
        auto* tcp = new NoDelayTcpServer;
        if (tcp->listen(QHostAddress::LocalHost, wantedPort)) {
            server.bind(tcp);
            port = tcp->serverPort();
        } else {
            delete tcp;
        }
        ready.release();
        if (port != 0)
            exec();
    }
};

FakeServer::FakeServer(FakeHandler handler, std::uint16_t port)
    : d(std::make_unique<Impl>())
{
    d->handler = std::move(handler);
    d->wantedPort = port;
    d->clock.start();
    d->start();
    d->ready.acquire();
    if (d->port == 0) {
        d->wait();
        throw std::runtime_error("fake server: cannot listen on 127.0.0.1:" + std::to_string(port));
    }
}

FakeServer::~FakeServer()
{
    d->quit();
    d->wait();
}

std::string FakeServer::baseUrl() const
{
    return "http://127.0.0.1:" + std::to_string(d->port);
}
std::uint16_t FakeServer::port() const
{
    return d->port;
}
double FakeServer::nowMs() const
{
    return double(d->clock.nsecsElapsed()) / 1e6;
}

std::vector<FakeRequest> FakeServer::requests() const
{
    std::lock_guard lock(d->mutex);
    return d->log;
}

std::string pngDataOf(int width, int height, std::uint32_t seed)
{
    return t2i::PngImage::make(width, height, "fake " + std::to_string(seed));
}

std::string pngBase64Of(int width, int height, std::uint32_t seed)
{
    return t2i::PngImage::base64(pngDataOf(width, height, seed));
}

std::string pngDataUriOf(int width, int height, std::uint32_t seed)
{
    return "data:image/png;base64," + pngBase64Of(width, height, seed);
}

} // namespace t2itest
