// SPDX-License-Identifier: Apache-2.0
#include "jsondoc.h"

#include "answertext.h"
#include "engine/adapter.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace t2i {
namespace {

namespace od = simdjson::ondemand;

static_assert(kBodyPadding >= simdjson::SIMDJSON_PADDING, "a body with kBodyPadding room must be readable in place");

// ---- parsers -------------------------------------------------------------------------------
// An On-Demand parser owns the buffers a document is indexed into (about 5 bytes per byte of
// the largest body it read), so two documents alive at once need two parsers. Two per thread are
// kept for reuse (an answer and the notes in JobState::scratch); one that grew past kKeepBytes is
// let go rather than kept holding some 40 MB.
constexpr std::size_t kKeepBytes = std::size_t(8) << 20;
constexpr std::size_t kKeepParsers = 2;

std::vector<std::unique_ptr<od::parser>>& parserPool()
{
    thread_local std::vector<std::unique_ptr<od::parser>> pool;
    return pool;
}

std::unique_ptr<od::parser> takeParser()
{
    auto& pool = parserPool();
    if (pool.empty())
        return std::make_unique<od::parser>();
    auto parser = std::move(pool.back());
    pool.pop_back();
    return parser;
}

void giveBack(std::unique_ptr<od::parser> parser)
{
    auto& pool = parserPool();
    if (parser && parser->capacity() <= kKeepBytes && pool.size() < kKeepParsers)
        pool.push_back(std::move(parser));
}

// ---- checking the whole body once ----------------------------------------------------------

std::string describeError(simdjson::error_code code)
{
    switch (code) {
    case simdjson::EMPTY:
        return "an empty body";
    case simdjson::UTF8_ERROR:
        return "invalid UTF-8";
    case simdjson::UNCLOSED_STRING:
        return "a string is not closed (truncated?)";
    case simdjson::UNESCAPED_CHARS:
        return "a control character inside a string";
    case simdjson::TAPE_ERROR:
        return "malformed (a bracket, comma, colon or value is missing or misplaced)";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
        return "truncated (an array or object is not closed)";
    case simdjson::STRING_ERROR:
        return "a string with an invalid escape";
    case simdjson::DEPTH_ERROR:
        return "nested too deeply";
    case simdjson::CAPACITY:
    case simdjson::MEMALLOC:
        return "too large to read";
    default:
        return simdjson::error_message(code);
    }
}

std::string_view trimmedToken(std::string_view token)
{
    while (
        !token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' || token.back() == '\r'))
        token.remove_suffix(1);
    return token;
}

// RFC 8259 §6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool isJsonNumber(std::string_view s)
{
    std::size_t i = 0;
    const auto digits = [&] {
        const std::size_t from = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        return i > from;
    };
    if (i < s.size() && s[i] == '-')
        ++i;
    if (i < s.size() && s[i] == '0')
        ++i;
    else if (!digits())
        return false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digits())
            return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (!digits())
            return false;
    }
    return i == s.size();
}

// A node's raw JSON token (value and document spell it differently in simdjson 3.0).
bool tokenOf(od::value& value, std::string_view& token)
{
    token = value.raw_json_token();
    return true;
}

bool tokenOf(od::document& document, std::string_view& token)
{
    return !document.raw_json_token().get(token);
}

// A scalar's token, checked: literals spelled right, numbers as the grammar says, strings with
// valid escapes (stage 1 already saw them closed, in valid UTF-8, without control characters).
template <typename Node> std::string checkScalar(Node& node)
{
    std::string_view token;
    if (!tokenOf(node, token))
        return "a value is missing";
    token = trimmedToken(token);
    if (token.empty())
        return "a value is missing";
    switch (token.front()) {
    case '"':
        if (token.find('\\') != std::string_view::npos) {
            std::string_view unescaped;
            if (node.get_string().get(unescaped))
                return "a string with an invalid escape";
        }
        return {};
    case 't':
        return token == "true" ? std::string() : "invalid literal " + safeText(token, 20);
    case 'f':
        return token == "false" ? std::string() : "invalid literal " + safeText(token, 20);
    case 'n':
        return token == "null" ? std::string() : "invalid literal " + safeText(token, 20);
    default:
        return isJsonNumber(token) ? std::string() : "invalid value " + safeText(token, 20);
    }
}

std::string checkValue(od::value value, int depth);

