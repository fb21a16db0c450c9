// SPDX-License-Identifier: Apache-2.0
#include "cost/workerlifetimes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

namespace t2i {

namespace {

// A job seen again on the same worker id after more than the idle timeout (plus this much
// slack for clock noise) ran on a new life of that id: the old one had stopped.
constexpr double splitSlackMs = 10;
// The first job of a worker "waited for it" (the worker became ready just as it started) when
// its wait beats twice what warm jobs wait at least, plus this floor for integer milliseconds.
constexpr double coldFloorMs = 0.5;

struct JobSpan {
    double start = 0;
    double finish = 0;
    bool ok = false;
};

// The jobs of one life of one worker id.
struct Segment {
    std::string workerId;
    std::vector<JobSpan> jobs; // ordered by start
    double firstStart = 0;
    double firstQueue = 0;
    double maxFinish = 0;
    bool coldFirst = false; // its first job waited for it to become ready: ready == firstStart
    int slot = -1; // warm-first segments: the ready worker they ran on
};

// A worker that became ready without a job waiting for it: alive before the run, or seen
// becoming ready in the health samples. A warm-first segment claims one.
struct Slot {
    double readyMs = 0; // the estimate: the middle of the sampling interval it was seen in
    double readyLoMs = 0; // it became ready after this (the sample before)
    bool preExisting = false;
    bool alwaysOn = false;
    int claimedBy = -1;
    std::optional<double> stopMs; // once known: claimed (its segment's stop) or jobless (ready + idle)
};

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::floor(p * static_cast<double>(values.size() - 1)));
    return values[rank];
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

// Ready workers in a sample. RunPod's "ready" is idle + running where it is sent at all.
int readyCount(const WorkerSample& s)
{
    return std::max(s.idle + s.running, s.ready);
}

struct Segments {
    std::vector<Segment> list; // ordered by first start
    double warmMedianQueueMs = 0; // what jobs that were not first on their worker waited
};

Segments segmentsOf(std::span<const RequestRecord> records, double idleTimeoutMs)
{
    std::map<std::string, std::vector<std::pair<JobSpan, double>>> byWorker; // span, queue
    for (const RequestRecord& r : records) {
        if (r.workerId.empty() || !r.startedMs || !r.execMs)
            continue;
        byWorker[r.workerId].push_back({ { *r.startedMs, *r.startedMs + *r.execMs, r.ok }, r.queueMs.value_or(0) });
    }
    std::vector<Segment> segments;
    std::vector<double> laterQueues; // waits of jobs that were not first on their life
    for (auto& [id, jobs] : byWorker) {
        std::sort(jobs.begin(), jobs.end(), [](const auto& a, const auto& b) { return a.first.start < b.first.start; });
        for (const auto& [span, queue] : jobs) {
            if (segments.empty() || segments.back().workerId != id
                || span.start > segments.back().maxFinish + idleTimeoutMs + splitSlackMs) {
                Segment s;
                s.workerId = id;
                s.firstStart = span.start;
                s.firstQueue = queue;
                s.maxFinish = span.finish;
                segments.push_back(std::move(s));
            } else {
                laterQueues.push_back(queue);
            }
            Segment& s = segments.back();
            s.jobs.push_back(span);
            s.maxFinish = std::max(s.maxFinish, span.finish);
        }
    }
    const double warmFloor = percentile(laterQueues, 0.1);
    for (Segment& s : segments)
        s.coldFirst = s.firstQueue > 2 * warmFloor + coldFloorMs;
    std::sort(segments.begin(), segments.end(),
        [](const Segment& a, const Segment& b) { return a.firstStart < b.firstStart; });
    return { std::move(segments), median(std::move(laterQueues)) };
}

// Execution time of a life's ok and failed jobs; where k jobs overlap each gets 1/k of it.
void shareBusyTime(const Segment& s, WorkerLife& life)
{
    struct Edge {
        double t;
        int delta;
        bool ok;
    };
    std::vector<Edge> edges;
    for (const JobSpan& j : s.jobs) {
        edges.push_back({ j.start, +1, j.ok });
        edges.push_back({ j.finish, -1, j.ok });
    }
    std::sort(edges.begin(), edges.end(),
        [](const Edge& a, const Edge& b) { return a.t < b.t || (a.t == b.t && a.delta < b.delta); });
    int okActive = 0;
    int failedActive = 0;
    double last = edges.empty() ? 0 : edges.front().t;
    for (const Edge& e : edges) {
        const int active = okActive + failedActive;
        if (active > 0) {
            const double dt = e.t - last;
            life.busyOkMs += dt * okActive / active;
            life.busyFailedMs += dt * failedActive / active;
        }
        last = e.t;
        (e.ok ? okActive : failedActive) += e.delta;
    }
}

class Reconstruction {
public:
    Reconstruction(
        std::span<const RequestRecord> records, std::span<const WorkerSample> samples, const LifetimeParams& p)
        : m_idleMs(std::max(0.0, p.idleTimeoutMs))
        , m_alwaysOn(std::max(0, p.alwaysOnWorkers))
        , m_samples(samples.begin(), samples.end())
    {
        Segments found = segmentsOf(records, m_idleMs);
        m_segments = std::move(found.list);
        m_warmMedianQueueMs = found.warmMedianQueueMs;
        std::vector<double> roundTrips;
        for (const RequestRecord& r : records)
            if (r.acceptedMs)
                roundTrips.push_back(*r.acceptedMs - r.sentMs);
        m_submitRttP95Ms = percentile(std::move(roundTrips), 0.95);
        std::stable_sort(m_samples.begin(), m_samples.end(),
            [](const WorkerSample& a, const WorkerSample& b) { return a.tMs < b.tMs; });
        for (std::size_t i = 0; i < m_segments.size(); ++i) {
            if (m_segments[i].coldFirst) {
                m_coldReadies.push_back(m_segments[i].firstStart);
                m_stops.push_back(m_segments[i].maxFinish + m_idleMs);
            } else {
                m_warmFirst.push_back(i);
            }
        }
        std::sort(m_coldReadies.begin(), m_coldReadies.end());
    }

