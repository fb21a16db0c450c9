// SPDX-License-Identifier: Apache-2.0
// Platforms that run the user's own code (Modal web endpoints, Baseten Trusses, custom Hugging Face
// handlers) add no envelope: the request body and the answer are whatever the app defines. This is
// the shared translation for them: a body template filled from the job, and JSON pointers that say
// where the app puts its images, its own timings and its container id.
#pragma once

#include "engine/adapter.h"

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

// Reads an app's JSON answer into the job: images (a string that is a data URI, base64 or URL,
// or an array of such strings, or of objects holding one in "url", "data", "image" or
// "b64_json"), app-reported timings and the worker id. False when no image was found.
bool readAppOutput(const nlohmann::json& body, const AppOutputSpec& spec, JobState& job);

// The value at a JSON pointer; nullptr when the pointer is empty, malformed or leads nowhere.
const nlohmann::json* valueAt(const nlohmann::json& body, const std::string& pointer);

// "image/png", "image/jpeg; charset=..." -> true.
bool isImageContentType(std::string_view contentType);

// A short, single-line excerpt of an error body for messages (JSON "error"/"detail"/"message"
// text when there is one).
std::string errorExcerpt(const std::string& body);

} // namespace t2i
