// SPDX-License-Identifier: Apache-2.0
#include "replicatefront.h"

#include "emulatedimage.h"
#include "lowdelaytcpserver.h"
#include "platformdriver.h"

#include <QDateTime>
#include <QPointer>
#include <QTcpSocket>

#include <cmath>

namespace t2i {

using nlohmann::json;
using Method = QHttpServerRequest::Method;

namespace {

// With one more header when `name` is set (Qt 6.4's header list is an initializer_list).
void reply(Egress& egress, QHttpServerResponder& responder, int status, const json& body, const QByteArray& name = {},
    const QByteArray& value = {})
{
    // Errors are RFC 7807 problem details, as Replicate's.
    const QByteArray type = status >= 400 ? "application/problem+json" : "application/json";
    const auto code = static_cast<QHttpServerResponder::StatusCode>(status);
    const QByteArray data = QByteArray::fromStdString(body.dump());
    egress.response(data.size());
    if (name.isEmpty())
        responder.write(data, { { "Content-Type", type } }, code);
    else
        responder.write(data, { { "Content-Type", type }, { name, value } }, code);
}

QByteArray header(const QHttpServerRequest& request, const char* name)
{
    for (const auto& [key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    }
    return {};
}

} // namespace

// A parked create answer. Qt HTTP Server 6.4 deletes a socket whose client went away, so the
// socket is watched through a QPointer and never written once gone.
struct ReplicateFront::Waiter {
    explicit Waiter(QHttpServerResponder&& r)
        : responder(std::move(r))
        , socket(responder.socket())
    {
    }
    QHttpServerResponder responder;
    QPointer<QTcpSocket> socket;
    std::string id;
    QMetaObject::Connection disconnected;
    bool answered = false;
};

ReplicateFront::ReplicateFront(PlatformDriver& driver, Options options, QObject* parent)
    : QObject(parent)
    , m_driver(driver)
    , m_options(std::move(options))
    , m_egress(driver.egress("replicate"))
    , m_limits(driver.profile().rateLimits)
    , m_epochMs(QDateTime::currentMSecsSinceEpoch() - driver.nowMs())
{
    connect(&m_driver, &PlatformDriver::jobFinished, this, &ReplicateFront::onJobFinished);
    addRoutes();
}

ReplicateFront::~ReplicateFront() = default;

quint16 ReplicateFront::listen(quint16 port, const std::optional<QSslConfiguration>& tls)
{
    const quint16 bound = m_server.listen(port, tls); // thousands of clients may connect at once
    if (bound)
        m_base = std::string(m_server.scheme()) + "://127.0.0.1:" + std::to_string(bound);
    return bound;
}

void ReplicateFront::addRoutes()
{
    using Request = QHttpServerRequest;
    using Kind = replicate::Route::Kind;
    m_server.route("/v1/models/<arg>/<arg>/predictions", Method::Post,
        [this](const QString& owner, const QString& name, const Request& request, Responder&& r) {
            create(request, std::move(r), { Kind::Model, owner.toStdString(), name.toStdString() });
        });
    m_server.route("/v1/deployments/<arg>/<arg>/predictions", Method::Post,
        [this](const QString& owner, const QString& name, const Request& request, Responder&& r) {
            create(request, std::move(r), { Kind::Deployment, owner.toStdString(), name.toStdString() });
        });
    m_server.route("/v1/predictions", Method::Post, [this](const Request& request, Responder&& r) {
        create(request, std::move(r), { Kind::Version, {}, {} });
    });
    m_server.route(
        "/v1/predictions/<arg>", Method::Get, [this](const QString& id, const Request& request, Responder&& r) {
            if (admit(request, r, "status"))
                get(id, std::move(r));
        });
    m_server.route(
        "/v1/predictions/<arg>/cancel", Method::Post, [this](const QString& id, const Request& request, Responder&& r) {
            if (admit(request, r, "cancel"))
                cancel(id, std::move(r));
        });
    // Like replicate.delivery: no Authorization needed.
    m_server.route("/files/<arg>", Method::Get, [this](const QString& name, const Request&, Responder&& r) {
        m_driver.sync();
        file(name, std::move(r));
    });
    m_server.setMissingHandler([this](const Request&, Responder&& r) {
        reply(m_egress, r, 404, replicate::problem("Not found", "The requested resource could not be found.", 404));
    });
}

// Brings the platform up to now, then checks the key and the rate limits, answering any refusal.
bool ReplicateFront::admit(const QHttpServerRequest& request, Responder& responder, const char* operation, bool held)
{
    m_driver.sync();
    // Replicate's SDKs send "Bearer KEY"; older ones sent "Token KEY".
    const QByteArray authorization = header(request, "Authorization");
    QByteArray key;
    if (authorization.startsWith("Bearer ") || authorization.startsWith("Token "))
        key = authorization.mid(authorization.indexOf(' ') + 1).trimmed();
    if (key.isEmpty() || (!m_options.apiKey.isEmpty() && key != m_options.apiKey)) {
        reply(m_egress, responder, 401,
            replicate::problem("Unauthenticated",
                key.isEmpty() ? "You did not pass an authentication token"
                              : "You did not pass a valid authentication token",
                401));
        return false;
    }
    if (!m_limits.admit(operation, m_driver.nowMs(), held)) {
        const double retryAfter = m_driver.profile().retryAfterS;
        const qint64 seconds = retryAfter > 0 ? static_cast<qint64>(std::ceil(retryAfter)) : 10;
        const json body
            = { { "detail", "Request was throttled. Your rate limit resets in ~" + std::to_string(seconds) + "s." },
                  { "status", 429 } };
        // Retry-After only when the profile sets it: whether Replicate always sends it is unconfirmed.
        reply(m_egress, responder, 429, body, retryAfter > 0 ? QByteArray("Retry-After") : QByteArray(),
            QByteArray::number(seconds));
        return false;
    }
    return true;
}

replicate::Prediction* ReplicateFront::find(const QString& id)
{
    const auto it = m_predictions.find(id.toStdString());
    return it == m_predictions.end() ? nullptr : &it->second;
}

bool ReplicateFront::removed(const replicate::Prediction& p) const
{
    const auto retentionMs = static_cast<int64_t>(m_driver.profile().retentionRunS * 1000);
    return p.truth && p.truth->finishMs + retentionMs <= m_driver.nowMs();
}

json ReplicateFront::body(const replicate::Prediction& p) const
{
    const auto view = p.truth ? std::nullopt : m_driver.job(p.index);
    return replicate::prediction(
        p, view, { m_epochMs, m_driver.nowMs() }, m_base, removed(p), m_driver.profile().images.format);
}

void ReplicateFront::create(const QHttpServerRequest& request, Responder&& responder, const replicate::Route& route)
{
    const QByteArray prefer = header(request, "Prefer");
    const QByteArray cancelAfter = header(request, "Cancel-After");
    const auto waitS = prefer.isEmpty() ? std::optional<int>(0) : replicate::preferWaitS(prefer.toStdString());
    const auto deadlineMs
        = cancelAfter.isEmpty() ? std::optional<int64_t>(-1) : replicate::durationMs(cancelAfter.toStdString());
    const bool held = waitS && *waitS > 0;
    if (!admit(request, responder, held ? "runsync" : "run", held))
        return;
    auto refuse = [&](const std::string& detail) {
        if (held)
            m_limits.release("runsync");
        reply(m_egress, responder, 422, replicate::problem("Input validation failed", detail, 422));
    };
    if (!waitS)
        return refuse("Prefer: must be \"wait\" or \"wait=N\" with N between 1 and 60");
    if (!deadlineMs)
        return refuse("Cancel-After: must be a duration such as \"30s\", \"5m\" or \"1h30m\"");
    JobSpec spec;
    replicate::Problem problem;
    auto parsed = replicate::parseCreate(request.body().toStdString(), route, spec, problem);
    if (!parsed)
        return refuse(problem.detail);
    const JobView view = m_driver.submit(spec);
    parsed->index = view.index;
    parsed->id = view.jobId;
    parsed->createdMs = view.arrivalMs;
    if (*deadlineMs >= 0) {
        parsed->deadlineMs = view.arrivalMs + *deadlineMs;
        const std::string id = view.jobId;
        QTimer::singleShot(static_cast<int>(std::min<int64_t>(*deadlineMs, INT32_MAX)), Qt::PreciseTimer, this,
            [this, id] { deadline(id); });
    }
    m_predictions[view.jobId] = std::move(*parsed);
    if (held) {
        park(std::move(responder), view.jobId, *waitS);
        return;
    }
    const json created = body(m_predictions[view.jobId]);
    reply(m_egress, responder, 201, created, "Location",
        QByteArray::fromStdString(created["urls"]["get"].get<std::string>()));
}

void ReplicateFront::get(const QString& id, Responder&& responder)
{
    const replicate::Prediction* p = find(id);
    if (!p)
        return reply(m_egress, responder, 404,
            replicate::problem("Not found", "The requested resource could not be found.", 404));
    reply(m_egress, responder, 200, body(*p));
}

void ReplicateFront::cancel(const QString& id, Responder&& responder)
{
    const replicate::Prediction* p = find(id);
    if (!p)
        return reply(m_egress, responder, 404,
            replicate::problem("Not found", "The requested resource could not be found.", 404));
    if (!p->truth)
        m_driver.cancel(p->index); // its truth arrives through onJobFinished before this returns
    reply(m_egress, responder, 200, body(*p));
}

// A Cancel-After deadline: a prediction that has not started is aborted, a running one canceled.
void ReplicateFront::deadline(const std::string& id)
{
    m_driver.sync();
    const auto it = m_predictions.find(id);
    if (it == m_predictions.end() || it->second.truth)
        return;
    const auto view = m_driver.job(it->second.index);
    it->second.aborted = !view || view->status == JobStatus::InQueue;
    m_driver.cancel(it->second.index);
}

void ReplicateFront::file(const QString& name, Responder&& responder)
{
    const ImageSettings& settings = m_driver.profile().images;
    std::string id;
    int index = -1;
    const bool ok = images::parseFileName(name.toStdString(), settings.format, id, index);
    const replicate::Prediction* p = ok ? find(QString::fromStdString(id)) : nullptr;
    if (!p || !p->truth || p->truth->status != JobStatus::Completed || removed(*p) || index < 0
        || index >= p->truth->spec.images)
        return reply(
            m_egress, responder, 404, replicate::problem("Not found", "The requested file could not be found.", 404));
    const std::string bytes = images::bytes(settings, images::ofJob(*p->truth, index));
    m_egress.file(static_cast<int64_t>(bytes.size()));
    responder.write(QByteArray::fromStdString(bytes), images::mimeType(settings.format).data());
}

void ReplicateFront::park(Responder&& responder, const std::string& id, int waitS)
{
    auto waiter = std::make_shared<Waiter>(std::move(responder));
    waiter->id = id;
    m_waiters[id].push_back(waiter);
    ++m_held;
    const std::weak_ptr<Waiter> weak = waiter;
    if (waiter->socket) {
        // A client that hangs up gives its rate-limit slot back at once; the prediction runs on.
        waiter->disconnected = connect(waiter->socket, &QTcpSocket::disconnected, this, [this, weak] {
            if (const auto w = weak.lock())
                answer(w, false);
        });
    }
    // Precise: a coarse timer may fire 5% late, and the wait is part of the protocol.
    QTimer::singleShot(waitS * 1000, Qt::PreciseTimer, this, [this, weak] {
        const auto w = weak.lock();
        if (!w || w->answered)
            return;
        m_driver.sync(); // the prediction may have ended this very millisecond
        answer(w, true);
    });
}

// Answers a parked create with the prediction as it stands (write false: the client is gone).
void ReplicateFront::answer(const std::shared_ptr<Waiter>& waiter, bool write)
{
    if (waiter->answered)
        return;
    waiter->answered = true;
    disconnect(waiter->disconnected);
    const auto it = m_predictions.find(waiter->id);
    if (write && it != m_predictions.end() && waiter->socket
        && waiter->socket->state() == QAbstractSocket::ConnectedState) {
        const json created = body(it->second);
        reply(m_egress, waiter->responder, 201, created, "Location",
            QByteArray::fromStdString(created["urls"]["get"].get<std::string>()));
    }
    m_limits.release("runsync");
    --m_held;
    if (const auto list = m_waiters.find(waiter->id); list != m_waiters.end()) {
        std::erase(list->second, waiter);
        if (list->second.empty())
            m_waiters.erase(list);
    }
}

void ReplicateFront::onJobFinished(const JobTruth& truth)
{
    const auto it = m_predictions.find(truth.jobId);
    if (it == m_predictions.end())
        return; // another front's job
    it->second.truth = truth;
    const auto waiting = m_waiters.find(truth.jobId);
    if (waiting == m_waiters.end())
        return;
    const auto waiters = waiting->second; // answer() edits the list
    for (const auto& waiter : waiters)
        answer(waiter, true);
}

} // namespace t2i
