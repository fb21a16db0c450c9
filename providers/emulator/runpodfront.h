// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "platformtypes.h"
#include "ratelimiter.h"

#include "shardedhttpserver.h"

#include <QHttpServer>
#include <QObject>
#include <QTimer>

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace t2i {

class PlatformDriver;

// RunPod Serverless's job API (docs/protocols.md §1) in front of a PlatformDriver,
// on 127.0.0.1: /v2/{endpoint}/run, /runsync, /status/{id}, /status-sync/{id}, /stream/{id},
// /cancel/{id}, /purge-queue, /health. /runsync holds its answer without a thread: the responder
// is parked until the job ends or `wait` runs out, and answered from the event loop.
class RunPodFront : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString endpoint; // the one endpoint id served; empty: any
        QByteArray apiKey; // the key clients must send; empty: any non-empty Authorization
    };

    RunPodFront(PlatformDriver& driver, Options options, QObject* parent = nullptr);
    ~RunPodFront() override;

    // Listens on 127.0.0.1:port (0: a free port), over TLS with tls when given (--tls); returns
    // the port, or 0 on failure.
    quint16 listen(quint16 port = 0, const std::optional<QSslConfiguration>& tls = std::nullopt);
    // Requests whose answer is parked (/runsync, /status-sync).
    int heldRequests() const;

private:
    struct Record {
        uint64_t index = 0;
        bool sync = false; // from /runsync: kept for retention.runsync_s, not run_s
        std::optional<JobTruth> truth;
        int64_t expiresAtMs = -1;
    };
    struct Waiter;
    using Responder = QHttpServerResponder;

    void addRoutes();
    bool admit(const QString& endpoint, const QHttpServerRequest& request, Responder& responder, const char* operation,
        bool held = false);
    Record* find(const QString& id);
    nlohmann::json statusBody(const std::string& id, const Record& record) const;

    void submit(const QHttpServerRequest& request, Responder&& responder, bool sync);
    void status(const QString& id, const QHttpServerRequest& request, Responder&& responder, bool wait);
    void stream(const QString& id, Responder&& responder);
    void cancel(const QString& id, Responder&& responder);
    void purgeQueue(Responder&& responder);
    void health(Responder&& responder);

    void park(Responder&& responder, const std::string& id, const char* operation, int64_t waitMs);
    void answer(const std::shared_ptr<Waiter>& waiter, const nlohmann::json& body, const JobTruth* truth = nullptr);
    void onJobFinished(const JobTruth& truth);
    void expire();

    static int64_t waitParameter(const QHttpServerRequest& request);
    // Writes a JSON answer and counts it. A body that carries a job's output has its images spliced
    // in as data URIs (`truth` is that job).
    void reply(Responder& responder, int status, const nlohmann::json& body, const JobTruth* truth = nullptr);

    PlatformDriver& m_driver;
    Options m_options;
    Egress& m_egress;
    ShardedHttpServer m_server;
    RateLimiter m_limits;
    QTimer m_expiry;
    std::unordered_map<std::string, Record> m_records;
    std::unordered_map<std::string, std::vector<std::shared_ptr<Waiter>>> m_waiters;
    int m_held = 0;
};

} // namespace t2i
