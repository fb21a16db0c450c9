// SPDX-License-Identifier: Apache-2.0
#include "openloopschedule.h"

#include <cmath>

namespace t2i {

OpenLoopSchedule::OpenLoopSchedule(const WorkloadStep& step, std::uint64_t seed)
    : m_step(step)
    , m_random(seed)
{
    if (step.requests)
        m_maxRequests = *step.requests;
    if (step.durationS)
        m_durationMs = *step.durationS * 1000.0;
    switch (step.kind) {
    case StepKind::Constant:
    case StepKind::Poisson:
        m_plannedMs = m_durationMs ? *m_durationMs : double(m_maxRequests.value_or(0)) / step.rate * 1000.0;
        break;
    case StepKind::Ramp:
        // A ramp given as a request count lasts as long as the mean rate needs: N = (a + b) / 2 * D.
        if (!m_durationMs)
            m_durationMs = 2.0 * double(m_maxRequests.value_or(0)) / (step.rateFrom + step.rateTo) * 1000.0;
        m_plannedMs = *m_durationMs;
        break;
    default:
        m_plannedMs = 0;
    }
}

std::optional<double> OpenLoopSchedule::offsetOf(std::int64_t index)
{
    const double i = double(index);
    switch (m_step.kind) {
    case StepKind::Constant:
        return i / m_step.rate * 1000.0;
    case StepKind::Poisson: {
        if (index > 0) {
            std::exponential_distribution<double> gap(m_step.rate);
            m_poissonClock += gap(m_random) * 1000.0;
        }
        return m_poissonClock;
    }
    case StepKind::Ramp: {
        // Rate r(t) = a + (b - a) t / D, so the count sent by t is N(t) = a t + (b - a) t^2 / (2 D);
        // request i goes at the t where N(t) = i.
        const double a = m_step.rateFrom, b = m_step.rateTo, seconds = *m_durationMs / 1000.0;
        const double k = (b - a) / (2.0 * seconds);
        if (std::abs(k) < 1e-12)
            return i / a * 1000.0;
        const double discriminant = a * a + 4.0 * k * i;
        if (discriminant < 0)
            return std::nullopt; // a falling ramp that reaches zero before request i
        return (-a + std::sqrt(discriminant)) / (2.0 * k) * 1000.0;
    }
    case StepKind::Burst:
        return 0.0;
    default:
        return std::nullopt;
    }
}

std::optional<double> OpenLoopSchedule::next()
{
    if (m_maxRequests && m_index >= *m_maxRequests)
        return std::nullopt;
    const std::optional<double> offset = offsetOf(m_index);
    if (!offset || (m_durationMs && *offset >= *m_durationMs && !(m_step.kind == StepKind::Burst)))
        return std::nullopt;
    ++m_index;
    return offset;
}

} // namespace t2i
