// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/study.h"
#include "study/studyresult.h"

#include <string>

namespace t2i {

// A study as `t2ibench-cli studies ID` prints it: what it was, its answer, the findings, its
// tables aligned as text, the notes on its method, and the runs it made.
std::string formatStudyText(const StudyInfo& info, const StudyResult& result);
// One line for the list: id, status, kind, provider/variant, created, the answer cut short.
std::string formatStudyLine(const StudyInfo& info, const StudyResult* result);
// Aligned columns, the header underlined with dashes.
std::string formatTextTable(const StudyTable& table);

} // namespace t2i
