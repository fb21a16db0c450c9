// SPDX-License-Identifier: Apache-2.0
#pragma once

// Checks that several provider types' validate hooks share (providers/<type>/<type>descriptor.cpp):
// formats of ids, placeholders in app-defined bodies, JSON pointers. No provider is named here;
// each type says which of these it needs.

#include "config/configcheck.h"

#include <string>
#include <string_view>
#include <vector>

namespace t2i::configcheck {

// The object at obj[key], or nullptr when it is absent or not an object. A hook reads a key's
// value through this: the generic check of the key's kind has already reported a wrong type.
const json* objectAt(const json& obj, std::string_view key);
// The non-empty string at obj[key], or nullptr (absent, or reported by the generic check).
const std::string* stringAt(const json& obj, std::string_view key);

// "owner/name": one '/', something on each side, no whitespace.
bool isOwnerName(const std::string& s);
// A JSON pointer as RFC 6901 writes it: "" or "/a/b", with ~0 and ~1 escapes.
bool isJsonPointer(const std::string& pointer);
// The names of the {{name}} placeholders in a text (a name holds no '}').
std::vector<std::string> placeholderNames(const std::string& text);

// An app-defined body (Modal, Baseten, SageMaker): strings anywhere in it may hold the
// placeholders {{prompt}}, {{seed}}, {{width}}, {{height}}, {{steps}}, {{guidance}}, {{images}};
// any other {{name}} is an error at its path.
void checkBodyPlaceholders(Checker& check, const json& value, const std::string& path);
// obj.body_template, when it is an object: its placeholders, as above.
void checkBodyTemplate(Checker& check, const json& obj, const std::string& path);
// obj.extract, when it is an object: each value a JSON pointer ("" switches a default off), each
// name one of `names`.
void checkExtract(Checker& check, const json& obj, const std::string& path, const std::vector<std::string_view>& names);
// obj[key], when present: true or false, else `message` at its path.
void checkBoolean(Checker& check, const json& obj, const std::string& path, std::string_view key,
    std::string_view message = "must be true or false");

} // namespace t2i::configcheck
