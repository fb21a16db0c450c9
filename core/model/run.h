// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace t2i {

// created -> running -> completed / stopped / cancelled / failed; a run left "running" by a
// process that died is marked interrupted when the database is next opened. Stopped: the run
// ended itself early, on purpose (its budget: docs/cost.md, "Budget"); message says why.
enum class RunStatus { Created, Running, Completed, Cancelled, Failed, Interrupted, Stopped };

std::string_view toString(RunStatus status);
std::optional<RunStatus> runStatusFromString(std::string_view text);

// What the library keeps about one run (one provider x one variant of a configuration).
struct RunInfo {
    std::string id; // e.g. "r20261128-191230-3fa2", sortable by creation
    std::string name; // "<config name>/<provider id>/<variant id>"
    RunStatus status = RunStatus::Created;
    std::string providerId;
    std::string providerType;
    std::string variantId;
    std::string configJson; // the provider, variant, prompts and workload it ran with (no secrets)
    std::string environmentJson; // tool version, host, OS, start time
    std::string created; // ISO 8601 UTC wall clock; labels only, never used for durations
    std::string finished; // ISO 8601 UTC, empty while running
    double durationMs = 0; // monotonic length of the run
    std::string message; // why it failed, was cancelled or stopped ("budget: ...")
};

// One sample of the platform's own worker and queue counters (e.g. RunPod /health).
struct WorkerSample {
    double tMs = 0; // ms since the run's start
    int idle = 0;
    int running = 0;
    int initializing = 0;
    int ready = 0;
    int throttled = 0;
    int unhealthy = 0;
    int inQueue = 0;
    int inProgress = 0;
    long completed = 0;
    long failed = 0;
    int total() const { return idle + running + initializing + ready + throttled + unhealthy; }
};

// One sample of a local GPU (nvidia-smi) taken while a run was active. A field nvidia-smi could
// not read ("[N/A]") stays unknown, never 0.
struct GpuSample {
    double tMs = 0; // ms on the run's clock; negative before the workload began (a local server loading)
    int gpu = 0; // nvidia-smi's index
    std::optional<double> utilizationPct; // utilization.gpu, 0-100
    std::optional<double> memoryUsedMiB; // memory.used
    std::optional<double> memoryTotalMiB; // memory.total
};

} // namespace t2i
