// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace t2i::imagecodec {

// RGB pixels, 8 bits a channel, rows top to bottom: a smooth picture (a gradient and soft blobs
// per channel, all decided by `look`) plus uniform noise of `noise` levels per channel (0: none).
// Deterministic: the same arguments give the same pixels on every machine.
std::vector<uint8_t> renderPixels(int width, int height, uint64_t look, int noise);

// An encoded image cut where the emulator adds its own chunks: `head` must come first (the PNG
// signature and IHDR; JPEG's SOI and JFIF APP0; WebP's RIFF header and a VP8X chunk), `body` is the
// rest (the compressed pixels and the end marker).
struct Encoded {
    std::string head;
    std::string body;
};

// PNG, 8-bit RGB: every row filtered with "Sub" and deflated with Huffman coding only (the noise
// leaves LZ77 nothing worth its time).
Encoded encodePng(const std::vector<uint8_t>& rgb, int width, int height);
// JPEG (libjpeg-turbo), 4:2:0, at `quality` 0..100.
Encoded encodeJpeg(const std::vector<uint8_t>& rgb, int width, int height, int quality);
// Lossy WebP (libwebp, method 0: the fastest; at these noise levels the others save little) at
// `quality` 0..100, in the extended format (VP8X) so that other chunks may follow the header. The
// RIFF size in `head` is left 0: the caller writes the final one.
Encoded encodeWebp(const std::vector<uint8_t>& rgb, int width, int height, int quality);

// A PNG chunk: length, type, data, CRC.
std::string pngChunk(const char* type, const std::string& data);

} // namespace t2i::imagecodec
