// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/networkphases.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace t2i {

// Cold or warm, as inferred from the platform's signals (docs/measurement.md says how).
enum class ColdLabel { Unknown, Warm, Cold };

// Why a request did not produce an image. The set is shared by every adapter, so errors of
// different platforms land in the same columns and charts.
enum class ErrorClass {
    None,
    Throttled, // 429 or the platform's own throttling answer
    Timeout, // the per-request timeout fired, or the platform said TIMED_OUT
    ClientError, // 4xx other than 429: our request was wrong (auth, validation, unknown job)
    ServerError, // 5xx
    PlatformFailure, // the job ran and the platform reported it failed (FAILED, a crash, ...)
    ContentFiltered,
    InvalidImage, // the answer said success but the image did not decode or had the wrong size
    Cancelled,
    Transport, // connection refused, reset, DNS: no HTTP answer at all
    OutOfMemory, // a platform failure whose message says the GPU ran out of memory (torch's OOM)
};

std::string_view toString(ColdLabel label);
std::string_view toString(ErrorClass error);
std::optional<ColdLabel> coldLabelFromString(std::string_view text);
std::optional<ErrorClass> errorClassFromString(std::string_view text);

// The class of a job the platform reports failed, from its message: OutOfMemory when the message
// says the GPU ran out of memory ("CUDA out of memory", torch.OutOfMemoryError, "out of memory"),
// else PlatformFailure. One rule for every adapter, so an OOM is told apart from other failures
// the same way on every platform (it says the request was too big for the GPU, not that it broke).
ErrorClass platformFailureClass(std::string_view message);

// One request's whole lifecycle. Times are milliseconds since the run's start on a monotonic
// clock; std::nullopt means "not known" (the platform did not say), never 0.
struct RequestRecord {
    std::int64_t seq = 0; // 0-based order of scheduling within the run
    int step = 0; // index into workload.steps; -1 for warm-up requests
    std::string stepKind; // "warmup", "closed", "constant", "poisson", "ramp", "burst", "cold_probe"
    int level = 0; // index of the sweep level within the step (0 when the step has one)
    double offered = 0; // the step's offered load at that moment: concurrency or requests/s

    std::string jobId;
    bool ok = false;
    ErrorClass errorClass = ErrorClass::None;
    std::string errorMessage; // redacted: never holds a key
    int httpStatus = 0; // last HTTP status seen for this job; 0 when no answer came
    std::string providerStatus; // the platform's own final status string, e.g. COMPLETED

    double intendedMs = 0; // when the scheduler meant to send it
    double sentMs = 0; // when the engine handed it to the transport
    std::optional<double> acceptedMs; // the submit call's answer arrived (async protocols)
    std::optional<double> startedMs; // the platform began executing (derived from its timings)
    double finishedMs = 0; // the client saw the final result
    std::optional<double> downloadedMs; // image bytes fetched, where a URL had to be downloaded
    double doneMs = 0; // everything about this request finished (== downloadedMs or finishedMs)

    std::optional<double> queueMs; // platform-reported wait before execution (cold start included)
    std::optional<double> execMs; // platform-reported execution time
    std::optional<double> downloadMs; // client-timed image download
    ColdLabel cold = ColdLabel::Unknown;
    std::string workerId;

    // What crossed the wire to the client for this job, every exchange counted (submit, polls,
    // downloads, retries): response bodies as received (before any content decoding) and, apart,
    // the response headers (status lines included). Egress is billed on both (docs/measurement.md).
    std::int64_t bytes = 0;
    std::int64_t headerBytes = 0; // 0 in runs stored before schema v5

    // Where the time on the network went (docs/measurement.md, "Network phases"): the call that
    // submitted the job (the one the platform accepted it with; for a one-call protocol, the
    // call that also brought the result); the call that brought the result when that was
    // another one (an async protocol's last poll or result fetch); and the image downloads,
    // summed. nullopt: there was no such call, or the run was stored before schema v6.
    std::optional<CallPhases> submitNet, finalNet, downloadNet;
    double pollNetworkMs = 0; // the status polls' whole time on the network, summed (their count: polls)
    // Every HTTP call made for the request (submit, polls, throttled tries, follow-ups,
    // downloads), the connections they opened (the rest reused one) and the TLS handshakes among
    // those. 0 calls: stored before schema v6.
    int calls = 0;
    int newConnections = 0;
    int tlsHandshakes = 0;
    std::optional<int> width;
    std::optional<int> height;
    std::string imageHash; // SHA-256 of the first image, hex
    int images = 0;

    // The platform's own end-to-end time (receiving the job to finishing it), where its timings
    // give it; and how late the client noticed the finish: finishedMs - (the platform's finish
    // on the client's clock), bounded by what the polls prove (docs/measurement.md).
    std::optional<double> platformMs;
    std::optional<double> detectionLagMs;
    // The gap between the last poll answered "not done" and the question answered "done" (when
    // each was sent): the completion happened somewhere in it. 0 when no poll said "not done".
    double pollUncertaintyMs = 0;
    int polls = 0;
    int throttled = 0; // 429 answers met on the way, polls included (each honoured, never retried silently)
    int throttledPolls = 0; // of which on status polls (they slow the run's shared poll cadence)
    std::int64_t seed = 0;
    int promptIndex = 0;

    // What the platform said the request cost, where it says (RunPod public endpoints'
    // output.cost, in USD); and its usage report verbatim where it bills by usage rather than
    // in dollars (OpenAI's "usage" token counts, priced with the catalog: docs/cost.md).
    std::optional<double> reportedCostUsd;
    std::string reportedUsage; // JSON text; "" when none

    // The wait for the result's first byte that the platform's own time does not explain
    // (docs/measurement.md, "Network phases"): the final call's ttfb where another call brought
    // the result, else the submit call's ttfb less platform_ms; nullopt when not known.
    std::optional<double> firstByteBeyondPlatformMs() const
    {
        if (finalNet)
            return finalNet->ttfbMs;
        if (submitNet && platformMs)
            return submitNet->ttfbMs - *platformMs;
        return std::nullopt;
    }

    // End-to-end latency measured from the intended send time (no coordinated omission).
    double latencyMs() const { return doneMs - intendedMs; }
    // The client's own lag: how late the send was against the plan.
    double sendLagMs() const { return sentMs - intendedMs; }
};

} // namespace t2i
