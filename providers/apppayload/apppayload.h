// SPDX-License-Identifier: Apache-2.0
// Platforms that run the user's own code (Modal web endpoints, Baseten Trusses, custom Hugging Face
// handlers) add no envelope: the request body and the answer are whatever the app defines. This is
// the shared translation for them: a body template filled from the job, and JSON pointers that say
// where the app puts its images, its own timings and its container id.
#pragma once

#include "engine/adapter.h"
#include "json/jsondoc.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace t2i {

// The placeholders a body template may hold: {{prompt}}, {{seed}}, {{width}}, {{height}},
// {{steps}}, {{guidance}}, {{images}} (the same names as the http type's body template).
const std::vector<std::string_view>& payloadPlaceholders();

// The template with the job's values in place. A string that is exactly one placeholder becomes
// the typed value ("{{seed}}" -> 42, "{{prompt}}" -> "a red fox"); a placeholder inside a longer
// string is replaced by its text. Unknown placeholders are left as written (the config validator
// refuses them before a run).
nlohmann::json fillPayloadTemplate(const nlohmann::json& bodyTemplate, const Job& job);

// Where an app's JSON answer holds what the benchmark reads. Each is a JSON pointer ("/images");
// an empty pointer means "the app does not report it".
struct AppOutputSpec {
    std::vector<std::string> imagePointers; // tried in order; the first that holds an image wins
    std::string execSecondsPointer; // app-measured execution time in seconds
    std::string execMsPointer; // ... or in milliseconds
    std::string queueMsPointer; // app-measured wait before execution, in ms
    std::string workerIdPointer; // the app's container id (a new id is a new container)

    // The spec with a config's "extract" object applied over these defaults: keys image, exec_s,
    // exec_ms, queue_ms, worker_id; "" switches a default off.
    AppOutputSpec withConfig(const nlohmann::json& extract) const;
    std::string describeImagePointers() const; // "/images or /image", for error messages
};

// Reads an app's JSON answer (the value at base in body, the whole body by default) into the
// job: images (a string that is a data URI, base64 or URL, or an array of such strings, or of
// objects holding one in "url", "data", "image", "b64_json" or "base64"), app-reported timings
// and the worker id. False when no image was found. A value of another type than expected is
// skipped, never thrown on.
bool readAppOutput(const JsonDoc& body, const AppOutputSpec& spec, JobState& job, const JsonPointer& base = {});

// The configured pointer under base; an empty pointer or one that does not start with '/' leads
// nowhere ("the app does not report it").
std::optional<JsonPointer> appPointer(const JsonPointer& base, const std::string& pointer);

// "image/png", "image/jpeg; charset=..." -> true.
bool isImageContentType(std::string_view contentType);

// A short, single-line excerpt of an error body for messages (JSON "error"/"detail"/"message"
// text when there is one).
std::string errorExcerpt(const std::string& body);

} // namespace t2i
