// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace t2i {

// RunPod's job states; every front maps them onto its own protocol's words.
enum class JobStatus { InQueue, InProgress, Completed, Failed, Cancelled, TimedOut };

std::string_view jobStatusName(JobStatus status); // "IN_QUEUE", ..., "TIMED_OUT"
inline bool isTerminal(JobStatus status)
{
    return status != JobStatus::InQueue && status != JobStatus::InProgress;
}

enum class WorkerState { Initializing, Idle, Running, Stopped };

// What a client asked for, as far as the platform cares.
struct JobSpec {
    std::string front = "runpod";
    std::string idPrefix; // RunPod: "sync-" for /runsync
    int width = 1024;
    int height = 1024;
    int steps = 30;
    int images = 1;
    double guidance = 7.5;
    std::string precision; // empty: the profile's default
    int64_t seed = -1; // < 0: the platform draws one
    uint64_t promptHash = 0; // of the prompt: with the seed, it picks the look of each image
    int64_t executionTimeoutMs = 0; // 0: the profile's; a request's own timeout is not time-scaled
};

// The ground truth of one finished job, in ms since the platform started. The fronts report
// these very numbers (RunPod delayTime == queueMs, executionTime == execMs).
struct JobTruth {
    uint64_t index = 0; // submission order
    std::string jobId;
    JobSpec spec;
    int64_t seed = 0; // the seed actually used
    int64_t arrivalMs = 0;
    int64_t startMs = 0;
    int64_t finishMs = 0;
    int64_t queueMs = 0; // startMs - arrivalMs, cold start included
    int64_t coldStartMs = 0; // the part of the wait while its worker booted; 0 unless cold
    int64_t execMs = 0; // finishMs - startMs
    std::string workerId; // empty if it never reached a worker
    bool cold = false; // its worker's first job, and that worker became ready after the job arrived
    // Its worker's running jobs (itself included) / the worker's concurrency when it started: what
    // decided its saturation slowdown. 0 for a job that never reached a worker.
    double utilizationAtStart = 0;
    JobStatus status = JobStatus::Completed;
    std::string error;
    double billedS = 0; // attributable: (execMs + coldStartMs) / 1000
    double costUsd = 0;
    std::string imageFormat; // "png", "jpeg" or "webp": the profile's
    int64_t imageBytes = 0; // the encoded images of a COMPLETED job, all of them; 0 otherwise
};

// A job still queued or running.
struct JobView {
    uint64_t index = 0;
    std::string jobId;
    JobStatus status = JobStatus::InQueue;
    int64_t arrivalMs = 0;
    int64_t startMs = -1;
    std::string workerId;
};

// A worker's running count changed (a job started, finished or was cancelled on it): one step of
// its utilisation (running / concurrency) over time, for the truth file.
struct UtilizationChange {
    int64_t tMs = 0;
    std::string workerId;
    int running = 0;
    int concurrency = 1;
};

struct WorkerView {
    int index = 0;
    std::string id;
    WorkerState state = WorkerState::Initializing;
    bool alwaysOn = false;
    int64_t bootStartMs = 0;
    int64_t readyMs = 0;
    int64_t stopMs = -1; // when it stopped; for an idle worker, when it will stop unless a job comes
    int running = 0;
    int jobsStarted = 0;
};

// RunPod /health's two groups.
struct PlatformHealth {
    int64_t completed = 0;
    int64_t failed = 0; // FAILED and TIMED_OUT
    int64_t cancelled = 0;
    int64_t inProgress = 0;
    int64_t inQueue = 0;
    int64_t retried = 0;
    int idle = 0;
    int running = 0;
    int initializing = 0;
    int ready = 0; // idle + running: workers past their cold start
    int throttled = 0;
    int unhealthy = 0;
};

// What a front sent: HTTP response bodies (headers not counted) and the images delivered in them
// (inline as base64, counted at their decoded size) or as files from /files/.
struct Egress {
    int64_t responses = 0;
    int64_t responseBytes = 0;
    int64_t inlineImages = 0;
    int64_t inlineImageBytes = 0;
    int64_t fileImages = 0;
    int64_t fileImageBytes = 0;

    void response(int64_t bodyBytes)
    {
        ++responses;
        responseBytes += bodyBytes;
    }
    void inlineImagesSent(int64_t images, int64_t bytes)
    {
        inlineImages += images;
        inlineImageBytes += bytes;
    }
    void file(int64_t bytes) // an image file: one whole response
    {
        response(bytes);
        ++fileImages;
        fileImageBytes += bytes;
    }
};

// Everything the platform billed: per on-demand worker, ceil(lifetime in s), from boot start to
// stop; min (always-on) workers billed continuously, prorated to the millisecond.
struct Ledger {
    // One worker's billed life (ms since the platform started): the ground truth a cost model
    // is checked against.
    struct Worker {
        std::string id;
        int64_t bootStartMs = 0;
        int64_t readyMs = 0;
        int64_t stopMs = 0;
        bool alwaysOn = false;
    };
    std::vector<Worker> workers;
    int64_t billedS = 0; // on-demand workers, each life rounded up
    double keepWarmS = 0; // min workers, prorated
    double costUsd = 0;
    int workersStarted = 0;
    double pricePerS = 0;
    std::map<std::string, Egress> egress; // by front ("runpod", ...): what was sent, for egress costs
};

} // namespace t2i