template <typename Node> std::string checkContainer(Node& node, od::json_type type, int depth)
{
    if (depth > JsonDoc::kMaxDepth)
        return "nested deeper than " + std::to_string(JsonDoc::kMaxDepth) + " levels";
    if (type == od::json_type::array) {
        od::array array;
        if (const auto error = node.get_array().get(array))
            return describeError(error);
        for (auto element : array) {
            od::value value;
            if (const auto error = element.get(value))
                return describeError(error);
            if (std::string problem = checkValue(value, depth + 1); !problem.empty())
                return problem;
        }
        return {};
    }
    od::object object;
    if (const auto error = node.get_object().get(object))
        return describeError(error);
    for (auto member : object) {
        od::field field;
        if (const auto error = std::move(member).get(field))
            return describeError(error);
        std::string_view key;
        if (const auto error = field.unescaped_key().get(key))
            return describeError(error);
        if (std::string problem = checkValue(field.value(), depth + 1); !problem.empty())
            return problem;
    }
    return {};
}

std::string checkValue(od::value value, int depth)
{
    od::json_type type;
    if (const auto error = value.type().get(type))
        return describeError(error);
    if (type == od::json_type::array || type == od::json_type::object)
        return checkContainer(value, type, depth);
    return checkScalar(value);
}

// ---- reading one value ---------------------------------------------------------------------

JsonType typeOf(od::json_type type)
{
    switch (type) {
    case od::json_type::array:
        return JsonType::Array;
    case od::json_type::object:
        return JsonType::Object;
    case od::json_type::number:
        return JsonType::Number;
    case od::json_type::string:
        return JsonType::String;
    case od::json_type::boolean:
        return JsonType::Bool;
    case od::json_type::null:
        return JsonType::Null;
    }
    return JsonType::Absent;
}

template <typename Node> JsonType nodeType(Node& node)
{
    od::json_type type;
    if (node.type().get(type))
        return JsonType::Absent;
    return typeOf(type);
}

template <typename Node> std::size_t nodeSize(Node& node, JsonType type)
{
    std::size_t count = 0;
    if (type == JsonType::Array) {
        od::array array;
        if (node.get_array().get(array) || array.count_elements().get(count))
            return 0;
    } else if (type == JsonType::Object) {
        od::object object;
        if (node.get_object().get(object) || object.count_fields().get(count))
            return 0;
    }
    return count;
}

// The value's JSON text as it is in the body (containers whole, scalars as their token).
template <typename Node> std::optional<std::string_view> rawJson(Node& node, JsonType type)
{
    std::string_view raw;
    if (type == JsonType::Array) {
        od::array array;
        if (node.get_array().get(array) || array.raw_json().get(raw))
            return std::nullopt;
    } else if (type == JsonType::Object) {
        od::object object;
        if (node.get_object().get(object) || object.raw_json().get(raw))
            return std::nullopt;
    } else if (!tokenOf(node, raw)) {
        return std::nullopt;
    }
    return trimmedToken(raw);
}

// JSON without the whitespace between tokens.
std::string minified(std::string_view json)
{
    std::string out;
    out.reserve(json.size());
    bool inString = false;
    bool escaped = false;
    for (const char c : json) {
        if (inString) {
            out += c;
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
            out += c;
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            out += c;
        }
    }
    return out;
}

void readNumber(std::string_view token, double& number, bool& finite, std::optional<std::int64_t>& integer)
{
    double value = 0;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    finite = ec == std::errc() && end == token.data() + token.size() && std::isfinite(value);
    number = finite ? value : 0;
    integer.reset();
    const bool integral = token.find_first_of(".eE") == std::string_view::npos;
    if (integral) {
        std::int64_t whole = 0;
        const auto [intEnd, intEc] = std::from_chars(token.data(), token.data() + token.size(), whole);
        if (intEc == std::errc() && intEnd == token.data() + token.size()) {
            integer = whole;
            return;
        }
    }
    // 1e3 or 3.0: a whole number too, when it fits.
    if (finite && std::trunc(value) == value && std::fabs(value) < 9.2e18)
        integer = static_cast<std::int64_t>(value);
}

} // namespace

// ---- JsonPointer ---------------------------------------------------------------------------

JsonPointer::JsonPointer(const char* pointer)
    : m_pointer(pointer ? pointer : "")
{
}

JsonPointer::JsonPointer(std::string pointer)
    : m_pointer(std::move(pointer))
{
}

