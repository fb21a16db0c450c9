// SPDX-License-Identifier: Apache-2.0
// Opening the library and everything about the runs table. Records live in storerecords.cpp,
// the judging of runs left "running" in liveness.cpp.
#include "store/store.h"

#include "schema.h"
#include "storeimpl.h"

#include <filesystem>

#include <unistd.h>

namespace t2i {

namespace {

constexpr std::string_view kRunColumns = "id, name, status, provider_id, provider_type, variant_id, config_json, "
                                         "environment_json, created, finished, duration_ms, message";

RunInfo readRun(const Database& db, const Statement& st)
{
    RunInfo run;
    run.id = st.text(0);
    run.name = st.text(1);
    const std::string status = st.text(2);
    const auto parsed = runStatusFromString(status);
    if (!parsed)
        throw StoreError(db.path() + ": run " + run.id + " has an unknown status '" + status + "'");
    run.status = *parsed;
    run.providerId = st.text(3);
    run.providerType = st.text(4);
    run.variantId = st.text(5);
    run.configJson = st.text(6);
    run.environmentJson = st.text(7);
    run.created = st.text(8);
    run.finished = st.text(9);
    run.durationMs = st.real(10);
    run.message = st.text(11);
    return run;
}

std::optional<std::string> nullIfEmpty(const std::string& text)
{
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

} // namespace

Store::Store(std::string path, bool create)
    : d(std::make_unique<Impl>(path, create))
{
}

Store::~Store() = default;

std::unique_ptr<Store> Store::open(const std::string& path)
{
    // private constructor: make_unique cannot reach it
    return finishOpen(std::unique_ptr<Store>(new Store(path, true)));
}

std::unique_ptr<Store> Store::openExisting(const std::string& path)
{
    const auto missing = [&path] {
        std::error_code ec;
        return !std::filesystem::exists(path, ec);
    };
    if (missing())
        throw NoLibraryError(path + ": no run library here (the file does not exist)");
    std::unique_ptr<Store> store;
    try {
        store.reset(new Store(path, false)); // without SQLITE_OPEN_CREATE: never makes the file
    } catch (const StoreError&) {
        if (missing()) // removed between the check and the open
            throw NoLibraryError(path + ": no run library here (the file does not exist)");
        throw;
    }
    // Version 0 is a new or foreign database: migrating it would write t2ibench's tables into it.
    if (userVersion(store->d->db) == 0)
        throw NoLibraryError(path + ": not a t2ibench run library (an empty or foreign database)");
    return finishOpen(std::move(store));
}

std::unique_ptr<Store> Store::finishOpen(std::unique_ptr<Store> store)
{
    const std::string& path = store->path();
    Database& db = store->d->db;
    // Version first: it is the first read of the file (so a non-database fails here, clearly),
    // and a file from a newer build must not even be switched to WAL by us.
    migrate(db);
    {
        // WAL lets the dashboard read while the writer thread commits; NORMAL skips the fsync
        // per commit (a power cut may lose the last commits, never corrupt the file).
        auto mode = db.prepare("PRAGMA journal_mode = WAL");
        if (mode.step() && mode.text(0) != "wal" && path != ":memory:" && !path.empty())
            throw StoreError(path + ": cannot switch to WAL journal mode (got '" + mode.text(0) + "')");
    }
    db.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
    store->d->interrupted = markInterrupted(db);
    return store;
}

int Store::schemaVersion()
{
    return latestSchemaVersion();
}

const std::string& Store::path() const
{
    return d->db.path();
}

int Store::interruptedOnOpen() const
{
    return d->interrupted;
}

void Store::createRun(const RunInfo& run)
{
    auto st
        = d->db.prepare("INSERT INTO runs (id, name, status, provider_id, provider_type, variant_id, config_json, "
                        "environment_json, created, finished, duration_ms, message, owner_pid, owner_host, heartbeat) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    st.bind(1, run.id);
    st.bind(2, run.name);
    st.bind(3, toString(run.status));
    st.bind(4, run.providerId);
    st.bind(5, run.providerType);
    st.bind(6, run.variantId);
    st.bind(7, run.configJson);
    st.bind(8, run.environmentJson);
    st.bind(9, run.created);
    st.bind(10, nullIfEmpty(run.finished));
    st.bind(11, run.durationMs);
    st.bind(12, run.message);
    st.bind(13, static_cast<std::int64_t>(getpid()));
    st.bind(14, hostName());
    st.bind(15, unixMsNow());
    st.run();
}

void Store::updateRun(const RunInfo& run)
{
    // Every update is also a proof of life, so a run going created -> running starts fresh.
    auto st = d->db.prepare("UPDATE runs SET status = ?2, finished = ?3, duration_ms = ?4, message = ?5, "
                            "environment_json = ?6, heartbeat = ?7 WHERE id = ?1");
    st.bind(1, run.id);
    st.bind(2, toString(run.status));
    st.bind(3, nullIfEmpty(run.finished));
    st.bind(4, run.durationMs);
    st.bind(5, run.message);
    st.bind(6, run.environmentJson);
    st.bind(7, unixMsNow());
    st.run();
    if (d->db.changes() == 0)
        throw StoreError(path() + ": no run " + run.id + " to update");
}

void Store::heartbeat(const std::string& runId)
{
    auto& st = d->cached(d->heartbeat, "UPDATE runs SET heartbeat = ?2 WHERE id = ?1");
    st.bind(1, runId);
    st.bind(2, unixMsNow());
    st.run();
}

std::vector<RunInfo> Store::listRuns() const
{
    // created is ISO 8601 UTC, so text order is time order; rowid breaks ties within a second.
    auto st = d->db.prepare("SELECT " + std::string(kRunColumns) + " FROM runs ORDER BY created DESC, rowid DESC");
    std::vector<RunInfo> runs;
    while (st.step())
        runs.push_back(readRun(d->db, st));
    return runs;
}

std::optional<RunInfo> Store::findRun(const std::string& idOrPrefix) const
{
    if (idOrPrefix.empty())
        return std::nullopt;
    auto exact = d->db.prepare("SELECT " + std::string(kRunColumns) + " FROM runs WHERE id = ?1");
    exact.bind(1, idOrPrefix);
    if (exact.step())
        return readRun(d->db, exact);
    // substr, not LIKE: LIKE is case-insensitive and treats '_' in ids as a wildcard.
    auto prefix = d->db.prepare(
        "SELECT " + std::string(kRunColumns) + " FROM runs WHERE substr(id, 1, length(?1)) = ?1 LIMIT 2");
    prefix.bind(1, idOrPrefix);
    if (!prefix.step())
        return std::nullopt;
    RunInfo found = readRun(d->db, prefix);
    if (prefix.step())
        return std::nullopt; // ambiguous
    return found;
}

bool Store::deleteRun(const std::string& runId)
{
    // Children explicitly as well as by ON DELETE CASCADE, so the result does not depend on a
    // connection having enabled foreign keys.
    Transaction tx(d->db);
    for (const char* table : { "requests", "worker_samples", "gpu_samples", "study_runs" }) {
        auto st = d->db.prepare(std::string("DELETE FROM ") + table + " WHERE run_id = ?1");
        st.bind(1, runId);
        st.run();
    }
    auto st = d->db.prepare("DELETE FROM runs WHERE id = ?1");
    st.bind(1, runId);
    st.run();
    const bool deleted = d->db.changes() > 0;
    tx.commit();
    return deleted;
}

void Store::setRunNotes(const std::string& runId, const RunNotes& notes)
{
    auto st = d->db.prepare("UPDATE runs SET tags = ?2, notes = ?3 WHERE id = ?1");
    st.bind(1, runId);
    st.bind(2, notes.tags);
    st.bind(3, notes.notes);
    st.run();
    if (d->db.changes() == 0)
        throw StoreError(path() + ": no run " + runId + " to annotate");
}

std::optional<Store::RunNotes> Store::runNotes(const std::string& runId) const
{
    auto st = d->db.prepare("SELECT tags, notes FROM runs WHERE id = ?1");
    st.bind(1, runId);
    if (!st.step())
        return std::nullopt;
    return RunNotes { st.text(0), st.text(1) };
}

void Store::begin()
{
    if (d->db.inTransaction())
        throw StoreError(path() + ": begin() inside an open transaction");
    d->db.exec("BEGIN IMMEDIATE");
}

void Store::commit()
{
    d->db.exec("COMMIT");
}

void Store::rollback()
{
    if (d->db.inTransaction())
        d->db.exec("ROLLBACK");
}

} // namespace t2i
