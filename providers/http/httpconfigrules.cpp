// SPDX-License-Identifier: Apache-2.0
// The generic "http" provider's own rules (docs/configuration.md; docs/providers.md, "http"): the
// templates and JSON pointers that describe any HTTP API, checked before a run so that a typo is
// an error, not a failed run. The type's descriptor (httpdescriptor.cpp) runs them as its hook.
#include "http/httpconfigrules.h"

#include "config/providerrules.h"
#include "http/httptemplate.h"

#include <algorithm>

namespace t2i::configcheck {

namespace {

// The placeholders the adapter fills (httpPlaceholderNames), but the two whose place is
// restricted: {{api_key}} (never in a body) and {{job_id}} (known only after the submit).
std::vector<std::string> jobPlaceholders()
{
    std::vector<std::string> names = httpPlaceholderNames();
    std::erase_if(names, [](const std::string& n) { return n == "api_key" || n == "job_id"; });
    return names;
}

enum class Place { Body, Url, Header, JobUrl };

const std::vector<std::string_view> kExtractKeys
    = { "image", "images", "status", "queue_ms", "queue_s", "exec_ms", "exec_s", "job_id", "error", "worker_id" };

std::string joined(const std::vector<std::string>& names)
{
    std::string out;
    for (const std::string& n : names)
        out += (out.empty() ? "{{" : ", {{") + n + "}}";
    return out;
}

// The {{name}}s of a text (spaces inside the braces allowed), as the adapter reads them.
std::vector<std::string> placeholders(const std::string& text)
{
    std::vector<std::string> names;
    for (std::size_t open = text.find("{{"); open != std::string::npos; open = text.find("{{", open + 2)) {
        const std::size_t close = text.find("}}", open + 2);
        if (close == std::string::npos)
            break;
        std::string name = text.substr(open + 2, close - open - 2);
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        names.push_back(name);
        open = close;
    }
    return names;
}

// Every placeholder of text must be allowed in place; returns the names seen.
std::vector<std::string> checkPlaceholders(Checker& check, const std::string& text, const std::string& at, Place place)
{
    std::vector<std::string> allowed = jobPlaceholders();
    if (place != Place::Body)
        allowed.push_back("api_key");
    if (place == Place::JobUrl || place == Place::Header)
        allowed.push_back("job_id");
    const auto names = placeholders(text);
    for (const std::string& name : names) {
        if (std::find(allowed.begin(), allowed.end(), name) != allowed.end())
            continue;
        if (name == "api_key")
            check.error(at,
                "{{api_key}} may only be used in headers and URLs, never in a body (e.g. \"headers\": "
                "{\"Authorization\": \"Bearer {{api_key}}\"})");
        else if (name == "job_id")
            check.error(
                at, "{{job_id}} is only known after the submit: use it in poll.url, poll.result.url or cancel.url");
        else
            check.error(at, "unknown placeholder {{" + name + "}} (known here: " + joined(allowed) + ")");
    }
    return names;
}

// A sample job's values, to see whether a string body is JSON once filled in.
std::string filledWithSamples(const std::string& text)
{
    std::string out;
    std::size_t at = 0;
    for (std::size_t open = text.find("{{"); open != std::string::npos; open = text.find("{{", at)) {
        const std::size_t close = text.find("}}", open + 2);
        if (close == std::string::npos)
            break;
        out += text.substr(at, open - at);
        std::string name = text.substr(open + 2, close - open - 2);
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        const bool isString = name == "prompt" || name == "model";
        out += isString ? "a \\\"quoted\\\" prompt" : name == "guidance" ? "7.5" : "42";
        at = close + 2;
    }
    return out + text.substr(at);
}

void checkBodyValue(Checker& check, const json& value, const std::string& at)
{
    if (value.is_string()) {
        checkPlaceholders(check, value.get<std::string>(), at, Place::Body);
        return;
    }
    // A number, boolean or null holds no placeholder (and items() of one yields the value itself:
    // recursing into it would never end).
    if (!value.is_object() && !value.is_array())
        return;
    for (const auto& [key, item] : value.items()) {
        if (value.is_object() && !placeholders(key).empty())
            check.error(child(at, key), "placeholders are filled in values only, not in keys");
        checkBodyValue(check, item, value.is_array() ? element(at, std::stoul(key)) : child(at, key));
    }
}

void checkBody(Checker& check, const json& body, const std::string& at, bool jsonContent)
{
    if (body.is_object() || body.is_array()) {
        checkBodyValue(check, body, at);
        return;
    }
    if (!body.is_string()) {
        check.error(at, "must be a JSON object, a JSON array or a string template (got " + describe(body) + ")");
        return;
    }
    const std::string& text = body.get_ref<const std::string&>();
    checkPlaceholders(check, text, at, Place::Body);
    if (jsonContent && json::parse(filledWithSamples(text), nullptr, false).is_discarded())
        check.error(at,
            "is not JSON once its placeholders are filled in; in a string template write strings as "
            "\"{{prompt}}\" (quoted) and numbers as {{seed}} (bare), or give the body as a JSON object");
}

// The tokens of a JSON pointer that are exactly "*" (every element of an array).
int wildcards(const std::string& pointer)
{
    int n = 0;
    for (std::size_t at = pointer.find('/'); at != std::string::npos; at = pointer.find('/', at + 1))
        n += pointer.compare(at, 2, "/*") == 0 && (at + 2 == pointer.size() || pointer[at + 2] == '/') ? 1 : 0;
    return n;
}

// A URL template: absolute, or a path joined to base_url. Returns the placeholders it uses.
std::vector<std::string> checkUrl(
    Checker& check, const json& obj, const std::string& path, const char* key, Place place, bool hasBaseUrl)
{
    const std::string at = child(path, key);
    const auto it = obj.find(key);
    if (it == obj.end())
        return {};
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
        check.error(at, "must be a URL or a path (got " + describe(*it) + ")");
        return {};
    }
    const std::string& url = it->get_ref<const std::string&>();
    if (url.starts_with("/")) {
        if (!hasBaseUrl)
            check.error(at, "is a path (\"" + url + "\"): give base_url too, or write the whole URL");
    } else if (!isHttpUrl(url)) {
        check.error(at, "must start with http://, https:// or / (a path joined to base_url) (got \"" + url + "\")");
    }
    return checkPlaceholders(check, url, at, place);
}

bool usesName(const json& obj, const char* key, const std::string& name)
{
    if (!obj.is_object() || !obj.contains(key) || !obj[key].is_string())
        return false;
    const auto names = placeholders(obj[key].get<std::string>());
    return std::find(names.begin(), names.end(), name) != names.end();
}

void checkStringList(Checker& check, const json& obj, const std::string& path, const char* key, bool required)
{
    const std::string at = child(path, key);
    if (!obj.contains(key)) {
        if (required)
            check.error(at, "is required: the status values that mean the job is done, e.g. [\"succeeded\"]");
        return;
    }
    const json& list = obj[key];
    const bool ok
        = list.is_array() && (!required || !list.empty()) && std::all_of(list.begin(), list.end(), [](const json& v) {
              return (v.is_string() && !v.get_ref<const std::string&>().empty()) || v.is_number_integer();
          });
    if (!ok)
        check.error(at,
            "must be a " + std::string(required ? "non-empty " : "") + "list of status values (got " + describe(list)
                + ")");
}

} // namespace

