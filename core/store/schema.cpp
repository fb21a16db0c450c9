// SPDX-License-Identifier: Apache-2.0
#include "schema.h"

#include "sqlitehandle.h"

#include <array>
#include <string>

namespace t2i {
namespace {

// docs/schema.md describes every column; keep the two in step.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE runs (
    id               TEXT PRIMARY KEY NOT NULL,
    name             TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN
                         ('created', 'running', 'completed', 'cancelled', 'failed', 'interrupted')),
    provider_id      TEXT NOT NULL DEFAULT '',
    provider_type    TEXT NOT NULL DEFAULT '',
    variant_id       TEXT NOT NULL DEFAULT '',
    config_json      TEXT NOT NULL DEFAULT '',
    environment_json TEXT NOT NULL DEFAULT '',
    created          TEXT NOT NULL,
    finished         TEXT,
    duration_ms      REAL NOT NULL DEFAULT 0,
    message          TEXT NOT NULL DEFAULT '',
    owner_pid        INTEGER,
    owner_host       TEXT,
    heartbeat        INTEGER,
    tags             TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT ''
);

CREATE INDEX runs_status ON runs (status);

-- WITHOUT ROWID: the primary key is the table, clustered by run and seq, so one run's records
-- are read in order from adjacent pages and no second index has to be maintained on insert.
CREATE TABLE requests (
    run_id              TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq                 INTEGER NOT NULL,
    step                INTEGER NOT NULL,
    step_kind           TEXT NOT NULL,
    level               INTEGER NOT NULL,
    offered             REAL NOT NULL,
    job_id              TEXT,
    ok                  INTEGER NOT NULL CHECK (ok IN (0, 1)),
    error_class         TEXT,
    error_message       TEXT,
    http_status         INTEGER,
    provider_status     TEXT,
    intended_ms         REAL NOT NULL,
    sent_ms             REAL NOT NULL,
    accepted_ms         REAL,
    started_ms          REAL,
    finished_ms         REAL NOT NULL,
    downloaded_ms       REAL,
    done_ms             REAL NOT NULL,
    latency_ms          REAL NOT NULL,
    queue_ms            REAL,
    exec_ms             REAL,
    download_ms         REAL,
    cold                TEXT NOT NULL CHECK (cold IN ('unknown', 'warm', 'cold')),
    worker_id           TEXT,
    bytes               INTEGER NOT NULL,
    width               INTEGER,
    height              INTEGER,
    image_hash          TEXT,
    images              INTEGER NOT NULL,
    poll_uncertainty_ms REAL NOT NULL,
    polls               INTEGER NOT NULL,
    throttled           INTEGER NOT NULL,
    seed                INTEGER NOT NULL,
    prompt_index        INTEGER NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

CREATE TABLE worker_samples (
    run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    t_ms         REAL NOT NULL,
    idle         INTEGER NOT NULL,
    running      INTEGER NOT NULL,
    initializing INTEGER NOT NULL,
    ready        INTEGER NOT NULL,
    throttled    INTEGER NOT NULL,
    unhealthy    INTEGER NOT NULL,
    in_queue     INTEGER NOT NULL,
    in_progress  INTEGER NOT NULL,
    completed    INTEGER NOT NULL,
    failed       INTEGER NOT NULL
);

CREATE INDEX worker_samples_run ON worker_samples (run_id, t_ms);
)sql";

// Version 2: GPU samples of the machine running a local server (nvidia-smi), beside the
// platform's worker samples. A field nvidia-smi could not read is NULL.
constexpr std::string_view kV2GpuSamples = R"sql(
CREATE TABLE gpu_samples (
    run_id           TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    t_ms             REAL NOT NULL,
    gpu              INTEGER NOT NULL,
    utilization_pct  REAL,
    memory_used_mib  REAL,
    memory_total_mib REAL
);

CREATE INDEX gpu_samples_run ON gpu_samples (run_id, t_ms);
)sql";

// Version 3: what the platform itself said a request cost (RunPod public endpoints'
// output.cost, USD) and its usage report where it bills by usage (OpenAI's token counts, JSON);
// NULL where it said nothing.
constexpr std::string_view kV3ReportedCost = R"sql(
ALTER TABLE requests ADD COLUMN reported_cost_usd REAL;
ALTER TABLE requests ADD COLUMN reported_usage TEXT;
)sql";

