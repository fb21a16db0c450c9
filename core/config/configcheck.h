// SPDX-License-Identifier: Apache-2.0
#pragma once

// The error collector the validators share, and the sections they validate. core/config's
// validators use it, and so do the provider types' validate hooks (providers/<type>/
// <type>descriptor.cpp, with the shared checks of config/providerrules.h). Programs validate a
// configuration through config.h, not through this.

#include "config/config.h"
#include "config/providerdescriptor.h"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace t2i::configcheck {

using nlohmann::json;

// "a.b", "a[3]", or a["odd key"] for keys that would make the path ambiguous.
std::string child(const std::string& path, std::string_view key);
std::string element(const std::string& path, std::size_t index);
// A short rendering of a value for "(got ...)".
std::string describe(const json& value);
// Keys the validators never complain about: extensions ("x-...") and notes ("_comment...").
bool isExtensionKey(std::string_view key);
// True when key/value look like a secret written into the config (api_key, token, an
// "Authorization: Bearer ..." header, ...). Values holding a "{{...}}" template are not secrets.
bool looksLikeSecret(std::string_view key, const json& value, bool inHeaders);
// An environment variable name: [A-Z_][A-Z0-9_]*.
bool isEnvName(std::string_view name);
bool isHttpUrl(std::string_view url);
// Ids end up in run names ("<config>/<provider>/<variant>") and file names.
bool isIdentifier(std::string_view id);
std::string joinQuoted(const std::vector<std::string>& items, std::string_view lastSeparator = ", ");

// Collects every error with its JSON path; the checks below return nullopt when the key is
// absent (no error) or invalid (error recorded), so callers keep their defaults either way.
class Checker {
public:
    explicit Checker(std::string file)
        : m_file(std::move(file))
    {
    }

    void error(const std::string& path, std::string message);
    const std::string& file() const { return m_file; }
    bool hasErrors() const { return !m_errors.empty(); }
    std::vector<ConfigError> take() { return std::move(m_errors); }

    // obj must be an object; true when key is present (an error when required and missing).
    bool require(const json& obj, const std::string& path, std::string_view key, std::string_view hint = {});
    // Reports every key not in known (and not an extension key); suggests the nearest known key.
    void checkKeys(
        const json& obj, const std::string& path, const std::vector<std::string_view>& known, std::string_view what);

    std::optional<double> number(const json& obj, const std::string& path, std::string_view key, double lo, bool loOpen,
        std::string_view message);
    std::optional<double> numberValue(
        const json& value, const std::string& fullPath, double lo, bool loOpen, std::string_view message);
    std::optional<long long> integer(const json& obj, const std::string& path, std::string_view key, long long lo,
        long long hi, std::string_view message);
    std::optional<long long> integerValue(
        const json& value, const std::string& fullPath, long long lo, long long hi, std::string_view message);
    // A non-empty string.
    std::optional<std::string> string(const json& obj, const std::string& path, std::string_view key,
        std::string_view message = "must be a non-empty string");
    std::optional<std::string> choice(const json& obj, const std::string& path, std::string_view key,
        std::initializer_list<std::string_view> choices);
    std::optional<std::string> choice(
        const json& obj, const std::string& path, std::string_view key, const std::vector<std::string>& choices);
    std::optional<std::string> envName(const json& obj, const std::string& path, std::string_view key);
    std::optional<std::string> url(const json& obj, const std::string& path, std::string_view key);
    // An object (returned) or an error.
    const json* object(const json& obj, const std::string& path, std::string_view key);
    // An object whose values are all strings (HTTP headers).
    void stringMap(const json& obj, const std::string& path, std::string_view key);

private:
    std::string m_file;
    std::vector<ConfigError> m_errors;
};

// Sections of the document, each validated on its own; they return what they could read.
// Each provider's type is looked up in the catalog: its descriptor says which keys it takes.
std::vector<ProviderConfig> validateProviders(Checker& check, const json& document, const ProviderCatalog& catalog);
std::vector<VariantConfig> validateVariants(Checker& check, const json& document);
PromptConfig validatePrompts(Checker& check, const json& document);
WorkloadConfig validateWorkload(Checker& check, const json& document);
// Walks the whole document for secrets written in place of api_key_env.
void checkSecrets(Checker& check, const json& value, const std::string& path, bool inHeaders = false);

} // namespace t2i::configcheck
