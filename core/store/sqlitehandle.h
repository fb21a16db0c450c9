// SPDX-License-Identifier: Apache-2.0
#pragma once

// Small RAII wrappers over the sqlite3 C API, private to core/store: nothing else in t2ibench
// speaks SQL. Every failure throws StoreError naming the database file and sqlite's message.

#include "store/store.h"

#include <chrono>
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace t2i {

class Statement;

// One connection. Not copyable; movable only through the unique_ptr that owns it.
class Database {
public:
    // Opens read-write, creating the file if needed (unless create is false: then a missing
    // file fails to open). Sets the busy timeout first, so every later statement waits for a
    // concurrent writer instead of failing at once.
    Database(std::string path, std::chrono::milliseconds busyTimeout, bool create = true);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const std::string& path() const { return m_path; }
    sqlite3* handle() const { return m_db.get(); }

    void exec(const std::string& sql); // one or more statements, no results
    Statement prepare(std::string_view sql);
    std::int64_t changes() const; // rows touched by the last INSERT/UPDATE/DELETE
    bool inTransaction() const;

    // Throws StoreError("<file>: <what>: <sqlite message>").
    [[noreturn]] void fail(std::string_view what) const;

private:
    struct Closer {
        void operator()(sqlite3* db) const;
    };
    std::string m_path;
    std::unique_ptr<sqlite3, Closer> m_db;
};

// A prepared statement. Bind indexes are 1-based, column indexes 0-based, as in sqlite.
// step() after the last row, or reset(), makes it ready for the next use; reusing a cached
// statement always starts with reset() so stale bindings never leak into the next row.
class Statement {
public:
    Statement(Database& db, std::string_view sql);
    Statement(Statement&&) noexcept = default;
    Statement& operator=(Statement&&) noexcept = default;

    Statement& reset(); // rewinds and clears bindings
    void bindNull(int index);
    void bindInt64(int index, std::int64_t value);
    template <std::integral T> void bind(int index, T value) { bindInt64(index, static_cast<std::int64_t>(value)); }
    void bind(int index, bool value) { bindInt64(index, value ? 1 : 0); }
    void bind(int index, double value);
    void bind(int index, std::string_view value); // copied by sqlite (SQLITE_TRANSIENT)
    void bind(int index, const std::string& value) { bind(index, std::string_view(value)); }
    void bind(int index, const char* value) { bind(index, std::string_view(value)); }
    template <typename T> void bind(int index, const std::optional<T>& value)
    {
        if (value)
            bind(index, *value);
        else
            bindNull(index);
    }

    bool step(); // true: a row is ready; false: done. Throws on error.
    void run(); // step() to completion, for statements without results

    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    int int32(int column) const { return static_cast<int>(int64(column)); }
    double real(int column) const;
    std::string text(int column) const; // NULL reads as ""
    std::optional<double> optReal(int column) const;
    std::optional<int> optInt(int column) const;
    std::optional<std::int64_t> optInt64(int column) const;

private:
    struct Finalizer {
        void operator()(sqlite3_stmt* stmt) const;
    };
    Database* m_db; // not owned: the Database outlives its statements
    std::unique_ptr<sqlite3_stmt, Finalizer> m_stmt;
};

// BEGIN IMMEDIATE ... COMMIT, or nothing when a transaction is already open (the writer batches
// several inserts in one). IMMEDIATE takes the write lock up front, so a busy database makes
// us wait in the busy handler rather than fail half-way with SQLITE_BUSY_SNAPSHOT.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction(); // rolls back unless committed
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_owner = false;
};

} // namespace t2i
