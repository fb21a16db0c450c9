// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cost/price.h"
#include "model/requestrecord.h"
#include "model/run.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace t2i {

// What a time price pays for on the platform (docs/cost.md, "What each platform bills").
enum class TimeBilling {
    // Serverless: each worker (container, replica) from boot until it idles out; workers come and
    // go with the load. RunPod, Modal, Replicate hardware, fal apps, the emulator.
    Workers,
    // A dedicated endpoint or instance: every instance for all the time it is up, busy or idle,
    // whatever the requests took. Hugging Face endpoints, SageMaker, Baseten, your own GPU box
    // (Lambda, a local ComfyUI / A1111 / sd.cpp server).
    Instances,
};
std::string_view toString(TimeBilling billing); // "workers", "instances"

// What the platform does that the records alone cannot say.
struct CostOptions {
    double idleTimeoutS = 0; // the platform's scale-down window: each worker bills this after its last job
    int keepWarmWorkers = 0; // min / active workers, billed for the whole run (Instances: the instances, at least 1)
    TimeBilling timeBilling = TimeBilling::Workers;
    // Instances: the worker samples count the instances billed (a health route that reports
    // replicas or instances: Hugging Face management, SageMaker DescribeEndpoint).
    bool samplesCountInstances = false;
    double runDurationS = 0; // <= 0: the last doneMs or sample time, whichever is later
    bool coldStartBilled = true; // RunPod, Modal, Baseten, HF, fal SETUP bill booting; Replicate public models do not
    EgressPrice egress; // overrides the price's own egress when it has tiers
    // The variant's request, for records that do not carry it (failures, per-step prices).
    int width = 0;
    int height = 0;
    int steps = 0;
};

// How the time-priced spend was worked out.
enum class CostMethod {
    WorkerLifetimes, // per worker: boot to last job + idle timeout, rounded once (worker ids reported)
    PerRequest, // per request: execution and estimated boot, idle tails per scale-down (no worker ids)
    PerOutput, // per image, megapixel, step or credit: what came out
    InstanceTime, // per instance for all the time it was up during the run, busy or idle
};
std::string_view toString(CostMethod method);

// A run's spend, split by where it went. All amounts are USD.
struct CostBreakdown {
    double total = 0; // compute + cold_start + idle + keep_warm + egress + failed
    double compute = 0; // ok requests: billed execution (time units) or their outputs (output units)
    double coldStart = 0; // estimated booting time of cold requests, when the platform bills it
    double idle = 0; // idle tails: idle timeout x scale-downs
    double keepWarm = 0; // keep-warm workers x run duration
    double egress = 0; // egressBytes x egress price
    double failed = 0; // failed requests that ran and were billed
    int images = 0; // ok images of measured steps (warm-up excluded)
    double perImage = 0; // total / images
    double per1000 = 0;
    double marginalWarmPerImage = 0; // execution-only cost of one warm image
    int scaleDowns = 0; // workers that stopped (or will, after the run)
    double coldBootS = 0; // booting seconds (before rounding): measured from samples, or estimated
    double absorbedS = 0; // per request: billed execution already paid for by keep-warm workers
    CostMethod method = CostMethod::PerOutput;
    int workers = 0; // worker lifetimes: on-demand workers billed (keep-warm ones apart)
    int joblessWorkers = 0; // of those, booted and stopped without a job (seen in the health samples)
    int bootsEstimated = 0; // of those, boots not seen in the samples (the typical measured boot used)
    double billedWorkerS = 0; // worker lifetimes: their billed seconds, each rounded once
    double keepWarmS = 0; // keep-warm workers x the run's duration (prorated: they bill continuously)
    double instanceS = 0; // instance time: instance-seconds billed (rounded), busy or idle
    double instances = 0; // instance time: the mean number of instances up over the run
    // Requests billed by the client-observed time they occupied the platform (sent to result)
    // because it reported no execution time: an estimate, an upper bound (network and polling in it).
    int clientTimedRequests = 0;
    std::string basis; // what was billed, in words: "each request's execution time (reported)" ...
    std::vector<std::string> notes; // what is estimated and why
    // What the platform itself said it charged (RunPod public endpoints' output.cost, OpenAI
    // usage x the catalog's token prices), summed over the requests that reported it.
    std::optional<double> reportedUsd;
    int reportedRequests = 0;
    std::string priceLabel; // "catalog:<ref>" or "config"
    std::string priceRead; // the price's date, "" for a config number
    // What the platform sent, summed over every record (docs/measurement.md, "Bytes"): response
    // bodies as received plus response headers; egress is priced on the sum.
    std::int64_t egressBytes = 0;
    std::int64_t egressHeaderBytes = 0; // of which headers (0 for runs stored before schema v5)
    std::string egressLabel;
    std::string egressRead;
};

// The run's cost from its records and worker samples (docs/cost.md has every formula).
CostBreakdown computeRunCost(std::span<const RequestRecord> records, std::span<const WorkerSample> samples,
    const Price& price, const CostOptions& options);

// What every cost shown says it used: "catalog:runpod.flex.A100-80GB (read 2026-07-01)", or
// "config (undated)" for a bare number.
std::string priceText(const CostBreakdown& cost);

} // namespace t2i
