// SPDX-License-Identifier: Apache-2.0
#include "config/configcheck.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace t2i::configcheck {

namespace {

std::string normalizedKey(std::string_view key)
{
    std::string out;
    out.reserve(key.size());
    for (const char c : key)
        out += c == '-' ? '_' : char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

// Edit distance counting a swap of two neighbours as one edit (optimal string alignment), since
// "nmae" for "name" is the commonest typo of all.
std::size_t editDistance(std::string_view a, std::string_view b)
{
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({ d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1) });
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// JSON has one number type; 4.0 is as good an integer as 4, 4.5 is not.
bool asInteger(const json& value, long long& out)
{
    if (value.is_number_integer()) {
        if (value.is_number_unsigned()
            && value.get<unsigned long long>() > static_cast<unsigned long long>(std::numeric_limits<long long>::max()))
            return false;
        out = value.get<long long>();
        return true;
    }
    if (value.is_number_float()) {
        const double d = value.get<double>();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) <= 9007199254740992.0) {
            out = static_cast<long long>(d);
            return true;
        }
    }
    return false;
}

} // namespace

std::string child(const std::string& path, std::string_view key)
{
    const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '$';
    });
    if (!plain)
        return path + "[" + json(std::string(key)).dump() + "]";
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string element(const std::string& path, std::size_t index)
{
    return path + "[" + std::to_string(index) + "]";
}

std::string describe(const json& value)
{
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > 40)
        text = text.substr(0, 37) + "...";
    return text;
}

bool isExtensionKey(std::string_view key)
{
    return startsWith(key, "x-") || startsWith(key, "_comment");
}

bool looksLikeSecret(std::string_view key, const json& value, bool inHeaders)
{
    // A template is filled in at run time from the environment, so it holds no secret itself.
    if (value.is_string() && value.get_ref<const std::string&>().find("{{") != std::string::npos)
        return false;
    const std::string k = normalizedKey(key);
    if (endsWith(k, "_env") || endsWith(k, "_keyring"))
        return false;
    static const std::vector<std::string_view> exact
        = { "api_key", "apikey", "token", "secret", "password", "passwd", "access_token", "auth_token", "bearer",
              "x_api_key", "secret_key", "access_key", "private_key", "client_secret", "session_token" };
    if (std::find(exact.begin(), exact.end(), k) != exact.end())
        return true;
    for (const std::string_view suffix : { "_token", "_secret", "_password", "_api_key", "_apikey" })
        if (endsWith(k, suffix))
            return true;
    if (inHeaders) {
        if (k == "authorization" || k == "proxy_authorization")
            return true;
        if (value.is_string()) {
            const std::string& v = value.get_ref<const std::string&>();
            for (const std::string_view scheme : { "Bearer ", "Basic ", "Token ", "Key " })
                if (startsWith(v, scheme))
                    return true;
        }
    }
    return false;
}

bool isEnvName(std::string_view name)
{
    if (name.empty() || !(std::isupper(static_cast<unsigned char>(name[0])) || name[0] == '_'))
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
    });
}

bool isHttpUrl(std::string_view url)
{
    for (const std::string_view scheme : { "http://", "https://" })
        if (startsWith(url, scheme) && url.size() > scheme.size())
            return true;
    return false;
}

bool isIdentifier(std::string_view id)
{
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

std::string joinQuoted(const std::vector<std::string>& items, std::string_view lastSeparator)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += i + 1 == items.size() ? std::string(lastSeparator) : std::string(", ");
        out += "\"" + items[i] + "\"";
    }
    return out;
}

void Checker::error(const std::string& path, std::string message)
{
    m_errors.push_back({ m_file, path, std::move(message) });
}

bool Checker::require(const json& obj, const std::string& path, std::string_view key, std::string_view hint)
{
    if (obj.contains(key))
        return true;
    std::string message = "required";
    if (!hint.empty())
        message += "; " + std::string(hint);
    error(child(path, key), std::move(message));
    return false;
}

