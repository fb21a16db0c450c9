// SPDX-License-Identifier: Apache-2.0
#include "httptemplate.h"

#include "util/urlencode.h"

#include <algorithm>

namespace t2i {
namespace {

using nlohmann::json;

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    return s;
}

// Calls onText for literal runs and onName for each {{name}}; an unclosed "{{" is literal.
template <typename Text, typename Name> void scan(std::string_view text, Text onText, Name onName)
{
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t open = text.find("{{", at);
        const std::size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            onText(text.substr(at));
            return;
        }
        onText(text.substr(at, open - at));
        onName(trimmed(text.substr(open + 2, close - open - 2)), text.substr(open, close + 2 - open));
        at = close + 2;
    }
}

std::string written(const json& value, TemplateEscape escape)
{
    if (!value.is_string())
        return value.dump(); // numbers: 42, 7.5
    const auto& s = value.get_ref<const std::string&>();
    switch (escape) {
    case TemplateEscape::Json: {
        const std::string quoted = value.dump(); // nlohmann escapes quotes, backslashes and control characters
        return quoted.substr(1, quoted.size() - 2);
    }
    case TemplateEscape::Url:
        return percentEncode(s);
    case TemplateEscape::Plain:
        return s;
    case TemplateEscape::Header: {
        std::string out = s;
        std::replace_if(
            out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
        return out;
    }
    }
    return s;
}

// One pointer token, unescaped (~1 is '/', ~0 is '~').
std::string unescapeToken(std::string_view token)
{
    std::string out;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
            out += token[i + 1] == '0' ? '~' : '/';
            ++i;
        } else {
            out += token[i];
        }
    }
    return out;
}

std::optional<std::size_t> arrayIndex(const std::string& token)
{
    if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0'))
        return std::nullopt;
    if (!std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return std::stoul(token);
}

void walk(const json& at, const std::vector<std::string>& tokens, std::size_t next, std::vector<const json*>& out)
{
    if (next == tokens.size()) {
        out.push_back(&at);
        return;
    }
    const std::string& token = tokens[next];
    if (at.is_array()) {
        if (token == "*") {
            for (const json& element : at)
                walk(element, tokens, next + 1, out);
        } else if (const auto index = arrayIndex(token); index && *index < at.size()) {
            walk(at[*index], tokens, next + 1, out);
        }
    } else if (at.is_object()) {
        if (const auto it = at.find(token); it != at.end())
            walk(*it, tokens, next + 1, out);
    }
}

} // namespace

const std::vector<std::string>& httpPlaceholderNames()
{
    static const std::vector<std::string> names
        = { "prompt", "seed", "width", "height", "steps", "guidance", "images", "model", "api_key", "job_id" };
    return names;
}

std::optional<json> TemplateValues::value(std::string_view name) const
{
    if (name == "api_key")
        return json(apiKey);
    if (name == "job_id")
        return json(jobId);
    if (!job)
        return std::nullopt;
    const VariantConfig& v = job->variant;
    if (name == "prompt")
        return json(job->prompt);
    if (name == "seed")
        return json(job->seed);
    if (name == "width")
        return json(v.width);
    if (name == "height")
        return json(v.height);
    if (name == "steps")
        return json(v.steps);
    if (name == "guidance")
        return json(v.guidance);
    if (name == "images")
        return json(v.images);
    if (name == "model")
        return json(v.model);
    return std::nullopt;
}

std::string fillText(std::string_view text, const TemplateValues& values, TemplateEscape escape)
{
    std::string out;
    scan(
        text, [&](std::string_view literal) { out += literal; },
        [&](std::string_view name, std::string_view whole) {
            const auto value = values.value(name);
            out += value ? written(*value, escape) : std::string(whole);
        });
    return out;
}

json fillJson(const json& tmpl, const TemplateValues& values)
{
    if (tmpl.is_string()) {
        const auto& s = tmpl.get_ref<const std::string&>();
        const auto names = placeholdersIn(s);
        const std::string_view whole = trimmed(s);
        // Exactly one placeholder and nothing else: the value keeps its JSON type.
        if (names.size() == 1 && whole.starts_with("{{") && whole.ends_with("}}")
            && whole.find("{{", 2) == std::string_view::npos)
            if (auto value = values.value(names.front()))
                return *value;
        // The result is a JSON string again: nlohmann escapes it when the body is written.
        return json(fillText(s, values, TemplateEscape::Plain));
    }
    if (tmpl.is_object()) {
        json out = json::object();
        for (const auto& [key, value] : tmpl.items())
            out[key] = fillJson(value, values);
        return out;
    }
    if (tmpl.is_array()) {
        json out = json::array();
        for (const json& value : tmpl)
            out.push_back(fillJson(value, values));
        return out;
    }
    return tmpl;
}

std::vector<std::string> placeholdersIn(std::string_view text)
{
    std::vector<std::string> names;
    scan(
        text, [](std::string_view) {}, [&](std::string_view name, std::string_view) { names.emplace_back(name); });
    return names;
}

std::vector<const json*> resolvePointer(const json& document, const std::string& pointer)
{
    std::vector<const json*> out;
    if (!pointer.empty() && pointer.front() != '/')
        return out;
    std::vector<std::string> tokens;
    for (std::size_t at = 1; at <= pointer.size() && !pointer.empty();) {
        const std::size_t slash = pointer.find('/', at);
        const std::size_t end = slash == std::string::npos ? pointer.size() : slash;
        tokens.push_back(unescapeToken(std::string_view(pointer).substr(at, end - at)));
        at = end + 1;
    }
    walk(document, tokens, 0, out);
    return out;
}

} // namespace t2i
