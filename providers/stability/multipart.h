// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace t2i {

// One part of a multipart/form-data body (RFC 7578): a text field, or a file when filename is set.
struct MultipartField {
    std::string name;
    std::string value;
    std::string filename; // empty: a plain field
    std::string contentType; // files only; empty: application/octet-stream
};

struct MultipartBody {
    std::string boundary;
    std::string body;
    std::string contentType() const { return "multipart/form-data; boundary=" + boundary; }
};

// The body, built as bytes. The boundary is deterministic (no randomness: the same fields give
// the same bytes, which tests and request logs rely on): boundaryStem, with a counter appended
// until it occurs in no name, value or filename, so it can never be mistaken for content.
MultipartBody buildMultipart(
    const std::vector<MultipartField>& fields, std::string_view boundaryStem = "t2ibench-form-boundary");

} // namespace t2i
