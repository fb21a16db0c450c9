// SPDX-License-Identifier: Apache-2.0
#include "runpodfront.h"

#include "emulatedimage.h"
#include "lowdelaytcpserver.h"
#include "platformdriver.h"
#include "runpodjson.h"

#include <QPointer>
#include <QTcpSocket>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>

namespace t2i {

using nlohmann::json;
using Method = QHttpServerRequest::Method;

// A parked answer. Qt HTTP Server 6.4 deletes a socket whose client went away, so the socket is
// watched through a QPointer and never written once gone.
struct RunPodFront::Waiter {
    explicit Waiter(QHttpServerResponder&& r)
        : responder(std::move(r))
        , socket(responder.socket())
    {
    }
    QHttpServerResponder responder;
    QPointer<QTcpSocket> socket;
    std::string jobId;
    std::string operation; // the rate-limit slot it holds, if any
    QMetaObject::Connection disconnected;
    bool answered = false;
};

RunPodFront::RunPodFront(PlatformDriver& driver, Options options, QObject* parent)
    : QObject(parent)
    , m_driver(driver)
    , m_options(std::move(options))
    , m_egress(driver.egress("runpod"))
    , m_limits(driver.profile().rateLimits)
{
    connect(&m_driver, &PlatformDriver::jobFinished, this, &RunPodFront::onJobFinished);
    m_expiry.setInterval(5000);
    connect(&m_expiry, &QTimer::timeout, this, &RunPodFront::expire);
    m_expiry.start();
    addRoutes();
}

RunPodFront::~RunPodFront() = default;

quint16 RunPodFront::listen(quint16 port, const std::optional<QSslConfiguration>& tls)
{
    return m_server.listen(port, tls); // thousands of clients may connect at once: see ShardedHttpServer
}

int RunPodFront::heldRequests() const
{
    return m_held;
}

void RunPodFront::addRoutes()
{
    using Request = QHttpServerRequest;
    m_server.route(
        "/v2/<arg>/run", Method::Post, [this](const QString& endpoint, const Request& request, Responder&& r) {
            if (admit(endpoint, request, r, "run"))
                submit(request, std::move(r), false);
        });
    m_server.route(
        "/v2/<arg>/runsync", Method::Post, [this](const QString& endpoint, const Request& request, Responder&& r) {
            if (admit(endpoint, request, r, "runsync", true))
                submit(request, std::move(r), true);
        });
    m_server.route("/v2/<arg>/status/<arg>", Method::Get,
        [this](const QString& endpoint, const QString& id, const Request& request, Responder&& r) {
            if (admit(endpoint, request, r, "status"))
                status(id, request, std::move(r), false);
        });
    // What the official JavaScript SDK's runSync polls with once /runsync came back unfinished.
    m_server.route("/v2/<arg>/status-sync/<arg>", Method::Get,
        [this](const QString& endpoint, const QString& id, const Request& request, Responder&& r) {
            if (admit(endpoint, request, r, "status"))
                status(id, request, std::move(r), true);
        });
    m_server.route("/v2/<arg>/stream/<arg>", Method::Get,
        [this](const QString& endpoint, const QString& id, const Request& request, Responder&& r) {
            if (admit(endpoint, request, r, "stream"))
                stream(id, std::move(r));
        });
    m_server.route("/v2/<arg>/cancel/<arg>", Method::Post,
        [this](const QString& endpoint, const QString& id, const Request& request, Responder&& r) {
            if (admit(endpoint, request, r, "cancel"))
                cancel(id, std::move(r));
        });
    m_server.route(
        "/v2/<arg>/purge-queue", Method::Post, [this](const QString& endpoint, const Request& request, Responder&& r) {
            if (admit(endpoint, request, r, "purge_queue"))
                purgeQueue(std::move(r));
        });
    m_server.route(
        "/v2/<arg>/health", Method::Get, [this](const QString& endpoint, const Request& request, Responder&& r) {
            if (admit(endpoint, request, r, "health"))
                health(std::move(r));
        });
    m_server.setMissingHandler(
        [this](const Request&, Responder&& r) { reply(r, 404, runpod::error("no such route")); });
}

void RunPodFront::reply(Responder& responder, int status, const json& body, const JobTruth* truth)
{
    std::string text;
    if (truth && truth->status == JobStatus::Completed) {
        const ImageSettings& settings = m_driver.profile().images;
        images::Spliced spliced
            = images::dumpWithImages(body, settings, *truth, images::dataUriPrefix(settings.format));
        m_egress.inlineImagesSent(spliced.images, spliced.imageBytes);
        text = std::move(spliced.text);
    } else {
        text = body.dump();
    }
    m_egress.response(static_cast<int64_t>(text.size()));
    responder.write(QByteArray::fromStdString(text), { { "Content-Type", "application/json" } },
        static_cast<QHttpServerResponder::StatusCode>(status));
}

// Brings the platform up to now, then checks endpoint, key and rate limits, answering any refusal.
bool RunPodFront::admit(
    const QString& endpoint, const QHttpServerRequest& request, Responder& responder, const char* operation, bool held)
{
    m_driver.sync();
    if (!m_options.endpoint.isEmpty() && endpoint != m_options.endpoint) {
        reply(responder, 404, runpod::error("endpoint " + endpoint.toStdString() + " not found"));
        return false;
    }
    QByteArray authorization;
    for (const auto& [name, value] : request.headers()) {
        if (name.compare("Authorization", Qt::CaseInsensitive) == 0)
            authorization = value.trimmed();
    }
    // RunPod's SDKs send "Bearer KEY"; some of its documentation sends the bare key.
    const QByteArray key = authorization.startsWith("Bearer ") ? authorization.mid(7).trimmed() : authorization;
    if (key.isEmpty() || (!m_options.apiKey.isEmpty() && key != m_options.apiKey)) {
        reply(responder, 401, runpod::error(key.isEmpty() ? "missing Authorization header" : "invalid API key"));
        return false;
    }
    if (!m_limits.admit(operation, m_driver.nowMs(), held)) {
        const json body = runpod::error("rate limit exceeded");
        const double retryAfter = m_driver.profile().retryAfterS;
        if (retryAfter > 0) {
            const QByteArray seconds = QByteArray::number(static_cast<qint64>(std::ceil(retryAfter)));
            const QByteArray text = QByteArray::fromStdString(body.dump());
            m_egress.response(text.size());
            responder.write(text, { { "Content-Type", "application/json" }, { "Retry-After", seconds } },
                QHttpServerResponder::StatusCode::TooManyRequests);
        } else {
            reply(responder, 429, body);
        }
        return false;
    }
    return true;
}

RunPodFront::Record* RunPodFront::find(const QString& id)
{
    const auto it = m_records.find(id.toStdString());
    if (it == m_records.end())
        return nullptr;
    // Past retention a result is gone, as on RunPod, whether or not the sweep has run yet.
    if (it->second.expiresAtMs >= 0 && it->second.expiresAtMs <= m_driver.nowMs()) {
        m_records.erase(it);
        return nullptr;
    }
    return &it->second;
}

json RunPodFront::statusBody(const std::string& id, const Record& record) const
{
    if (record.truth)
        return runpod::finished(*record.truth);
    if (const auto view = m_driver.job(record.index))
        return runpod::pending(*view);
    return { { "id", id }, { "status", "IN_QUEUE" } };
}

int64_t RunPodFront::waitParameter(const QHttpServerRequest& request)
{
    bool ok = false;
    const qint64 wait = request.query().queryItemValue("wait").toLongLong(&ok);
    return ok ? std::clamp<qint64>(wait, 1000, 300000) : 90000; // RunPod's range and default
}

void RunPodFront::submit(const QHttpServerRequest& request, Responder&& responder, bool sync)
{
    std::string error;
    auto spec = runpod::parseSubmit(request.body().toStdString(), error);
    if (!spec) {
        if (sync)
            m_limits.release("runsync");
        reply(responder, 400, runpod::error(error));
        return;
    }
    spec->front = "runpod";
    spec->idPrefix = sync ? "sync-" : "";
    const JobView view = m_driver.submit(*spec);
    m_records[view.jobId] = Record { view.index, sync, std::nullopt, -1 };
    if (sync)
        park(std::move(responder), view.jobId, "runsync", waitParameter(request));
    else
        reply(responder, 200, { { "id", view.jobId }, { "status", "IN_QUEUE" } });
}

void RunPodFront::status(const QString& id, const QHttpServerRequest& request, Responder&& responder, bool wait)
{
    const Record* record = find(id);
    if (!record) {
        reply(responder, 404, runpod::error("job " + id.toStdString() + " not found"));
        return;
    }
    if (wait && !record->truth)
        park(std::move(responder), id.toStdString(), {}, waitParameter(request));
    else
        reply(responder, 200, statusBody(id.toStdString(), *record), record->truth ? &*record->truth : nullptr);
}

void RunPodFront::stream(const QString& id, Responder&& responder)
{
    const Record* record = find(id);
    if (!record) {
        reply(responder, 404, runpod::error("job " + id.toStdString() + " not found"));
        return;
    }
    // The worker is not a generator: the stream is empty until the one final output.
    const json body = statusBody(id.toStdString(), *record);
    json chunks = json::array();
    if (record->truth && record->truth->status == JobStatus::Completed)
        chunks.push_back({ { "output", body["output"] } });
    reply(responder, 200, { { "status", body["status"] }, { "stream", chunks } },
        record->truth ? &*record->truth : nullptr);
}

void RunPodFront::cancel(const QString& id, Responder&& responder)
{
    Record* record = find(id);
    if (!record) {
        reply(responder, 404, runpod::error("job " + id.toStdString() + " not found"));
        return;
    }
    if (!record->truth)
        m_driver.cancel(record->index); // its truth arrives through onJobFinished before this returns
    const std::string status = record->truth ? std::string(jobStatusName(record->truth->status)) : "CANCELLED";
    reply(responder, 200, { { "id", id.toStdString() }, { "status", status } });
}

void RunPodFront::purgeQueue(Responder&& responder)
{
    const int removed = m_driver.purgeQueue();
    reply(responder, 200, { { "removed", removed }, { "status", "completed" } });
}

void RunPodFront::health(Responder&& responder)
{
    reply(responder, 200, runpod::health(m_driver.health()));
}

void RunPodFront::park(Responder&& responder, const std::string& id, const char* operation, int64_t waitMs)
{
    auto waiter = std::make_shared<Waiter>(std::move(responder));
    waiter->jobId = id;
    waiter->operation = operation ? operation : "";
    m_waiters[id].push_back(waiter);
    ++m_held;
    const std::weak_ptr<Waiter> weak = waiter;
    if (waiter->socket) {
        // A client that hangs up gives its rate-limit slot back at once.
        waiter->disconnected = connect(waiter->socket, &QTcpSocket::disconnected, this, [this, weak] {
            if (const auto w = weak.lock())
                answer(w, json());
        });
    }
    // Precise: a coarse timer may fire 5% late, and `wait` is part of the protocol.
    QTimer::singleShot(static_cast<int>(waitMs), Qt::PreciseTimer, this, [this, weak] {
        const auto w = weak.lock();
        if (!w || w->answered)
            return;
        m_driver.sync(); // the job may have ended this very millisecond
        if (w->answered)
            return;
        const auto it = m_records.find(w->jobId);
        if (it == m_records.end())
            answer(w, json { { "id", w->jobId }, { "status", "IN_QUEUE" } });
        else
            answer(w, statusBody(w->jobId, it->second), it->second.truth ? &*it->second.truth : nullptr);
    });
}

// A null body answers nobody: the client is gone, only the bookkeeping is done.
void RunPodFront::answer(const std::shared_ptr<Waiter>& waiter, const json& body, const JobTruth* truth)
{
    if (waiter->answered)
        return;
    waiter->answered = true;
    disconnect(waiter->disconnected);
    if (!body.is_null() && waiter->socket && waiter->socket->state() == QAbstractSocket::ConnectedState)
        reply(waiter->responder, 200, body, truth);
    if (!waiter->operation.empty())
        m_limits.release(waiter->operation);
    --m_held;
    if (const auto it = m_waiters.find(waiter->jobId); it != m_waiters.end()) {
        std::erase(it->second, waiter);
        if (it->second.empty())
            m_waiters.erase(it);
    }
}

void RunPodFront::onJobFinished(const JobTruth& truth)
{
    const auto it = m_records.find(truth.jobId);
    if (it == m_records.end())
        return;
    Record& record = it->second;
    record.truth = truth;
    const double retentionS = record.sync ? m_driver.profile().retentionRunsyncS : m_driver.profile().retentionRunS;
    record.expiresAtMs = truth.finishMs + static_cast<int64_t>(retentionS * 1000);
    const auto waiting = m_waiters.find(truth.jobId);
    if (waiting == m_waiters.end())
        return;
    const auto waiters = waiting->second; // answer() edits the list
    const json body = runpod::finished(truth);
    for (const auto& waiter : waiters)
        answer(waiter, body, &record.truth.value());
}

void RunPodFront::expire()
{
    const int64_t now = m_driver.nowMs();
    std::erase_if(
        m_records, [now](const auto& item) { return item.second.expiresAtMs >= 0 && item.second.expiresAtMs <= now; });
}

} // namespace t2i
