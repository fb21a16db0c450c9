// SPDX-License-Identifier: Apache-2.0
#include "falfront.h"

#include "emulatedimage.h"
#include "lowdelaytcpserver.h"
#include "platformdriver.h"

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
    const auto code = static_cast<QHttpServerResponder::StatusCode>(status);
    const QByteArray data = QByteArray::fromStdString(body.dump());
    egress.response(data.size());
    if (name.isEmpty())
        responder.write(data, { { "Content-Type", "application/json" } }, code);
    else
        responder.write(data, { { "Content-Type", "application/json" }, { name, value } }, code);
}

QByteArray header(const QHttpServerRequest& request, const char* name)
{
    for (const auto& [key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    }
    return {};
}

std::string_view methodName(Method method)
{
    switch (method) {
    case Method::Get:
        return "GET";
    case Method::Post:
        return "POST";
    case Method::Put:
        return "PUT";
    default:
        return "OTHER";
    }
}

} // namespace

// A held sync answer. Qt HTTP Server 6.4 deletes a socket whose client went away, so the socket
// is watched through a QPointer and never written once gone.
struct FalFront::Waiter {
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

FalFront::FalFront(PlatformDriver& driver, Options options, QObject* parent)
    : QObject(parent)
    , m_driver(driver)
    , m_options(std::move(options))
    , m_egress(driver.egress("fal"))
    , m_limits(driver.profile().rateLimits)
{
    connect(&m_driver, &PlatformDriver::jobFinished, this, &FalFront::onJobFinished);
    // Model ids have any depth, which route patterns cannot say: every request comes here.
    m_server.setMissingHandler(
        [this](const QHttpServerRequest& request, Responder&& r) { dispatch(request, std::move(r)); });
}

FalFront::~FalFront() = default;

quint16 FalFront::listen(quint16 port, const std::optional<QSslConfiguration>& tls)
{
    const quint16 bound = m_server.listen(port, tls); // thousands of clients may connect at once
    if (bound)
        m_base = std::string(m_server.scheme()) + "://127.0.0.1:" + std::to_string(bound);
    return bound;
}

void FalFront::dispatch(const QHttpServerRequest& request, Responder&& responder)
{
    using Kind = fal::Route::Kind;
    const fal::Route route = fal::route(methodName(request.method()), request.url().path().toStdString());
    switch (route.kind) {
    case Kind::File: // like fal.media: no key needed
        m_driver.sync();
        return file(QString::fromStdString(route.id), std::move(responder));
    case Kind::Submit:
    case Kind::Sync:
        return submit(request, std::move(responder), route, route.kind == Kind::Sync);
    case Kind::Status:
    case Kind::Result:
        if (admit(request, responder, "status"))
            route.kind == Kind::Status ? status(route, std::move(responder)) : result(route, std::move(responder));
        return;
    case Kind::Cancel:
        if (admit(request, responder, "cancel"))
            cancel(route, std::move(responder));
        return;
    case Kind::None:
        break;
    }
    reply(m_egress, responder, 404, fal::error("Not Found"));
}

// Brings the platform up to now, then checks the key and the rate limits, answering any refusal.
bool FalFront::admit(const QHttpServerRequest& request, Responder& responder, const char* operation, bool held)
{
    m_driver.sync();
    const QByteArray authorization = header(request, "Authorization");
    const QByteArray key = authorization.startsWith("Key ") ? authorization.mid(4).trimmed() : QByteArray();
    if (key.isEmpty() || (!m_options.apiKey.isEmpty() && key != m_options.apiKey)) {
        reply(m_egress, responder, 401,
            fal::error(
                key.isEmpty() ? "No credentials: send \"Authorization: Key <FAL_KEY>\"" : "Invalid credentials"));
        return false;
    }
    if (!m_limits.admit(operation, m_driver.nowMs(), held)) {
        // fal queues excess requests rather than refusing them (docs/protocols.md §3.6); a profile's limits still
        // answer 429, so that a client's handling of it can be tested.
        const double retryAfter = m_driver.profile().retryAfterS;
        const qint64 seconds = retryAfter > 0 ? static_cast<qint64>(std::ceil(retryAfter)) : 10;
        reply(m_egress, responder, 429, fal::error("Rate limit exceeded", "rate_limited"),
            retryAfter > 0 ? QByteArray("Retry-After") : QByteArray(), QByteArray::number(seconds));
        return false;
    }
    return true;
}

fal::Request* FalFront::find(const fal::Route& route)
{
    const auto it = m_requests.find(route.id);
    return it == m_requests.end() || it->second.appId != route.appId ? nullptr : &it->second;
}

// 0-based: the requests of this front still queued ahead of this one.
int FalFront::queuePosition(const fal::Request& r) const
{
    int ahead = 0;
    for (const auto& [id, other] : m_requests) {
        if (other.truth || other.index >= r.index)
            continue;
        const auto view = m_driver.job(other.index);
        ahead += view && view->status == JobStatus::InQueue ? 1 : 0;
    }
    return ahead;
}

void FalFront::submit(const QHttpServerRequest& request, Responder&& responder, const fal::Route& route, bool sync)
{
    if (!admit(request, responder, sync ? "runsync" : "run", sync))
        return;
    JobSpec spec;
    json detail;
    if (!fal::parseInput(request.body().toStdString(), spec, detail)) {
        if (sync)
            m_limits.release("runsync");
        reply(m_egress, responder, 422, { { "detail", detail } }, "X-Fal-Retryable", "false");
        return;
    }
    const JobView view = m_driver.submit(spec);
    fal::Request& r = m_requests[view.jobId];
    r.index = view.index;
    r.id = view.jobId;
    r.appId = route.appId;
    if (!sync) {
        reply(m_egress, responder, 200, fal::submitted(r, m_base, queuePosition(r)), "X-Fal-Request-Id",
            QByteArray::fromStdString(r.id));
        return;
    }
    auto waiter = std::make_shared<Waiter>(std::move(responder));
    waiter->id = r.id;
    m_waiters[r.id].push_back(waiter);
    ++m_held;
    const std::weak_ptr<Waiter> weak = waiter;
    if (waiter->socket) {
        // A client that hangs up gives its rate-limit slot back at once; the job runs on.
        waiter->disconnected = connect(waiter->socket, &QTcpSocket::disconnected, this, [this, weak] {
            if (const auto w = weak.lock())
                answer(w, false);
        });
    }
}

void FalFront::status(const fal::Route& route, Responder&& responder)
{
    const fal::Request* r = find(route);
    if (!r)
        return reply(m_egress, responder, 404, fal::error("Request not found"));
    int code = 200;
    const auto view = r->truth ? std::nullopt : m_driver.job(r->index);
    const json body = fal::status(*r, view, r->truth ? 0 : queuePosition(*r), m_base, code);
    reply(m_egress, responder, code, body);
}

void FalFront::result(const fal::Route& route, Responder&& responder)
{
    const fal::Request* r = find(route);
    if (!r)
        return reply(m_egress, responder, 404, fal::error("Request not found"));
    if (!r->truth)
        return reply(m_egress, responder, 400, fal::error("Request is still in progress"));
    answerResult(responder, *r);
}

// A completed job's result, or the error that ended it (docs/protocols.md §3.2: errors surface on the result).
void FalFront::answerResult(Responder& responder, const fal::Request& r)
{
    const JobTruth& t = *r.truth;
    if (t.status == JobStatus::Completed)
        return reply(m_egress, responder, 200, fal::result(t, m_base, m_driver.profile().images.format),
            "X-Fal-Request-Id", QByteArray::fromStdString(r.id));
    const std::string type = fal::errorType(t);
    const int code = t.status == JobStatus::Cancelled ? 400 : t.status == JobStatus::TimedOut ? 504 : 500;
    const std::string message = t.error.empty() ? "Request ended " + std::string(jobStatusName(t.status)) : t.error;
    reply(m_egress, responder, code, fal::error(message, type), "X-Fal-Error-Type", QByteArray::fromStdString(type));
}

void FalFront::cancel(const fal::Route& route, Responder&& responder)
{
    const fal::Request* r = find(route);
    if (!r)
        return reply(m_egress, responder, 404, { { "status", "NOT_FOUND" } });
    if (r->truth)
        return reply(m_egress, responder, 400, { { "status", "ALREADY_COMPLETED" } });
    m_driver.cancel(r->index); // its truth arrives through onJobFinished before this returns
    reply(m_egress, responder, 202, { { "status", "CANCELLATION_REQUESTED" } });
}

void FalFront::file(const QString& name, Responder&& responder)
{
    const ImageSettings& settings = m_driver.profile().images;
    std::string id;
    int index = -1;
    const bool ok = images::parseFileName(name.toStdString(), settings.format, id, index);
    const auto it = ok ? m_requests.find(id) : m_requests.end();
    if (it == m_requests.end() || !it->second.truth || it->second.truth->status != JobStatus::Completed || index < 0
        || index >= it->second.truth->spec.images)
        return reply(m_egress, responder, 404, fal::error("File not found"));
    const std::string bytes = images::bytes(settings, images::ofJob(*it->second.truth, index));
    m_egress.file(static_cast<int64_t>(bytes.size()));
    responder.write(QByteArray::fromStdString(bytes), images::mimeType(settings.format).data());
}

// Answers a held sync request with the result (write false: the client is gone).
void FalFront::answer(const std::shared_ptr<Waiter>& waiter, bool write)
{
    if (waiter->answered)
        return;
    waiter->answered = true;
    disconnect(waiter->disconnected);
    const auto it = m_requests.find(waiter->id);
    if (write && it != m_requests.end() && it->second.truth && waiter->socket
        && waiter->socket->state() == QAbstractSocket::ConnectedState)
        answerResult(waiter->responder, it->second);
    m_limits.release("runsync");
    --m_held;
    if (const auto list = m_waiters.find(waiter->id); list != m_waiters.end()) {
        std::erase(list->second, waiter);
        if (list->second.empty())
            m_waiters.erase(list);
    }
}

void FalFront::onJobFinished(const JobTruth& truth)
{
    const auto it = m_requests.find(truth.jobId);
    if (it == m_requests.end())
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
