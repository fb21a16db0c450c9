// SPDX-License-Identifier: Apache-2.0
#pragma once

// Generated request records for the chart-data suites: seeded, so every run of a test sees the
// same numbers, and varied enough (warm-up, sweeps, open loop, cold probes, failures, stages
// reported or not, ties) to reach every branch of the columnar digest.

#include "model/requestrecord.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace t2i::test {

inline std::vector<RequestRecord> generatedRecords(std::size_t count, std::uint32_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::lognormal_distribution<double> latency(std::log(2000.0), 0.4);
    std::vector<RequestRecord> records;
    double clock = 0;
    for (std::size_t i = 0; i < count; ++i) {
        RequestRecord r;
        r.seq = static_cast<std::int64_t>(i);
        if (i < 3) {
            r.step = -1;
            r.stepKind = "warmup";
        } else if (i < count / 2) {
            r.step = 0;
            r.stepKind = "closed";
            r.level = static_cast<int>(i * 3 / count);
            r.offered = 1 << r.level;
        } else if (i < count - 5) {
            r.step = 1;
            r.stepKind = "poisson";
            r.offered = 2.5;
        } else {
            r.step = 2;
            r.stepKind = "cold_probe";
            r.offered = 1;
        }
        // Whole milliseconds now and then, so latencies tie.
        const double l = unit(rng) < 0.2 ? std::round(latency(rng) / 100) * 100 : latency(rng);
        r.intendedMs = clock;
        r.sentMs = clock + unit(rng);
        r.doneMs = r.intendedMs + l;
        r.finishedMs = r.doneMs - (unit(rng) < 0.5 ? 40 : 0);
        r.ok = unit(rng) > 0.08;
        if (r.ok) {
            r.images = unit(rng) < 0.1 ? 2 : 1;
            const double u = unit(rng);
            r.cold = u < 0.1 ? ColdLabel::Cold : u < 0.9 ? ColdLabel::Warm : ColdLabel::Unknown;
            if (unit(rng) < 0.8) {
                r.queueMs = l * 0.2;
                r.execMs = l * 0.6;
                r.startedMs = r.sentMs + *r.queueMs;
                // Derived, not drawn: the fixture's random sequence stays what other suites expect.
                r.platformMs = *r.queueMs + *r.execMs;
                r.detectionLagMs = std::max(0.0, r.finishedMs - (r.sentMs + *r.platformMs));
            }
            if (r.finishedMs < r.doneMs)
                r.downloadMs = r.doneMs - r.finishedMs;
            // The network's phases, derived from i (not drawn, like platformMs above): every
            // fifth request opens a connection, every third has a final call apart, the
            // downloads (where there are any) open their own; the rest of the runs (no phases)
            // stand for requests stored before schema v6.
            if (i % 7 != 0) {
                const bool opens = i % 5 == 0;
                const double k = double(i % 11);
                r.submitNet = CallPhases { opens ? 0.5 + k : 0, opens ? 1.5 : 0, opens ? 9 + k : 0, 3 + k, 0.25 * k };
                if (i % 3 == 0)
                    r.finalNet = CallPhases { 0, 0, 0, 2 + 0.5 * k, 7 + k };
                if (r.downloadMs)
                    r.downloadNet = CallPhases { 1, 2, 5 + k, 6, *r.downloadMs - 14 - k };
                r.calls = 2 + int(i % 4) + (r.downloadMs ? 1 : 0); // i % 4: its polls, set below
                r.newConnections = (opens ? 1 : 0) + (r.downloadMs ? 1 : 0);
                r.tlsHandshakes = r.newConnections;
                r.pollNetworkMs = 1.5 * double(i % 4);
            }
            r.width = 1024;
            r.height = 1024;
        } else {
            const ErrorClass errors[]
                = { ErrorClass::Timeout, ErrorClass::ServerError, ErrorClass::Throttled, ErrorClass::None };
            r.errorClass = errors[static_cast<std::size_t>(unit(rng) * 4) % 4];
        }
        r.bytes = r.ok ? 1'000'000 : 200;
        r.headerBytes = 180 + std::int64_t(i % 7); // varied, so a column mix-up shows
        r.polls = static_cast<int>(i % 4);
        r.throttledPolls = i % 13 == 0 ? 1 : 0;
        if (i % 10 != 0) // a tenth of the requests name no worker
            r.workerId = "worker-" + std::to_string(i % 7);
        records.push_back(r);
        clock += 50 + 400 * unit(rng);
    }
    return records;
}

} // namespace t2i::test
