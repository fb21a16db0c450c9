// SPDX-License-Identifier: Apache-2.0
#include "apppayload.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace t2i {
namespace {

using nlohmann::json;

json placeholderValue(std::string_view name, const Job& job)
{
    const VariantConfig& v = job.variant;
    if (name == "prompt")
        return job.prompt;
    if (name == "seed")
        return job.seed;
    if (name == "width")
        return v.width;
    if (name == "height")
        return v.height;
    if (name == "steps")
        return v.steps;
    if (name == "guidance")
        return v.guidance;
    if (name == "images")
        return v.images;
    return nullptr;
}

std::string asText(const json& value)
{
    return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string fillString(const std::string& text, const Job& job)
{
    std::string out;
    std::size_t at = 0;
    while (true) {
        const std::size_t open = text.find("{{", at);
        const std::size_t close = open == std::string::npos ? open : text.find("}}", open + 2);
        if (close == std::string::npos) {
            out += text.substr(at);
            return out;
        }
        const std::string name = text.substr(open + 2, close - open - 2);
        const json value = placeholderValue(name, job);
        out += text.substr(at, open - at);
        out += value.is_null() ? text.substr(open, close + 2 - open) : asText(value);
        at = close + 2;
    }
}

// A number of seconds as ms, rounded to the microsecond so that x1000 adds no binary noise.
std::optional<double> numberAt(const json& body, const std::string& pointer, double scale)
{
    const json* value = valueAt(body, pointer);
    if (!value || !value->is_number())
        return std::nullopt;
    return std::round(value->get<double>() * scale * 1e3) / 1e3;
}

bool takeOne(const json& item, JobState& job)
{
    if (item.is_string())
        return job.takeImage(item.get<std::string>());
    if (!item.is_object())
        return false;
    for (const char* key : { "url", "data", "image", "b64_json", "base64" }) {
        const auto it = item.find(key);
        if (it != item.end() && it->is_string() && job.takeImage(it->get<std::string>()))
            return true;
    }
    return false;
}

} // namespace

const std::vector<std::string_view>& payloadPlaceholders()
{
    static const std::vector<std::string_view> names
        = { "prompt", "seed", "width", "height", "steps", "guidance", "images" };
    return names;
}

json fillPayloadTemplate(const json& bodyTemplate, const Job& job)
{
    if (bodyTemplate.is_string()) {
        const std::string& text = bodyTemplate.get_ref<const std::string&>();
        if (text.size() > 4 && text.starts_with("{{") && text.ends_with("}}")
            && text.find("{{", 2) == std::string::npos) {
            json value = placeholderValue(std::string_view(text).substr(2, text.size() - 4), job);
            if (!value.is_null())
                return value;
        }
        return fillString(text, job);
    }
    if (bodyTemplate.is_object()) {
        json out = json::object();
        for (const auto& [key, value] : bodyTemplate.items())
            out[key] = fillPayloadTemplate(value, job);
        return out;
    }
    if (bodyTemplate.is_array()) {
        json out = json::array();
        for (const json& value : bodyTemplate)
            out.push_back(fillPayloadTemplate(value, job));
        return out;
    }
    return bodyTemplate;
}

const json* valueAt(const json& body, const std::string& pointer)
{
    if (pointer.empty() || pointer[0] != '/')
        return nullptr;
    try {
        const json::json_pointer ptr(pointer);
        if (!body.contains(ptr))
            return nullptr;
        return &body.at(ptr);
    } catch (const json::exception&) {
        return nullptr; // a malformed pointer, or an index into something that is not an array
    }
}

AppOutputSpec AppOutputSpec::withConfig(const json& extract) const
{
    AppOutputSpec spec = *this;
    if (!extract.is_object())
        return spec;
    const auto read = [&extract](const char* key, std::string& into) {
        const auto it = extract.find(key);
        if (it != extract.end() && it->is_string())
            into = it->get<std::string>();
    };
    if (const auto it = extract.find("image"); it != extract.end() && it->is_string()) {
        spec.imagePointers.clear();
        if (!it->get_ref<const std::string&>().empty())
            spec.imagePointers.push_back(it->get<std::string>());
    }
    read("exec_s", spec.execSecondsPointer);
    read("exec_ms", spec.execMsPointer);
    read("queue_ms", spec.queueMsPointer);
    read("worker_id", spec.workerIdPointer);
    // One execution time: a configured exec_ms replaces the default exec_s and the other way round.
    if (extract.contains("exec_ms") && !extract.contains("exec_s"))
        spec.execSecondsPointer.clear();
    if (extract.contains("exec_s") && !extract.contains("exec_ms"))
        spec.execMsPointer.clear();
    return spec;
}

std::string AppOutputSpec::describeImagePointers() const
{
    if (imagePointers.empty())
        return "(no image pointer configured)";
    std::string out;
    for (const std::string& p : imagePointers)
        out += (out.empty() ? "" : " or ") + p;
    return out;
}

bool readAppOutput(const json& body, const AppOutputSpec& spec, JobState& job)
{
    if (auto ms = numberAt(body, spec.execSecondsPointer, 1000.0))
        job.execMs = ms;
    else if (auto direct = numberAt(body, spec.execMsPointer, 1.0))
        job.execMs = direct;
    if (auto queue = numberAt(body, spec.queueMsPointer, 1.0))
        job.queueMs = queue;
    if (const json* worker = valueAt(body, spec.workerIdPointer);
        worker && (worker->is_string() || worker->is_number()))
        job.workerId = asText(*worker);
    for (const std::string& pointer : spec.imagePointers) {
        const json* value = valueAt(body, pointer);
        if (!value)
            continue;
        bool took = false;
        if (value->is_array()) {
            for (const json& item : *value)
                took = takeOne(item, job) || took;
        } else {
            took = takeOne(*value, job);
        }
        if (took)
            return true;
    }
    return false;
}

bool isImageContentType(std::string_view contentType)
{
    std::string lower(contentType.substr(0, 6));
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return lower == "image/";
}

std::string errorExcerpt(const std::string& body)
{
    const json parsed = json::parse(body, nullptr, false);
    std::string text;
    if (parsed.is_object()) {
        for (const char* key : { "error", "detail", "message" }) {
            const auto it = parsed.find(key);
            if (it != parsed.end() && !it->is_null()) {
                text = asText(*it);
                break;
            }
        }
    }
    if (text.empty())
        text = body;
    std::replace(text.begin(), text.end(), '\n', ' ');
    if (text.size() > 300)
        text = text.substr(0, 297) + "...";
    return text;
}

} // namespace t2i
