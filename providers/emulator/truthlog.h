// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "platformtypes.h"

#include <nlohmann/json_fwd.hpp>

#include <fstream>
#include <string>

namespace t2i {

// The ground-truth file: one JSON object per finished job, written and flushed as the job
// finishes (a crashed run keeps what it had), and the ledger as the last line.
class TruthLog {
public:
    // Truncates `path`; throws std::runtime_error if it cannot be written.
    explicit TruthLog(const std::string& path);

    void write(const JobTruth& truth);
    void writeLedger(const Ledger& ledger);

    static nlohmann::json toJson(const JobTruth& truth);
    static nlohmann::json toJson(const Ledger& ledger);

private:
    void writeLine(const std::string& line);
    std::ofstream m_out;
    std::string m_path;
};

} // namespace t2i
