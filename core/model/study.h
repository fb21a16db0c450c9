// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace t2i {

// A study's place in the library (the studies table, docs/schema.md): the experiment it was,
// where it stands, and the runs it made, each with the role it played.
enum class StudyStatus { Running, Completed, Failed, Cancelled, Interrupted };

struct StudyRunRef {
    std::string runId;
    std::string role; // "probe 3: 2.5 s idle", "strategy ping", "rate 4.0/s" ...
};

struct StudyInfo {
    std::string id;
    std::string kind; // "idle_timeout", "cold_start", ... (core/study/studytypes.h)
    std::string configName;
    std::string providerId;
    std::string variantId;
    StudyStatus status = StudyStatus::Running;
    std::string created; // ISO-8601 UTC
    std::string finished; // "" while running
    std::string message; // why it failed or stopped; "" otherwise
    std::string paramsJson; // the parameters it ran with, defaults filled in
    std::string resultJson; // its StudyResult (core/study/studyresult.h); "" until it ends
    std::vector<StudyRunRef> runs; // in the order they were made
};

std::string_view toString(StudyStatus status);
bool studyStatusFromString(std::string_view text, StudyStatus& out);

} // namespace t2i
