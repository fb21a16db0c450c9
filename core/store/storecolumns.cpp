// SPDX-License-Identifier: Apache-2.0
// The lean read of a run's requests for charts and comparisons: only the numeric columns they
// need, straight into RunColumns. Store::records materialises every string of every row
// (~500 bytes a request), which a run of 1,000,000 requests cannot afford. The row loop talks
// to sqlite directly: text columns are compared in place, never copied into a string per row.
#include "store/store.h"

#include "storeimpl.h"

#include <sqlite3.h>

#include <cstring>
#include <memory>
#include <string_view>
#include <unordered_map>

namespace t2i {
namespace {

// Labels become small integers in SQL, so no text is read per row for them. The chart columns
// come first; the cost model's follow only when asked for.
constexpr std::string_view kChartColumns
    = "SELECT seq, step, step_kind, level, offered, ok, error_class, "
      "CASE cold WHEN 'warm' THEN 1 WHEN 'cold' THEN 2 ELSE 0 END, "
      "intended_ms, sent_ms, started_ms, finished_ms, done_ms, queue_ms, exec_ms, download_ms, "
      "platform_ms, detection_lag_ms, polls, throttled_polls, images, "
      // The network's, as stored: RunColumns::appendNetwork derives what the charts read.
      "submit_dns_ms, submit_connect_ms, submit_tls_ms, submit_ttfb_ms, submit_transfer_ms, "
      "final_dns_ms, final_connect_ms, final_tls_ms, final_ttfb_ms, final_transfer_ms, "
      "download_dns_ms, download_connect_ms, download_tls_ms, download_ttfb_ms, download_transfer_ms, "
      "calls, new_connections, tls_handshakes";
constexpr std::string_view kCostColumns
    = "width, height, bytes, header_bytes, worker_id, reported_cost_usd, reported_usage";
constexpr std::string_view kRows = " FROM requests WHERE run_id = ?1 AND seq >= ?2 AND seq < ?3 ORDER BY seq";

struct Finalize {
    void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};

std::string_view textOf(sqlite3_stmt* st, int column)
{
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, column));
    return text ? std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(st, column)))
                : std::string_view();
}

double realOrUnknown(sqlite3_stmt* st, int column)
{
    return sqlite3_column_type(st, column) == SQLITE_NULL ? RunColumns::kUnknown : sqlite3_column_double(st, column);
}

// A call's five phase columns from column c on (c moves past them); nullopt when the call was
// not there (they are NULL together).
std::optional<CallPhases> phasesAt(sqlite3_stmt* st, int& c)
{
    const int first = c;
    c += 5;
    if (sqlite3_column_type(st, first) == SQLITE_NULL)
        return std::nullopt;
    return CallPhases { sqlite3_column_double(st, first), sqlite3_column_double(st, first + 1),
        sqlite3_column_double(st, first + 2), sqlite3_column_double(st, first + 3),
        sqlite3_column_double(st, first + 4) };
}

// Maps a text column to a small index, remembering the last value: consecutive rows almost
// always repeat it.
template <typename Index> class Interner {
public:
    template <typename Add> Index operator()(std::string_view text, Add add)
    {
        if (m_valid && text == m_last)
            return m_lastIndex;
        auto it = m_seen.find(std::string(text));
        if (it == m_seen.end())
            it = m_seen.emplace(std::string(text), add(text)).first;
        m_last = it->first;
        m_lastIndex = it->second;
        m_valid = true;
        return m_lastIndex;
    }

private:
    std::unordered_map<std::string, Index> m_seen;
    std::string m_last;
    Index m_lastIndex {};
    bool m_valid = false;
};

// Reads the cost model's columns of the current row, from column c on.
class CostColumnReader {
public:
    explicit CostColumnReader(RunColumns& out)
        : m_out(out)
    {
    }
    void read(sqlite3_stmt* st, int c)
    {
        m_out.width.push_back(sqlite3_column_int(st, c++)); // NULL reads as 0: unknown
        m_out.height.push_back(sqlite3_column_int(st, c++));
        m_out.bytes.push_back(sqlite3_column_int64(st, c++));
        m_out.headerBytes.push_back(sqlite3_column_int64(st, c++));
        m_out.worker.push_back(m_workers(textOf(st, c++), [&](std::string_view id) {
            if (id.empty())
                return std::uint32_t { 0 }; // entry 0 is "no worker"
            m_out.workerIds.emplace_back(id);
            return static_cast<std::uint32_t>(m_out.workerIds.size() - 1);
        }));
        m_out.reportedCostUsd.push_back(realOrUnknown(st, c++));
        if (sqlite3_column_type(st, c) != SQLITE_NULL)
            m_out.reportedUsage.emplace_back(m_out.worker.size() - 1, std::string(textOf(st, c)));
    }

private:
    RunColumns& m_out;
    Interner<std::uint32_t> m_workers;
};

std::unique_ptr<sqlite3_stmt, Finalize> prepareRows(
    Database& db, const std::string& sql, const std::string& runId, std::int64_t fromSeq, std::int64_t toSeq)
{
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK)
        db.fail("cannot read the columns of run " + runId);
    std::unique_ptr<sqlite3_stmt, Finalize> st(raw);
    sqlite3_bind_text(raw, 1, runId.data(), static_cast<int>(runId.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(raw, 2, fromSeq);
    sqlite3_bind_int64(raw, 3, toSeq);
    return st;
}

} // namespace

