// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/study.h"
#include "study/studyresult.h"

#include <string>
#include <vector>

namespace t2i {

// The studies of a library side by side, one row per provider x variant, in the form the
// platform studies we replace print them ("cold start 8.2 s -> 1.4 s pre-warmed", "max replicas
// 12 / 32 / 48", "43 req/s at the SLA"): each column is one finding of one study kind, taken
// from the newest completed study of that kind for the row. Columns no study fills are left out.
struct SummaryColumn {
    std::string kind; // the study
    std::string key; // its finding
    std::string header;
};

const std::vector<SummaryColumn>& summaryColumns();

struct StudyWithResult {
    StudyInfo info;
    StudyResult result;
};

// studies newest first (as Store::listStudies gives them).
StudyTable summarizeStudies(const std::vector<StudyWithResult>& studies);

} // namespace t2i