    std::vector<WorkerLife> run()
    {
        if (m_samples.empty())
            startWithoutSamples();
        else
            sweepSamples();
        claimWarmFirst(std::numeric_limits<double>::infinity(), true);
        for (Slot& slot : m_slots)
            if (slot.claimedBy < 0 && !slot.alwaysOn && !slot.stopMs)
                slot.stopMs = slot.readyMs + m_idleMs; // it never got a job
        return lives();
    }

private:
    void startWithoutSamples()
    {
        // No worker counters: the configured keep-warm workers are taken to be alive from the
        // start; boots and jobless workers cannot be seen.
        for (int i = 0; i < m_alwaysOn; ++i)
            m_slots.push_back({ 0, 0, true, true, -1, std::nullopt });
    }

    void sweepSamples()
    {
        const WorkerSample& first = m_samples.front();
        m_startMs = std::min(0.0, first.tMs);
        const int aliveAtStart = readyCount(first);
        for (int i = 0; i < aliveAtStart; ++i)
            m_slots.push_back({ m_startMs, m_startMs, true, i < m_alwaysOn, -1, std::nullopt });
        // Workers already booting when the run began count as booting from its start.
        for (int i = 0; i < first.initializing; ++i)
            m_bootStarts.push_back(m_startMs);
        m_debounceMs = debounceMs();
        int maxUnexplained = 0;
        int maxBoots = 0;
        for (std::size_t k = 1; k < m_samples.size(); ++k) {
            const double at = m_samples[k].tMs;
            const double before = m_samples[k - 1].tMs;
            const double mid = (before + at) / 2.0;
            claimWarmFirst(at, false);
            stopJobless(at);
            // Workers that became ready with no job waiting for them.
            const int unexplained = confirmed(k, [this](std::size_t j) { return unexplainedAt(j); });
            if (unexplained > maxUnexplained) {
                for (int i = maxUnexplained; i < unexplained; ++i)
                    m_slots.push_back({ mid, before, false, false, -1, std::nullopt });
                maxUnexplained = unexplained;
                claimWarmFirst(at, false);
            }
            // Workers that started booting.
            const int boots = confirmed(k, [this](std::size_t j) { return bootsAt(j); });
            for (int i = maxBoots; i < boots; ++i)
                m_bootStarts.push_back(mid);
            maxBoots = std::max(maxBoots, boots);
        }
    }

    // Every worker that booted during the run is alive now or has stopped: boots so far =
    // alive now - alive at the start + stops so far.
    int bootsAt(std::size_t j) const
    {
        const WorkerSample& s = m_samples[j];
        const WorkerSample& first = m_samples.front();
        return (readyCount(s) + s.initializing) - (readyCount(first) + first.initializing) + stopsUpTo(s.tMs);
    }

    // Workers that became ready so far without a job waiting for them: the ready count's growth,
    // plus the workers that stopped, minus those whose first job shows them becoming ready.
    int unexplainedAt(std::size_t j) const
    {
        const double t = m_samples[j].tMs;
        const auto coldReadies
            = std::upper_bound(m_coldReadies.begin(), m_coldReadies.end(), t) - m_coldReadies.begin();
        return readyCount(m_samples[j]) - readyCount(m_samples.front()) + stopsUpTo(t) - int(coldReadies);
    }

