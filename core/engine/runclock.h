// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>

namespace t2i {

// Milliseconds since the run began, on the monotonic clock. Every duration in a record comes
// from here; the wall clock only labels runs.
class RunClock {
public:
    using Clock = std::chrono::steady_clock;
    RunClock()
        : m_start(Clock::now())
    {
    }
    double nowMs() const { return toMs(Clock::now()); }
    double toMs(Clock::time_point t) const { return std::chrono::duration<double, std::milli>(t - m_start).count(); }
    Clock::time_point start() const { return m_start; }

private:
    Clock::time_point m_start;
};

} // namespace t2i
