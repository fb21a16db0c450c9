// SPDX-License-Identifier: Apache-2.0
#include "multipart.h"

#include <algorithm>

namespace t2i {
namespace {

bool occursIn(const std::vector<MultipartField>& fields, const std::string& boundary)
{
    return std::any_of(fields.begin(), fields.end(), [&](const MultipartField& f) {
        return f.name.find(boundary) != std::string::npos || f.value.find(boundary) != std::string::npos
            || f.filename.find(boundary) != std::string::npos;
    });
}

// A name or filename inside a quoted Content-Disposition parameter: quotes and line breaks
// percent-encoded, as browsers do (RFC 7578 §4.2 leaves the escaping to the HTML form rules).
std::string quoted(std::string_view text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"')
            out += "%22";
        else if (c == '\r')
            out += "%0D";
        else if (c == '\n')
            out += "%0A";
        else
            out += c;
    }
    return out + "\"";
}

} // namespace

MultipartBody buildMultipart(const std::vector<MultipartField>& fields, std::string_view boundaryStem)
{
    MultipartBody out;
    out.boundary = std::string(boundaryStem);
    for (int n = 1; occursIn(fields, out.boundary); ++n)
        out.boundary = std::string(boundaryStem) + "-" + std::to_string(n);
    for (const MultipartField& field : fields) {
        out.body += "--" + out.boundary + "\r\n";
        out.body += "Content-Disposition: form-data; name=" + quoted(field.name);
        if (!field.filename.empty()) {
            out.body += "; filename=" + quoted(field.filename) + "\r\n";
            out.body += "Content-Type: "
                + (field.contentType.empty() ? std::string("application/octet-stream") : field.contentType);
        }
        out.body += "\r\n\r\n";
        out.body += field.value;
        out.body += "\r\n";
    }
    out.body += "--" + out.boundary + "--\r\n";
    return out;
}

} // namespace t2i