    // A count compares sample times with job times the client measured, which may be off by a
    // request's latency: an event near a sample can be counted a moment too early or too late.
    // A rise counts only when it holds for the next debounce interval (the least over it).
    template <typename Count> int confirmed(std::size_t k, Count count) const
    {
        int least = count(k);
        for (std::size_t j = k + 1; j < m_samples.size() && m_samples[j].tMs <= m_samples[k].tMs + m_debounceMs; ++j)
            least = std::min(least, count(j));
        return least;
    }

    // Long enough to cover three sampling intervals and the slowest submit round trips.
    double debounceMs() const { return std::max({ 25.0, 3 * samplingIntervalMs(), m_submitRttP95Ms }); }

    int stopsUpTo(double t) const
    {
        int n = 0;
        for (double stop : m_stops)
            n += stop <= t;
        for (const Slot& slot : m_slots)
            n += slot.claimedBy < 0 && slot.stopMs && *slot.stopMs <= t; // jobless; claimed ones are in m_stops
        return n;
    }

    // A ready worker that no job claimed within the idle timeout stopped.
    void stopJobless(double t)
    {
        for (Slot& slot : m_slots)
            if (slot.claimedBy < 0 && !slot.preExisting && !slot.stopMs && slot.readyMs + m_idleMs <= t)
                slot.stopMs = slot.readyMs + m_idleMs;
    }

    // Warm-first lives that started by `t` take the earliest ready worker free before their
    // first job (the platform fills the oldest idle worker first). At the end (final), one
    // that finds none gets a worker of its own, ready when its first job started.
    void claimWarmFirst(double t, bool final)
    {
        for (std::size_t i : m_warmFirst) {
            Segment& seg = m_segments[i];
            if (seg.slot >= 0 || seg.firstStart > t)
                continue;
            int chosen = sameWorkerAlwaysOn(seg.workerId);
            for (std::size_t j = 0; chosen < 0 && j < m_slots.size(); ++j) {
                const Slot& slot = m_slots[j];
                if (slot.claimedBy < 0 && !slot.stopMs && slot.readyLoMs <= seg.firstStart)
                    chosen = int(j);
            }
            if (chosen < 0 && final) {
                m_slots.push_back({ seg.firstStart, seg.firstStart, false, false, -1, std::nullopt });
                chosen = int(m_slots.size() - 1);
            }
            if (chosen < 0)
                continue;
            seg.slot = chosen;
            Slot& slot = m_slots[std::size_t(chosen)];
            if (slot.claimedBy < 0) {
                slot.claimedBy = int(i);
                // It was ready by its first job: narrow the estimate to what is left of the interval.
                if (!slot.preExisting && slot.readyMs > seg.firstStart)
                    slot.readyMs = (slot.readyLoMs + seg.firstStart) / 2.0;
            }
            if (!slot.alwaysOn) {
                slot.stopMs = seg.maxFinish + m_idleMs;
                m_stops.push_back(*slot.stopMs);
            }
        }
    }

    // An always-on worker never stops, so all its jobs, however far apart, are one life.
    int sameWorkerAlwaysOn(const std::string& id) const
    {
        for (std::size_t j = 0; j < m_slots.size(); ++j) {
            const Slot& slot = m_slots[j];
            if (slot.alwaysOn && slot.claimedBy >= 0 && m_segments[std::size_t(slot.claimedBy)].workerId == id)
                return int(j);
        }
        return -1;
    }

