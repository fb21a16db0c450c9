// SPDX-License-Identifier: Apache-2.0
#include "sqlitehandle.h"

#include <sqlite3.h>

#include <limits>

namespace t2i {

namespace {
// The start of a statement on one line, to say in an error which statement failed.
std::string brief(std::string_view sql)
{
    std::string out;
    for (const char c : sql) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space && (out.empty() || out.back() == ' '))
            continue;
        out += space ? ' ' : c;
        if (out.size() >= 60)
            return out + "...";
    }
    return out;
}
} // namespace

Database::Database(std::string path, std::chrono::milliseconds busyTimeout, bool create)
    : m_path(std::move(path))
{
    sqlite3* raw = nullptr;
    // NOMUTEX: a Store is used by one thread at a time, so sqlite's per-connection lock is waste.
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(m_path.c_str(), &raw, flags, nullptr);
    m_db.reset(raw); // even a failed open hands back a handle that must be closed
    if (rc != SQLITE_OK) {
        if (!raw)
            throw StoreError(m_path + ": cannot open database: out of memory");
        fail("cannot open database");
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, static_cast<int>(busyTimeout.count()));
}

Database::~Database() = default;

void Database::Closer::operator()(sqlite3* db) const
{
    // close_v2 defers the close until every statement is finalized, so order never matters.
    sqlite3_close_v2(db);
}

void Database::exec(const std::string& sql)
{
    char* message = nullptr;
    if (sqlite3_exec(m_db.get(), sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errmsg(m_db.get());
        sqlite3_free(message);
        throw StoreError(m_path + ": " + text + " (in: " + brief(sql) + ")");
    }
}

Statement Database::prepare(std::string_view sql)
{
    return Statement(*this, sql);
}

std::int64_t Database::changes() const
{
    return sqlite3_changes64(m_db.get());
}

bool Database::inTransaction() const
{
    return sqlite3_get_autocommit(m_db.get()) == 0;
}

void Database::fail(std::string_view what) const
{
    throw StoreError(m_path + ": " + std::string(what) + ": " + sqlite3_errmsg(m_db.get()));
}

Statement::Statement(Database& db, std::string_view sql)
    : m_db(&db)
{
    sqlite3_stmt* raw = nullptr;
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw StoreError(db.path() + ": statement too long");
    // PERSISTENT: cached statements live for the whole connection.
    if (sqlite3_prepare_v3(
            db.handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw, nullptr)
        != SQLITE_OK)
        db.fail("cannot prepare \"" + brief(sql) + "\"");
    m_stmt.reset(raw);
}

void Statement::Finalizer::operator()(sqlite3_stmt* stmt) const
{
    sqlite3_finalize(stmt);
}

Statement& Statement::reset()
{
    // reset() reports the error of the last step again; that error was already thrown there.
    sqlite3_reset(m_stmt.get());
    sqlite3_clear_bindings(m_stmt.get());
    return *this;
}

void Statement::bindNull(int index)
{
    if (sqlite3_bind_null(m_stmt.get(), index) != SQLITE_OK)
        m_db->fail("cannot bind");
}

void Statement::bindInt64(int index, std::int64_t value)
{
    if (sqlite3_bind_int64(m_stmt.get(), index, value) != SQLITE_OK)
        m_db->fail("cannot bind");
}

void Statement::bind(int index, double value)
{
    if (sqlite3_bind_double(m_stmt.get(), index, value) != SQLITE_OK)
        m_db->fail("cannot bind");
}

void Statement::bind(int index, std::string_view value)
{
    if (sqlite3_bind_text64(m_stmt.get(), index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8)
        != SQLITE_OK)
        m_db->fail("cannot bind");
}

bool Statement::step()
{
    switch (sqlite3_step(m_stmt.get())) {
    case SQLITE_ROW:
        return true;
    case SQLITE_DONE:
        return false;
    default: {
        // Take the message before reset() so it names the failing step, then leave the
        // statement reusable.
        const std::string message = sqlite3_errmsg(m_db->handle());
        sqlite3_reset(m_stmt.get());
        throw StoreError(m_db->path() + ": " + message);
    }
    }
}

void Statement::run()
{
    while (step()) { }
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt.get(), column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt.get(), column);
}

std::string Statement::text(int column) const
{
    const auto* data = sqlite3_column_text(m_stmt.get(), column);
    if (!data)
        return {};
    const int size = sqlite3_column_bytes(m_stmt.get(), column);
    return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::optional<double> Statement::optReal(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<double>(real(column));
}

std::optional<int> Statement::optInt(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<int>(int32(column));
}

std::optional<std::int64_t> Statement::optInt64(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<std::int64_t>(int64(column));
}

Transaction::Transaction(Database& db)
    : m_db(db)
{
    if (!m_db.inTransaction()) {
        m_db.exec("BEGIN IMMEDIATE");
        m_owner = true;
    }
}

Transaction::~Transaction()
{
    if (m_owner && m_db.inTransaction())
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr); // no throw from a destructor
}

void Transaction::commit()
{
    if (m_owner) {
        m_db.exec("COMMIT");
        m_owner = false;
    }
}

} // namespace t2i
