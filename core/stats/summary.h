// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/requestrecord.h"

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace t2i {

// Order statistics over a sample. The estimator is nearest rank (docs/statistics.md):
// the p-quantile of n sorted values is x[ceil(p*n) - 1], so every reported percentile is a
// latency that really occurred, and recomputing it from an export gives the same number.
struct Distribution {
    std::size_t n = 0;
    double min = 0, max = 0, mean = 0, stddev = 0; // stddev: sample (n-1) standard deviation
    double p50 = 0, p90 = 0, p95 = 0, p99 = 0;
};

struct Interval {
    double lo = 0, hi = 0;
};

// The 0-based index ceil(p*n) - 1 of the nearest-rank p-quantile among n sorted values (n > 0).
// p is clamped to (0, 1]; a tiny relative epsilon absorbs floating error in p*n, so
// 0.07 * 100 (7.000000000000001 in doubles) counts as exactly 7: index 6, not 7.
std::size_t nearestRankIndex(std::size_t n, double p);
// sorted must be ascending and non-empty.
double quantileNearestRank(std::span<const double> sorted, double p);
Distribution describe(std::vector<double> values); // empty input -> n == 0 and zeros
Distribution describeSorted(std::span<const double> sorted); // same, for data already ascending
// The 95% percentile-bootstrap interval of the p-quantile, computed exactly (the limit of
// infinitely many resamples) from the binomial distribution of ranks; see docs/statistics.md.
// sorted must be ascending; empty input gives [0, 0].
Interval bootstrapQuantileCi95(std::span<const double> sorted, double p);
// The same at another central coverage, e.g. 0.99; a confidence outside (0, 1) means 0.95.
Interval bootstrapQuantileCi(std::span<const double> sorted, double p, double confidence);

// One level of a sweep (or one step): the scaling curve's point.
struct LevelPoint {
    int step = 0;
    int level = 0;
    std::string stepKind;
    double offered = 0; // concurrency, or requests/s for open-loop steps
    std::size_t requests = 0;
    std::size_t ok = 0;
    std::size_t images = 0; // images of its successful requests
    double windowMs = 0; // max(doneMs) - min(intendedMs) over its requests
    double achievedIps = 0; // images per second over the level's window
    double p50 = 0, p95 = 0; // latency of its successful requests
};

// The network's share of a run (docs/measurement.md, "Network phases"). Runs stored before
// schema version 6 count no calls: every figure stays 0 and firstByteBeyondMs empty.
struct NetworkSummary {
    std::size_t calls = 0, newConnections = 0, tlsHandshakes = 0; // over the measured requests' calls
    double reuseRate = 0; // 1 - newConnections / calls; 0 when no call was counted
    std::size_t tlsRequests = 0; // successful requests whose submit, final or download call shook hands
    double tlsMsMean = 0; // their mean TLS time (those calls' handshakes together)
    Distribution firstByteBeyondMs; // successful requests: RequestRecord::firstByteBeyondPlatformMs
};

// Gathers a NetworkSummary one request at a time, for summarize() and its columnar twin alike.
class NetworkTally {
public:
    void addMeasured(int calls, int newConnections, int tlsHandshakes);
    // A successful request's TLS time over its kept calls and its first byte beyond the platform
    // (NaN or nullopt: not known).
    void addOk(std::optional<double> tlsMs, std::optional<double> firstByteBeyondMs);
    NetworkSummary finish();

private:
    NetworkSummary m_summary;
    double m_tlsSum = 0;
    std::vector<double> m_firstByte;
};

struct RunSummary {
    std::size_t requests = 0; // measured requests (warm-up excluded)
    std::size_t ok = 0;
    std::size_t errors = 0;
    double errorRate = 0;
    std::size_t warmupRequests = 0;
    std::size_t images = 0;
    double throughputIps = 0; // images/s over the measured windows (cold probes' idle gaps excluded)
    double throughputWindowMs = 0; // the summed windows throughputIps divides by
    Distribution latency; // successful measured requests, cold and warm together
    Interval p50Ci, p95Ci;
    std::size_t coldStarts = 0;
    double coldRate = 0; // cold / ok
    Distribution coldLatency, warmLatency; // apart, never averaged together silently
    std::size_t unknownColdness = 0;
    Distribution queueMs, execMs, downloadMs; // platform-reported stages, where reported
    Distribution sendLagMs; // client lag: sent - intended, all measured requests
    // The platform's own end-to-end time and how late the client noticed each finish
    // (docs/measurement.md, "Two latencies"), over the successful requests that have them.
    Distribution platformMs, detectionLagMs;
    std::size_t polls = 0; // status polls of the measured requests
    std::size_t throttledPolls = 0; // of which answered 429
    NetworkSummary network;
    std::map<std::string, std::size_t> errorsByClass;
    std::vector<LevelPoint> levels;
};

// The successful measured requests' latencies, ascending: all of them (cold, warm and unknown)
// and the cold and the warm apart. What the tests of a comparison resample (docs/statistics.md,
// "Comparing runs").
struct LatencySamples {
    std::vector<double> all, warm, cold;
};

RunSummary summarize(std::span<const RequestRecord> records);
// The same, and the sorted latencies it was computed from into *latencies (when not null).
RunSummary summarize(std::span<const RequestRecord> records, LatencySamples* latencies);

} // namespace t2i
