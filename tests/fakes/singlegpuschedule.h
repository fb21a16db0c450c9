// SPDX-License-Identifier: Apache-2.0
// One GPU serving jobs one at a time in arrival order, as a local server (ComfyUI, A1111, sd-server)
// does: each job starts when the one before it ends, so queue times are real. The fakes ask it
// lazily, "what is true at time t", instead of running timers. Times are the fake server's ms clock.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace t2itest {

class SingleGpuSchedule {
public:
    struct Slot {
        double arrivedMs = 0;
        double execMs = 0;
        double startMs = 0;
        double endMs = 0;
        bool removed = false; // left the queue before it started
        bool stopped = false; // stopped while running (its end moved to that moment)
    };

    // A job arriving at nowMs: it starts when the GPU is free. Returns its index.
    std::size_t add(double nowMs, double execMs)
    {
        Slot slot;
        slot.arrivedMs = nowMs;
        slot.execMs = execMs;
        slot.startMs = std::max(nowMs, lastEndMs());
        slot.endMs = slot.startMs + execMs;
        m_slots.push_back(slot);
        return m_slots.size() - 1;
    }

    const Slot& at(std::size_t i) const { return m_slots.at(i); }
    std::size_t size() const { return m_slots.size(); }

    bool queued(std::size_t i, double nowMs) const { return !at(i).removed && nowMs < at(i).startMs; }
    bool running(std::size_t i, double nowMs) const
    {
        const Slot& s = at(i);
        return !s.removed && s.startMs <= nowMs && nowMs < s.endMs;
    }
    bool finished(std::size_t i, double nowMs) const { return !at(i).removed && at(i).endMs <= nowMs; }

    // A queued job leaves (cancelled before it started): the jobs behind it move up.
    void remove(std::size_t i, double nowMs)
    {
        m_slots.at(i).removed = true;
        reflow(nowMs);
    }

    // A running job stops at atMs (interrupted: now, or when the server next checks its flag).
    // moveUp: the jobs behind it start earlier; a server whose waiting answers are already timed
    // (A1111's blocking requests) keeps them where they are.
    void stop(std::size_t i, double atMs, bool moveUp = true)
    {
        Slot& s = m_slots.at(i);
        s.endMs = atMs;
        s.stopped = true;
        if (moveUp)
            reflow(atMs);
    }

    // Jobs queued or running at nowMs.
    int active(double nowMs) const
    {
        int n = 0;
        for (std::size_t i = 0; i < m_slots.size(); ++i)
            n += queued(i, nowMs) || running(i, nowMs) ? 1 : 0;
        return n;
    }

private:
    double lastEndMs() const
    {
        for (auto it = m_slots.rbegin(); it != m_slots.rend(); ++it)
            if (!it->removed)
                return it->endMs;
        return 0;
    }

    // Jobs not yet started get new start times: each one when the job before it ends.
    void reflow(double nowMs)
    {
        double previousEnd = 0;
        for (Slot& s : m_slots) {
            if (s.removed)
                continue;
            if (s.startMs > nowMs) {
                s.startMs = std::max({ s.arrivedMs, previousEnd, nowMs });
                s.endMs = s.startMs + s.execMs;
            }
            previousEnd = s.endMs;
        }
    }

    std::vector<Slot> m_slots;
};

} // namespace t2itest
