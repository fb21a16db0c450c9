// SPDX-License-Identifier: Apache-2.0
#pragma once

// Apart from platformprofile.h so that the JSON shapes of each front (faljson.h, ...) can name a
// format without the whole profile, whose RateLimit is not the engine's (core/model/ratelimit.h).
namespace t2i {

enum class ImageFormat { Png, Jpeg, Webp };

// How the platform's images are encoded (the profile's "images" section, docs/emulator.md).
// The defaults give realistic sizes: a 1024x1024 PNG of about 1.5 MB, like a real SDXL PNG.
struct ImageSettings {
    ImageFormat format = ImageFormat::Png;
    int quality = 90; // JPEG and WebP, 0..100; PNG is lossless and ignores it
    double bytesPerMegapixel = 0; // > 0: every image is this many bytes per 10^6 pixels, exactly
};

} // namespace t2i
