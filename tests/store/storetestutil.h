// SPDX-License-Identifier: Apache-2.0
#pragma once

// Fixtures shared by the store suites: records with every field set, a field-by-field
// comparison, and a bare sqlite3 connection for what the Store API deliberately cannot do
// (forge another owner, age a heartbeat, look at raw NULLs, write a future schema version).

#include "model/requestrecord.h"
#include "model/run.h"

#include <QTest>

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace t2i::test {

inline RunInfo makeRun(
    const std::string& id, RunStatus status = RunStatus::Running, const std::string& created = "2026-01-31T12:00:00Z")
{
    RunInfo run;
    run.id = id;
    run.name = "sweep/runpod-emu/sdxl";
    run.status = status;
    run.providerId = "runpod-emu";
    run.providerType = "runpod";
    run.variantId = "sdxl";
    run.configJson = R"({"workload":{"steps":[{"kind":"closed","concurrency":4}]}})";
    run.environmentJson = R"({"tool":"t2ibench 0.1.0","host":"bench-1"})";
    run.created = created;
    return run;
}

// Every field set to a distinct, non-default value, so a column mix-up cannot go unnoticed.
inline RequestRecord makeFullRecord(std::int64_t seq)
{
    RequestRecord r;
    const double base = 1000.0 * static_cast<double>(seq) + 0.25;
    r.seq = seq;
    r.step = 2;
    r.stepKind = "poisson";
    r.level = 3;
    r.offered = 1.5;
    r.jobId = "job-" + std::to_string(seq) + "-a1b2c3d4-e5f6";
    r.ok = true;
    r.errorClass = ErrorClass::None;
    r.httpStatus = 200;
    r.providerStatus = "COMPLETED";
    r.intendedMs = base;
    r.sentMs = base + 0.5;
    r.acceptedMs = base + 12.125;
    r.startedMs = base + 900.0;
    r.finishedMs = base + 4100.75;
    r.downloadedMs = base + 4300.5;
    r.doneMs = base + 4300.5;
    r.queueMs = 887.5;
    r.execMs = 3200.25;
    r.downloadMs = 199.75;
    r.cold = ColdLabel::Cold;
    r.workerId = "worker-7";
    r.bytes = 1'234'567'890'123;
    r.headerBytes = 98'765;
    // Every phase a different value, so a column mix-up shows; no final call (one-call protocol).
    r.submitNet = CallPhases { 0.5, 1.25, 6.5, 900.75, 12.125 };
    r.downloadNet = CallPhases { 2.5, 3.5, 7.5, 40.25, 80.5 };
    r.pollNetworkMs = 33.25;
    r.calls = 9;
    r.newConnections = 2;
    r.tlsHandshakes = 1;
    r.width = 1024;
    r.height = 768;
    r.imageHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    r.images = 2;
    r.pollUncertaintyMs = 250.0;
    r.polls = 9;
    r.throttled = 1;
    r.seed = -42;
    r.promptIndex = 17;
    return r;
}

// The model's enums are compared by name: QCOMPARE's unqualified toString() would find
// t2i::toString() by argument-dependent lookup and fail to compile.
template <typename Enum> std::string name(Enum value)
{
    return std::string(t2i::toString(value));
}

// Compares every field, naming the first that differs (QCOMPARE returns from here on failure;
// callers check QTest::currentTestFailed()).
inline void compareRecords(const RequestRecord& got, const RequestRecord& want)
{
    QCOMPARE(got.seq, want.seq);
    QCOMPARE(got.step, want.step);
    QCOMPARE(got.stepKind, want.stepKind);
    QCOMPARE(got.level, want.level);
    QCOMPARE(got.offered, want.offered);
    QCOMPARE(got.jobId, want.jobId);
    QCOMPARE(got.ok, want.ok);
    QCOMPARE(name(got.errorClass), name(want.errorClass));
    QCOMPARE(got.errorMessage, want.errorMessage);
    QCOMPARE(got.httpStatus, want.httpStatus);
    QCOMPARE(got.providerStatus, want.providerStatus);
    QCOMPARE(got.intendedMs, want.intendedMs);
    QCOMPARE(got.sentMs, want.sentMs);
    QCOMPARE(got.acceptedMs, want.acceptedMs);
    QCOMPARE(got.startedMs, want.startedMs);
    QCOMPARE(got.finishedMs, want.finishedMs);
    QCOMPARE(got.downloadedMs, want.downloadedMs);
    QCOMPARE(got.doneMs, want.doneMs);
    QCOMPARE(got.queueMs, want.queueMs);
    QCOMPARE(got.execMs, want.execMs);
    QCOMPARE(got.downloadMs, want.downloadMs);
    QCOMPARE(name(got.cold), name(want.cold));
    QCOMPARE(got.workerId, want.workerId);
    QCOMPARE(got.bytes, want.bytes);
    QCOMPARE(got.headerBytes, want.headerBytes);
    for (const auto& [g, w] : { std::pair(got.submitNet, want.submitNet), std::pair(got.finalNet, want.finalNet),
             std::pair(got.downloadNet, want.downloadNet) }) {
        QCOMPARE(g.has_value(), w.has_value());
        if (g) {
            QCOMPARE(g->dnsMs, w->dnsMs);
            QCOMPARE(g->connectMs, w->connectMs);
            QCOMPARE(g->tlsMs, w->tlsMs);
            QCOMPARE(g->ttfbMs, w->ttfbMs);
            QCOMPARE(g->transferMs, w->transferMs);
        }
    }
    QCOMPARE(got.pollNetworkMs, want.pollNetworkMs);
    QCOMPARE(got.calls, want.calls);
    QCOMPARE(got.newConnections, want.newConnections);
    QCOMPARE(got.tlsHandshakes, want.tlsHandshakes);
    QCOMPARE(got.width, want.width);
    QCOMPARE(got.height, want.height);
    QCOMPARE(got.imageHash, want.imageHash);
    QCOMPARE(got.images, want.images);
    QCOMPARE(got.pollUncertaintyMs, want.pollUncertaintyMs);
    QCOMPARE(got.polls, want.polls);
    QCOMPARE(got.throttled, want.throttled);
    QCOMPARE(got.seed, want.seed);
    QCOMPARE(got.promptIndex, want.promptIndex);
}

// A bare connection for fixtures; failures throw, which Qt Test reports as a test failure.
class RawDb {
public:
    explicit RawDb(const std::string& path)
    {
        sqlite3* raw = nullptr;
        const int rc = sqlite3_open(path.c_str(), &raw);
        m_db.reset(raw);
        if (rc != SQLITE_OK)
            throw std::runtime_error("open " + path + ": " + sqlite3_errmsg(raw));
        sqlite3_busy_timeout(raw, 5000);
    }
    void exec(const std::string& sql)
    {
        char* message = nullptr;
        if (sqlite3_exec(m_db.get(), sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
            const std::string text = message ? message : "?";
            sqlite3_free(message);
            throw std::runtime_error(sql + ": " + text);
        }
    }
    // The first column of the first row as text; "<null>" for NULL, "<none>" without a row.
    std::string scalar(const std::string& sql)
    {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(m_db.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
            throw std::runtime_error(sql + ": " + sqlite3_errmsg(m_db.get()));
        std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> st(raw, &sqlite3_finalize);
        if (sqlite3_step(st.get()) != SQLITE_ROW)
            return "<none>";
        const auto* text = sqlite3_column_text(st.get(), 0);
        return text ? std::string(reinterpret_cast<const char*>(text)) : std::string("<null>");
    }

private:
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> m_db { nullptr, &sqlite3_close };
};

} // namespace t2i::test

// So QCOMPARE can print the optionals and strings it compares.
namespace QTest {
template <> inline char* toString(const std::optional<double>& value)
{
    return qstrdup(value ? std::to_string(*value).c_str() : "nullopt");
}
template <> inline char* toString(const std::optional<int>& value)
{
    return qstrdup(value ? std::to_string(*value).c_str() : "nullopt");
}
template <> inline char* toString(const std::string& value)
{
    return qstrdup(value.c_str());
}
} // namespace QTest
