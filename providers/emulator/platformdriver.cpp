// SPDX-License-Identifier: Apache-2.0
#include "platformdriver.h"

#include "truthlog.h"

namespace t2i {

PlatformDriver::PlatformDriver(PlatformProfile profile, uint64_t seed, QObject* parent)
    : QObject(parent)
    , m_model(std::move(profile), seed)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer); // job timings are reported to the ms
    connect(&m_timer, &QTimer::timeout, this, &PlatformDriver::advance);
}

PlatformDriver::~PlatformDriver() = default;

void PlatformDriver::setTruthLog(std::unique_ptr<TruthLog> log)
{
    m_truth = std::move(log);
}

void PlatformDriver::sync()
{
    const int64_t now = nowMs();
    if (!m_firstRequestMs)
        m_firstRequestMs = now;
    m_lastRequestMs = now;
    advance();
}

void PlatformDriver::advance()
{
    if (m_final)
        return;
    m_model.advanceTo(nowMs());
    writeUtilization();
    // A slot may call back into sync(); each batch is taken out of the model before it is announced.
    for (const JobTruth& truth : m_model.takeFinished()) {
        if (m_truth)
            m_truth->write(truth);
        emit jobFinished(truth);
    }
    rearm();
}

void PlatformDriver::writeUtilization()
{
    // Taken even without a truth file, so the model does not keep them for ever.
    for (const UtilizationChange& change : m_model.takeUtilizationChanges())
        if (m_truth)
            m_truth->write(change);
}

void PlatformDriver::rearm()
{
    const auto next = m_model.nextEventMs();
    if (!next || m_final) {
        m_timer.stop();
        return;
    }
    m_timer.start(static_cast<int>(std::clamp<int64_t>(*next - nowMs(), 0, 24 * 3600 * 1000)));
}

JobView PlatformDriver::submit(const JobSpec& spec)
{
    JobView view = m_model.submit(spec, nowMs());
    rearm();
    return view;
}

bool PlatformDriver::cancel(uint64_t index)
{
    const bool cancelled = m_model.cancel(index, nowMs());
    sync(); // the cancelled job's truth goes out now, before the caller answers
    return cancelled;
}

int PlatformDriver::purgeQueue()
{
    const int removed = m_model.purgeQueue(nowMs());
    sync();
    return removed;
}

Ledger PlatformDriver::shutdown()
{
    if (m_final) {
        m_final->egress = m_egress; // what was sent after the shutdown too
        return *m_final;
    }
    // Min workers are billed for the time clients used the endpoint, not for the emulator's own
    // start-up and shutdown around a run.
    std::optional<std::pair<int64_t, int64_t>> inUse;
    if (m_firstRequestMs)
        inUse = std::make_pair(*m_firstRequestMs, m_lastRequestMs);
    m_final = m_model.shutdown(nowMs(), inUse);
    m_final->egress = m_egress;
    m_timer.stop();
    writeUtilization();
    for (const JobTruth& truth : m_model.takeFinished()) {
        if (m_truth)
            m_truth->write(truth);
        emit jobFinished(truth);
    }
    if (m_truth)
        m_truth->writeLedger(*m_final);
    return *m_final;
}

} // namespace t2i
