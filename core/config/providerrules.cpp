// SPDX-License-Identifier: Apache-2.0
#include "config/providerrules.h"

#include <algorithm>

namespace t2i::configcheck {

namespace {

// The validators match by hand, not with std::regex: libstdc++'s matcher recurses once per
// character and overflows the stack on a long string (found by tests/fuzz, docs/testing.md).
bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

} // namespace

const json* objectAt(const json& obj, std::string_view key)
{
    const auto it = obj.find(key);
    return it != obj.end() && it->is_object() ? &*it : nullptr;
}

const std::string* stringAt(const json& obj, std::string_view key)
{
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
        return nullptr;
    return &it->get_ref<const std::string&>();
}

bool isOwnerName(const std::string& s)
{
    const std::size_t slash = s.find('/');
    return slash != std::string::npos && slash > 0 && slash + 1 < s.size()
        && s.find('/', slash + 1) == std::string::npos && std::none_of(s.begin(), s.end(), isSpace);
}

bool isJsonPointer(const std::string& pointer)
{
    try {
        json::json_pointer parsed(pointer);
        (void)parsed;
        return true;
    } catch (const json::exception&) {
        return false;
    }
}

std::vector<std::string> placeholderNames(const std::string& text)
{
    std::vector<std::string> names;
    for (std::size_t at = text.find("{{"); at != std::string::npos;) {
        const std::size_t end = text.find('}', at + 2);
        if (end != std::string::npos && end + 1 < text.size() && text[end + 1] == '}') {
            names.push_back(text.substr(at + 2, end - at - 2));
            at = text.find("{{", end + 2);
        } else {
            at = text.find("{{", at + 1);
        }
    }
    return names;
}

void checkBodyPlaceholders(Checker& check, const json& value, const std::string& path)
{
    static const std::vector<std::string> known
        = { "prompt", "seed", "width", "height", "steps", "guidance", "images" };
    if (value.is_object()) {
        for (const auto& [key, item] : value.items())
            checkBodyPlaceholders(check, item, child(path, key));
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i)
            checkBodyPlaceholders(check, value[i], element(path, i));
    } else if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        for (const std::string& name : placeholderNames(text))
            if (std::find(known.begin(), known.end(), name) == known.end())
                check.error(path, "unknown placeholder {{" + name + "}} (known: " + joinQuoted(known) + ")");
    }
}

void checkBodyTemplate(Checker& check, const json& obj, const std::string& path)
{
    if (const json* body = objectAt(obj, "body_template"))
        checkBodyPlaceholders(check, *body, child(path, "body_template"));
}

void checkExtract(Checker& check, const json& obj, const std::string& path, const std::vector<std::string_view>& names)
{
    const json* extract = objectAt(obj, "extract");
    if (!extract)
        return;
    const std::string at = child(path, "extract");
    for (const auto& [name, pointer] : extract->items()) {
        const bool ok = pointer.is_string()
            && (pointer.get_ref<const std::string&>().empty() || pointer.get_ref<const std::string&>()[0] == '/');
        if (!ok)
            check.error(child(at, name),
                "must be a JSON pointer such as \"/images/0\", or \"\" (got " + describe(pointer) + ")");
    }
    check.checkKeys(*extract, at, names, "extract");
}

void checkBoolean(
    Checker& check, const json& obj, const std::string& path, std::string_view key, std::string_view message)
{
    const auto it = obj.find(key);
    if (it != obj.end() && !it->is_boolean())
        check.error(child(path, key), std::string(message));
}

} // namespace t2i::configcheck
