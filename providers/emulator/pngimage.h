// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

namespace t2i {

// Valid RGB PNGs of any size, made cheaply: the compressed pixel data (IDAT) depends only on the
// size and is built once per size; what makes each image unique is a tEXt chunk. The image
// server must never be the bottleneck of a benchmark that measures the platform.
class PngImage {
public:
    // A PNG of width x height whose tEXt "Comment" is `text`. Thread-safe.
    static std::string make(int width, int height, const std::string& text);
    // "data:image/png;base64,..." of the same.
    static std::string dataUri(int width, int height, const std::string& text);

    static std::string base64(const std::string& bytes);
    static uint32_t crc(const std::string& chunkTypeAndData);
};

} // namespace t2i