void Checker::checkKeys(
    const json& obj, const std::string& path, const std::vector<std::string_view>& known, std::string_view what)
{
    for (const auto& [key, value] : obj.items()) {
        if (isExtensionKey(key) || std::find(known.begin(), known.end(), key) != known.end())
            continue;
        if (looksLikeSecret(key, value, false))
            continue; // checkSecrets reports it, with the better advice
        std::string message = "unknown key";
        if (!what.empty())
            message += " for " + std::string(what);
        // A near miss is almost always a typo: name the key that was meant.
        std::string_view best;
        std::size_t bestDistance = 3;
        for (const std::string_view candidate : known) {
            const std::size_t d = editDistance(normalizedKey(key), candidate);
            if (d < bestDistance && 2 * d < candidate.size()) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (!best.empty())
            message += "; did you mean \"" + std::string(best) + "\"?";
        std::vector<std::string> names(known.begin(), known.end());
        message += " (known: " + joinQuoted(names) + "; prefix a key with \"x-\" to keep your own notes)";
        error(child(path, key), std::move(message));
    }
}

std::optional<double> Checker::numberValue(
    const json& value, const std::string& fullPath, double lo, bool loOpen, std::string_view message)
{
    if (value.is_number()) {
        const double d = value.get<double>();
        if (std::isfinite(d) && (loOpen ? d > lo : d >= lo))
            return d;
    }
    error(fullPath, std::string(message) + " (got " + describe(value) + ")");
    return std::nullopt;
}

std::optional<double> Checker::number(
    const json& obj, const std::string& path, std::string_view key, double lo, bool loOpen, std::string_view message)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return std::nullopt;
    return numberValue(*it, child(path, key), lo, loOpen, message);
}

std::optional<long long> Checker::integerValue(
    const json& value, const std::string& fullPath, long long lo, long long hi, std::string_view message)
{
    long long v = 0;
    if (asInteger(value, v) && v >= lo && v <= hi)
        return v;
    error(fullPath, std::string(message) + " (got " + describe(value) + ")");
    return std::nullopt;
}

std::optional<long long> Checker::integer(const json& obj, const std::string& path, std::string_view key, long long lo,
    long long hi, std::string_view message)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return std::nullopt;
    return integerValue(*it, child(path, key), lo, hi, message);
}

std::optional<std::string> Checker::string(
    const json& obj, const std::string& path, std::string_view key, std::string_view message)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return std::nullopt;
    if (it->is_string() && !it->get_ref<const std::string&>().empty())
        return it->get<std::string>();
    error(child(path, key), std::string(message) + " (got " + describe(*it) + ")");
    return std::nullopt;
}

std::optional<std::string> Checker::choice(
    const json& obj, const std::string& path, std::string_view key, std::initializer_list<std::string_view> choices)
{
    return choice(obj, path, key, std::vector<std::string>(choices.begin(), choices.end()));
}

std::optional<std::string> Checker::choice(
    const json& obj, const std::string& path, std::string_view key, const std::vector<std::string>& choices)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return std::nullopt;
    if (it->is_string()) {
        const std::string& v = it->get_ref<const std::string&>();
        if (std::find(choices.begin(), choices.end(), v) != choices.end())
            return v;
    }
    error(child(path, key), "must be one of " + joinQuoted(choices, " or ") + " (got " + describe(*it) + ")");
    return std::nullopt;
}

std::optional<std::string> Checker::envName(const json& obj, const std::string& path, std::string_view key)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return std::nullopt;
    if (it->is_string() && isEnvName(it->get_ref<const std::string&>()))
        return it->get<std::string>();
    error(child(path, key),
        "must be the name of an environment variable ([A-Z_][A-Z0-9_]*, e.g. \"RUNPOD_API_KEY\"), not the key "
        "itself (got "
            + describe(*it) + ")");
    return std::nullopt;
}

std::optional<std::string> Checker::url(const json& obj, const std::string& path, std::string_view key)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return std::nullopt;
    if (it->is_string() && isHttpUrl(it->get_ref<const std::string&>()))
        return it->get<std::string>();
    error(child(path, key), "must be a URL starting with http:// or https:// (got " + describe(*it) + ")");
    return std::nullopt;
}

const json* Checker::object(const json& obj, const std::string& path, std::string_view key)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return nullptr;
    if (it->is_object())
        return &*it;
    error(child(path, key), "must be an object (got " + describe(*it) + ")");
    return nullptr;
}

void Checker::stringMap(const json& obj, const std::string& path, std::string_view key)
{
    const json* map = object(obj, path, key);
    if (!map)
        return;
    const std::string mapPath = child(path, key);
    for (const auto& [name, value] : map->items())
        if (!value.is_string())
            error(child(mapPath, name), "must be a string (got " + describe(value) + ")");
}

void checkSecrets(Checker& check, const json& value, const std::string& path, bool inHeaders)
{
    if (value.is_object()) {
        for (const auto& [key, item] : value.items()) {
            const std::string itemPath = child(path, key);
            if (looksLikeSecret(key, item, inHeaders)) {
                const std::string k = normalizedKey(key);
                const bool awsKey = k == "access_key" || k == "secret_key" || k == "session_token";
                check.error(itemPath,
                    "must not hold a secret; use " + (awsKey ? k + "_env" : std::string("api_key_env"))
                        + " (the name of the environment variable that holds it)");
                continue;
            }
            checkSecrets(check, item, itemPath, key == "headers" || key == "ready_headers");
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i)
            checkSecrets(check, value[i], element(path, i), false);
    }
}

} // namespace t2i::configcheck
