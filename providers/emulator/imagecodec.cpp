// SPDX-License-Identifier: Apache-2.0
#include "imagecodec.h"

#include <cstdio> // jpeglib.h needs FILE declared first
#include <jpeglib.h>
#include <webp/encode.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdlib>
#include <numbers>
#include <stdexcept>

namespace t2i::imagecodec {
namespace {

// SplitMix64: small, fast and the same everywhere.
struct Bits {
    uint64_t state;
    uint64_t next()
    {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
};

void putBigEndian(std::string& out, uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((value >> shift) & 0xff));
}

void putLittleEndian(std::string& out, uint32_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// libjpeg reports errors through a callback that must not return: it jumps back here.
struct JpegError {
    jpeg_error_mgr manager;
    std::jmp_buf jump;
};

extern "C" void onJpegError(j_common_ptr info)
{
    std::longjmp(reinterpret_cast<JpegError*>(info->err)->jump, 1);
}

// Plain C on purpose: no object with a destructor lives between setjmp and a longjmp.
bool compressJpeg(const uint8_t* rgb, int width, int height, int quality, unsigned char** out, unsigned long* size)
{
    jpeg_compress_struct info {};
    JpegError error {};
    info.err = jpeg_std_error(&error.manager);
    error.manager.error_exit = onJpegError;
    if (setjmp(error.jump)) {
        jpeg_destroy_compress(&info);
        return false;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, out, size);
    info.image_width = static_cast<JDIMENSION>(width);
    info.image_height = static_cast<JDIMENSION>(height);
    info.input_components = 3;
    info.in_color_space = JCS_RGB;
    jpeg_set_defaults(&info); // 4:2:0, Huffman tables of the standard, a JFIF APP0
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    const size_t stride = 3 * static_cast<size_t>(width);
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = const_cast<JSAMPROW>(rgb + info.next_scanline * stride);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    return true;
}

} // namespace

std::vector<uint8_t> renderPixels(int width, int height, uint64_t look, int noise)
{
    if (width <= 0 || height <= 0)
        throw std::invalid_argument("image size must be positive");
    const size_t w = static_cast<size_t>(width);
    const size_t h = static_cast<size_t>(height);
    Bits bits { look * 0x2545f4914f6cdd1dULL + 0x5eed };
    // Per channel: base + a horizontal and a vertical gradient + two soft blobs, each the product
    // of a cosine across and one down (1 to 4 half-periods over the image). Separable, so a pixel
    // costs a few integer operations.
    struct Channel {
        std::vector<int> column; // base + horizontal gradient
        std::vector<int> row; // vertical gradient
        std::vector<int> acrossA, acrossB; // cosines x 256
        std::vector<int> downA, downB; // amplitude x cosines x 256
    };
    const auto cosines = [&bits](size_t n, double scale) {
        const double frequency = (1 + bits.below(4)) * std::numbers::pi / static_cast<double>(n);
        const double phase = bits.below(1000) / 1000.0 * 2 * std::numbers::pi;
        std::vector<int> out(n);
        for (size_t i = 0; i < n; ++i)
            out[i] = static_cast<int>(std::lround(scale * std::cos(frequency * static_cast<double>(i) + phase)));
        return out;
    };
    Channel channels[3];
    for (Channel& c : channels) {
        const int base = 80 + bits.below(96);
        const int across = bits.below(81) - 40, down = bits.below(81) - 40;
        c.column.resize(w);
        for (size_t x = 0; x < w; ++x)
            c.column[x] = base + across * static_cast<int>(x) / width;
        c.row.resize(h);
        for (size_t y = 0; y < h; ++y)
            c.row[y] = down * static_cast<int>(y) / height;
        c.acrossA = cosines(w, 256);
        c.acrossB = cosines(w, 256);
        c.downA = cosines(h, 256.0 * (20 + bits.below(31)));
        c.downB = cosines(h, 256.0 * (20 + bits.below(31)));
    }
    std::vector<uint8_t> rgb(w * h * 3);
    uint64_t random = 0;
    int left = 0; // bytes of `random` not used yet
    const int centre = noise / 2;
    for (size_t y = 0; y < h; ++y) {
        uint8_t* out = rgb.data() + y * w * 3;
        for (size_t x = 0; x < w; ++x) {
            for (int k = 0; k < 3; ++k) {
                const Channel& c = channels[k];
                int v = c.column[x] + c.row[y] + ((c.downA[y] * c.acrossA[x] + c.downB[y] * c.acrossB[x]) >> 16);
                if (noise > 0) {
                    if (left == 0) {
                        random = bits.next();
                        left = 8;
                    }
                    v += static_cast<int>(((random & 0xff) * static_cast<unsigned>(noise)) >> 8) - centre;
                    random >>= 8;
                    --left;
                }
                out[3 * x + static_cast<size_t>(k)] = static_cast<uint8_t>(std::clamp(v, 0, 255));
            }
        }
    }
    return rgb;
}

std::string pngChunk(const char* type, const std::string& data)
{
    std::string out;
    out.reserve(data.size() + 12);
    putBigEndian(out, static_cast<uint32_t>(data.size()));
    out.append(type, 4);
    out += data;
    uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(type), 4);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
    putBigEndian(out, static_cast<uint32_t>(crc));
    return out;
}

Encoded encodePng(const std::vector<uint8_t>& rgb, int width, int height)
{
    const size_t stride = 3 * static_cast<size_t>(width);
    const size_t rows = static_cast<size_t>(height);
    std::vector<uint8_t> filtered((stride + 1) * rows);
    for (size_t y = 0; y < rows; ++y) {
        const uint8_t* in = rgb.data() + y * stride;
        uint8_t* out = filtered.data() + y * (stride + 1);
        out[0] = 1; // filter type Sub: each byte minus the one a pixel to its left
        std::copy(in, in + 3, out + 1);
        for (size_t i = 3; i < stride; ++i)
            out[1 + i] = static_cast<uint8_t>(in[i] - in[i - 3]);
    }
    z_stream z {};
    if (deflateInit2(&z, 1, Z_DEFLATED, 15, 9, Z_HUFFMAN_ONLY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::string compressed(deflateBound(&z, static_cast<uLong>(filtered.size())), '\0');
    z.next_in = filtered.data();
    z.avail_in = static_cast<uInt>(filtered.size());
    z.next_out = reinterpret_cast<Bytef*>(compressed.data());
    z.avail_out = static_cast<uInt>(compressed.size());
    const int rc = deflate(&z, Z_FINISH);
    compressed.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END)
        throw std::runtime_error("deflate failed");

    Encoded e;
    e.head.assign("\x89PNG\r\n\x1a\n", 8);
    std::string header;
    putBigEndian(header, static_cast<uint32_t>(width));
    putBigEndian(header, static_cast<uint32_t>(height));
    header += std::string("\x08\x02\x00\x00\x00", 5); // 8-bit RGB, deflate, adaptive filters, no interlace
    e.head += pngChunk("IHDR", header);
    e.body = pngChunk("IDAT", compressed) + pngChunk("IEND", {});
    return e;
}

Encoded encodeJpeg(const std::vector<uint8_t>& rgb, int width, int height, int quality)
{
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    const bool ok = compressJpeg(rgb.data(), width, height, quality, &buffer, &size);
    std::string jpeg = ok && buffer ? std::string(reinterpret_cast<const char*>(buffer), size) : std::string();
    std::free(buffer);
    if (!ok || jpeg.size() < 4)
        throw std::runtime_error("JPEG encoding failed");
    // SOI, then the JFIF APP0 segment if there is one: what must come first.
    size_t head = 2;
    if (uint8_t(jpeg[2]) == 0xFF && uint8_t(jpeg[3]) == 0xE0 && jpeg.size() > 6)
        head += 2 + ((size_t(uint8_t(jpeg[4])) << 8) | uint8_t(jpeg[5]));
    return { jpeg.substr(0, head), jpeg.substr(head) };
}

Encoded encodeWebp(const std::vector<uint8_t>& rgb, int width, int height, int quality)
{
    WebPConfig config;
    WebPPicture picture;
    if (!WebPConfigPreset(&config, WEBP_PRESET_DEFAULT, static_cast<float>(quality)) || !WebPPictureInit(&picture))
        throw std::runtime_error("libwebp version mismatch");
    config.method = 0;
    picture.width = width;
    picture.height = height;
    WebPMemoryWriter writer;
    WebPMemoryWriterInit(&writer);
    picture.writer = WebPMemoryWrite;
    picture.custom_ptr = &writer;
    const bool ok = WebPPictureImportRGB(&picture, rgb.data(), 3 * width) && WebPEncode(&config, &picture);
    std::string webp = ok ? std::string(reinterpret_cast<const char*>(writer.mem), writer.size) : std::string();
    WebPMemoryWriterClear(&writer);
    WebPPictureFree(&picture);
    // RGB without alpha or metadata comes out in the simple format: RIFF, "VP8 " chunk.
    if (webp.size() < 20 || webp.compare(12, 4, "VP8 ") != 0)
        throw std::runtime_error("WebP encoding failed");
    Encoded e;
    e.head = "RIFF";
    putLittleEndian(e.head, 0, 4); // the caller writes the file's final size
    e.head += "WEBPVP8X";
    putLittleEndian(e.head, 10, 4);
    putLittleEndian(e.head, 0, 4); // no ICC profile, alpha, Exif, XMP or animation
    putLittleEndian(e.head, static_cast<uint32_t>(width - 1), 3);
    putLittleEndian(e.head, static_cast<uint32_t>(height - 1), 3);
    e.body = webp.substr(12);
    return e;
}

} // namespace t2i::imagecodec
