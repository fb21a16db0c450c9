// SPDX-License-Identifier: Apache-2.0
#include "emulatedimage.h"

#include "imagecodec.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace t2i::images {
namespace {

// Room for the tag's text: "t2ibench-emulator job=<id> image=<i> seed=<seed>" is under 100
// characters with the emulator's ids; the rest is spaces. Alignment and padding may take up to
// 12 characters off.
constexpr size_t kTagText = 128;
// The cache is emptied (looks in use live on) past either bound, so that a client sweeping sizes
// cannot grow it without end.
constexpr size_t kMaxLooks = 256;
constexpr int64_t kMaxCacheBytes = int64_t { 1 } << 30;

struct Key {
    ImageFormat format;
    int quality; // 0 for PNG, which has none
    int width;
    int height;
    int64_t target; // exact file size; 0: whatever the encoder gives
    int look;
    auto operator<=>(const Key&) const = default;
};

// One look, encoded: head + [tag of tagSize bytes] + tail, with head + tag a multiple of 3 bytes
// long so that base64(head + tag) + base64(tail) is base64 of the whole file.
struct Look {
    explicit Look(const Key& k)
        : key(k)
    {
    }
    const Key key;
    std::once_flag rendered;
    std::string head;
    size_t tagSize = 0;
    std::string tail; // the padding, if any, then the encoder's body
    std::once_flag encoded;
    std::string tailBase64;
    int64_t size() const { return static_cast<int64_t>(head.size() + tagSize + tail.size()); }
};

struct Cache {
    std::mutex mutex;
    std::map<Key, std::shared_ptr<Look>> looks;
    int64_t bytes = 0;
    int64_t renders = 0;
};

Cache& cache()
{
    static Cache instance;
    return instance;
}

// Adds to the cache's byte count, if the look is still in it.
void account(const Look& look, int64_t bytes, bool rendered)
{
    Cache& c = cache();
    std::lock_guard lock(c.mutex);
    c.renders += rendered ? 1 : 0;
    const auto it = c.looks.find(look.key);
    if (it != c.looks.end() && it->second.get() == &look)
        c.bytes += bytes;
}

uint64_t mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Printable filler, the same for the same seed.
std::string filler(size_t n, uint64_t seed)
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out(n, ' ');
    uint64_t bits = 0;
    for (size_t i = 0; i < n; ++i) {
        if (i % 10 == 0)
            bits = mix(seed + i);
        out[i] = alphabet[bits & 63];
        bits >>= 6;
    }
    return out;
}

void putBigEndian16(std::string& out, size_t value)
{
    out.push_back(static_cast<char>((value >> 8) & 0xff));
    out.push_back(static_cast<char>(value & 0xff));
}

void putLittleEndian32(std::string& out, size_t value)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// Bytes a tag chunk adds around its text.
size_t tagFraming(ImageFormat format)
{
    switch (format) {
    case ImageFormat::Png:
        return 12 + 8; // length, type, CRC; "Comment\0"
    case ImageFormat::Jpeg:
        return 4; // marker, length
    case ImageFormat::Webp:
        return 8; // FourCC, size
    }
    return 0;
}

// The smallest padding chunk; and whether chunks must be an even number of bytes (RIFF's are).
size_t minPadding(ImageFormat format)
{
    return format == ImageFormat::Png ? 12 : format == ImageFormat::Jpeg ? 4 : 8;
}

std::string tagChunk(ImageFormat format, size_t tagSize, std::string_view text)
{
    std::string fitted(text.substr(0, tagSize - tagFraming(format)));
    fitted.resize(tagSize - tagFraming(format), ' ');
    std::string out;
    switch (format) {
    case ImageFormat::Png:
        return imagecodec::pngChunk("tEXt", std::string("Comment", 7) + '\0' + fitted);
    case ImageFormat::Jpeg:
        out = "\xFF\xFE"; // COM
        putBigEndian16(out, tagSize - 2);
        return out + fitted;
    case ImageFormat::Webp:
        out = "T2IB"; // a chunk of our own: readers ignore unknown chunks
        putLittleEndian32(out, tagSize - 8);
        return out + fitted;
    }
    return out;
}