    std::vector<WorkerLife> lives()
    {
        // Each worker that became ready during the run, in order, takes the earliest boot start
        // not yet taken (workers of one platform boot in about the same time).
        struct Ready {
            double t;
            int segment; // >= 0: a cold-first life
            int slot; // >= 0: a slot
        };
        std::vector<Ready> readies;
        for (std::size_t i = 0; i < m_segments.size(); ++i)
            if (m_segments[i].coldFirst)
                readies.push_back({ m_segments[i].firstStart, int(i), -1 });
        for (std::size_t j = 0; j < m_slots.size(); ++j)
            if (!m_slots[j].preExisting)
                readies.push_back({ m_slots[j].readyMs, -1, int(j) });
        std::sort(readies.begin(), readies.end(), [](const Ready& a, const Ready& b) { return a.t < b.t; });
        std::sort(m_bootStarts.begin(), m_bootStarts.end());

        std::vector<std::optional<double>> bootOf(readies.size());
        std::vector<double> bootDurations;
        std::size_t next = 0;
        const double slack = samplingIntervalMs();
        for (std::size_t r = 0; r < readies.size(); ++r) {
            if (next < m_bootStarts.size() && m_bootStarts[next] <= readies[r].t + slack) {
                bootOf[r] = std::min(m_bootStarts[next++], readies[r].t);
                bootDurations.push_back(readies[r].t - *bootOf[r]);
            }
        }
        const double typicalBoot = median(bootDurations);

        std::vector<WorkerLife> out;
        std::vector<bool> slotDone(m_slots.size(), false);
        for (std::size_t r = 0; r < readies.size(); ++r) {
            WorkerLife life;
            life.readyMs = readies[r].t;
            life.bootMeasured = bootOf[r].has_value();
            if (readies[r].segment >= 0) {
                const Segment& seg = m_segments[std::size_t(readies[r].segment)];
                life.workerId = seg.workerId;
                life.stopMs = seg.maxFinish + m_idleMs;
                shareBusyTime(seg, life);
                life.bootStartMs = bootOf[r].value_or(life.readyMs - estimatedBoot(seg, typicalBoot));
            } else {
                const std::size_t j = std::size_t(readies[r].slot);
                slotDone[j] = true;
                fillFromSlot(j, life);
                life.bootStartMs = bootOf[r].value_or(life.readyMs - (m_samples.empty() ? 0 : typicalBoot));
            }
            out.push_back(std::move(life));
        }
        for (std::size_t j = 0; j < m_slots.size(); ++j) {
            if (slotDone[j])
                continue;
            WorkerLife life; // alive when the run began
            life.preExisting = true;
            life.bootStartMs = life.readyMs = m_startMs;
            fillFromSlot(j, life);
            if (!m_slots[j].alwaysOn && !m_slots[j].stopMs)
                life.stopMs = m_startMs + m_idleMs;
            out.push_back(std::move(life));
        }
        // Boots with no ready after them: workers still booting when the run ended; they will
        // become ready, find nothing and stop after the idle timeout.
        for (std::size_t b = next; b < m_bootStarts.size(); ++b) {
            WorkerLife life;
            life.jobless = true;
            life.bootMeasured = true;
            life.bootStartMs = m_bootStarts[b];
            life.readyMs = life.bootStartMs + typicalBoot;
            life.stopMs = life.readyMs + m_idleMs;
            out.push_back(std::move(life));
        }
        return out;
    }

    void fillFromSlot(std::size_t j, WorkerLife& life) const
    {
        const Slot& slot = m_slots[j];
        life.alwaysOn = slot.alwaysOn;
        life.readyMs = slot.preExisting ? m_startMs : slot.readyMs;
        life.stopMs = slot.stopMs.value_or(life.readyMs + m_idleMs);
        if (slot.claimedBy < 0) {
            life.jobless = true;
            return;
        }
        // Every life that ran on this worker (an always-on worker may have several).
        for (const Segment& seg : m_segments)
            if (seg.slot == int(j)) {
                if (life.workerId.empty())
                    life.workerId = seg.workerId;
                shareBusyTime(seg, life);
            }
    }

    // Without a measured boot start: the typical measured boot, else (no samples) what the
    // first job waited beyond what warm jobs wait: an upper bound, the autoscaler's delay in it.
    double estimatedBoot(const Segment& seg, double typicalBoot) const
    {
        if (!m_samples.empty())
            return typicalBoot;
        return std::max(0.0, seg.firstQueue - m_warmMedianQueueMs);
    }

    double samplingIntervalMs() const
    {
        std::vector<double> gaps;
        for (std::size_t k = 1; k < m_samples.size(); ++k)
            gaps.push_back(m_samples[k].tMs - m_samples[k - 1].tMs);
        return median(std::move(gaps));
    }

    double m_idleMs;
    int m_alwaysOn;
    std::vector<Segment> m_segments;
    std::vector<WorkerSample> m_samples;
    std::vector<double> m_coldReadies;
    std::vector<std::size_t> m_warmFirst;
    std::vector<double> m_stops; // known stops of lives that ran jobs (not always-on)
    std::vector<Slot> m_slots;
    std::vector<double> m_bootStarts;
    double m_startMs = 0;
    double m_warmMedianQueueMs = 0;
    double m_submitRttP95Ms = 0; // how long submit calls took to be answered
    double m_debounceMs = 0;
};

} // namespace

std::vector<WorkerLife> reconstructWorkers(
    std::span<const RequestRecord> records, std::span<const WorkerSample> samples, const LifetimeParams& params)
{
    return Reconstruction(records, samples, params).run();
}

} // namespace t2i
