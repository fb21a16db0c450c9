// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/run.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace t2i {

// Samples the local GPUs while a run is active: one `nvidia-smi --query-gpu=index,utilization.gpu,
// memory.used,memory.total --format=csv,noheader,nounits -lms <interval>` child, read line by
// line on a thread of its own. Without nvidia-smi (or with one that fails) it samples nothing
// and says nothing: a machine without an NVIDIA GPU is not an error.
class GpuSampler {
public:
    using Clock = std::chrono::steady_clock;
    using Sink = std::function<void(const GpuSample&)>;

    // Starts sampling now. Samples are held until setOrigin() says where the run's clock starts,
    // then delivered (on the sampler's thread) with tMs on that clock: negative for those taken
    // before, e.g. while a local server was loading its model.
    explicit GpuSampler(Sink sink, std::chrono::milliseconds interval = std::chrono::milliseconds(1000));
    ~GpuSampler(); // stop()
    GpuSampler(const GpuSampler&) = delete;
    GpuSampler& operator=(const GpuSampler&) = delete;

    void setOrigin(Clock::time_point origin);
    // Ends nvidia-smi and the thread. Samples held for want of an origin stay held for a later
    // setOrigin(), and are dropped with the sampler.
    void stop();
    bool started() const { return m_thread.joinable(); } // false: no nvidia-smi here

    // The program: $T2IBENCH_NVIDIA_SMI when set, else nvidia-smi on $PATH; empty when none.
    static std::string program();
    // One line of nvidia-smi's CSV ("0, 37, 1024, 81559"); "[N/A]" and "[Not Supported]" fields
    // are unknown. nullopt for anything else (headers, error text).
    static std::optional<GpuSample> parseLine(const std::string& line, double tMs);

private:
    void deliver(const GpuSample& sample, Clock::time_point at);
    Sink m_sink;
    std::mutex m_mutex; // guards the origin and the held samples
    std::optional<Clock::time_point> m_origin;
    std::vector<std::pair<GpuSample, Clock::time_point>> m_held;
    std::atomic<bool> m_stop { false };
    std::thread m_thread;
};

} // namespace t2i
