// SPDX-License-Identifier: Apache-2.0
#pragma once

// A configuration file as the dashboard's setup page edits it (docs/dashboard.md, "Setup"):
// the document itself, not the validated RunConfig, so that every key survives an edit and a
// save, the ones this build does not read included (x- notes, _comment, keys a newer build
// adds). Validation goes through the same validateConfig the CLI uses, so the page shows the
// CLI's messages at the JSON path they name. No Qt and no file I/O: the page saves the text.

#include "config/config.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace t2i {

class ConfigDocument {
public:
    // A new document: version 1, no provider, one SDXL variant, the default prompt set and the
    // given workload (a template's object; empty: a one-step quick check). Not dirty: there is
    // nothing to lose until it is edited.
    static ConfigDocument newDocument(const nlohmann::json& workload = {});

    // Replaces the document with the parsed text and marks it saved. False, with *error naming
    // the line and column or saying it is not an object, when the text is not a JSON object.
    bool setText(const std::string& text, std::string* error);
    // The document as saved: two-space indented JSON and a final newline.
    std::string text() const;
    const nlohmann::json& document() const { return m_document; }

    bool isDirty() const { return m_document != m_saved; }
    void markSaved() { m_saved = m_document; }

    // Providers and variants, by index in their list. An added or duplicated one gets an id not
    // yet taken ("runpod", "runpod-2", ...) and its index is returned.
    int providerCount() const { return listSize("providers"); }
    const nlohmann::json& provider(int index) const { return m_document.at("providers").at(index); }
    int addProvider(const std::string& type);
    int duplicateProvider(int index);
    void removeProvider(int index);
    // Sets one key; a null value removes it (the adapter's default then applies).
    void setProviderValue(int index, const std::string& key, const nlohmann::json& value);

    int variantCount() const { return listSize("variants"); }
    const nlohmann::json& variant(int index) const { return m_document.at("variants").at(index); }
    int addVariant();
    int duplicateVariant(int index);
    void removeVariant(int index);
    void setVariantValue(int index, const std::string& key, const nlohmann::json& value);

    // A key of a top-level object ("prompts", "workload") or, with an empty section, of the
    // document itself ("name", "budget_usd"); a null value removes it.
    void setValue(const std::string& section, const std::string& key, const nlohmann::json& value);
    nlohmann::json value(const std::string& section, const std::string& key) const;

    // Import: the providers and variants of another configuration appended to this one, each id
    // already taken renamed as addProvider would name it. Returns what was renamed ("old -> new").
    std::vector<std::string> importFrom(const nlohmann::json& other);

    // Every error validateConfig finds against the catalog (the registry's providerCatalog()),
    // labelled with file (paths as the CLI prints them).
    std::vector<ConfigError> validate(const std::string& file, const ProviderCatalog& catalog) const;

    // The values that look like a secret written in place of its variable's name (an api_key, a
    // token, an "Authorization: Bearer ..." header), as the validator reports them. Saving
    // refuses a document that has any: a configuration never holds a secret.
    std::vector<ConfigError> secrets(const std::string& file) const;

    // The id of a list entry the document does not hold yet: base, else base-2, base-3, ...
    std::string freeId(const std::string& list, const std::string& base) const;

private:
    int listSize(const char* list) const;
    nlohmann::json& list(const char* name);
    int append(const char* name, nlohmann::json entry);

    nlohmann::json m_document = nlohmann::json::object();
    nlohmann::json m_saved = nlohmann::json::object();
};

// A workload template shipped in resources/workloads/<name>.json (docs/configuration.md,
// "Workload templates"): what the setup page's template picker offers.
struct WorkloadTemplate {
    std::string name; // "quick-check"
    nlohmann::json workload; // the workload object, its "_comment" saying what it is for
};
// Every template, sorted by name; a file that is not a JSON object is skipped.
std::vector<WorkloadTemplate> workloadTemplates();

// The errors about a JSON path or anything under it: "providers[1]" takes "providers[1].mode"
// and "providers[1].pricing.ref", not "providers[10]". What a field shows under itself.
std::vector<ConfigError> errorsAt(const std::vector<ConfigError>& errors, const std::string& path);
// The errors about exactly this path.
std::vector<ConfigError> errorsExactlyAt(const std::vector<ConfigError>& errors, const std::string& path);

} // namespace t2i
