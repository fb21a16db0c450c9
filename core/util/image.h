// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace t2i {

// What a delivered image turned out to be. Checking it is part of measuring: a fast answer
// with a broken or wrong-sized image is a failure, not a success.
struct ImageCheck {
    bool valid = false;
    std::string format; // "png", "jpeg", "webp"
    int width = 0;
    int height = 0;
    std::string problem; // why it is invalid
};

// PNG: signature, chunk CRCs, IHDR, and the IDAT stream inflated to the exact size the header
// promises. JPEG and WebP: markers and the frame size.
ImageCheck checkImage(std::string_view bytes);
std::string sha256Hex(std::string_view bytes);

} // namespace t2i
