// SPDX-License-Identifier: Apache-2.0
// Small JSON objects written field by field, for what an adapter keeps between answers
// (JobState::scratch) and reads back with JsonDoc: no DOM, no exception.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace t2i {

// A JSON string literal of the text, quotes included; bytes that are not valid UTF-8 become
// U+FFFD (a header value may hold anything).
std::string jsonQuoted(std::string_view text);

class JsonObjectWriter {
public:
    JsonObjectWriter& add(std::string_view key, std::string_view value);
    JsonObjectWriter& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
    JsonObjectWriter& add(std::string_view key, std::int64_t value);
    // A value that is JSON already (as JsonDoc::json gives it); nothing is added for "".
    JsonObjectWriter& addJson(std::string_view key, std::string_view json);
    std::string str() const { return m_text + "}"; }

private:
    void key(std::string_view name);
    std::string m_text = "{";
};

} // namespace t2i
