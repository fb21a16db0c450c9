// SPDX-License-Identifier: Apache-2.0
#include "jsonwriter.h"

#include "answertext.h"

namespace t2i {

std::string jsonQuoted(std::string_view text)
{
    static constexpr char kHex[] = "0123456789abcdef";
    const std::string valid = isValidUtf8(text) ? std::string(text) : safeText(text);
    std::string out;
    out.reserve(valid.size() + 2);
    out += '"';
    for (const char c : valid) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (byte < 0x20) {
            out += "\\u00";
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
        } else {
            out += c;
        }
    }
    out += '"';
    return out;
}

void JsonObjectWriter::key(std::string_view name)
{
    if (m_text.size() > 1)
        m_text += ',';
    m_text += jsonQuoted(name);
    m_text += ':';
}

JsonObjectWriter& JsonObjectWriter::add(std::string_view name, std::string_view value)
{
    key(name);
    m_text += jsonQuoted(value);
    return *this;
}

JsonObjectWriter& JsonObjectWriter::add(std::string_view name, std::int64_t value)
{
    key(name);
    m_text += std::to_string(value);
    return *this;
}

JsonObjectWriter& JsonObjectWriter::addJson(std::string_view name, std::string_view json)
{
    if (json.empty())
        return *this;
    key(name);
    m_text += json;
    return *this;
}

} // namespace t2i