JsonPointer JsonPointer::operator/(std::string_view key) const
{
    std::string out = m_pointer + "/";
    for (const char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return JsonPointer(std::move(out));
}

JsonPointer JsonPointer::operator/(std::size_t index) const
{
    return JsonPointer(m_pointer + "/" + std::to_string(index));
}

JsonPointer JsonPointer::operator/(int index) const
{
    return JsonPointer(m_pointer + "/" + std::to_string(index));
}

std::string JsonPointer::name() const
{
    if (m_pointer.empty())
        return "the answer";
    std::string out;
    const std::string_view p = m_pointer;
    for (std::size_t i = p.front() == '/' ? 1 : 0; i < p.size(); ++i) {
        if (p[i] == '/')
            out += '.';
        else if (p[i] == '~' && i + 1 < p.size() && (p[i + 1] == '0' || p[i + 1] == '1'))
            out += p[++i] == '0' ? '~' : '/';
        else
            out += p[i];
    }
    return out.empty() ? "\"\"" : safeText(out, 120);
}

// ---- JsonValue -----------------------------------------------------------------------------

std::optional<std::string> JsonValue::string() const
{
    if (m_type != JsonType::String)
        return std::nullopt;
    return m_text;
}

std::optional<double> JsonValue::number() const
{
    if (m_type != JsonType::Number || !m_finite)
        return std::nullopt;
    return m_number;
}

std::optional<std::int64_t> JsonValue::integer() const
{
    if (m_type != JsonType::Number)
        return std::nullopt;
    return m_integer;
}

std::optional<bool> JsonValue::boolean() const
{
    if (m_type != JsonType::Bool)
        return std::nullopt;
    return m_text == "true";
}

std::string JsonValue::text() const
{
    switch (m_type) {
    case JsonType::String:
    case JsonType::Number:
    case JsonType::Bool:
        return m_text;
    default:
        return {};
    }
}

std::string JsonValue::describe() const
{
    switch (m_type) {
    case JsonType::Absent:
        return "missing";
    case JsonType::Null:
        return "null";
    case JsonType::Bool:
        return m_text;
    case JsonType::Number:
        return m_finite ? "the number " + safeText(m_text, 40) : "a number out of range (" + safeText(m_text, 40) + ")";
    case JsonType::String:
        return m_text.empty() ? "an empty string" : "the string \"" + safeText(m_text, 60) + "\"";
    case JsonType::Array:
        return m_size == 0 ? "an empty array"
                           : "an array of " + std::to_string(m_size) + (m_size == 1 ? " element" : " elements");
    case JsonType::Object:
        return m_size == 0 ? "an empty object" : "an object";
    }
    return "missing";
}

std::string JsonValue::mismatch(std::string_view expected) const
{
    return m_pointer.name() + " is " + describe() + " (expected " + std::string(expected) + ")";
}

// ---- JsonDoc -------------------------------------------------------------------------------

struct JsonDoc::Impl {
    std::unique_ptr<od::parser> parser = takeParser();
    simdjson::padded_string copy;
    od::document doc;

    ~Impl() { giveBack(std::move(parser)); }

    // Calls f with the node at pointer (the document itself for ""), rewound first.
    template <typename F> auto visit(const JsonPointer& pointer, F&& f) -> decltype(f(doc))
    {
        doc.rewind();
        if (pointer.isRoot())
            return f(doc);
        od::value value;
        if (doc.at_pointer(pointer.str()).get(value))
            return decltype(f(doc)) {};
        return f(value);
    }
};

JsonDoc::JsonDoc(const std::string& body)
{
    try {
        auto impl = std::make_unique<Impl>();
        simdjson::padded_string_view view;
        if (body.capacity() - body.size() >= simdjson::SIMDJSON_PADDING) {
            view = simdjson::padded_string_view(body.data(), body.size(), body.capacity());
        } else {
            impl->copy = simdjson::padded_string(body.data(), body.size());
            if (impl->copy.size() != body.size() || (body.size() > 0 && !impl->copy.data())) {
                m_error = "too large to read";
                return;
            }
            view = simdjson::padded_string_view(
                impl->copy.data(), impl->copy.size(), impl->copy.size() + simdjson::SIMDJSON_PADDING);
        }
        if (body.empty()) {
            m_error = describeError(simdjson::EMPTY);
            return;
        }
        // A body that cannot start a JSON value says so plainly (an HTML error page, plain text).
        const std::size_t first = body.find_first_not_of(" \t\r\n");
        if (first == std::string::npos) {
            m_error = "only whitespace";
            return;
        }
        if (std::string_view("{[\"-0123456789tfn").find(body[first]) == std::string_view::npos) {
            const char c = body[first];
            m_error = c == '<' ? "not JSON (it starts with '<': an HTML or XML page?)"
                : static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f
                ? std::string("not JSON (it starts with '") + c + "')"
                : "not JSON (it starts with the byte " + std::to_string(static_cast<unsigned char>(c)) + ")";
            return;
        }
        if (const auto error = impl->parser->iterate(view).get(impl->doc)) {
            m_error = describeError(error);
            return;
        }
        od::document& doc = impl->doc;
        od::json_type type;
        if (const auto error = doc.type().get(type)) {
            m_error = describeError(error);
            return;
        }
        if (type == od::json_type::array || type == od::json_type::object) {
            m_error = checkContainer(doc, type, 1);
            const char* next = nullptr;
            if (m_error.empty() && doc.current_location().get(next) != simdjson::OUT_OF_BOUNDS)
                m_error = "more after the JSON value";
        } else {
            m_error = checkScalar(doc);
            // A scalar's token runs to the next token: to the end of the body when it is alone.
            std::string_view token;
            doc.rewind();
            if (m_error.empty() && (!tokenOf(doc, token) || token.data() + token.size() != view.data() + view.size()))
                m_error = "more after the JSON value";
        }
        if (m_error.empty())
            m_impl = std::move(impl);
    } catch (const std::exception& e) {
        // Only an allocation can throw here.
        m_impl.reset();
        m_error = std::string("could not be read (") + e.what() + ")";
    }
}

JsonDoc::JsonDoc(JsonDoc&&) noexcept = default;
JsonDoc& JsonDoc::operator=(JsonDoc&&) noexcept = default;
JsonDoc::~JsonDoc() = default;

JsonType JsonDoc::rootType() const
{
    return type(JsonPointer());
}

JsonType JsonDoc::type(const JsonPointer& pointer) const
{
    if (!m_impl)
        return JsonType::Absent;
    return m_impl->visit(pointer, [](auto& node) { return nodeType(node); });
}

JsonValue JsonDoc::at(const JsonPointer& pointer) const
{
    JsonValue value;
    value.m_pointer = pointer;
    if (!m_impl)
        return value;
    try {
        m_impl->visit(pointer, [&value](auto& node) {
            value.m_type = nodeType(node);
            switch (value.m_type) {
            case JsonType::String: {
                std::string_view text;
                if (node.get_string().get(text))
                    value.m_type = JsonType::Absent; // cannot happen: escapes were checked
                else
                    value.m_text.assign(text);
                break;
            }
            case JsonType::Number:
            case JsonType::Bool:
            case JsonType::Null: {
                const auto raw = rawJson(node, value.m_type);
                value.m_text = raw ? std::string(*raw) : std::string();
                if (value.m_type == JsonType::Number)
                    readNumber(value.m_text, value.m_number, value.m_finite, value.m_integer);
                break;
            }
            case JsonType::Array:
            case JsonType::Object:
                value.m_size = nodeSize(node, value.m_type);
                break;
            case JsonType::Absent:
                break;
            }
            return 0;
        });
    } catch (const std::exception&) {
        value = JsonValue();
        value.m_pointer = pointer;
    }
    return value;
}

std::string JsonDoc::string(const JsonPointer& pointer) const
{
    std::string out;
    withString(pointer, [&out](std::string_view text) { out.assign(text); });
    return out;
}

std::optional<double> JsonDoc::number(const JsonPointer& pointer) const
{
    if (type(pointer) != JsonType::Number)
        return std::nullopt;
    return at(pointer).number();
}

std::optional<std::int64_t> JsonDoc::integer(const JsonPointer& pointer) const
{
    if (type(pointer) != JsonType::Number)
        return std::nullopt;
    return at(pointer).integer();
}

std::optional<bool> JsonDoc::boolean(const JsonPointer& pointer) const
{
    if (type(pointer) != JsonType::Bool)
        return std::nullopt;
    return at(pointer).boolean();
}

std::size_t JsonDoc::size(const JsonPointer& pointer) const
{
    if (!m_impl)
        return 0;
    return m_impl->visit(pointer, [](auto& node) { return nodeSize(node, nodeType(node)); });
}

std::size_t JsonDoc::elements(const JsonPointer& pointer) const
{
    if (type(pointer) != JsonType::Array)
        return 0;
    return std::min(size(pointer), kMaxElements);
}

std::vector<std::string> JsonDoc::keys(const JsonPointer& pointer) const
{
    std::vector<std::string> out;
    if (!m_impl)
        return out;
    try {
        m_impl->visit(pointer, [&out](auto& node) {
            od::object object;
            if (nodeType(node) != JsonType::Object || node.get_object().get(object))
                return 0;
            for (auto member : object) {
                od::field field;
                std::string_view key;
                if (out.size() == kMaxElements || std::move(member).get(field) || field.unescaped_key().get(key))
                    break;
                out.emplace_back(key);
            }
            return 0;
        });
    } catch (const std::exception&) {
        out.clear();
    }
    return out;
}

std::optional<std::string> JsonDoc::json(const JsonPointer& pointer, std::size_t maxBytes) const
{
    if (!m_impl)
        return std::nullopt;
    try {
        return m_impl->visit(pointer, [maxBytes](auto& node) -> std::optional<std::string> {
            const JsonType type = nodeType(node);
            if (type == JsonType::Absent)
                return std::nullopt;
            const auto raw = rawJson(node, type);
            if (!raw)
                return std::nullopt;
            if (type != JsonType::Array && type != JsonType::Object)
                return raw->size() <= maxBytes ? std::optional<std::string>(std::string(*raw)) : std::nullopt;
            std::string out = minified(*raw);
            if (out.size() > maxBytes)
                return std::nullopt;
            return out;
        });
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string JsonDoc::text(const JsonPointer& pointer, std::size_t maxBytes) const
{
    if (!m_impl)
        return {};
    try {
        return m_impl->visit(pointer, [maxBytes](auto& node) -> std::string {
            const JsonType type = nodeType(node);
            if (type == JsonType::Absent)
                return {};
            if (type == JsonType::String) {
                std::string_view text;
                return node.get_string().get(text) ? std::string() : safeText(text, maxBytes);
            }
            const auto raw = rawJson(node, type);
            if (!raw)
                return {};
            // Minify no more than needed for the excerpt (a huge object is not copied whole).
            const std::size_t room = maxBytes > std::size_t(-1) / 4 ? std::size_t(-1) : maxBytes * 4 + 8;
            return safeText(minified(raw->substr(0, room)), maxBytes);
        });
    } catch (const std::exception&) {
        return {};
    }
}

bool JsonDoc::withString(const JsonPointer& pointer, const std::function<void(std::string_view)>& use) const
{
    if (!m_impl)
        return false;
    std::string_view text;
    const bool found = m_impl->visit(
        pointer, [&text](auto& node) { return nodeType(node) == JsonType::String && !node.get_string().get(text); });
    if (found)
        use(text);
    return found;
}

std::vector<JsonPointer> JsonDoc::expand(const JsonPointer& pattern) const
{
    std::vector<JsonPointer> out;
    if (!m_impl)
        return out;
    const std::string& p = pattern.str();
    if (p.empty()) {
        out.emplace_back();
        return out;
    }
    if (p.front() != '/')
        return out;
    std::vector<std::string> prefixes { std::string() };
    std::size_t at = 1;
    while (true) {
        const std::size_t slash = p.find('/', at);
        const std::string token = p.substr(at, slash == std::string::npos ? std::string::npos : slash - at);
        std::vector<std::string> next;
        for (const std::string& prefix : prefixes) {
            const JsonPointer here(prefix);
            if (token == "*" && type(here) == JsonType::Array) {
                const std::size_t n = elements(here);
                for (std::size_t i = 0; i < n; ++i)
                    next.push_back(prefix + "/" + std::to_string(i));
            } else if (has(JsonPointer(prefix + "/" + token))) {
                next.push_back(prefix + "/" + token);
            }
        }
        prefixes = std::move(next);
        if (slash == std::string::npos || prefixes.empty())
            break;
        at = slash + 1;
    }
    for (std::string& prefix : prefixes)
        if (has(JsonPointer(prefix)))
            out.emplace_back(std::move(prefix));
    return out;
}

} // namespace t2i
