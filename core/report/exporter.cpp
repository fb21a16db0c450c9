// SPDX-License-Identifier: Apache-2.0
#include "runreport.h"

#include <iomanip>
#include <optional>
#include <sstream>
#include <variant>

namespace t2i {
namespace {

using nlohmann::json;

// Every recorded field, in one place, so CSV and JSON never disagree.
using Cell = std::variant<std::monostate, std::int64_t, double, std::string, bool>;

std::vector<Cell> cellsOf(const RequestRecord& r)
{
    auto opt = [](const std::optional<double>& v) { return v ? Cell(*v) : Cell(); };
    auto optInt = [](const std::optional<int>& v) { return v ? Cell(std::int64_t(*v)) : Cell(); };
    auto str = [](const std::string& s) { return s.empty() ? Cell() : Cell(s); };
    std::vector<Cell> cells {
        Cell(r.seq),
        Cell(std::int64_t(r.step)),
        str(r.stepKind),
        Cell(std::int64_t(r.level)),
        Cell(r.offered),
        str(r.jobId),
        Cell(std::string(r.ok ? "ok" : "error")),
        str(std::string(toString(r.errorClass))),
        str(r.errorMessage),
        r.httpStatus ? Cell(std::int64_t(r.httpStatus)) : Cell(),
        str(r.providerStatus),
        Cell(r.intendedMs),
        Cell(r.sentMs),
        opt(r.acceptedMs),
        opt(r.startedMs),
        Cell(r.finishedMs),
        opt(r.downloadedMs),
        Cell(r.doneMs),
        Cell(r.latencyMs()),
        opt(r.queueMs),
        opt(r.execMs),
        opt(r.downloadMs),
        r.cold == ColdLabel::Unknown ? Cell() : Cell(r.cold == ColdLabel::Cold),
        str(r.workerId),
        Cell(r.bytes),
        optInt(r.width),
        optInt(r.height),
        str(r.imageHash),
        Cell(std::int64_t(r.images)),
        Cell(r.pollUncertaintyMs),
        Cell(std::int64_t(r.polls)),
        Cell(std::int64_t(r.throttled)),
        Cell(r.seed),
        Cell(std::int64_t(r.promptIndex)),
        Cell(r.sendLagMs()),
        r.reportedCostUsd ? Cell(*r.reportedCostUsd) : Cell(),
        str(r.reportedUsage),
        opt(r.platformMs),
        opt(r.detectionLagMs),
        Cell(std::int64_t(r.throttledPolls)),
        Cell(r.headerBytes),
    };
    for (const std::optional<CallPhases>& call : { r.submitNet, r.finalNet, r.downloadNet })
        for (double CallPhases::*part : { &CallPhases::dnsMs, &CallPhases::connectMs, &CallPhases::tlsMs,
                 &CallPhases::ttfbMs, &CallPhases::transferMs })
            if (call)
                cells.emplace_back((*call).*part);
            else
                cells.emplace_back(); // no such call: empty, as for every unknown
    cells.emplace_back(r.pollNetworkMs);
    for (const int count : { r.calls, r.newConnections, r.tlsHandshakes })
        cells.emplace_back(std::int64_t(count));
    return cells;
}

std::string csvField(const Cell& cell)
{
    std::ostringstream out;
    if (const auto* i = std::get_if<std::int64_t>(&cell))
        out << *i;
    else if (const auto* d = std::get_if<double>(&cell))
        out << std::setprecision(15) << *d;
    else if (const auto* b = std::get_if<bool>(&cell))
        out << (*b ? "true" : "false");
    else if (const auto* s = std::get_if<std::string>(&cell)) {
        if (s->find_first_of(",\"\n\r") == std::string::npos)
            return *s;
        out << '"';
        for (char c : *s)
            out << (c == '"' ? "\"\"" : std::string(1, c));
        out << '"';
    }
    return out.str();
}

nlohmann::ordered_json jsonField(const Cell& cell)
{
    return std::visit(
        [](const auto& v) -> nlohmann::ordered_json {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>)
                return nullptr;
            else
                return v;
        },
        cell);
}

} // namespace

const std::vector<std::string>& exportColumns()
{
    static const std::vector<std::string> columns { "seq", "step", "step_kind", "level", "offered", "job_id", "status",
        "error_class", "error_message", "http_status", "provider_status", "intended_ms", "sent_ms", "accepted_ms",
        "started_ms", "finished_ms", "downloaded_ms", "done_ms", "latency_ms", "queue_ms", "exec_ms", "download_ms",
        "cold", "worker_id", "bytes", "width", "height", "image_hash", "images", "poll_uncertainty_ms", "polls",
        "throttled", "seed", "prompt_index", "send_lag_ms", "reported_cost_usd", "reported_usage", "platform_ms",
        "detection_lag_ms", "throttled_polls", "header_bytes", "submit_dns_ms", "submit_connect_ms", "submit_tls_ms",
        "submit_ttfb_ms", "submit_transfer_ms", "final_dns_ms", "final_connect_ms", "final_tls_ms", "final_ttfb_ms",
        "final_transfer_ms", "download_dns_ms", "download_connect_ms", "download_tls_ms", "download_ttfb_ms",
        "download_transfer_ms", "poll_network_ms", "calls", "new_connections", "tls_handshakes" };
    return columns;
}

void writeCsv(std::ostream& out, std::span<const RequestRecord> records)
{
    const auto& columns = exportColumns();
    for (std::size_t i = 0; i < columns.size(); ++i)
        out << (i ? "," : "") << columns[i];
    out << '\n';
    for (const RequestRecord& r : records) {
        const auto cells = cellsOf(r);
        for (std::size_t i = 0; i < cells.size(); ++i)
            out << (i ? "," : "") << csvField(cells[i]);
        out << '\n';
    }
}

void writeJson(std::ostream& out, std::span<const RequestRecord> records)
{
    const auto& columns = exportColumns();
    out << "[\n";
    for (std::size_t n = 0; n < records.size(); ++n) {
        const auto cells = cellsOf(records[n]);
        nlohmann::ordered_json row = nlohmann::ordered_json::object();
        for (std::size_t i = 0; i < cells.size(); ++i)
            row[columns[i]] = jsonField(cells[i]);
        out << "  " << row.dump() << (n + 1 < records.size() ? ",\n" : "\n");
    }
    out << "]\n";
}

} // namespace t2i
