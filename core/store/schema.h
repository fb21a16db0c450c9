// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>
#include <string_view>

namespace t2i {

class Database;

// One step of the schema's history: the SQL that takes a database from version - 1 to version.
// Steps are never edited once released; a change of schema is a new step appended to the list.
struct Migration {
    int version;
    std::string_view sql;
};

std::span<const Migration> migrations(); // in order, versions 1, 2, ...
int latestSchemaVersion();

// Brings the database to latestSchemaVersion() (PRAGMA user_version), applying the missing
// steps in order inside one IMMEDIATE transaction, so two processes opening a new file at once
// cannot both migrate it and a failed step leaves the file as it was.
// Throws StoreError when the file was written by a newer t2ibench (its version is higher).
void migrate(Database& db);

// The version stored in the file; 0 for a new or foreign database.
int userVersion(Database& db);

} // namespace t2i
