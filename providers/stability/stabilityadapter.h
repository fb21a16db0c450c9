// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"
#include "registry/registry.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace t2i {

struct StabilityOptions {
    std::string baseUrl = "https://api.stability.ai/v2beta";
    std::string apiKey;
    std::string engine = "core"; // core, ultra or sd3: the route .../stable-image/generate/{engine}
    std::string model; // sd3 only (sd3.5-large, ...); empty: the variant's model when it names an sd3 one
    std::string accept = "image"; // "image": Accept image/* (the bytes); "json": base64 in JSON
    std::string outputFormat = "png"; // png, jpeg or webp
    std::string aspectRatio; // empty: from the variant's width and height
    static StabilityOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// Stability's aspect ratios, as the API names them (docs/protocols.md §10.1).
const std::vector<std::string>& stabilityAspectRatios();

// The aspect_ratio for width x height: the nearest of Stability's nine, when the size's ratio is
// within 5% of it (Stability's own ~1 MP sizes are multiples of 64: 1344x768 for 16:9 is 1.6%
// off). nullopt with *why saying which ratios exist when none is that close.
std::optional<std::string> stabilityAspectRatio(int width, int height, std::string* why = nullptr);

// Stability AI's Stable Image API v2beta (docs/protocols.md §10): one synchronous
// multipart/form-data POST to /stable-image/generate/{core|ultra|sd3}. Stability takes an aspect
// ratio, not a size, and makes one ~1 MP image per call: the variant's width and height choose the
// ratio and must be the size Stability returns, or the image check fails the request; images per
// request must be 1. With Accept image/* the answer is the image with finish-reason and seed
// headers; with application/json it is {"image", "finish_reason", "seed"}. finish reason
// CONTENT_FILTERED (a blurred image) and 403 content_moderation are content filtering. No job
// API, no cancel, no timings.
class StabilityAdapter final : public Adapter {
public:
    explicit StabilityAdapter(StabilityOptions options);
    std::string type() const override { return "stability"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    std::optional<HttpRequest> cancel(const JobState&) const override { return std::nullopt; }

    // The form fields of a job, in the order they are sent; *problem is set instead when the
    // variant cannot be asked of Stability (a size with no aspect ratio, several images).
    std::vector<std::pair<std::string, std::string>> formFields(const Job& job, std::string* problem) const;

private:
    StabilityOptions m_options;
};

} // namespace t2i
