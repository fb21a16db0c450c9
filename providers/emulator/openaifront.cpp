// SPDX-License-Identifier: Apache-2.0
#include "openaifront.h"

#include "emulatedimage.h"
#include "lowdelaytcpserver.h"
#include "openaijson.h"
#include "platformdriver.h"

#include <QDateTime>
#include <QPointer>
#include <QTcpSocket>

#include <cmath>

namespace t2i {

using nlohmann::json;
using Method = QHttpServerRequest::Method;

namespace {

void reply(Egress& egress, QHttpServerResponder& responder, int status, const json& body)
{
    const QByteArray text = QByteArray::fromStdString(body.dump());
    egress.response(text.size());
    responder.write(
        text, { { "Content-Type", "application/json" } }, static_cast<QHttpServerResponder::StatusCode>(status));
}

} // namespace

// A parked generation. Qt HTTP Server 6.4 deletes a socket whose client went away, so the socket
// is watched through a QPointer and never written once gone.
struct OpenAIFront::Waiter {
    explicit Waiter(QHttpServerResponder&& r)
        : responder(std::move(r))
        , socket(responder.socket())
    {
    }
    QHttpServerResponder responder;
    QPointer<QTcpSocket> socket;
    std::string jobId;
    bool url = false;
    int64_t inputTokens = 0;
    QMetaObject::Connection disconnected;
    bool answered = false;
};

OpenAIFront::OpenAIFront(PlatformDriver& driver, Options options, QObject* parent)
    : QObject(parent)
    , m_driver(driver)
    , m_options(std::move(options))
    , m_egress(driver.egress("openai"))
    , m_limits(driver.profile().rateLimits)
{
    connect(&m_driver, &PlatformDriver::jobFinished, this, &OpenAIFront::onJobFinished);
    m_expiry.setInterval(5000);
    connect(&m_expiry, &QTimer::timeout, this, &OpenAIFront::expire);
    m_expiry.start();
    addRoutes();
}

OpenAIFront::~OpenAIFront() = default;

quint16 OpenAIFront::listen(quint16 port, const std::optional<QSslConfiguration>& tls)
{
    m_port = m_server.listen(port, tls); // thousands of clients may connect at once
    return m_port;
}

void OpenAIFront::addRoutes()
{
    using Request = QHttpServerRequest;
    m_server.route("/v1/images/generations", Method::Post, [this](const Request& request, Responder&& r) {
        m_driver.sync();
        if (authorized(request, r))
            generate(request, std::move(r));
    });
    // Like OpenAI's signed blob URLs: no Authorization needed.
    m_server.route("/files/<arg>", Method::Get, [this](const QString& name, const Request&, Responder&& r) {
        m_driver.sync();
        file(name, std::move(r));
    });
    m_server.setMissingHandler([this](const Request& request, Responder&& r) {
        reply(m_egress, r, 404,
            openai::error("Invalid URL (" + request.url().path().toStdString() + ")", "invalid_request_error"));
    });
}

bool OpenAIFront::authorized(const QHttpServerRequest& request, Responder& responder)
{
    QByteArray authorization;
    for (const auto& [name, value] : request.headers()) {
        if (name.compare("Authorization", Qt::CaseInsensitive) == 0)
            authorization = value.trimmed();
    }
    const QByteArray key = authorization.startsWith("Bearer ") ? authorization.mid(7).trimmed() : QByteArray();
    if (key.isEmpty()) {
        reply(m_egress, responder, 401,
            openai::error("You didn't provide an API key. You need to provide your API key in an Authorization "
                          "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                "invalid_request_error"));
        return false;
    }
    if (!m_options.apiKey.isEmpty() && key != m_options.apiKey) {
        reply(m_egress, responder, 401,
            openai::error("Incorrect API key provided.", "invalid_request_error", {}, "invalid_api_key"));
        return false;
    }
    return true;
}

void OpenAIFront::generate(const QHttpServerRequest& request, Responder&& responder)
{
    openai::Problem problem;
    const auto parsed = openai::parseGenerate(request.body().toStdString(), problem);
    if (!parsed) {
        reply(m_egress, responder, 400, openai::error(problem.message, "invalid_request_error", problem.param));
        return;
    }
    if (!m_limits.admit("runsync", m_driver.nowMs(), true)) {
        // OpenAI always says when to come back; 1 s when the profile does not.
        const double seconds = m_driver.profile().retryAfterS > 0 ? m_driver.profile().retryAfterS : 1.0;
        const json body = openai::error(
            "Rate limit reached for images per min. Please try again later.", "requests", {}, "rate_limit_exceeded");
        const QByteArray text = QByteArray::fromStdString(body.dump());
        m_egress.response(text.size());
        responder.write(text,
            { { "Content-Type", "application/json" },
                { "retry-after", QByteArray::number(static_cast<qint64>(std::ceil(seconds))) },
                { "retry-after-ms", QByteArray::number(static_cast<qint64>(std::llround(seconds * 1000))) } },
            QHttpServerResponder::StatusCode::TooManyRequests);
        return;
    }
    const JobView view = m_driver.submit(parsed->spec);
    auto waiter = std::make_shared<Waiter>(std::move(responder));
    waiter->jobId = view.jobId;
    waiter->url = parsed->url;
    waiter->inputTokens = parsed->inputTokens;
    m_waiters[view.jobId] = waiter;
    const std::weak_ptr<Waiter> weak = waiter;
    if (waiter->socket) {
        // A client that hangs up gives its rate-limit slot back at once; the job runs on, as
        // OpenAI has no way to cancel it.
        waiter->disconnected = connect(waiter->socket, &QTcpSocket::disconnected, this, [this, weak] {
            if (const auto w = weak.lock())
                answer(w, nullptr);
        });
    }
}

// A null truth answers nobody: the client is gone, only the bookkeeping is done.
void OpenAIFront::answer(const std::shared_ptr<Waiter>& waiter, const JobTruth* truth)
{
    if (waiter->answered)
        return;
    waiter->answered = true;
    disconnect(waiter->disconnected);
    m_limits.release("runsync");
    m_waiters.erase(waiter->jobId);
    if (!truth || !waiter->socket || waiter->socket->state() != QAbstractSocket::ConnectedState)
        return;
    // The server's whole time, queue and cold start included, as OpenAI's header is.
    const QByteArray processing = QByteArray::number(static_cast<qint64>(truth->finishMs - truth->arrivalMs));
    const QByteArray requestId = QByteArray::fromStdString(truth->jobId);
    std::string text;
    int status = 200;
    if (truth->status == JobStatus::Completed) {
        const std::string base = std::string(m_server.scheme()) + "://127.0.0.1:" + std::to_string(m_port);
        const ImageSettings& settings = m_driver.profile().images;
        const json body = openai::generated(
            *truth, waiter->url, waiter->inputTokens, base, QDateTime::currentSecsSinceEpoch(), settings.format);
        images::Spliced spliced = images::dumpWithImages(body, settings, *truth, {}); // b64_json: bare base64
        m_egress.inlineImagesSent(spliced.images, spliced.imageBytes);
        text = std::move(spliced.text);
    } else {
        status = 500;
        const std::string message
            = truth->error.empty() ? "The job ended " + std::string(jobStatusName(truth->status)) : truth->error;
        text = openai::error(message, "server_error").dump();
    }
    m_egress.response(static_cast<int64_t>(text.size()));
    waiter->responder.write(QByteArray::fromStdString(text),
        { { "Content-Type", "application/json" }, { "openai-processing-ms", processing },
            { "x-request-id", requestId } },
        static_cast<QHttpServerResponder::StatusCode>(status));
}

void OpenAIFront::onJobFinished(const JobTruth& truth)
{
    const auto it = m_waiters.find(truth.jobId);
    if (it == m_waiters.end())
        return; // another front's job, or its client left
    const auto waiter = it->second;
    if (waiter->url && truth.status == JobStatus::Completed) {
        const auto retentionMs = static_cast<int64_t>(m_driver.profile().retentionRunS * 1000);
        m_files[truth.jobId] = Files { truth, truth.finishMs + retentionMs };
    }
    answer(waiter, &truth);
}

void OpenAIFront::file(const QString& name, Responder&& responder)
{
    const ImageSettings& settings = m_driver.profile().images;
    std::string jobId;
    int index = -1;
    const bool ok = images::parseFileName(name.toStdString(), settings.format, jobId, index);
    const auto it = ok ? m_files.find(jobId) : m_files.end();
    // Past retention a file is gone, whether or not the sweep has run yet.
    if (it == m_files.end() || it->second.expiresAtMs <= m_driver.nowMs() || index < 0
        || index >= it->second.truth.spec.images) {
        reply(m_egress, responder, 404, openai::error("File not found.", "invalid_request_error"));
        return;
    }
    const std::string bytes = images::bytes(settings, images::ofJob(it->second.truth, index));
    m_egress.file(static_cast<int64_t>(bytes.size()));
    responder.write(QByteArray::fromStdString(bytes), images::mimeType(settings.format).data());
}

void OpenAIFront::expire()
{
    const int64_t now = m_driver.nowMs();
    std::erase_if(m_files, [now](const auto& item) { return item.second.expiresAtMs <= now; });
}

} // namespace t2i