void validateHttpProvider(Checker& check, const json& p, const std::string& path)
{
    const bool hasBaseUrl = p.contains("base_url");
    std::vector<std::string> keyUses; // every placeholder of the URLs and headers
    const auto use
        = [&](const std::vector<std::string>& names) { keyUses.insert(keyUses.end(), names.begin(), names.end()); };
    // url is required and method a choice: the generic checks of their settings say so.
    use(checkUrl(check, p, path, "url", Place::Url, hasBaseUrl));
    bool jsonContent = true;
    if (const json* headers = objectAt(p, "headers")) {
        for (const auto& [name, value] : headers->items()) {
            const std::string at = child(child(path, "headers"), name);
            if (!value.is_string()) {
                check.error(at, "must be a string (got " + describe(value) + ")");
                continue;
            }
            use(checkPlaceholders(check, value.get<std::string>(), at, Place::Header));
            std::string lower = name;
            std::transform(
                lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
            if (lower == "content-type" && value.get<std::string>().find("json") == std::string::npos)
                jsonContent = false;
        }
    }
    if (p.contains("body"))
        checkBody(check, p["body"], child(path, "body"), jsonContent);

    const json* extract = objectAt(p, "extract");
    if (extract) {
        const std::string at = child(path, "extract");
        check.checkKeys(*extract, at, kExtractKeys, "extract");
        for (const auto& [name, pointer] : extract->items()) {
            if (!pointer.is_string())
                check.error(
                    child(at, name), "must be a JSON pointer such as \"/images/0\" (got " + describe(pointer) + ")");
            else if (!isJsonPointer(pointer.get<std::string>()))
                check.error(child(at, name),
                    "must be a JSON pointer such as \"/images/0\" (got \"" + pointer.get<std::string>()
                        + "\": it must be \"\" or start with \"/\", with ~0 for ~ and ~1 for /)");
            else if (const int stars = wildcards(pointer.get<std::string>()); stars > 0 && name != "images")
                check.error(
                    child(at, name), "a \"*\" token (every element of an array) is only allowed in extract.images");
            else if (stars > 1)
                check.error(child(at, name), "may hold one \"*\" token at most");
        }
        if (extract->contains("queue_ms") && extract->contains("queue_s"))
            check.error(child(at, "queue_s"), "give queue_ms or queue_s, not both");
        if (extract->contains("exec_ms") && extract->contains("exec_s"))
            check.error(child(at, "exec_s"), "give exec_ms or exec_s, not both");
    }
    const auto extracts = [&](const char* key) { return extract && extract->contains(key); };

    bool usesJobId = false;
    if (const json* poll = objectAt(p, "poll")) {
        const std::string at = child(path, "poll");
        check.checkKeys(
            *poll, at, { "url", "method", "interval_ms", "done_values", "failed_values", "result" }, "poll");
        if (check.require(*poll, at, "url", "the status URL, e.g. \"/jobs/{{job_id}}\""))
            use(checkUrl(check, *poll, at, "url", Place::JobUrl, hasBaseUrl));
        check.choice(*poll, at, "method", { "GET", "POST" });
        check.integer(*poll, at, "interval_ms", 10, 60000, "must be an integer between 10 and 60000");
        checkStringList(check, *poll, at, "done_values", true);
        checkStringList(check, *poll, at, "failed_values", false);
        if (!extracts("status"))
            check.error(
                child(child(path, "extract"), "status"), "is required with poll: the JSON pointer of the job's status");
        usesJobId = usesName(*poll, "url", "job_id");
        if (const json* result = check.object(*poll, at, "result")) {
            const std::string rat = child(at, "result");
            check.checkKeys(*result, rat, { "url", "method" }, "poll.result");
            if (check.require(
                    *result, rat, "url", "the URL of a finished job's result, e.g. \"/jobs/{{job_id}}/result\""))
                use(checkUrl(check, *result, rat, "url", Place::JobUrl, hasBaseUrl));
            check.choice(*result, rat, "method", { "GET", "POST" });
            usesJobId = usesJobId || usesName(*result, "url", "job_id");
        }
    }
    if (const json* cancel = objectAt(p, "cancel")) {
        const std::string at = child(path, "cancel");
        check.checkKeys(*cancel, at, { "url", "method" }, "cancel");
        if (check.require(*cancel, at, "url", "the URL that cancels a job, e.g. \"/jobs/{{job_id}}/cancel\""))
            use(checkUrl(check, *cancel, at, "url", Place::JobUrl, hasBaseUrl));
        check.choice(*cancel, at, "method", { "POST", "DELETE", "PUT", "GET" });
        usesJobId = usesJobId || usesName(*cancel, "url", "job_id");
    }
    if (usesJobId && !extracts("job_id"))
        check.error(child(child(path, "extract"), "job_id"),
            "is required: {{job_id}} is used, so say where the submit answer holds the id");

    // The key travels only where a template puts it: a key that nothing uses is a mistake. (A
    // {{api_key}} without a key is filled with "" and answered 401, which says it clearly enough.)
    const bool keyUsed = std::find(keyUses.begin(), keyUses.end(), "api_key") != keyUses.end();
    const bool keyGiven = p.contains("api_key_env") || p.contains("api_key_keyring");
    if (keyGiven && !keyUsed)
        check.error(child(path, "headers"),
            "api_key_env is set but no header or URL uses {{api_key}} (e.g. "
            "\"Authorization\": \"Bearer {{api_key}}\")");
}

} // namespace t2i::configcheck
