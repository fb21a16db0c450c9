// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/requestrecord.h"
#include "model/run.h"

#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;

namespace t2i {

class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The run library: one SQLite file (WAL). The only place in t2ibench that speaks SQL.
// One Store object is one connection; use it from one thread at a time.
class Store {
public:
    // Opens (creating if needed) and migrates the database to the current schema version.
    // Runs left "running" by a process that is gone are marked interrupted here.
    // Throws StoreError naming the file and what went wrong.
    static std::unique_ptr<Store> open(const std::string& path);
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

    void insertRecords(const std::string& runId, std::span<const RequestRecord> records); // one transaction
    void insertWorkerSamples(const std::string& runId, std::span<const WorkerSample> samples);
    std::vector<RequestRecord> records(const std::string& runId) const; // ordered by seq
    std::vector<WorkerSample> workerSamples(const std::string& runId) const; // ordered by time

    // Transactions for callers that batch several inserts (the writer thread).
    void begin();
    void commit();

private:
    explicit Store(std::string path);
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace t2i