std::pair<std::int64_t, std::int64_t> Store::seqRange(const std::string& runId) const
{
    auto st = d->db.prepare("SELECT min(seq), max(seq) FROM requests WHERE run_id = ?1");
    st.bind(1, runId);
    if (!st.step() || st.isNull(0))
        return { 0, -1 };
    return { st.int64(0), st.int64(1) };
}

RunColumns Store::runColumns(const std::string& runId, bool withCost, std::int64_t fromSeq, std::int64_t toSeq) const
{
    RunColumns out;
    out.costColumns = withCost;
    if (fromSeq == 0 && toSeq == std::numeric_limits<std::int64_t>::max())
        out.reserve(static_cast<std::size_t>(recordCount(runId)));
    else if (toSeq > fromSeq)
        out.reserve(static_cast<std::size_t>(toSeq - fromSeq)); // seq is dense: 0, 1, 2 ...
    std::string sql(kChartColumns);
    if (withCost)
        sql += ", " + std::string(kCostColumns);
    sql += kRows;
    const auto st = prepareRows(d->db, sql, runId, fromSeq, toSeq);
    sqlite3_stmt* raw = st.get();

    Interner<std::uint8_t> kinds;
    Interner<std::uint8_t> errors;
    CostColumnReader cost(out);
    RequestRecord network; // one row's calls, reused from row to row
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        int c = 0;
        out.seq.push_back(sqlite3_column_int64(raw, c++));
        out.step.push_back(sqlite3_column_int(raw, c++));
        out.stepKind.push_back(kinds(textOf(raw, c++), [&](std::string_view kind) {
            if (out.stepKinds.size() > 255)
                throw StoreError(d->db.path() + ": run " + runId + " has more than 256 step kinds");
            out.stepKinds.emplace_back(kind);
            return static_cast<std::uint8_t>(out.stepKinds.size() - 1);
        }));
        out.level.push_back(sqlite3_column_int(raw, c++));
        out.offered.push_back(sqlite3_column_double(raw, c++));
        out.ok.push_back(sqlite3_column_int(raw, c++) != 0 ? 1 : 0);
        out.errorClass.push_back(errors(textOf(raw, c++), [&](std::string_view name) {
            const auto parsed = errorClassFromString(name); // NULL reads as "", the model's None
            if (!parsed)
                throw StoreError(d->db.path() + ": record " + std::to_string(out.seq.back())
                    + " has an unknown error class '" + std::string(name) + "'");
            return static_cast<std::uint8_t>(*parsed);
        }));
        out.cold.push_back(static_cast<std::uint8_t>(sqlite3_column_int(raw, c++)));
        out.intendedMs.push_back(sqlite3_column_double(raw, c++));
        out.sentMs.push_back(sqlite3_column_double(raw, c++));
        out.startedMs.push_back(realOrUnknown(raw, c++));
        out.finishedMs.push_back(sqlite3_column_double(raw, c++));
        out.doneMs.push_back(sqlite3_column_double(raw, c++));
        out.queueMs.push_back(realOrUnknown(raw, c++));
        out.execMs.push_back(realOrUnknown(raw, c++));
        out.downloadMs.push_back(realOrUnknown(raw, c++));
        out.platformMs.push_back(realOrUnknown(raw, c++));
        out.detectionLagMs.push_back(realOrUnknown(raw, c++));
        out.polls.push_back(sqlite3_column_int(raw, c++));
        out.throttledPolls.push_back(sqlite3_column_int(raw, c++));
        out.images.push_back(sqlite3_column_int(raw, c++));
        network.platformMs
            = RunColumns::known(out.platformMs.back()) ? std::optional(out.platformMs.back()) : std::nullopt;
        for (auto* call : { &network.submitNet, &network.finalNet, &network.downloadNet })
            *call = phasesAt(raw, c);
        network.calls = sqlite3_column_int(raw, c++);
        network.newConnections = sqlite3_column_int(raw, c++);
        network.tlsHandshakes = sqlite3_column_int(raw, c++);
        out.appendNetwork(network);
        if (withCost)
            cost.read(raw, c);
    }
    if (rc != SQLITE_DONE)
        d->db.fail("cannot read the columns of run " + runId);
    return out;
}

void Store::addCostColumns(const std::string& runId, RunColumns& columns) const
{
    if (columns.costColumns)
        return;
    if (columns.size() == 0) {
        columns.costColumns = true;
        return;
    }
    const std::string sql = "SELECT seq, " + std::string(kCostColumns) + std::string(kRows);
    const auto st = prepareRows(d->db, sql, runId, columns.seq.front(), columns.seq.back() + 1);
    sqlite3_stmt* raw = st.get();
    columns.width.reserve(columns.size());
    columns.height.reserve(columns.size());
    columns.bytes.reserve(columns.size());
    columns.headerBytes.reserve(columns.size());
    columns.worker.reserve(columns.size());
    columns.reportedCostUsd.reserve(columns.size());
    CostColumnReader cost(columns);
    std::size_t row = 0;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        // The same rows in the same order, unless the run changed in between.
        if (row >= columns.size() || sqlite3_column_int64(raw, 0) != columns.seq[row])
            throw StoreError(d->db.path() + ": run " + runId + " changed while it was being read");
        cost.read(raw, 1);
        ++row;
    }
    if (rc != SQLITE_DONE)
        d->db.fail("cannot read the cost columns of run " + runId);
    if (row != columns.size())
        throw StoreError(d->db.path() + ": run " + runId + " changed while it was being read");
    columns.costColumns = true;
}

} // namespace t2i
