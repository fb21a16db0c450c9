// SPDX-License-Identifier: Apache-2.0
#include "json/validationerrors.h"

#include <algorithm>

namespace t2i {

std::string validationErrors(const JsonDoc& body, const JsonPointer& detail)
{
    std::string out;
    const std::size_t n = std::min<std::size_t>(body.elements(detail), 20);
    for (std::size_t i = 0; i < n; ++i) {
        const JsonPointer item = detail / i;
        std::string where;
        const JsonPointer loc = item / "loc";
        const std::size_t parts = std::min<std::size_t>(body.elements(loc), 20);
        for (std::size_t j = 0; j < parts; ++j) {
            const JsonValue part = body.at(loc / j);
            if (part.isString() && part.text() == "body")
                continue;
            where += (where.empty() ? "" : ".") + (part.isString() ? part.text() : body.text(loc / j, 100));
        }
        const std::string message
            = body.type(item) == JsonType::Object ? body.string(item / "msg") : body.text(item, 200);
        out += (out.empty() ? "" : "; ") + (where.empty() ? message : where + ": " + message);
    }
    return out;
}

} // namespace t2i
