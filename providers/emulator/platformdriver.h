// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "platformmodel.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <map>
#include <memory>
#include <string>

namespace t2i {

class TruthLog;

// Runs a PlatformModel in real time on the Qt event loop: one single-shot timer, always armed for
// the model's next event. Time 0 is when the driver was made. Fronts call sync() before they read
// or change the platform, so what a client sees is the model at the moment of the request.
class PlatformDriver : public QObject {
    Q_OBJECT
public:
    PlatformDriver(PlatformProfile profile, uint64_t seed, QObject* parent = nullptr);
    ~PlatformDriver() override;

    // Every finished job is written here (and flushed) as it finishes; the ledger at shutdown().
    void setTruthLog(std::unique_ptr<TruthLog> log);

    int64_t nowMs() const { return m_clock.elapsed(); }
    const PlatformProfile& profile() const { return m_model.profile(); }

    // A client request arrived: advances the model to now, announces the jobs that finished,
    // and re-arms the timer. The first and last of these bound the time the endpoint was in use.
    void sync();

    JobView submit(const JobSpec& spec);
    bool cancel(uint64_t index);
    int purgeQueue();
    std::optional<JobView> job(uint64_t index) const { return m_model.job(index); }
    PlatformHealth health() const { return m_model.health(); }
    std::vector<WorkerView> workers() const { return m_model.workers(); }

    // What a front ("runpod", ...) has sent so far; fronts add to it as they answer. The reference
    // stays valid for the driver's life. shutdown() puts every front's in the ledger.
    Egress& egress(const std::string& front) { return m_egress[front]; }

    // Stops the platform now: every worker stops, the ledger goes to the truth log. Idempotent.
    Ledger shutdown();

signals:
    // For each job that reached a terminal state, in finishing order.
    void jobFinished(const t2i::JobTruth& truth);

private:
    void advance(); // sync() without a client request: the timer's own wake-ups
    void rearm();
    void writeUtilization(); // the model's utilisation changes since the last call, to the truth file

    PlatformModel m_model;
    QElapsedTimer m_clock;
    QTimer m_timer;
    std::unique_ptr<TruthLog> m_truth;
    std::optional<Ledger> m_final;
    std::optional<int64_t> m_firstRequestMs;
    int64_t m_lastRequestMs = 0;
    std::map<std::string, Egress> m_egress;
};

} // namespace t2i
