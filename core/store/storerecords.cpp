// SPDX-License-Identifier: Apache-2.0
// The requests and worker_samples tables. Insert and select list their columns in the same
// order, kept side by side here so they cannot drift apart.
#include "store/store.h"

#include "storeimpl.h"

namespace t2i {
namespace {

constexpr std::string_view kRecordColumns
    = "seq, step, step_kind, level, offered, job_id, ok, error_class, error_message, http_status, provider_status, "
      "intended_ms, sent_ms, accepted_ms, started_ms, finished_ms, downloaded_ms, done_ms, latency_ms, "
      "queue_ms, exec_ms, download_ms, cold, worker_id, bytes, width, height, image_hash, images, "
      "poll_uncertainty_ms, polls, throttled, seed, prompt_index, reported_cost_usd, reported_usage, "
      "platform_ms, detection_lag_ms, throttled_polls, header_bytes, "
      "submit_dns_ms, submit_connect_ms, submit_tls_ms, submit_ttfb_ms, submit_transfer_ms, "
      "final_dns_ms, final_connect_ms, final_tls_ms, final_ttfb_ms, final_transfer_ms, "
      "download_dns_ms, download_connect_ms, download_tls_ms, download_ttfb_ms, download_transfer_ms, "
      "poll_network_ms, calls, new_connections, tls_handshakes";
constexpr int kRecordColumnCount = 59;

constexpr std::string_view kSampleColumns
    = "t_ms, idle, running, initializing, ready, throttled, unhealthy, in_queue, in_progress, completed, failed";

std::string placeholders(int from, int count)
{
    std::string text;
    for (int i = 0; i < count; ++i)
        text += (i ? ", ?" : "?") + std::to_string(from + i);
    return text;
}

// The model says "unknown" with an empty string or a 0 HTTP status; SQL says it with NULL, so
// count(), IS NULL and averages mean the same thing to an analyst as to t2ibench.
std::optional<std::string_view> nullIfEmpty(std::string_view text)
{
    return text.empty() ? std::nullopt : std::optional<std::string_view>(text);
}

// Binds consecutive parameters, so the order below is the order of kRecordColumns.
class Binder {
public:
    Binder(Statement& st, int first)
        : m_st(st)
        , m_next(first)
    {
    }
    template <typename T> Binder& operator<<(const T& value)
    {
        m_st.bind(m_next++, value);
        return *this;
    }

private:
    Statement& m_st;
    int m_next;
};

// A call's phases as five columns: all NULL when there was no such call.
void bindPhases(Binder& b, const std::optional<CallPhases>& p)
{
    const auto part = [&p](double CallPhases::*field) { return p ? std::optional<double>((*p).*field) : std::nullopt; };
    b << part(&CallPhases::dnsMs) << part(&CallPhases::connectMs) << part(&CallPhases::tlsMs)
      << part(&CallPhases::ttfbMs) << part(&CallPhases::transferMs);
}

std::optional<CallPhases> readPhases(const Statement& st, int& c)
{
    // Stored together: the first column says whether the call was there.
    const std::optional<double> dns = st.optReal(c);
    CallPhases p;
    p.dnsMs = dns.value_or(0);
    p.connectMs = st.optReal(c + 1).value_or(0);
    p.tlsMs = st.optReal(c + 2).value_or(0);
    p.ttfbMs = st.optReal(c + 3).value_or(0);
    p.transferMs = st.optReal(c + 4).value_or(0);
    c += 5;
    return dns ? std::optional<CallPhases>(p) : std::nullopt;
}

void bindRecord(Statement& st, const std::string& runId, const RequestRecord& r)
{
    Binder b(st, 1);
    b << runId;
    b << r.seq << r.step << std::string_view(r.stepKind) << r.level << r.offered;
    b << nullIfEmpty(r.jobId) << r.ok << nullIfEmpty(toString(r.errorClass)) << nullIfEmpty(r.errorMessage);
    b << (r.httpStatus != 0 ? std::optional<int>(r.httpStatus) : std::nullopt) << nullIfEmpty(r.providerStatus);
    b << r.intendedMs << r.sentMs << r.acceptedMs << r.startedMs << r.finishedMs << r.downloadedMs << r.doneMs;
    b << r.latencyMs() << r.queueMs << r.execMs << r.downloadMs;
    b << toString(r.cold) << nullIfEmpty(r.workerId);
    b << r.bytes << r.width << r.height << nullIfEmpty(r.imageHash) << r.images;
    b << r.pollUncertaintyMs << r.polls << r.throttled << r.seed << r.promptIndex;
    b << r.reportedCostUsd << nullIfEmpty(r.reportedUsage);
    b << r.platformMs << r.detectionLagMs << r.throttledPolls << r.headerBytes;
    bindPhases(b, r.submitNet);
    bindPhases(b, r.finalNet);
    bindPhases(b, r.downloadNet);
    b << r.pollNetworkMs << r.calls << r.newConnections << r.tlsHandshakes;
}

RequestRecord readRecord(const Database& db, const Statement& st)
{
    RequestRecord r;
    int c = 0;
    r.seq = st.int64(c++);
    r.step = st.int32(c++);
    r.stepKind = st.text(c++);
    r.level = st.int32(c++);
    r.offered = st.real(c++);
    r.jobId = st.text(c++);
    r.ok = st.int64(c++) != 0;
    const std::string error = st.text(c++);
    const auto errorClass = errorClassFromString(error);
    if (!errorClass)
        throw StoreError(
            db.path() + ": record " + std::to_string(r.seq) + " has an unknown error class '" + error + "'");
    r.errorClass = *errorClass;
    r.errorMessage = st.text(c++);
    r.httpStatus = st.int32(c++); // NULL reads as 0, the model's "no answer"
    r.providerStatus = st.text(c++);
    r.intendedMs = st.real(c++);
    r.sentMs = st.real(c++);
    r.acceptedMs = st.optReal(c++);
    r.startedMs = st.optReal(c++);
    r.finishedMs = st.real(c++);
    r.downloadedMs = st.optReal(c++);
    r.doneMs = st.real(c++);
    ++c; // latency_ms is derived (doneMs - intendedMs); stored for SQL, not read back
    r.queueMs = st.optReal(c++);
    r.execMs = st.optReal(c++);
    r.downloadMs = st.optReal(c++);
    r.cold = coldLabelFromString(st.text(c++)).value_or(ColdLabel::Unknown);
    r.workerId = st.text(c++);
    r.bytes = st.int64(c++);
    r.width = st.optInt(c++);
    r.height = st.optInt(c++);
    r.imageHash = st.text(c++);
    r.images = st.int32(c++);
    r.pollUncertaintyMs = st.real(c++);
    r.polls = st.int32(c++);
    r.throttled = st.int32(c++);
    r.seed = st.int64(c++);
    r.promptIndex = st.int32(c++);
    r.reportedCostUsd = st.optReal(c++);
    r.reportedUsage = st.text(c++);
    r.platformMs = st.optReal(c++);
    r.detectionLagMs = st.optReal(c++);
    r.throttledPolls = st.int32(c++);
    r.headerBytes = st.int64(c++);
    r.submitNet = readPhases(st, c);
    r.finalNet = readPhases(st, c);
    r.downloadNet = readPhases(st, c);
    r.pollNetworkMs = st.real(c++);
    r.calls = st.int32(c++);
    r.newConnections = st.int32(c++);
    r.tlsHandshakes = st.int32(c++);
    return r;
}

void bindSample(Statement& st, const std::string& runId, const WorkerSample& s)
{
    Binder b(st, 1);
    b << runId << s.tMs << s.idle << s.running << s.initializing << s.ready << s.throttled << s.unhealthy;
    b << s.inQueue << s.inProgress << s.completed << s.failed;
}

} // namespace

void Store::insertRecord(const std::string& runId, const RequestRecord& record)
{
    static const std::string sql = "INSERT INTO requests (run_id, " + std::string(kRecordColumns) + ") VALUES ("
        + placeholders(1, kRecordColumnCount + 1) + ")";
    auto& st = d->cached(d->insertRecord, sql);
    bindRecord(st, runId, record);
    st.run();
}

void Store::insertRecords(const std::string& runId, std::span<const RequestRecord> records)
{
    Transaction tx(d->db);
    for (const RequestRecord& record : records)
        insertRecord(runId, record);
    tx.commit();
}

void Store::insertWorkerSample(const std::string& runId, const WorkerSample& sample)
{
    static const std::string sql = "INSERT INTO worker_samples (run_id, " + std::string(kSampleColumns) + ") VALUES ("
        + placeholders(1, 12) + ")";
    auto& st = d->cached(d->insertSample, sql);
    bindSample(st, runId, sample);
    st.run();
}

void Store::insertWorkerSamples(const std::string& runId, std::span<const WorkerSample> samples)
{
    Transaction tx(d->db);
    for (const WorkerSample& sample : samples)
        insertWorkerSample(runId, sample);
    tx.commit();
}

std::int64_t Store::recordCount(const std::string& runId) const
{
    auto st = d->db.prepare("SELECT count(*) FROM requests WHERE run_id = ?1");
    st.bind(1, runId);
    return st.step() ? st.int64(0) : 0;
}

std::vector<RequestRecord> Store::records(const std::string& runId) const
{
    auto st = d->db.prepare("SELECT " + std::string(kRecordColumns) + " FROM requests WHERE run_id = ?1 ORDER BY seq");
    st.bind(1, runId);
    std::vector<RequestRecord> out;
    while (st.step())
        out.push_back(readRecord(d->db, st));
    return out;
}

std::vector<WorkerSample> Store::workerSamples(const std::string& runId) const
{
    auto st = d->db.prepare(
        "SELECT " + std::string(kSampleColumns) + " FROM worker_samples WHERE run_id = ?1 ORDER BY t_ms, rowid");
    st.bind(1, runId);
    std::vector<WorkerSample> out;
    while (st.step()) {
        WorkerSample s;
        int c = 0;
        s.tMs = st.real(c++);
        s.idle = st.int32(c++);
        s.running = st.int32(c++);
        s.initializing = st.int32(c++);
        s.ready = st.int32(c++);
        s.throttled = st.int32(c++);
        s.unhealthy = st.int32(c++);
        s.inQueue = st.int32(c++);
        s.inProgress = st.int32(c++);
        s.completed = static_cast<long>(st.int64(c++));
        s.failed = static_cast<long>(st.int64(c++));
        out.push_back(s);
    }
    return out;
}

} // namespace t2i
