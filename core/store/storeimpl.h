// SPDX-License-Identifier: Apache-2.0
#pragma once

// Store's private state, shared by the .cpp files that implement it (runs and records).

#include "sqlitehandle.h"
#include "store/store.h"
#include "util/runids.h"

#include <chrono>
#include <optional>

namespace t2i {

struct Store::Impl {
    Impl(const std::string& file, bool create)
        : db(file, std::chrono::milliseconds(5000), create)
    {
    }

    Database db; // declared first: the cached statements below are finalized before it closes
    int interrupted = 0;
    // Prepared once per connection: these run once per row or once per second.
    std::optional<Statement> insertRecord;
    std::optional<Statement> insertSample;
    std::optional<Statement> heartbeat;

    Statement& cached(std::optional<Statement>& slot, std::string_view sql)
    {
        if (!slot)
            slot.emplace(db, sql);
        return slot->reset();
    }
};

// liveness.cpp. Wall clock: heartbeats are compared across processes, so cannot be monotonic.
std::int64_t unixMsNow();
std::string isoUtcFromUnixMs(std::int64_t unixMs); // "2026-01-31T12:34:56Z"
// Marks "running" runs whose owner is gone (see docs/schema.md); returns how many.
int markInterrupted(Database& db);

} // namespace t2i
