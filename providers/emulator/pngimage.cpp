// SPDX-License-Identifier: Apache-2.0
#include "pngimage.h"

#include <zlib.h>

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace t2i {
namespace {

void putBigEndian(std::string& out, uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((value >> shift) & 0xff));
}

void putChunk(std::string& out, const char* type, const std::string& data)
{
    putBigEndian(out, static_cast<uint32_t>(data.size()));
    const std::string body = type + data;
    out += body;
    putBigEndian(out, PngImage::crc(body));
}

// A vertical gradient, one colour per row. Each row uses PNG's "Sub" filter, so after its first
// pixel the row is all zeros and deflate shrinks a megapixel to a few kilobytes.
std::string compressPixels(int width, int height)
{
    z_stream z {};
    if (deflateInit(&z, 6) != Z_OK)
        throw std::runtime_error("deflateInit failed");
    std::vector<unsigned char> row(1 + 3 * static_cast<size_t>(width), 0);
    row[0] = 1; // filter type Sub
    std::string out;
    std::vector<unsigned char> buffer(64 * 1024);
    for (int y = 0; y < height; ++y) {
        const int shade = height > 1 ? 255 * y / (height - 1) : 0;
        row[1] = static_cast<unsigned char>(40 + shade * 180 / 255);
        row[2] = 96;
        row[3] = static_cast<unsigned char>(220 - shade * 160 / 255);
        z.next_in = row.data();
        z.avail_in = static_cast<uInt>(row.size());
        const int flush = y + 1 == height ? Z_FINISH : Z_NO_FLUSH;
        int rc = Z_OK;
        do {
            z.next_out = buffer.data();
            z.avail_out = static_cast<uInt>(buffer.size());
            rc = deflate(&z, flush);
            out.append(reinterpret_cast<const char*>(buffer.data()), buffer.size() - z.avail_out);
        } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    }
    deflateEnd(&z);
    return out;
}

std::shared_ptr<const std::string> cachedPixels(int width, int height)
{
    static std::mutex mutex;
    static std::map<std::pair<int, int>, std::shared_ptr<const std::string>> cache;
    std::lock_guard lock(mutex);
    const auto key = std::make_pair(width, height);
    if (const auto it = cache.find(key); it != cache.end())
        return it->second;
    if (cache.size() >= 256) // a client sweeping sizes must not grow this without bound
        cache.clear();
    auto pixels = std::make_shared<const std::string>(compressPixels(width, height));
    cache.emplace(key, pixels);
    return pixels;
}

} // namespace

uint32_t PngImage::crc(const std::string& chunkTypeAndData)
{
    return static_cast<uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(chunkTypeAndData.data()), static_cast<uInt>(chunkTypeAndData.size())));
}

std::string PngImage::make(int width, int height, const std::string& text)
{
    if (width <= 0 || height <= 0)
        throw std::invalid_argument("PNG size must be positive");
    std::string png("\x89PNG\r\n\x1a\n", 8);
    std::string header;
    putBigEndian(header, static_cast<uint32_t>(width));
    putBigEndian(header, static_cast<uint32_t>(height));
    header += std::string("\x08\x02\x00\x00\x00", 5); // 8-bit RGB, deflate, adaptive filters, no interlace
    putChunk(png, "IHDR", header);
    putChunk(png, "tEXt", std::string("Comment", 7) + '\0' + text);
    putChunk(png, "IDAT", *cachedPixels(width, height));
    putChunk(png, "IEND", {});
    return png;
}

std::string PngImage::dataUri(int width, int height, const std::string& text)
{
    return "data:image/png;base64," + base64(make(width, height, text));
}

std::string PngImage::base64(const std::string& bytes)
{
    static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const uint32_t v = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8)
            | uint32_t(uint8_t(bytes[i + 2]));
        out += { table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63] };
    }
    if (i + 1 == bytes.size()) {
        const uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
        out += { table[v >> 18], table[(v >> 12) & 63], '=', '=' };
    } else if (i + 2 == bytes.size()) {
        const uint32_t v = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8);
        out += { table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], '=' };
    }
    return out;
}

} // namespace t2i
