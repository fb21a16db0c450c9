// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "study/studycontext.h"
#include "study/studyresult.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace t2i {

// One parameter of a study: config "studies": {"<kind>": {"<key>": value}} or the command
// line's --param key=value. docs/studies.md lists them; tst_studyresult checks that it does.
struct StudyParam {
    enum class Kind { Number, Integer, Boolean, String, NumberList };
    std::string key;
    Kind kind = Kind::Number;
    nlohmann::json defaultValue; // null: required
    std::string help;
    std::optional<double> min; // numbers: the least allowed (inclusive)
    std::optional<double> max;
};

struct StudyType {
    std::string kind; // "idle_timeout", as typed on the command line and in the config
    std::string title; // "Idle timeout"
    std::string summary; // one line: the question it answers
    std::vector<StudyParam> params;
    std::function<StudyResult(StudyContext&)> run;
};

const std::vector<StudyType>& studyTypes(); // every study, in the order docs/studies.md gives
const StudyType* findStudyType(std::string_view kind);

// The parameters a study runs with: the defaults, then the configuration's object, then the
// command line's key=value pairs (strings, parsed by each key's kind). Problems go to errors
// as "studies.<kind>.<key>: ..." (the config's path) and the result is then unusable.
nlohmann::json resolveStudyParams(const StudyType& type, const nlohmann::json& fromConfig,
    const std::vector<std::pair<std::string, std::string>>& fromCommandLine, std::vector<std::string>& errors);

} // namespace t2i