// Exactly `size` bytes of chunks that readers skip (0: none).
std::string padding(ImageFormat format, int64_t size, uint64_t seed)
{
    if (size <= 0)
        return {};
    const auto n = static_cast<size_t>(size);
    std::string out;
    switch (format) {
    case ImageFormat::Png:
        return imagecodec::pngChunk("paDd", filler(n - 12, seed)); // private, ancillary, safe to copy
    case ImageFormat::Jpeg: {
        // COM segments hold at most 65533 bytes each: as few as needed, of nearly equal size.
        const size_t segments = (n + 65536) / 65537;
        for (size_t i = 0; i < segments; ++i) {
            const size_t length = n / segments + (i < n % segments ? 1 : 0);
            out += "\xFF\xFE";
            putBigEndian16(out, length - 2);
            out += filler(length - 4, seed + i);
        }
        return out;
    }
    case ImageFormat::Webp:
        out = "PADD";
        putLittleEndian32(out, n - 8);
        return out + filler(n - 8, seed);
    }
    return out;
}

imagecodec::Encoded encode(const Key& key, int noise)
{
    const auto rgb = imagecodec::renderPixels(key.width, key.height, static_cast<uint64_t>(key.look), noise);
    switch (key.format) {
    case ImageFormat::Jpeg:
        return imagecodec::encodeJpeg(rgb, key.width, key.height, key.quality);
    case ImageFormat::Webp:
        return imagecodec::encodeWebp(rgb, key.width, key.height, key.quality);
    case ImageFormat::Png:
        break;
    }
    return imagecodec::encodePng(rgb, key.width, key.height);
}

// Noise levels tried in turn: the first is the default (docs/emulator.md gives the sizes it
// makes); the lower ones only when an exact size is asked for that the default overshoots.
std::vector<int> noiseLevels(ImageFormat format)
{
    if (format == ImageFormat::Png)
        return { 8, 4, 2, 0 };
    return { 24, 12, 6, 0 };
}

void render(Look& look, const Key& key)
{
    const std::vector<int> levels = noiseLevels(key.format);
    const bool even = key.format == ImageFormat::Webp; // RIFF chunks have even sizes
    const size_t step = even ? 6 : 3; // keeps head + tag a multiple of 3 (and even)
    for (size_t level = 0; level < levels.size(); ++level) {
        imagecodec::Encoded e = encode(key, levels[level]);
        size_t tag = tagFraming(key.format) + kTagText;
        while ((e.head.size() + tag) % 3 != 0 || (even && tag % 2 != 0))
            ++tag;
        int64_t pad = 0;
        if (key.target > 0) {
            pad = key.target - static_cast<int64_t>(e.head.size() + tag + e.body.size());
            // A padding chunk has a least size: below it, the tag gives up a little room instead.
            while (pad > 0 && pad < static_cast<int64_t>(minPadding(key.format))) {
                tag -= step;
                pad += static_cast<int64_t>(step);
            }
            if (pad < 0 && level + 1 < levels.size())
                continue; // too big even unpadded: less noise
            pad = std::max<int64_t>(pad, 0); // even without noise too big: delivered as it is
        }
        look.head = std::move(e.head);
        look.tagSize = tag;
        look.tail = padding(key.format, pad, mix(static_cast<uint64_t>(key.look) + 77)) + e.body;
        if (key.format == ImageFormat::Webp) {
            const auto riff = static_cast<uint32_t>(look.size() - 8);
            for (int i = 0; i < 4; ++i)
                look.head[4 + static_cast<size_t>(i)] = static_cast<char>((riff >> (8 * i)) & 0xff);
        }
        return;
    }
}

