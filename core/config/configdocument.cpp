// SPDX-License-Identifier: Apache-2.0
#include "config/configdocument.h"

#include "config/configcheck.h"
#include "util/resources.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

using nlohmann::json;

namespace t2i {

ConfigDocument ConfigDocument::newDocument(const json& workload)
{
    ConfigDocument doc;
    doc.m_document = { { "version", 1 }, { "providers", json::array() },
        { "variants",
            json::array({ { { "id", "sdxl-fp16" }, { "model", "sdxl-base-1.0" }, { "precision", "fp16" },
                { "width", 1024 }, { "height", 1024 }, { "steps", 30 }, { "guidance", 7.5 }, { "images", 1 } } }) },
        { "prompts", { { "set", "default" }, { "seed", 42 } } },
        { "workload",
            workload.is_object()
                ? workload
                : json { { "steps",
                    json::array({ { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 5 } } }) } } } };
    // Nothing to lose yet: a new document becomes dirty with its first edit.
    doc.m_saved = doc.m_document;
    return doc;
}

bool ConfigDocument::setText(const std::string& text, std::string* error)
{
    json parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded()) {
        // Parse again with exceptions for the parser's position and reason.
        try {
            const json unused = json::parse(text);
            (void)unused;
        } catch (const json::parse_error& e) {
            if (error)
                *error = e.what();
        }
        return false;
    }
    if (!parsed.is_object()) {
        if (error)
            *error = "the file holds JSON, but not an object: a configuration is {\"version\": 1, ...}";
        return false;
    }
    m_document = std::move(parsed);
    m_saved = m_document;
    return true;
}

std::string ConfigDocument::text() const
{
    // Non-ASCII text (a prompt file's name, a description) is written as UTF-8, not escaped.
    return m_document.dump(2) + "\n";
}

int ConfigDocument::listSize(const char* name) const
{
    const auto it = m_document.find(name);
    return it != m_document.end() && it->is_array() ? int(it->size()) : 0;
}

json& ConfigDocument::list(const char* name)
{
    json& entry = m_document[name];
    if (!entry.is_array())
        entry = json::array();
    return entry;
}

int ConfigDocument::append(const char* name, json entry)
{
    json& entries = list(name);
    entries.push_back(std::move(entry));
    return int(entries.size()) - 1;
}

std::string ConfigDocument::freeId(const std::string& listName, const std::string& base) const
{
    std::set<std::string> taken;
    const auto it = m_document.find(listName);
    if (it != m_document.end() && it->is_array())
        for (const json& entry : *it)
            if (entry.is_object() && entry.contains("id") && entry["id"].is_string())
                taken.insert(entry["id"].get<std::string>());
    // Ids are at most 64 characters: leave room for the suffix.
    const std::string stem = base.empty() ? std::string("p") : base.substr(0, 56);
    if (!taken.contains(stem))
        return stem;
    for (int n = 2;; ++n) {
        const std::string candidate = stem + "-" + std::to_string(n);
        if (!taken.contains(candidate))
            return candidate;
    }
}

int ConfigDocument::addProvider(const std::string& type)
{
    return append("providers", { { "id", freeId("providers", type) }, { "type", type } });
}

int ConfigDocument::duplicateProvider(int index)
{
    json copy = provider(index);
    copy["id"] = freeId("providers", copy.value("id", copy.value("type", std::string("p"))));
    return append("providers", std::move(copy));
}

void ConfigDocument::removeProvider(int index)
{
    list("providers").erase(std::size_t(index));
}

void ConfigDocument::setProviderValue(int index, const std::string& key, const json& value)
{
    json& entry = list("providers").at(std::size_t(index));
    if (value.is_null())
        entry.erase(key);
    else
        entry[key] = value;
}

int ConfigDocument::addVariant()
{
    return append("variants", { { "id", freeId("variants", "variant") }, { "model", "sdxl-base-1.0" } });
}

int ConfigDocument::duplicateVariant(int index)
{
    json copy = variant(index);
    copy["id"] = freeId("variants", copy.value("id", std::string("variant")));
    return append("variants", std::move(copy));
}

void ConfigDocument::removeVariant(int index)
{
    list("variants").erase(std::size_t(index));
}

void ConfigDocument::setVariantValue(int index, const std::string& key, const json& value)
{
    json& entry = list("variants").at(std::size_t(index));
    if (value.is_null())
        entry.erase(key);
    else
        entry[key] = value;
}

void ConfigDocument::setValue(const std::string& section, const std::string& key, const json& value)
{
    json* target = &m_document;
    if (!section.empty()) {
        json& object = m_document[section];
        if (!object.is_object()) {
            if (value.is_null())
                return;
            object = json::object();
        }
        target = &object;
    }
    if (value.is_null())
        target->erase(key);
    else
        (*target)[key] = value;
}

json ConfigDocument::value(const std::string& section, const std::string& key) const
{
    const json* source = &m_document;
    if (!section.empty()) {
        const auto it = m_document.find(section);
        if (it == m_document.end() || !it->is_object())
            return nullptr;
        source = &*it;
    }
    const auto it = source->find(key);
    return it == source->end() ? json() : *it;
}

std::vector<std::string> ConfigDocument::importFrom(const json& other)
{
    std::vector<std::string> renamed;
    for (const char* name : { "providers", "variants" }) {
        const auto it = other.find(name);
        if (it == other.end() || !it->is_array())
            continue;
        for (json entry : *it) {
            if (!entry.is_object())
                continue;
            const std::string id = entry.value("id", std::string());
            const std::string fresh = freeId(name, id.empty() ? entry.value("type", std::string("p")) : id);
            if (fresh != id) {
                if (!id.empty())
                    renamed.push_back(std::string(name) + ": " + id + " -> " + fresh);
                entry["id"] = fresh;
            }
            append(name, std::move(entry));
        }
    }
    return renamed;
}

std::vector<ConfigError> ConfigDocument::validate(const std::string& file, const ProviderCatalog& catalog) const
{
    return validateConfig(m_document, file, catalog).errors;
}

std::vector<ConfigError> ConfigDocument::secrets(const std::string& file) const
{
    configcheck::Checker check(file);
    configcheck::checkSecrets(check, m_document, "");
    return check.take();
}

std::vector<WorkloadTemplate> workloadTemplates()
{
    std::vector<WorkloadTemplate> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(resourceDir() + "/workloads", ec)) {
        if (entry.path().extension() != ".json")
            continue;
        std::ifstream in(entry.path());
        json workload = json::parse(in, nullptr, false);
        if (workload.is_object())
            out.push_back({ entry.path().stem().string(), std::move(workload) });
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

std::vector<ConfigError> errorsAt(const std::vector<ConfigError>& errors, const std::string& path)
{
    std::vector<ConfigError> out;
    for (const ConfigError& error : errors) {
        const std::string& p = error.path;
        const bool under
            = p.size() > path.size() && p.starts_with(path) && (p[path.size()] == '.' || p[path.size()] == '[');
        if (p == path || under || path.empty())
            out.push_back(error);
    }
    return out;
}

std::vector<ConfigError> errorsExactlyAt(const std::vector<ConfigError>& errors, const std::string& path)
{
    std::vector<ConfigError> out;
    for (const ConfigError& error : errors)
        if (error.path == path)
            out.push_back(error);
    return out;
}

} // namespace t2i
