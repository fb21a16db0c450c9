// SPDX-License-Identifier: Apache-2.0
// A SageMaker container defines its own payload (docs/protocols.md §5.2: "There is no SageMaker
// standard"), so the request body is a template and the images are found where the config says.
// Object templates, image pointers and timings are the app-payload rules every "own code"
// platform shares (apppayload/apppayload.h); SageMaker adds text templates and binary bodies.
#pragma once

#include "apppayload/apppayload.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace t2i::sagemaker {

// The diffusers / JumpStart-style body of docs/protocols.md §5.2, as a template.
nlohmann::json defaultBodyTemplate();

// The request body. An object template is filled by fillPayloadTemplate and sent as JSON. A
// string template is text (a JSON text, CSV, ...): each placeholder becomes its JSON text, a
// string's without the quotes, so "{\"p\": \"{{prompt}}\"}" stays JSON whatever the prompt holds.
std::string renderBody(const nlohmann::json& bodyTemplate, const Job& job);

// Where common containers put their images when the config's extract.image names none: diffusers
// handlers ("/images"), JumpStart ("/generated_images"), Stability ("/artifacts": objects with
// "base64"), OpenAI-style ("/data": objects with "b64_json") and a single "/image".
AppOutputSpec defaultOutputSpec();

// True for PNG, JPEG and WebP signatures, or an image/* Content-Type: the body is the image.
bool isBinaryImage(std::string_view contentType, std::string_view body);

} // namespace t2i::sagemaker
