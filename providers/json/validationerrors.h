// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "json/jsondoc.h"

#include <string>

namespace t2i {

// FastAPI/Pydantic's validation errors, which several platforms answer a 422 with (fal,
// AUTOMATIC1111: docs/protocols.md §3, §12.4): `detail` is a list of {"loc": ["body", "steps"],
// "msg": "..."}. Read as "steps: msg; ..." (the leading "body" of each location dropped), at most
// 20 errors of at most 20 location parts each, so a garbage list costs no more than a real one.
std::string validationErrors(const JsonDoc& body, const JsonPointer& detail);

} // namespace t2i
