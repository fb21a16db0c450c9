// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ratelimiter.h"
#include "replicatejson.h"

#include "shardedhttpserver.h"

#include <QHttpServer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace t2i {

class PlatformDriver;

// Replicate's predictions API (docs/protocols.md §2) in front of a PlatformDriver, on
// 127.0.0.1: POST /v1/models/{owner}/{name}/predictions, /v1/deployments/{owner}/{name}/predictions
// and /v1/predictions (with "version") answer 201 with the prediction; GET /v1/predictions/{id}
// polls it; POST /v1/predictions/{id}/cancel cancels it. `Prefer: wait=N` holds the create answer,
// without a thread, until the prediction ends or N s pass; `Cancel-After` ends it at its deadline.
// Outputs are URLs served at /files/<id>-<i>.png until retention.run_s after the end; after that
// the prediction reads data_removed. Creates count against the profile's "run" rate limits
// ("runsync" when held), polls against "status", cancels against "cancel".
class ReplicateFront : public QObject {
    Q_OBJECT
public:
    struct Options {
        QByteArray apiKey; // the key clients must send; empty: any non-empty Bearer key
    };

    ReplicateFront(PlatformDriver& driver, Options options, QObject* parent = nullptr);
    ~ReplicateFront() override;

    // Listens on 127.0.0.1:port (0: a free port), over TLS with tls when given (--tls); returns
    // the port, or 0 on failure.
    quint16 listen(quint16 port = 0, const std::optional<QSslConfiguration>& tls = std::nullopt);
    // Create requests whose answer is parked (Prefer: wait).
    int heldRequests() const { return m_held; }

private:
    struct Waiter;
    using Responder = QHttpServerResponder;

    void addRoutes();
    bool admit(const QHttpServerRequest& request, Responder& responder, const char* operation, bool held = false);
    replicate::Prediction* find(const QString& id);
    bool removed(const replicate::Prediction& p) const;
    nlohmann::json body(const replicate::Prediction& p) const;

    void create(const QHttpServerRequest& request, Responder&& responder, const replicate::Route& route);
    void get(const QString& id, Responder&& responder);
    void cancel(const QString& id, Responder&& responder);
    void file(const QString& name, Responder&& responder);
    void deadline(const std::string& id);

    void park(Responder&& responder, const std::string& id, int waitS);
    void answer(const std::shared_ptr<Waiter>& waiter, bool write);
    void onJobFinished(const JobTruth& truth);

    PlatformDriver& m_driver;
    Options m_options;
    Egress& m_egress;
    ShardedHttpServer m_server;
    RateLimiter m_limits;
    int64_t m_epochMs = 0; // wall time of the platform's time 0
    std::string m_base; // "http://127.0.0.1:port" (https with --tls)
    std::unordered_map<std::string, replicate::Prediction> m_predictions;
    std::unordered_map<std::string, std::vector<std::shared_ptr<Waiter>>> m_waiters;
    int m_held = 0;
};

} // namespace t2i
