// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cost/price.h"
#include "model/requestrecord.h"
#include "model/run.h"

#include <span>
#include <string>

namespace t2i {

// What the platform does that the records alone cannot say.
struct CostOptions {
    double idleTimeoutS = 0; // the platform's scale-down window: each worker bills this after its last job
    int keepWarmWorkers = 0; // min / active workers, billed for the whole run
    double runDurationS = 0; // <= 0: the last doneMs or sample time, whichever is later
    bool coldStartBilled = true; // RunPod, Modal, Baseten, HF, fal SETUP bill booting; Replicate public models do not
    EgressPrice egress; // overrides the price's own egress when it has tiers
    // The variant's request, for records that do not carry it (failures, per-step prices).
    int width = 0;
    int height = 0;
    int steps = 0;
};

// A run's spend, split by where it went. All amounts are USD.
struct CostBreakdown {
    double total = 0; // compute + cold_start + idle + keep_warm + egress + failed
    double compute = 0; // ok requests: billed execution (time units) or their outputs (output units)
    double coldStart = 0; // estimated booting time of cold requests, when the platform bills it
    double idle = 0; // idle tails: idle timeout x scale-downs
    double keepWarm = 0; // keep-warm workers x run duration
    double egress = 0; // bytes downloaded x egress price
    double failed = 0; // failed requests that ran and were billed
    int images = 0; // ok images of measured steps (warm-up excluded)
    double perImage = 0; // total / images
    double per1000 = 0;
    double marginalWarmPerImage = 0; // execution-only cost of one warm image
    int scaleDowns = 0; // counted from the health samples (plus workers alive at the end)
    double coldBootS = 0; // the booting seconds estimated for cold requests (before rounding)
    double absorbedS = 0; // billed execution already paid for by keep-warm workers
    std::string priceLabel; // "catalog:<ref>" or "config"
    std::string priceRead; // the price's date, "" for a config number
    std::string egressLabel;
    std::string egressRead;
};

// The run's cost from its records and worker samples (docs/cost.md has every formula).
CostBreakdown computeRunCost(std::span<const RequestRecord> records, std::span<const WorkerSample> samples,
    const Price& price, const CostOptions& options);

} // namespace t2i