// Version 4: the platform's own end-to-end time and how late the client noticed each finish
// (docs/measurement.md, "Two latencies"), and the 429s met on status polls. Records written
// before have NULL times and 0 throttled polls.
constexpr std::string_view kV4DetectionLag = R"sql(
ALTER TABLE requests ADD COLUMN platform_ms REAL;
ALTER TABLE requests ADD COLUMN detection_lag_ms REAL;
ALTER TABLE requests ADD COLUMN throttled_polls INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 5: the response headers received for a request, beside `bytes` (its bodies as
// received), so egress is priced on what the platform sent (docs/measurement.md, "Bytes").
// Records written before have 0: their egress counts bodies only, as it did.
constexpr std::string_view kV5HeaderBytes = R"sql(
ALTER TABLE requests ADD COLUMN header_bytes INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 6: where each request's time on the network went (docs/measurement.md, "Network
// phases"): the phases of its submit call, of the call that brought the result when that was
// another, and of its downloads (summed); its calls, the connections and TLS handshakes they
// opened, and its polls' network time. Records written before have NULL phases and 0 calls.
constexpr std::string_view kV6NetworkPhases = R"sql(
ALTER TABLE requests ADD COLUMN submit_dns_ms REAL;
ALTER TABLE requests ADD COLUMN submit_connect_ms REAL;
ALTER TABLE requests ADD COLUMN submit_tls_ms REAL;
ALTER TABLE requests ADD COLUMN submit_ttfb_ms REAL;
ALTER TABLE requests ADD COLUMN submit_transfer_ms REAL;
ALTER TABLE requests ADD COLUMN final_dns_ms REAL;
ALTER TABLE requests ADD COLUMN final_connect_ms REAL;
ALTER TABLE requests ADD COLUMN final_tls_ms REAL;
ALTER TABLE requests ADD COLUMN final_ttfb_ms REAL;
ALTER TABLE requests ADD COLUMN final_transfer_ms REAL;
ALTER TABLE requests ADD COLUMN download_dns_ms REAL;
ALTER TABLE requests ADD COLUMN download_connect_ms REAL;
ALTER TABLE requests ADD COLUMN download_tls_ms REAL;
ALTER TABLE requests ADD COLUMN download_ttfb_ms REAL;
ALTER TABLE requests ADD COLUMN download_transfer_ms REAL;
ALTER TABLE requests ADD COLUMN poll_network_ms REAL NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN calls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN new_connections INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN tls_handshakes INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 7: a run may end "stopped" (its budget ran out: docs/cost.md, "Budget"). SQLite cannot
// change a CHECK constraint in place, so `runs` is rebuilt with the same columns in the same
// order (SQLite's documented procedure for schema changes ALTER TABLE cannot make). Safe because
// migrate() runs before the connection turns foreign keys on (Store::finishOpen): dropping the old
// table does not cascade to `requests`, whose REFERENCES runs (id) names the rebuilt table by name.
constexpr std::string_view kV7StoppedStatus = R"sql(
CREATE TABLE runs_v7 (
    id               TEXT PRIMARY KEY NOT NULL,
    name             TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN
                         ('created', 'running', 'completed', 'cancelled', 'failed', 'interrupted', 'stopped')),
    provider_id      TEXT NOT NULL DEFAULT '',
    provider_type    TEXT NOT NULL DEFAULT '',
    variant_id       TEXT NOT NULL DEFAULT '',
    config_json      TEXT NOT NULL DEFAULT '',
    environment_json TEXT NOT NULL DEFAULT '',
    created          TEXT NOT NULL,
    finished         TEXT,
    duration_ms      REAL NOT NULL DEFAULT 0,
    message          TEXT NOT NULL DEFAULT '',
    owner_pid        INTEGER,
    owner_host       TEXT,
    heartbeat        INTEGER,
    tags             TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT ''
);
INSERT INTO runs_v7 (id, name, status, provider_id, provider_type, variant_id, config_json, environment_json,
                     created, finished, duration_ms, message, owner_pid, owner_host, heartbeat, tags, notes)
    SELECT id, name, status, provider_id, provider_type, variant_id, config_json, environment_json,
           created, finished, duration_ms, message, owner_pid, owner_host, heartbeat, tags, notes FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v7 RENAME TO runs;
CREATE INDEX runs_status ON runs (status);
)sql";

// Studies (docs/studies.md): an experiment that made several runs and computed one answer.
constexpr std::string_view kV8Studies = R"sql(
CREATE TABLE studies (
    id          TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL,
    config_name TEXT NOT NULL DEFAULT '',
    provider_id TEXT NOT NULL DEFAULT '',
    variant_id  TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted')),
    created     TEXT NOT NULL,
    finished    TEXT,
    message     TEXT NOT NULL DEFAULT '',
    params_json TEXT NOT NULL DEFAULT '{}',
    result_json TEXT NOT NULL DEFAULT '',
    owner_pid   INTEGER,
    owner_host  TEXT
);

CREATE TABLE study_runs (
    study_id TEXT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    ord      INTEGER NOT NULL,
    run_id   TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    role     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (study_id, ord)
);

CREATE INDEX study_runs_run ON study_runs (run_id);
)sql";

constexpr std::array kMigrations { Migration { 1, kV1 }, Migration { 2, kV2GpuSamples },
    Migration { 3, kV3ReportedCost }, Migration { 4, kV4DetectionLag }, Migration { 5, kV5HeaderBytes },
    Migration { 6, kV6NetworkPhases }, Migration { 7, kV7StoppedStatus }, Migration { 8, kV8Studies } };

} // namespace

std::span<const Migration> migrations()
{
    return kMigrations;
}

int latestSchemaVersion()
{
    return kMigrations.back().version;
}

int userVersion(Database& db)
{
    auto st = db.prepare("PRAGMA user_version");
    return st.step() ? st.int32(0) : 0;
}

namespace {
void refuseNewer(const Database& db, int found)
{
    if (found > latestSchemaVersion())
        throw StoreError(db.path() + ": the run library has schema version " + std::to_string(found)
            + ", newer than this build of t2ibench reads (" + std::to_string(latestSchemaVersion())
            + "); open it with a newer t2ibench");
}
} // namespace

void migrate(Database& db)
{
    // Checked before any write, so a newer file is never touched by an older build.
    refuseNewer(db, userVersion(db));
    if (userVersion(db) == latestSchemaVersion())
        return;

    Transaction tx(db);
    // Read again under the write lock: another process may have migrated in between.
    const int current = userVersion(db);
    refuseNewer(db, current);
    for (const Migration& step : kMigrations) {
        if (step.version <= current)
            continue;
        try {
            db.exec(std::string(step.sql));
        } catch (const StoreError& e) {
            throw StoreError(
                std::string(e.what()) + " [migrating to schema version " + std::to_string(step.version) + "]");
        }
        // user_version is part of the database header, so it commits with the step.
        db.exec("PRAGMA user_version = " + std::to_string(step.version));
    }
    tx.commit();
}

} // namespace t2i
