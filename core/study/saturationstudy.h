// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "study/studytypes.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace t2i {

// saturation: latency against GPU utilisation over a closed-loop concurrency sweep, and the
// utilisation past which latency grows faster than linearly, the knee (docs/studies.md).
StudyType saturationStudyType();

// One request as the analysis sees it: its latency, and the interval over which the GPU's
// utilisation is averaged for it (its execution), on the clock of the utilisation's steps.
struct SaturationRequest {
    double latencyMs = 0;
    double startMs = 0, endMs = 0;
    std::string unit; // the GPU or worker it ran on: a key of SaturationInput::utilization
};

// A utilisation step function: (t in ms, utilisation 0..1), ascending in t; each value holds
// until the next step (before the first one, the first value holds).
using UtilizationSteps = std::vector<std::pair<double, double>>;

struct SaturationInput {
    std::vector<SaturationRequest> requests;
    std::map<std::string, UtilizationSteps> utilization; // by unit
    std::string latencyName = "latency"; // "execution time" or "latency", for the labels
    std::string source; // where the utilisation came from, in words, for the notes
};

// Per-bin statistics of the requests, binned by their mean utilisation.
struct SaturationBin {
    double lowPct = 0, highPct = 0; // the bin's edges
    std::size_t n = 0;
    double meanUtilization = 0; // 0..1, of the requests in it
    double p50Ms = 0, p95Ms = 0;
};

// The knee of a two-segment piecewise-linear (hinge) fit of p50 latency against utilisation.
struct SaturationKnee {
    bool found = false; // the fit shows a clear rise (docs/studies.md); false: no knee in the data
    double knee = 0, low = 0, high = 0; // utilisation 0..1: the least-squares knee and its bracket
    double slopeBelow = 0, slopeAbove = 0; // ms per unit of utilisation
};

// The mean of a step function over [fromMs, toMs] (its value at fromMs when the interval is empty).
double meanOverInterval(const UtilizationSteps& steps, double fromMs, double toMs);

// Bins (each binPct wide, from 0 to 100; a request at 100% falls in the last).
std::vector<SaturationBin> saturationBins(
    const std::vector<std::pair<double, double>>& utilizationLatency, double binPct);

// The hinge fit over the bins holding at least minPerBin requests.
SaturationKnee fitKnee(const std::vector<SaturationBin>& bins, std::size_t minPerBin);

// The analysis alone: what tests feed with known data.
StudyResult analyzeSaturation(const SaturationInput& input, double binPct, std::size_t minPerBin = 3);

// The emulator's truth file (docs/emulator.md, "The ground truth"): each worker's utilisation
// steps, and each job's execution interval and worker, on the emulator's clock.
struct TruthUtilization {
    std::map<std::string, UtilizationSteps> workers;
    struct Job {
        double startMs = 0, finishMs = 0;
        std::string workerId;
    };
    std::map<std::string, Job> jobs; // by job id
};
// Throws std::runtime_error when the file cannot be read.
TruthUtilization readTruthUtilization(const std::string& path);

// The analysis input of the study's run: its successful warm requests (warm-up, failed and cold
// ones left out, counted in notes) on the clock of the utilisation they ran under: the truth's
// per-worker steps, each request on its own job's worker and interval (matched by job id), or,
// with no truth, the run's GPU samples averaged over the GPUs at each sample time, each request
// from its start (else its send) to its finish. Latency: the platform's execution time where
// every request has one, else end to end.
SaturationInput saturationInput(
    const StudyProbe& probe, const TruthUtilization* truth, std::vector<std::string>& notes);

} // namespace t2i
