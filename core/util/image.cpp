// SPDX-License-Identifier: Apache-2.0
#include "image.h"

#include <openssl/evp.h>
#include <zlib.h>

#include <array>
#include <cstdint>
#include <memory>

namespace t2i {
namespace {

std::uint32_t be32(std::string_view s, std::size_t at)
{
    return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16)
        | (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

ImageCheck invalid(std::string format, std::string problem)
{
    ImageCheck check;
    check.format = std::move(format);
    check.problem = std::move(problem);
    return check;
}

int channelsOf(int colorType)
{
    switch (colorType) {
    case 0:
        return 1; // grey
    case 2:
        return 3; // RGB
    case 3:
        return 1; // palette
    case 4:
        return 2; // grey + alpha
    case 6:
        return 4; // RGBA
    default:
        return 0;
    }
}

// Inflates the concatenated IDAT data (a zlib stream) and counts the bytes, without keeping them.
// The stream is inflated raw, skipping zlib's Adler-32 of the inflated bytes: every compressed byte
// is already covered by its chunk's CRC-32, and the Adler-32 of 3 MB of pixels was half of what
// checking a 1024x1024 image cost (measured with perf at 10,000 jobs in flight,
// docs/performance.md). The 2-byte header and the 4-byte trailer must still be where RFC 1950
// puts them.
bool inflatedSizeIs(std::string_view idat, std::uint64_t expected)
{
    if (idat.size() < 2 + 4)
        return false;
    const unsigned cmf = std::uint8_t(idat[0]), flg = std::uint8_t(idat[1]);
    const bool deflateMethod = (cmf & 0x0f) == 8 && (cmf >> 4) <= 7;
    const bool presetDictionary = (flg & 0x20) != 0; // PNG forbids one
    if (!deflateMethod || presetDictionary || (cmf * 256 + flg) % 31 != 0)
        return false;
    z_stream zs {};
    if (inflateInit2(&zs, -15) != Z_OK) // raw deflate: no header, no Adler-32
        return false;
    std::unique_ptr<z_stream, decltype(&inflateEnd)> guard(&zs, inflateEnd);
    std::array<unsigned char, 65536> out {};
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(idat.data() + 2));
    zs.avail_in = static_cast<uInt>(idat.size() - 2);
    std::uint64_t total = 0;
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = out.data();
        zs.avail_out = static_cast<uInt>(out.size());
        rc = inflate(&zs, Z_NO_FLUSH);
        total += out.size() - zs.avail_out;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0)
            break;
    }
    return rc == Z_STREAM_END && zs.avail_in == 4 && total == expected;
}

ImageCheck checkPng(std::string_view s)
{
    std::size_t at = 8;
    ImageCheck check;
    check.format = "png";
    std::string idat;
    int bitDepth = 0, colorType = -1, interlace = 0;
    bool sawEnd = false;
    while (at + 12 <= s.size()) {
        const std::uint32_t length = be32(s, at);
        if (length > s.size() - at - 12)
            return invalid("png", "chunk runs past the end of the file");
        const std::string_view type = s.substr(at + 4, 4);
        const std::string_view data = s.substr(at + 8, length);
        const std::uint32_t crc = be32(s, at + 8 + length);
        const auto computed = crc32(crc32(0, reinterpret_cast<const Bytef*>(type.data()), 4),
            reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(length));
        if (computed != crc)
            return invalid("png", "bad CRC in chunk " + std::string(type));
        if (type == "IHDR" && length == 13) {
            check.width = static_cast<int>(be32(data, 0));
            check.height = static_cast<int>(be32(data, 4));
            bitDepth = std::uint8_t(data[8]);
            colorType = std::uint8_t(data[9]);
            interlace = std::uint8_t(data[12]);
        } else if (type == "IDAT") {
            idat.append(data);
        } else if (type == "IEND") {
            sawEnd = true;
            break;
        }
        at += 12 + length;
    }
    if (check.width <= 0 || check.height <= 0 || channelsOf(colorType) == 0)
        return invalid("png", "missing or bad IHDR");
    if (!sawEnd)
        return invalid("png", "truncated (no IEND)");
    if (interlace == 0) { // Adam7 sizes are awkward to predict; for those a clean inflate is enough
        const std::uint64_t rowBytes = (std::uint64_t(check.width) * channelsOf(colorType) * bitDepth + 7) / 8;
        if (!inflatedSizeIs(idat, (rowBytes + 1) * std::uint64_t(check.height)))
            return invalid("png", "image data does not decode to the size its header declares");
    }
    check.valid = true;
    return check;
}

ImageCheck checkJpeg(std::string_view s)
{
    std::size_t at = 2;
    while (at + 9 < s.size()) {
        if (std::uint8_t(s[at]) != 0xFF)
            return invalid("jpeg", "bad marker");
        const std::uint8_t marker = std::uint8_t(s[at + 1]);
        const std::size_t length = (std::uint8_t(s[at + 2]) << 8) | std::uint8_t(s[at + 3]);
        const bool isFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (isFrame) {
            ImageCheck check;
            check.format = "jpeg";
            check.height = (std::uint8_t(s[at + 5]) << 8) | std::uint8_t(s[at + 6]);
            check.width = (std::uint8_t(s[at + 7]) << 8) | std::uint8_t(s[at + 8]);
            check.valid = check.width > 0 && check.height > 0 && s.substr(s.size() - 2) == "\xFF\xD9";
            if (!check.valid)
                check.problem = "truncated or zero-sized JPEG";
            return check;
        }
        at += 2 + length;
    }
    return invalid("jpeg", "no frame header");
}

ImageCheck checkWebp(std::string_view s)
{
    ImageCheck check;
    check.format = "webp";
    if (s.size() >= 30 && s.substr(12, 4) == "VP8X") {
        check.width = 1 + (std::uint8_t(s[24]) | (std::uint8_t(s[25]) << 8) | (std::uint8_t(s[26]) << 16));
        check.height = 1 + (std::uint8_t(s[27]) | (std::uint8_t(s[28]) << 8) | (std::uint8_t(s[29]) << 16));
    } else if (s.size() >= 30 && s.substr(12, 4) == "VP8 ") {
        check.width = (std::uint8_t(s[26]) | (std::uint8_t(s[27]) << 8)) & 0x3FFF;
        check.height = (std::uint8_t(s[28]) | (std::uint8_t(s[29]) << 8)) & 0x3FFF;
    } else if (s.size() >= 25 && s.substr(12, 4) == "VP8L") {
        const std::uint32_t bits = std::uint8_t(s[21]) | (std::uint8_t(s[22]) << 8) | (std::uint8_t(s[23]) << 16)
            | (std::uint32_t(std::uint8_t(s[24])) << 24);
        check.width = 1 + int(bits & 0x3FFF);
        check.height = 1 + int((bits >> 14) & 0x3FFF);
    }
    check.valid = check.width > 0 && check.height > 0;
    if (!check.valid)
        check.problem = "unrecognised WebP header";
    return check;
}

} // namespace

ImageCheck checkImage(std::string_view bytes)
{
    if (bytes.size() >= 8 && bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8))
        return checkPng(bytes);
    if (bytes.size() >= 4 && std::uint8_t(bytes[0]) == 0xFF && std::uint8_t(bytes[1]) == 0xD8)
        return checkJpeg(bytes);
    if (bytes.size() >= 16 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP")
        return checkWebp(bytes);
    return invalid("", bytes.empty() ? "empty image" : "not a PNG, JPEG or WebP image");
}

std::string sha256Hex(std::string_view bytes)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest {};
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2);
    for (unsigned i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 15];
    }
    return hex;
}

} // namespace t2i
