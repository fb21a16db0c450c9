// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "platformprofile.h"
#include "platformtypes.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>

// The images the emulated platform delivers: valid PNG, JPEG or WebP files of realistic size
// (docs/emulator.md, "Images"). Pixels that deflate or a DCT cannot shrink to nothing are costly to
// encode (tens of ms for a 1024x1024 PNG), so each (format, quality, size, bytes per megapixel)
// has a small pool of looks, each rendered and encoded once; the prompt and the image's seed pick
// one. What makes every image of every job a distinct file is a metadata chunk naming the job,
// the image and the seed (a PNG tEXt chunk, a JPEG COM segment, a WebP chunk of its own), of a
// fixed length, so that all images of one look have the same size. Qt-free and thread-safe.
namespace t2i::images {

// How many looks each (format, quality, size, bytes per megapixel) has.
inline constexpr int kLooks = 4;

std::string_view formatName(ImageFormat format); // "png", "jpeg", "webp"
std::string_view mimeType(ImageFormat format); // "image/png", "image/jpeg", "image/webp"
std::string_view extension(ImageFormat format); // of /files/ names: "png", "jpg", "webp"
std::string dataUriPrefix(ImageFormat format); // "data:image/png;base64,"

// What one image's bytes depend on.
struct Image {
    int width = 0;
    int height = 0;
    uint64_t pick = 0; // which look (modulo kLooks)
    std::string tag; // the text its metadata chunk carries
};

uint64_t promptHash(std::string_view prompt); // FNV-1a
// Image i of a job: the job's size; a look picked by the prompt and the image's seed (seed + i);
// the tag "t2ibench-emulator job=<id> image=<i> seed=<seed + i>". Every front delivers this image.
Image ofJob(const JobTruth& truth, int i);

// Its name under /files/: "<job id>-<i>.<extension>".
std::string fileName(const JobTruth& truth, int i, ImageFormat format);
// The job id and image index a /files/ name names, if it has the format's extension; the index
// is not checked against the job's images.
bool parseFileName(std::string_view name, ImageFormat format, std::string& jobId, int& index);

// The encoded file. The first image of a look renders and encodes it; later ones copy it and
// write their own tag.
std::string bytes(const ImageSettings& settings, const Image& image);
// base64 of the same bytes (most of it cached with the look).
std::string base64(const ImageSettings& settings, const Image& image);
// The file's size: the same for every tag.
int64_t size(const ImageSettings& settings, const Image& image);
// All images of a COMPLETED job (0 for any other).
int64_t jobBytes(const ImageSettings& settings, const JobTruth& truth);

// A JSON answer that carries a job's images inline is built with placeholder(i) where image i's
// base64 goes, then written by dumpWithImages(), which splices `prefix` + base64 into the text
// (nlohmann::json would copy and escape-check megabytes of base64 character by character).
std::string placeholder(int i);
struct Spliced {
    std::string text;
    int64_t images = 0; // distinct images spliced in: each counted once, however often it appears
    int64_t imageBytes = 0; // their decoded sizes
};
Spliced dumpWithImages(
    const nlohmann::json& body, const ImageSettings& settings, const JobTruth& truth, std::string_view prefix);

// What the cache holds, and how many looks were rendered since the process started.
struct CacheStats {
    int64_t looks = 0;
    int64_t bytes = 0;
    int64_t renders = 0;
};
CacheStats cacheStats();

} // namespace t2i::images
