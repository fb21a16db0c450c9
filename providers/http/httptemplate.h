// SPDX-License-Identifier: Apache-2.0
// The templates of the generic `http` provider (docs/configuration.md): {{name}} placeholders in
// the URL, the headers and the body, filled per job, and JSON pointers that read an answer.
#pragma once

#include "engine/adapter.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace t2i {

// The placeholders a template may use: the job's (prompt, seed, width, height, steps, guidance,
// images, model), the key (api_key, headers and URLs only) and the platform's id (job_id, in poll
// and cancel templates). core/config/providervalidator.cpp refuses any other name.
const std::vector<std::string>& httpPlaceholderNames();

// What the placeholders stand for in one job.
struct TemplateValues {
    const Job* job = nullptr;
    std::string apiKey;
    std::string jobId;
    // The value of a placeholder, typed as it goes into JSON; nullopt for an unknown name.
    std::optional<nlohmann::json> value(std::string_view name) const;
};

// How a substituted value is written into text.
enum class TemplateEscape {
    Json, // inside a JSON text: a string's characters JSON-escaped, without the quotes around them
    Url, // percent-encoded (RFC 3986 unreserved characters kept)
    Header, // as is, less CR and LF (a value cannot end a header line)
    Plain, // as is (the text becomes a JSON string value, escaped when written)
};

// Every {{name}} (spaces inside the braces allowed) replaced; an unknown name is left as it is.
std::string fillText(std::string_view text, const TemplateValues& values, TemplateEscape escape);
// A JSON template: a string that is exactly one placeholder becomes the value with its type
// ("{{seed}}" -> 42), other strings get text substitution; keys are kept as they are.
nlohmann::json fillJson(const nlohmann::json& tmpl, const TemplateValues& values);
// The placeholder names a text uses, in order, duplicates kept.
std::vector<std::string> placeholdersIn(std::string_view text);

// A JSON pointer in which one "*" token stands for every element of the array there
// ("/data/*/b64_json"). The values it reaches, in order; none when any step is missing.
std::vector<const nlohmann::json*> resolvePointer(const nlohmann::json& document, const std::string& pointer);

} // namespace t2i
