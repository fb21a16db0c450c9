// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/requestrecord.h"
#include "model/run.h"
#include "stats/summary.h"

#include <nlohmann/json.hpp>

#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace t2i {

// A run with its summary: what `show`, `compare` and later the dashboard present.
struct RunReport {
    RunInfo run;
    RunSummary summary;
};

RunReport makeReport(const RunInfo& run, std::span<const RequestRecord> records);

// `show --json` (shared/spec/cli.md): id, name, status, provider, variant, requests, ok, errors,
// error_rate, throughput_ips, latency_ms, latency_ci95_ms, cold_starts, cold_latency_ms,
// warm_latency_ms, and more detail beside them.
nlohmann::json showJson(const RunReport& report);
// `compare --json`: {"runs": [...], "differences": [...]}, each run against the first.
nlohmann::json compareJson(std::span<const RunReport> reports);

void printShow(std::ostream& out, const RunReport& report);
void printCompare(std::ostream& out, std::span<const RunReport> reports);
void printRuns(std::ostream& out, std::span<const RunInfo> runs);

// `export`: one row per request, every recorded field; unknown values are empty (CSV) or null (JSON).
const std::vector<std::string>& exportColumns();
void writeCsv(std::ostream& out, std::span<const RequestRecord> records);
void writeJson(std::ostream& out, std::span<const RequestRecord> records);

} // namespace t2i
