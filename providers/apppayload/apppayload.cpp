// SPDX-License-Identifier: Apache-2.0
#include "apppayload.h"

#include "json/answertext.h"

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

// A number (of seconds, or ms) as ms, rounded to the microsecond so that x1000 adds no binary
// noise; a negative or non-finite one is no time at all.
std::optional<double> numberAt(const JsonDoc& body, const JsonPointer& base, const std::string& pointer, double scale)
{
    const auto at = appPointer(base, pointer);
    const auto value = at ? body.number(*at) : std::nullopt;
    if (!value || *value < 0)
        return std::nullopt;
    const double ms = std::round(*value * scale * 1e3) / 1e3;
    return std::isfinite(ms) ? std::optional<double>(ms) : std::nullopt;
}

bool takeOne(const JsonDoc& body, const JsonPointer& item, JobState& job)
{
    bool took = false;
    const auto take = [&](std::string_view text) { took = job.takeImage(text); };
    if (body.withString(item, take))
        return took;
    if (body.type(item) != JsonType::Object)
        return false;
    for (const char* key : { "url", "data", "image", "b64_json", "base64" })
        if (body.withString(item / key, take) && took)
            return true;
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

std::optional<JsonPointer> appPointer(const JsonPointer& base, const std::string& pointer)
{
    if (pointer.empty() || pointer[0] != '/')
        return std::nullopt;
    return JsonPointer(base.str() + pointer);
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

bool readAppOutput(const JsonDoc& body, const AppOutputSpec& spec, JobState& job, const JsonPointer& base)
{
    if (auto ms = numberAt(body, base, spec.execSecondsPointer, 1000.0))
        job.execMs = ms;
    else if (auto direct = numberAt(body, base, spec.execMsPointer, 1.0))
        job.execMs = direct;
    if (auto queue = numberAt(body, base, spec.queueMsPointer, 1.0))
        job.queueMs = queue;
    if (const auto worker = appPointer(base, spec.workerIdPointer)) {
        const JsonValue value = body.at(*worker);
        if (value.isString() || value.isNumber())
            job.workerId = safeText(value.text(), 200);
    }
    for (const std::string& pointer : spec.imagePointers) {
        const auto at = appPointer(base, pointer);
        if (!at)
            continue;
        bool took = false;
        if (body.type(*at) == JsonType::Array) {
            const std::size_t n = body.elements(*at);
            for (std::size_t i = 0; i < n; ++i)
                took = takeOne(body, *at / i, job) || took;
        } else {
            took = takeOne(body, *at, job);
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
    const JsonDoc parsed(body);
    std::string text;
    if (parsed.rootType() == JsonType::Object) {
        for (const char* key : { "/error", "/detail", "/message" }) {
            if (const JsonType type = parsed.type(key); type != JsonType::Absent && type != JsonType::Null) {
                text = parsed.text(key, 4000);
                break;
            }
        }
    }
    if (text.empty())
        text = bodyExcerpt(body, 4000);
    std::replace(text.begin(), text.end(), '\n', ' ');
    return safeText(text, 300);
}

} // namespace t2i
