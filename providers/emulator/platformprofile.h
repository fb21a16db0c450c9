// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "imagesettings.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

namespace t2i {

// A duration drawn from a lognormal distribution: median * exp(sigma * N(0,1)).
struct LogNormalMs {
    double medianMs = 0;
    double sigma = 0;
};

// Requests per 10 s sliding window and requests in flight at once; 0 means unlimited.
struct RateLimit {
    int64_t per10s = 0;
    int64_t concurrent = 0;
};

enum class ScaleOn { QueueDelay, RequestCount };

// Everything that makes one emulated platform behave as it does. Keys and units are those of
// resources/emulator/*.json (documented in docs/emulator.md); durations are in ms before time_scale.
struct PlatformProfile {
    std::string name;
    std::string description;
    std::string source; // the file it came from, for messages
    std::string gpu;
    double gpuMemoryGb = 80;
    double pricePerS = 0.00076;
    double timeScale = 1;

    int minWorkers = 0;
    int maxWorkers = 3;
    int workerConcurrency = 1;
    double idleTimeoutMs = 5000;

    LogNormalMs coldBoot; // container start
    LogNormalMs coldLoad; // model load into GPU memory

    ScaleOn scaleOn = ScaleOn::QueueDelay;
    double queueDelayMs = 4000;
    double requestsPerWorker = 1;
    double reactionDelayMs = 0;

    double baseMs = 100;
    double msPerMegapixelStep = 20;
    double noiseSigma = 0;
    std::string defaultPrecision = "fp16";
    std::map<std::string, double> precisionFactors { { "fp32", 2.0 }, { "fp16", 1.0 }, { "bf16", 1.0 }, { "fp8", 0.7 },
        { "int8", 0.8 } };
    double saturationThreshold = 1;
    double saturationFactor = 1;
    double executionTimeoutMs = 600000;

    double memoryBaseGb = 8;
    double memoryGbPerMegapixel = 2;

    double failureRate = 0;
    std::string failureError = "RuntimeError: injected worker failure";

    double retentionRunS = 1800;
    double retentionRunsyncS = 60;

    // Keyed by operation: run, runsync, status, stream, cancel, purge_queue, health.
    std::map<std::string, RateLimit> rateLimits { { "runsync", { 2000, 400 } }, { "run", { 1000, 200 } },
        { "status", { 2000, 0 } }, { "stream", { 2000, 0 } }, { "cancel", { 100, 0 } }, { "purge_queue", { 2, 0 } },
        { "health", { 0, 0 } } };
    double retryAfterS = 0; // 0: 429 without a Retry-After header, as RunPod documents

    ImageSettings images;

    // Throws ProfileError naming the source and the key.
    static PlatformProfile fromJson(const nlohmann::json& json, const std::string& source);
    static PlatformProfile fromFile(const std::string& path);
    // A bare name is looked up as resources/emulator/NAME.json; anything with a '/' or ".json" is a path.
    static PlatformProfile load(const std::string& nameOrPath);
};

class ProfileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace t2i
