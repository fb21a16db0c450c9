// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/requestrecord.h"
#include "model/run.h"
#include "model/study.h"
#include "model/runcolumns.h"

#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;

namespace t2i {

class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown by Store::openExisting when the path holds no run library: no file there, or a
// database t2ibench never wrote (schema version 0). Nothing was created or changed.
class NoLibraryError : public StoreError {
public:
    using StoreError::StoreError;
};

// The run library: one SQLite file (WAL). The only place in t2ibench that speaks SQL.
// One Store object is one connection; use it from one thread at a time.
class Store {
public:
    // A "running" run whose heartbeat is older than this is taken for dead by open(), whatever
    // host it ran on. The writer refreshes the heartbeat every second, so 15 s is many misses.
    static constexpr std::chrono::seconds kStaleHeartbeat { 15 };

    // Free-form labels an analyst attaches to a run after the fact (runs.tags / runs.notes).
    struct RunNotes {
        std::string tags; // comma-separated
        std::string notes;
    };

    // Opens (creating if needed) and migrates the database to the current schema version.
    // Runs left "running" by a process that is gone are marked interrupted here.
    // Throws StoreError naming the file and what went wrong.
    static std::unique_ptr<Store> open(const std::string& path);
    // The same for a library that must exist already (what only reads: show, compare, ...):
    // never creates the file. Throws NoLibraryError when there is none at path, StoreError
    // for anything else. An older schema is still migrated, as by open().
    static std::unique_ptr<Store> openExisting(const std::string& path);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    static int schemaVersion(); // the version this build writes
    const std::string& path() const;
    int interruptedOnOpen() const; // how many runs open() marked interrupted

    void createRun(const RunInfo& run); // status as given, owner = this process
    void updateRun(const RunInfo& run); // status, finished, duration, message, environment
    void heartbeat(const std::string& runId); // proof of life for a running run
    std::vector<RunInfo> listRuns() const; // newest first
    // By full id, or by a unique prefix of one; std::nullopt when none or ambiguous.
    std::optional<RunInfo> findRun(const std::string& idOrPrefix) const;
    bool deleteRun(const std::string& runId);
    void setRunNotes(const std::string& runId, const RunNotes& notes); // throws when no such run
    std::optional<RunNotes> runNotes(const std::string& runId) const;

    void insertRecords(const std::string& runId, std::span<const RequestRecord> records); // one transaction
    void insertWorkerSamples(const std::string& runId, std::span<const WorkerSample> samples);
    // Single-row forms for a caller that holds its own transaction (begin()/commit()) and whose
    // rows are not contiguous; outside a transaction each is its own.
    void insertRecord(const std::string& runId, const RequestRecord& record);
    void insertWorkerSample(const std::string& runId, const WorkerSample& sample);
    std::int64_t recordCount(const std::string& runId) const;
    std::vector<RequestRecord> records(const std::string& runId) const; // ordered by seq
    // A run's numeric columns for charts (storecolumns.cpp), rows with seq in [fromSeq, toSeq);
    // the cost model's columns too when withCost, else later through addCostColumns.
    RunColumns runColumns(const std::string& runId, bool withCost = true, std::int64_t fromSeq = 0,
        std::int64_t toSeq = std::numeric_limits<std::int64_t>::max()) const;
    void addCostColumns(const std::string& runId, RunColumns& columns) const;
    std::pair<std::int64_t, std::int64_t> seqRange(const std::string& runId) const; // min, max; (0, -1) when none
    std::vector<WorkerSample> workerSamples(const std::string& runId) const; // ordered by time
    // Studies (storestudies.cpp): the study row and the runs it made, in order.
    void createStudy(const StudyInfo& study); // owner = this process
    void finishStudy(const StudyInfo& study); // status, finished, message, result
    void addStudyRun(const std::string& studyId, const StudyRunRef& run); // appended after the others
    std::vector<StudyInfo> listStudies() const; // newest first, with their runs
    std::optional<StudyInfo> findStudy(const std::string& idOrPrefix) const; // nullopt: none or ambiguous
    bool deleteStudy(const std::string& studyId); // its runs stay in the library
    void insertGpuSample(const std::string& runId, const GpuSample& sample); // storegpu.cpp
    std::vector<GpuSample> gpuSamples(const std::string& runId) const; // ordered by time, then GPU

    // Transactions for callers that batch several inserts (the writer thread).
    void begin();
    void commit();
    void rollback(); // no-op when no transaction is open

private:
    Store(std::string path, bool create);
    static std::unique_ptr<Store> finishOpen(std::unique_ptr<Store> store);
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace t2i
