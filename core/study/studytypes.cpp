// SPDX-License-Identifier: Apache-2.0
#include "study/studytypes.h"

#include "study/capacitystudy.h"
#include "study/coldstartstudy.h"
#include "study/deploystudy.h"
#include "study/idletimeoutstudy.h"
#include "study/localstartstudy.h"
#include "study/prewarmstudy.h"
#include "study/saturationstudy.h"
#include "study/scalingstudy.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace t2i {

const std::vector<StudyType>& studyTypes()
{
    // One entry per study; each study's file says how it works and docs/studies.md why.
    static const std::vector<StudyType> types = [] {
        std::vector<StudyType> t;
        t.push_back(coldStartStudyType());
        t.push_back(idleTimeoutStudyType());
        t.push_back(prewarmStudyType());
        t.push_back(scalingStudyType());
        t.push_back(capacityStudyType());
        t.push_back(saturationStudyType());
        t.push_back(deployStudyType());
        t.push_back(localStartStudyType());
        return t;
    }();
    return types;
}

const StudyType* findStudyType(std::string_view kind)
{
    for (const StudyType& t : studyTypes())
        if (t.kind == kind)
            return &t;
    return nullptr;
}

namespace {

using nlohmann::json;

std::string kindWords(StudyParam::Kind kind)
{
    switch (kind) {
    case StudyParam::Kind::Number:
        return "a number";
    case StudyParam::Kind::Integer:
        return "an integer";
    case StudyParam::Kind::Boolean:
        return "true or false";
    case StudyParam::Kind::String:
        return "a string";
    case StudyParam::Kind::NumberList:
        return "a list of numbers";
    }
    return "a value";
}

std::string bounds(const StudyParam& p)
{
    std::ostringstream out;
    if (p.min && p.max)
        out << " from " << *p.min << " to " << *p.max;
    else if (p.min)
        out << " >= " << *p.min;
    else if (p.max)
        out << " <= " << *p.max;
    return out.str();
}

bool inBounds(const StudyParam& p, double v)
{
    return std::isfinite(v) && (!p.min || v >= *p.min) && (!p.max || v <= *p.max);
}

// Whether v suits p (numbers within the bounds).
bool fits(const StudyParam& p, const json& v)
{
    switch (p.kind) {
    case StudyParam::Kind::Number:
        return v.is_number() && inBounds(p, v.get<double>());
    case StudyParam::Kind::Integer:
        return v.is_number_integer() && inBounds(p, v.get<double>());
    case StudyParam::Kind::Boolean:
        return v.is_boolean();
    case StudyParam::Kind::String:
        return v.is_string() && !v.get<std::string>().empty();
    case StudyParam::Kind::NumberList:
        return v.is_array() && !v.empty()
            && std::all_of(v.begin(), v.end(), [&](const json& e) { return e.is_number() && inBounds(p, e); });
    }
    return false;
}

// A command-line value read by the parameter's kind; null when it does not parse.
json parseValue(const StudyParam& p, const std::string& text)
{
    if (p.kind == StudyParam::Kind::String)
        return text;
    if (p.kind == StudyParam::Kind::NumberList) {
        json list = json::array();
        std::stringstream in(text);
        for (std::string item; std::getline(in, item, ',');) {
            const json v = json::parse(item, nullptr, false);
            if (!v.is_number())
                return nullptr;
            list.push_back(v);
        }
        return list;
    }
    const json v = json::parse(text, nullptr, false);
    return v.is_discarded() ? json(nullptr) : v;
}

std::string nearest(const StudyType& type, const std::string& key)
{
    for (const StudyParam& p : type.params) {
        const std::string& k = p.key;
        if (k.find(key) != std::string::npos || key.find(k) != std::string::npos)
            return " (did you mean \"" + k + "\"?)";
    }
    return {};
}

} // namespace

json resolveStudyParams(const StudyType& type, const json& fromConfig,
    const std::vector<std::pair<std::string, std::string>>& fromCommandLine, std::vector<std::string>& errors)
{
    const std::string path = "studies." + type.kind;
    json params = json::object();
    for (const StudyParam& p : type.params)
        params[p.key] = p.defaultValue;
    const auto find = [&](const std::string& key) {
        return std::find_if(type.params.begin(), type.params.end(), [&](const StudyParam& p) { return p.key == key; });
    };
    const auto expected = [](const StudyParam& p) { return "must be " + kindWords(p.kind) + bounds(p); };
    if (!fromConfig.is_null() && !fromConfig.is_object())
        errors.push_back(path + ": must be an object of the study's parameters");
    else if (fromConfig.is_object())
        for (const auto& [key, value] : fromConfig.items()) {
            const auto p = find(key);
            if (p == type.params.end())
                errors.push_back(
                    path + "." + key + ": unknown parameter of the " + type.kind + " study" + nearest(type, key));
            else if (!fits(*p, value))
                errors.push_back(path + "." + key + ": " + expected(*p) + " (got " + value.dump() + ")");
            else
                params[key] = value;
        }
    for (const auto& [key, text] : fromCommandLine) {
        const auto p = find(key);
        if (p == type.params.end()) {
            errors.push_back(
                "--param " + key + ": unknown parameter of the " + type.kind + " study" + nearest(type, key));
            continue;
        }
        const json value = parseValue(*p, text);
        if (!fits(*p, value))
            errors.push_back("--param " + key + "=" + text + ": " + expected(*p));
        else
            params[key] = value;
    }
    for (const StudyParam& p : type.params)
        if (params[p.key].is_null())
            errors.push_back(path + "." + p.key + ": required (" + p.help + ")");
    return params;
}

} // namespace t2i
