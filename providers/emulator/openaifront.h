// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "platformtypes.h"
#include "ratelimiter.h"

#include "shardedhttpserver.h"

#include <QHttpServer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace t2i {

class PlatformDriver;

// OpenAI's Images API (docs/protocols.md §9) in front of a PlatformDriver, on
// 127.0.0.1: POST /v1/images/generations is held, without a thread, until its job ends and then
// answered in full (the API has no job ids, polling or cancel); GET /files/<id>-<i>.<ext> serves the
// images of response_format "url" answers until retention.run_s after the job ended. In-flight
// generations count against the profile's "runsync" rate limits (the same held-request kind).
class OpenAIFront : public QObject {
    Q_OBJECT
public:
    struct Options {
        QByteArray apiKey; // the key clients must send; empty: any non-empty Bearer key
    };

    OpenAIFront(PlatformDriver& driver, Options options, QObject* parent = nullptr);
    ~OpenAIFront() override;

    // Listens on 127.0.0.1:port (0: a free port), over TLS with tls when given (--tls); returns
    // the port, or 0 on failure.
    quint16 listen(quint16 port = 0, const std::optional<QSslConfiguration>& tls = std::nullopt);
    // Generations whose answer is parked.
    int heldRequests() const { return static_cast<int>(m_waiters.size()); }

private:
    struct Waiter;
    struct Files { // a finished "url" job's images, readable until expiresAtMs
        JobTruth truth;
        int64_t expiresAtMs = 0;
    };
    using Responder = QHttpServerResponder;

    void addRoutes();
    bool authorized(const QHttpServerRequest& request, Responder& responder);
    void generate(const QHttpServerRequest& request, Responder&& responder);
    void file(const QString& name, Responder&& responder);
    void answer(const std::shared_ptr<Waiter>& waiter, const JobTruth* truth);
    void onJobFinished(const JobTruth& truth);
    void expire();

    PlatformDriver& m_driver;
    Options m_options;
    Egress& m_egress;
    ShardedHttpServer m_server;
    RateLimiter m_limits;
    QTimer m_expiry;
    quint16 m_port = 0;
    std::unordered_map<std::string, std::shared_ptr<Waiter>> m_waiters; // by job id
    std::unordered_map<std::string, Files> m_files; // by job id
};

} // namespace t2i