std::shared_ptr<Look> lookFor(const ImageSettings& settings, int width, int height, uint64_t pick)
{
    if (width <= 0 || height <= 0)
        throw std::invalid_argument("image size must be positive");
    Key key { settings.format, settings.format == ImageFormat::Png ? 0 : std::clamp(settings.quality, 0, 100), width,
        height, 0, static_cast<int>(pick % kLooks) };
    if (settings.bytesPerMegapixel > 0) {
        key.target = std::llround(settings.bytesPerMegapixel * width * height / 1e6);
        if (settings.format == ImageFormat::Webp)
            key.target += key.target % 2;
    }
    std::shared_ptr<Look> look;
    {
        Cache& c = cache();
        std::lock_guard lock(c.mutex);
        if (const auto it = c.looks.find(key); it != c.looks.end()) {
            look = it->second;
        } else {
            if (c.looks.size() >= kMaxLooks || c.bytes >= kMaxCacheBytes) {
                c.looks.clear();
                c.bytes = 0;
            }
            look = std::make_shared<Look>(key);
            c.looks.emplace(key, look);
        }
    }
    // Rendered outside the cache's lock: another look can be fetched meanwhile.
    std::call_once(look->rendered, [&] {
        render(*look, key);
        account(*look, look->size(), true);
    });
    return look;
}

void appendBase64(std::string& out, std::string_view bytes)
{
    static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const size_t start = out.size();
    out.resize(start + (bytes.size() + 2) / 3 * 4);
    char* o = out.data() + start;
    const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const uint32_t v = (uint32_t(in[i]) << 16) | (uint32_t(in[i + 1]) << 8) | uint32_t(in[i + 2]);
        *o++ = table[v >> 18];
        *o++ = table[(v >> 12) & 63];
        *o++ = table[(v >> 6) & 63];
        *o++ = table[v & 63];
    }
    if (i < bytes.size()) {
        const bool two = i + 1 < bytes.size();
        const uint32_t v = (uint32_t(in[i]) << 16) | (two ? uint32_t(in[i + 1]) << 8 : 0);
        *o++ = table[v >> 18];
        *o++ = table[(v >> 12) & 63];
        *o++ = two ? table[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
}

// As body.dump() writes placeholder(i).
constexpr std::string_view kDumpedOpen = "\\u0001t2i-image-";
constexpr std::string_view kDumpedClose = "\\u0001";

} // namespace

std::string_view formatName(ImageFormat format)
{
    return format == ImageFormat::Jpeg ? "jpeg" : format == ImageFormat::Webp ? "webp" : "png";
}

std::string_view mimeType(ImageFormat format)
{
    return format == ImageFormat::Jpeg ? "image/jpeg" : format == ImageFormat::Webp ? "image/webp" : "image/png";
}

std::string_view extension(ImageFormat format)
{
    return format == ImageFormat::Jpeg ? "jpg" : format == ImageFormat::Webp ? "webp" : "png";
}

std::string dataUriPrefix(ImageFormat format)
{
    return "data:" + std::string(mimeType(format)) + ";base64,";
}

uint64_t promptHash(std::string_view prompt)
{
    uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : prompt) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

Image ofJob(const JobTruth& truth, int i)
{
    const int64_t seed = truth.seed + i;
    return { truth.spec.width, truth.spec.height, mix(truth.spec.promptHash ^ mix(static_cast<uint64_t>(seed))),
        "t2ibench-emulator job=" + truth.jobId + " image=" + std::to_string(i) + " seed=" + std::to_string(seed) };
}

std::string fileName(const JobTruth& truth, int i, ImageFormat format)
{
    return truth.jobId + "-" + std::to_string(i) + "." + std::string(extension(format));
}

