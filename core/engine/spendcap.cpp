// SPDX-License-Identifier: Apache-2.0
#include "engine/spendcap.h"

namespace t2i {

SpendCap::SpendCap(EngineBudget budget)
    : m_budget(std::move(budget))
{
}

double SpendCap::cheapCommittedUsd() const
{
    // Finished jobs the model has not seen yet still count at their worst case.
    const double unsettled = double(m_open) + double(m_finished.size() - m_modelled);
    return m_spentUsd + unsettled * m_budget.jobWorstCaseUsd;
}

void SpendCap::refresh(double nowMs)
{
    m_spentUsd = m_budget.spentUsd(m_finished, m_samples, nowMs);
    m_modelled = m_finished.size();
    m_modelAtMs = nowMs;
}

bool SpendCap::admit(double nowMs)
{
    if (!active())
        return true;
    if (nowMs - m_modelAtMs >= kRefreshMs)
        refresh(nowMs);
    const auto fits = [this] { return cheapCommittedUsd() + m_budget.jobWorstCaseUsd <= m_budget.capUsd; };
    if (!fits() && m_modelled < m_finished.size())
        refresh(nowMs); // settle what finished since the last run of the model, then ask again
    if (!fits())
        return false;
    ++m_open;
    return true;
}

void SpendCap::settle(RequestRecord record)
{
    if (!active())
        return;
    --m_open;
    m_finished.push_back(std::move(record));
}

void SpendCap::noteSample(const WorkerSample& sample)
{
    if (active())
        m_samples.push_back(sample);
}

double SpendCap::committedUsd(double nowMs)
{
    if (!active())
        return -1;
    if (nowMs - m_modelAtMs >= kRefreshMs)
        refresh(nowMs);
    return cheapCommittedUsd();
}

} // namespace t2i
