// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "platformtypes.h"

#include <nlohmann/json_fwd.hpp>

#include <fstream>
#include <string>

namespace t2i {

// The ground-truth file: one JSON object per finished job, written and flushed as the job
// finishes (a crashed run keeps what it had), a {"utilization": ...} line whenever a worker's
// running count changes, and the ledger as the last line (docs/emulator.md, "The ground truth").
class TruthLog {
public:
    // Truncates `path`; throws std::runtime_error if it cannot be written.
    explicit TruthLog(const std::string& path);

    void write(const JobTruth& truth);
    void write(const UtilizationChange& change);
    void writeLedger(const Ledger& ledger);

    static nlohmann::json toJson(const JobTruth& truth);
    static nlohmann::json toJson(const Ledger& ledger);
    static nlohmann::json toJson(const UtilizationChange& change);

private:
    void writeLine(const std::string& line);
    std::ofstream m_out;
    std::string m_path;
};

} // namespace t2i
