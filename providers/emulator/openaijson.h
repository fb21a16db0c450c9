// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "imagesettings.h"
#include "platformtypes.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace t2i {

// The JSON of OpenAI's Images API (docs/protocols.md §9), kept apart from the HTTP
// plumbing so that each shape can be read and tested on its own.
namespace openai {

struct Generate {
    JobSpec spec;
    bool url = false; // response_format "url": images are served from /files/
    int64_t inputTokens = 0; // for a plausible usage object
};

// What went wrong with a request, in the fields OpenAI's error object has.
struct Problem {
    std::string message;
    std::string param; // empty: null
};

// The body of POST /v1/images/generations: model, prompt, n, size ("WxH" or "auto"),
// response_format, plus LocalAI's "step" and a "seed". On error returns nullopt and says why.
std::optional<Generate> parseGenerate(const std::string& body, Problem& problem);

// {"created", "data": [{"b64_json"} or {"url": filesBase + "/files/<id>-<i>.<ext>"}], "usage"}; each
// b64_json is still an images::placeholder(i): the front splices the base64 in as it writes.
nlohmann::json generated(const JobTruth& truth, bool url, int64_t inputTokens, const std::string& filesBase,
    int64_t createdS, ImageFormat format);
// Token counts shaped like gpt-image-1's: ~1056 output tokens per 1024x1024 image (medium quality).
nlohmann::json usage(const JobSpec& spec, int64_t inputTokens);
// {"error": {"message", "type", "param", "code"}}; empty param/code are null.
nlohmann::json error(
    const std::string& message, const std::string& type, const std::string& param = {}, const std::string& code = {});

} // namespace openai
} // namespace t2i