bool parseFileName(std::string_view name, ImageFormat format, std::string& jobId, int& index)
{
    // Job ids contain '-' themselves: the index follows the last one.
    const std::string suffix = "." + std::string(extension(format));
    if (!name.ends_with(suffix))
        return false;
    name.remove_suffix(suffix.size());
    const size_t dash = name.rfind('-');
    if (dash == std::string_view::npos || dash == 0 || dash + 1 == name.size() || name.size() - dash > 6)
        return false;
    int value = 0;
    for (const char c : name.substr(dash + 1)) {
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    jobId = std::string(name.substr(0, dash));
    index = value;
    return true;
}

std::string bytes(const ImageSettings& settings, const Image& image)
{
    const auto look = lookFor(settings, image.width, image.height, image.pick);
    std::string out;
    out.reserve(static_cast<size_t>(look->size()));
    out += look->head;
    out += tagChunk(settings.format, look->tagSize, image.tag);
    out += look->tail;
    return out;
}

std::string base64(const ImageSettings& settings, const Image& image)
{
    const auto look = lookFor(settings, image.width, image.height, image.pick);
    std::call_once(look->encoded, [&] {
        appendBase64(look->tailBase64, look->tail);
        account(*look, static_cast<int64_t>(look->tailBase64.size()), false);
    });
    std::string out;
    out.reserve((look->head.size() + look->tagSize) / 3 * 4 + look->tailBase64.size());
    appendBase64(out, look->head + tagChunk(settings.format, look->tagSize, image.tag));
    out += look->tailBase64;
    return out;
}

int64_t size(const ImageSettings& settings, const Image& image)
{
    return lookFor(settings, image.width, image.height, image.pick)->size();
}

int64_t jobBytes(const ImageSettings& settings, const JobTruth& truth)
{
    if (truth.status != JobStatus::Completed)
        return 0;
    int64_t total = 0;
    for (int i = 0; i < truth.spec.images; ++i)
        total += size(settings, ofJob(truth, i));
    return total;
}

std::string placeholder(int i)
{
    return "\x01t2i-image-" + std::to_string(i) + "\x01";
}

Spliced dumpWithImages(
    const nlohmann::json& body, const ImageSettings& settings, const JobTruth& truth, std::string_view prefix)
{
    const std::string text = body.dump();
    struct Hit {
        size_t at;
        size_t length;
        size_t image;
    };
    std::vector<Hit> hits;
    for (size_t at = text.find(kDumpedOpen); at != std::string::npos; at = text.find(kDumpedOpen, at + 1)) {
        const size_t digits = at + kDumpedOpen.size();
        const size_t close = text.find(kDumpedClose, digits);
        if (close == std::string::npos || close == digits)
            break;
        const auto image = static_cast<size_t>(std::stoul(text.substr(digits, close - digits)));
        if (image >= static_cast<size_t>(std::max(truth.spec.images, 0)))
            throw std::out_of_range("image placeholder past the job's images");
        hits.push_back({ at, close + kDumpedClose.size() - at, image });
    }
    Spliced out;
    std::vector<std::string> encoded(static_cast<size_t>(std::max(truth.spec.images, 0)));
    size_t total = text.size();
    for (const Hit& hit : hits) {
        std::string& b64 = encoded[hit.image];
        if (b64.empty()) {
            const Image image = ofJob(truth, static_cast<int>(hit.image));
            b64 = base64(settings, image);
            ++out.images;
            out.imageBytes += size(settings, image);
        }
        total += prefix.size() + b64.size() - hit.length;
    }
    out.text.reserve(total);
    size_t from = 0;
    for (const Hit& hit : hits) {
        out.text.append(text, from, hit.at - from);
        out.text += prefix;
        out.text += encoded[hit.image];
        from = hit.at + hit.length;
    }
    out.text.append(text, from, std::string::npos);
    return out;
}

CacheStats cacheStats()
{
    Cache& c = cache();
    std::lock_guard lock(c.mutex);
    return { static_cast<int64_t>(c.looks.size()), c.bytes, c.renders };
}

} // namespace t2i::images
