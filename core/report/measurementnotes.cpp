// SPDX-License-Identifier: Apache-2.0
// What a reader must know before trusting a run's latencies: completions noticed late, polls
// the platform throttled (docs/measurement.md, "Two latencies"), answers the client had no room
// for (docs/measurement.md, "Bytes").
#include "runreport.h"

#include <cmath>
#include <cstdio>

namespace t2i {
namespace {

std::string msText(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f ms", value);
    return buffer;
}

} // namespace

std::optional<double> pollIntervalMsOf(const RunInfo& run)
{
    const nlohmann::json config = nlohmann::json::parse(run.configJson, nullptr, false);
    if (!config.is_object())
        return std::nullopt;
    const nlohmann::json provider = config.value("provider", nlohmann::json::object());
    if (provider.is_object() && provider.contains("poll_interval_ms") && provider["poll_interval_ms"].is_number())
        return provider["poll_interval_ms"].get<double>();
    const nlohmann::json workload = config.value("workload", nlohmann::json::object());
    if (workload.is_object() && workload.contains("poll_interval_ms") && workload["poll_interval_ms"].is_number())
        return workload["poll_interval_ms"].get<double>();
    return std::nullopt;
}

std::vector<std::string> measurementNotes(const RunInfo& run, const RunSummary& s)
{
    std::vector<std::string> notes;
    const std::optional<double> interval = pollIntervalMsOf(run);
    const Distribution& lag = s.detectionLagMs;
    if (lag.n > 0 && s.polls > 0 && interval && lag.p99 > *interval)
        notes.push_back("completions were noticed late: detection lag p99 " + msText(lag.p99) + " exceeds the poll "
            + "interval of " + msText(*interval) + ", so client-side latency overstates the platform's by up to "
            + "that much; compare platform-side latency p50 " + msText(s.platformMs.p50) + ", p99 "
            + msText(s.platformMs.p99));
    if (s.throttledPolls > 0)
        notes.push_back(std::to_string(s.throttledPolls) + " of " + std::to_string(s.polls)
            + " status polls were throttled (HTTP 429): the platform's request budget ran out, the client slowed "
            + "its polling, and completions may have been noticed late");
    // The client could not take the answers as fast as they came (answer_memory_mb).
    const nlohmann::json environment = nlohmann::json::parse(run.environmentJson, nullptr, false);
    if (environment.is_object() && environment.contains("client") && environment["client"].is_object()) {
        const nlohmann::json answers = environment["client"].value("answer_memory", nlohmann::json::object());
        const std::int64_t paused = answers.is_object() ? answers.value("paused_answers", std::int64_t(0)) : 0;
        if (paused > 0)
            notes.push_back(std::to_string(paused) + " answers waited for room under answer_memory_mb ("
                + std::to_string(std::llround(answers.value("limit_mib", 0.0))) + " MiB): the client took them "
                + "more slowly than they came, and their latency includes that wait; raise answer_memory_mb or "
                + "give the client more memory and cores");
    }
    return notes;
}

} // namespace t2i
