// SPDX-License-Identifier: Apache-2.0
// Reading platform answers: the fields an adapter asks for, by JSON pointer, from a body that is
// never turned into a DOM (simdjson On-Demand underneath), and never an exception. Whatever the
// body is (not JSON, truncated, a field of another type, null, an array where an object was
// expected, huge numbers, deep nesting, invalid UTF-8), each read answers a value the adapter can
// test, so it can say what was wrong: "status is null (expected a string)".
//
// Every read starts again from the top of the document, so reads can come in any order and none
// invalidates another. Values come back owned (a copy of a string, a number), except through
// withString(), which lends a big string (an image's base64) without copying it.
//
// nlohmann::json stays the tool for building requests and reading configurations; answers are
// read with this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace t2i {

// An RFC 6901 pointer, built from tokens so that keys holding '/' or '~' stay one token:
// JsonPointer("/output") / "images" / 0 is "/output/images/0". "" is the whole document.
class JsonPointer {
public:
    JsonPointer() = default;
    // A pointer as written ("/a/b"): its tokens are taken as they are (already escaped).
    JsonPointer(const char* pointer);
    JsonPointer(std::string pointer);
    JsonPointer operator/(std::string_view key) const; // the key escaped (~0, ~1)
    JsonPointer operator/(std::size_t index) const;
    JsonPointer operator/(int index) const;
    const std::string& str() const { return m_pointer; }
    bool isRoot() const { return m_pointer.empty(); }
    // The field as messages name it: "output.images.0.data"; "the answer" for the whole document.
    std::string name() const;

private:
    std::string m_pointer;
};

enum class JsonType { Absent, Null, Bool, Number, String, Array, Object };

// One value read from an answer, owned: it stays valid after the document is gone.
class JsonValue {
public:
    JsonValue() = default; // absent

    JsonType type() const { return m_type; }
    bool present() const { return m_type != JsonType::Absent; }
    bool isNull() const { return m_type == JsonType::Null; }
    bool isString() const { return m_type == JsonType::String; }
    bool isNumber() const { return m_type == JsonType::Number; }
    bool isBool() const { return m_type == JsonType::Bool; }
    bool isArray() const { return m_type == JsonType::Array; }
    bool isObject() const { return m_type == JsonType::Object; }

    // Typed reads: nullopt unless the value is of that type.
    std::optional<std::string> string() const;
    // A number that is finite as a double (1e400 is a number, but none here).
    std::optional<double> number() const;
    // A number written as an integer that fits in 64 bits (3, not 3.0 or 3.5).
    std::optional<std::int64_t> integer() const;
    std::optional<bool> boolean() const;
    // Elements of an array, members of an object; 0 otherwise.
    std::size_t size() const { return m_size; }

    // A string's characters; a number or boolean as JSON writes it ("2", "true"); "" otherwise.
    std::string text() const;
    // What it is, for messages: "absent", "null", "true", "the number 42", "an empty string",
    // "the string \"RUNNING\"", "an array of 3", "an empty object", ... (long strings cut).
    std::string describe() const;
    // "<field> is <what it is> (expected <expected>)", the field named after the pointer it was
    // read at: "status is null (expected a string)".
    std::string mismatch(std::string_view expected) const;
    const JsonPointer& pointer() const { return m_pointer; }

private:
    friend class JsonDoc;
    JsonType m_type = JsonType::Absent;
    JsonPointer m_pointer;
    std::string m_text; // a string's characters; a number's or boolean's JSON token
    double m_number = 0;
    bool m_finite = false;
    std::optional<std::int64_t> m_integer;
    std::size_t m_size = 0;
};

// A JSON document read in place. Construction checks that the whole body is JSON (one value,
// nothing but whitespace after it, valid UTF-8, nesting at most kMaxDepth deep); a body that is
// not leaves valid() false and every read absent.
class JsonDoc {
public:
    static constexpr int kMaxDepth = 256;
    // Lists are walked element by element, each read from the top of the document; no adapter
    // needs more than this many elements of one list, and a garbage answer with millions of them
    // must not cost millions of reads.
    static constexpr std::size_t kMaxElements = 256;

    // The body is read in place, without a copy, when its capacity leaves simdjson's padding
    // (kBodyPadding in core/engine/adapter.h) after its end; otherwise it is copied once. It must
    // outlive the document and stay unchanged.
    explicit JsonDoc(const std::string& body);
    JsonDoc(std::string&& body) = delete; // a temporary would not outlive the document
    JsonDoc(const JsonDoc&) = delete;
    JsonDoc& operator=(const JsonDoc&) = delete;
    JsonDoc(JsonDoc&&) noexcept;
    JsonDoc& operator=(JsonDoc&&) noexcept;
    ~JsonDoc();

    bool valid() const { return m_error.empty(); }
    // Why the body is not JSON ("" when it is): "truncated: an object is not closed",
    // "invalid UTF-8", ...
    const std::string& error() const { return m_error; }
    // The type of the whole document (Absent when it is not valid).
    JsonType rootType() const;

    // The value at a pointer (Absent where the pointer leads nowhere). A string is copied:
    // read big strings with withString().
    JsonValue at(const JsonPointer& pointer) const;
    JsonType type(const JsonPointer& pointer) const;
    bool has(const JsonPointer& pointer) const { return type(pointer) != JsonType::Absent; }

    // Shorthands with the adapters' usual fallbacks.
    std::string string(const JsonPointer& pointer) const; // "" unless a string
    std::optional<double> number(const JsonPointer& pointer) const; // finite numbers only
    std::optional<std::int64_t> integer(const JsonPointer& pointer) const;
    std::optional<bool> boolean(const JsonPointer& pointer) const;
    std::size_t size(const JsonPointer& pointer) const; // elements or members; 0 otherwise
    // How many elements of the array there to read: its size, at most kMaxElements; 0 unless an
    // array. Loops over a list use this, not size().
    std::size_t elements(const JsonPointer& pointer) const;
    // The keys of the object there, in document order, at most kMaxElements (none unless an object).
    std::vector<std::string> keys(const JsonPointer& pointer) const;
    // A string as it is, anything else as compact JSON ("{"code":5}", "2", "null"), for messages;
    // "" when absent. At most maxBytes, cut on a UTF-8 boundary with "..." added.
    std::string text(const JsonPointer& pointer, std::size_t maxBytes = 1000) const;
    // The value there as compact JSON (the same bytes minified: key order and number spelling as
    // the platform wrote them); nullopt when absent or longer than maxBytes.
    std::optional<std::string> json(const JsonPointer& pointer, std::size_t maxBytes = 65536) const;

    // Calls use with the string at pointer, unescaped, without copying it into a std::string; the
    // view is valid only during the call. False (use not called) unless a string is there.
    bool withString(const JsonPointer& pointer, const std::function<void(std::string_view)>& use) const;

    // The pointers a pattern reaches, where a "*" token stands for every element of the array
    // there ("/data/*/url" -> "/data/0/url", "/data/1/url", ...); only pointers that lead to a
    // value. A pattern without "*" gives itself when present.
    std::vector<JsonPointer> expand(const JsonPointer& pattern) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_error;
};

} // namespace t2i
