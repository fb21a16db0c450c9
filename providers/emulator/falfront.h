// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "faljson.h"
#include "ratelimiter.h"

#include "shardedhttpserver.h"

#include <QHttpServer>
#include <QObject>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace t2i {

class PlatformDriver;

// fal.ai's queue API (docs/protocols.md §3) in front of a PlatformDriver, on 127.0.0.1,
// served at the root as queue.fal.run is: POST /{owner}/{app}[/{path}] queues a request; GET
// /{owner}/{app}/requests/{id}/status polls it (202 IN_QUEUE / IN_PROGRESS, 200 COMPLETED); GET
// /{owner}/{app}/requests/{id} is its result; PUT .../cancel cancels it. fal.run's sync route is
// POST /sync/{owner}/{app}[/{path}]: the answer is held, without a thread, until the job ends.
// Images are served at /files/<id>-<i>.png without a key, as fal.media's. Submits count against
// the profile's "run" rate limits ("runsync" for sync), status and result against "status",
// cancels against "cancel".
class FalFront : public QObject {
    Q_OBJECT
public:
    struct Options {
        QByteArray apiKey; // the key clients must send; empty: any non-empty "Key ..." key
    };

    FalFront(PlatformDriver& driver, Options options, QObject* parent = nullptr);
    ~FalFront() override;

    // Listens on 127.0.0.1:port (0: a free port), over TLS with tls when given (--tls); returns
    // the port, or 0 on failure.
    quint16 listen(quint16 port = 0, const std::optional<QSslConfiguration>& tls = std::nullopt);
    // Sync requests whose answer is held.
    int heldRequests() const { return m_held; }

private:
    struct Waiter;
    using Responder = QHttpServerResponder;

    void dispatch(const QHttpServerRequest& request, Responder&& responder);
    bool admit(const QHttpServerRequest& request, Responder& responder, const char* operation, bool held = false);
    fal::Request* find(const fal::Route& route);
    int queuePosition(const fal::Request& r) const;

    void submit(const QHttpServerRequest& request, Responder&& responder, const fal::Route& route, bool sync);
    void status(const fal::Route& route, Responder&& responder);
    void result(const fal::Route& route, Responder&& responder);
    void cancel(const fal::Route& route, Responder&& responder);
    void file(const QString& name, Responder&& responder);
    void answerResult(Responder& responder, const fal::Request& r);

    void answer(const std::shared_ptr<Waiter>& waiter, bool write);
    void onJobFinished(const JobTruth& truth);

    PlatformDriver& m_driver;
    Options m_options;
    Egress& m_egress;
    ShardedHttpServer m_server;
    RateLimiter m_limits;
    std::string m_base; // "http://127.0.0.1:port" (https with --tls)
    std::unordered_map<std::string, fal::Request> m_requests;
    std::unordered_map<std::string, std::vector<std::shared_ptr<Waiter>>> m_waiters;
    int m_held = 0;
};

} // namespace t2i
