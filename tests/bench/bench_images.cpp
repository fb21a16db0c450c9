// SPDX-License-Identifier: Apache-2.0
// The emulator's images (docs/emulator.md, "Images"): for each format and size, the bytes of each
// look, what rendering and encoding a look costs (once per look, per process), and what an image
// costs once its look is cached (raw bytes for /files/, base64 for inline answers). One JSON line
// per case. The figures in docs/emulator.md come from here.
//
//   bench_images
#include "emulatedimage.h"
#include "imagecodec.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>

using namespace t2i;

namespace {

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main()
{
    struct Case {
        ImageFormat format;
        int quality;
    };
    const Case cases[] = { { ImageFormat::Png, 90 }, { ImageFormat::Jpeg, 90 }, { ImageFormat::Webp, 90 },
        { ImageFormat::Jpeg, 75 }, { ImageFormat::Webp, 75 } };
    for (const int side : { 1024, 512 }) {
        for (const Case& c : cases) {
            ImageSettings settings;
            settings.format = c.format;
            settings.quality = c.quality;
            int64_t least = INT64_MAX, most = 0;
            double firstMs = 0;
            for (int look = 0; look < images::kLooks; ++look) {
                const images::Image image { side, side, uint64_t(look), "t2ibench-emulator bench" };
                const auto start = std::chrono::steady_clock::now();
                const int64_t size = images::size(settings, image); // renders and encodes the look
                firstMs += msSince(start);
                least = std::min(least, size);
                most = std::max(most, size);
            }
            // Cached: what every later image of these looks costs.
            constexpr int kRounds = 200;
            size_t sink = 0;
            auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < kRounds; ++i)
                sink += images::bytes(settings, { side, side, uint64_t(i), "tag " + std::to_string(i) }).size();
            const double bytesMs = msSince(start) / kRounds;
            start = std::chrono::steady_clock::now();
            for (int i = 0; i < kRounds; ++i)
                sink += images::base64(settings, { side, side, uint64_t(i), "tag " + std::to_string(i) }).size();
            const double base64Ms = msSince(start) / kRounds;
            std::cout << nlohmann::json { { "format", images::formatName(c.format) },
                { "quality", c.format == ImageFormat::Png ? nlohmann::json() : nlohmann::json(c.quality) },
                { "size", std::to_string(side) + "x" + std::to_string(side) }, { "bytes_min", least },
                { "bytes_max", most }, { "render_encode_ms_per_look", firstMs / images::kLooks },
                { "cached_bytes_ms", bytesMs }, { "cached_base64_ms", base64Ms }, { "sink", sink } }
                             .dump()
                      << std::endl;
        }
    }
    // Where a PNG look's time goes: the pixels, then deflate.
    auto start = std::chrono::steady_clock::now();
    const auto rgb = imagecodec::renderPixels(1024, 1024, 99, 8);
    const double renderMs = msSince(start);
    start = std::chrono::steady_clock::now();
    const auto png = imagecodec::encodePng(rgb, 1024, 1024);
    std::cout << nlohmann::json { { "png_1024_pixels_ms", renderMs }, { "png_1024_encode_ms", msSince(start) },
        { "bytes", png.head.size() + png.body.size() } }
                     .dump()
              << std::endl;
    return 0;
}
