// SPDX-License-Identifier: Apache-2.0
#include "coldtracker.h"

namespace t2i {

void ColdTracker::noteHealth(const WorkerSample& sample)
{
    if (sample.initializing > 0)
        m_initializingAt.push_back(sample.tMs);
    while (m_initializingAt.size() > 4096) // bounded: old boots no longer matter to in-flight jobs
        m_initializingAt.pop_front();
}

bool ColdTracker::initializingDuring(double fromMs, double toMs) const
{
    for (double t : m_initializingAt)
        if (t >= fromMs && t <= toMs)
            return true;
    return false;
}

ColdLabel ColdTracker::classify(const RequestRecord& record, bool afterScaleToZero)
{
    const bool waited = record.queueMs && *record.queueMs >= m_thresholdMs;
    if (!record.workerId.empty()) {
        const bool firstSighting = m_seenWorkers.insert(record.workerId).second;
        if (afterScaleToZero)
            return ColdLabel::Cold;
        if (!record.queueMs)
            return firstSighting ? ColdLabel::Unknown : ColdLabel::Warm;
        return firstSighting && waited ? ColdLabel::Cold : ColdLabel::Warm;
    }
    if (afterScaleToZero)
        return ColdLabel::Cold;
    if (!record.queueMs)
        return ColdLabel::Unknown;
    if (!waited)
        return ColdLabel::Warm;
    return initializingDuring(record.sentMs, record.sentMs + *record.queueMs) ? ColdLabel::Cold : ColdLabel::Unknown;
}

} // namespace t2i
