// SPDX-License-Identifier: Apache-2.0
#include "stabilityadapter.h"

#include "multipart.h"
#include "util/base64.h"
#include "json/answertext.h"
#include "json/jsondoc.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace t2i {
namespace {

using nlohmann::json;

constexpr double kRatioTolerance = 0.05;
// Marks a job whose variant Stability cannot make: nothing was sent (see submit()).
constexpr std::string_view kRefused = "refused:";

double ratioValue(const std::string& ratio)
{
    const auto colon = ratio.find(':');
    return std::stod(ratio.substr(0, colon)) / std::stod(ratio.substr(colon + 1));
}

// {"id", "name", "errors": [...]} (docs/protocols.md §10.3) as "name: error; error".
std::string errorText(const JsonDoc& body, const std::string& raw)
{
    if (body.rootType() != JsonType::Object)
        return bodyExcerpt(raw);
    std::string out = body.string("/name");
    const JsonPointer errors("/errors");
    if (body.type(errors) == JsonType::Array) {
        std::string list;
        const std::size_t n = std::min<std::size_t>(body.elements(errors), 20);
        for (std::size_t i = 0; i < n; ++i)
            list += (list.empty() ? "" : "; ") + body.text(errors / i, 300);
        out += (out.empty() ? "" : ": ") + list;
    }
    return out.empty() ? bodyExcerpt(raw) : safeText(out, 2000);
}

} // namespace

const std::vector<std::string>& stabilityAspectRatios()
{
    static const std::vector<std::string> ratios
        = { "16:9", "1:1", "21:9", "2:3", "3:2", "4:5", "5:4", "9:16", "9:21" };
    return ratios;
}

std::optional<std::string> stabilityAspectRatio(int width, int height, std::string* why)
{
    if (width <= 0 || height <= 0) {
        if (why)
            *why = "width and height must be positive";
        return std::nullopt;
    }
    const double ratio = double(width) / height;
    std::string best;
    double bestOff = 1e9;
    for (const std::string& candidate : stabilityAspectRatios()) {
        const double off = std::abs(ratio / ratioValue(candidate) - 1.0);
        if (off < bestOff) {
            bestOff = off;
            best = candidate;
        }
    }
    if (bestOff <= kRatioTolerance)
        return best;
    if (why) {
        char percent[16];
        std::snprintf(percent, sizeof percent, "%.1f%%", bestOff * 100);
        std::string list;
        for (const std::string& r : stabilityAspectRatios())
            list += (list.empty() ? "" : ", ") + r;
        *why = std::to_string(width) + "x" + std::to_string(height) + " has no Stability aspect ratio (" + list
            + "; the nearest, " + best + ", is " + percent + " off): choose a width and height of one of them, e.g. "
            + "1024x1024 for 1:1, or set the provider's aspect_ratio";
    }
    return std::nullopt;
}

StabilityOptions StabilityOptions::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    StabilityOptions options;
    if (!context.baseUrl.empty())
        options.baseUrl = context.baseUrl;
    options.baseUrl = withoutTrailingSlashes(std::move(options.baseUrl));
    options.apiKey = context.apiKey;
    const json& s = provider.settings;
    if (!s.is_object())
        return options;
    options.engine = s.value("engine", options.engine);
    options.model = s.value("model", std::string());
    options.accept = s.value("accept", options.accept);
    options.outputFormat = s.value("output_format", options.outputFormat);
    options.aspectRatio = s.value("aspect_ratio", std::string());
    return options;
}

StabilityAdapter::StabilityAdapter(StabilityOptions options)
    : m_options(std::move(options))
{
}

std::vector<std::pair<std::string, std::string>> StabilityAdapter::formFields(
    const Job& job, std::string* problem) const
{
    const VariantConfig& v = job.variant;
    std::string ratio = m_options.aspectRatio;
    if (ratio.empty()) {
        std::string why;
        if (auto derived = stabilityAspectRatio(v.width, v.height, &why))
            ratio = *derived;
        else if (problem)
            *problem = why;
    }
    if (v.images != 1 && problem && problem->empty())
        *problem = "Stability makes one image per request; set the variant's images to 1 (got "
            + std::to_string(v.images) + ")";
    // seed: 0..4294967294, where 0 asks for a random one (docs/protocols.md §10.1); a workload seed is kept in range.
    const std::int64_t seed = std::llabs(job.seed) % 4294967295LL;
    std::vector<std::pair<std::string, std::string>> fields = { { "prompt", job.prompt }, { "aspect_ratio", ratio },
        { "seed", std::to_string(seed) }, { "output_format", m_options.outputFormat } };
    if (m_options.engine == "sd3") {
        const std::string model = !m_options.model.empty() ? m_options.model
            : v.model.starts_with("sd3")                   ? v.model
                                                           : std::string();
        if (!model.empty())
            fields.emplace_back("model", model);
        // cfg_scale exists on sd3 only; turbo/flash models ignore it.
        fields.emplace_back("cfg_scale", json(v.guidance).dump());
    }
    return fields;
}

HttpRequest StabilityAdapter::submit(JobState& job)
{
    std::string problem;
    const auto fields = formFields(job.job, &problem);
    HttpRequest request;
    request.method = "POST";
    if (!problem.empty()) {
        // The interface has no way to refuse a job before it is sent; an empty URL makes the
        // transport answer at once, locally, and onResponse reports the reason. Nothing is sent
        // (and nothing billed) for a variant the API cannot make.
        job.scratch = std::string(kRefused) + problem;
        return request;
    }
    std::vector<MultipartField> parts;
    for (const auto& [name, value] : fields)
        parts.push_back({ name, value, {}, {} });
    MultipartBody form = buildMultipart(parts);
    request.url = m_options.baseUrl + "/stable-image/generate/" + m_options.engine;
    request.headers = { { "Authorization", "Bearer " + m_options.apiKey },
        { "Accept", m_options.accept == "json" ? "application/json" : "image/*" },
        { "Content-Type", form.contentType() } };
    request.body = std::move(form.body);
    return request;
}

Action StabilityAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (job.scratch.starts_with(kRefused))
        return Action::fail(ErrorClass::ClientError, job.scratch.substr(kRefused.size()));
    if (response.status == 0)
        return noAnswerFailure(response);
    job.jobId = safeText(response.header("x-request-id"), 200);
    const std::string contentType = safeText(response.header("content-type"), 200);
    const bool imageBody = contentType.starts_with("image/");
    static const std::string kNoBody;
    const JsonDoc body(imageBody ? kNoBody : response.body);
    if (response.status >= 400) {
        if (job.jobId.empty())
            job.jobId = body.string("/id");
        job.providerStatus = safeText(body.string("/name"), 200);
        const ErrorClass cls = job.providerStatus == "content_moderation" ? ErrorClass::ContentFiltered
                                                                          : classifyHttpStatus(response.status);
        return Action::fail(cls,
            "HTTP " + std::to_string(response.status) + " "
                + (imageBody ? bodyExcerpt(response.body) : errorText(body, response.body)));
    }
    if (!imageBody && !body.valid())
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from Stability (" + body.error() + "): " + bodyExcerpt(response.body, 200));
    if (!imageBody && body.rootType() != JsonType::Object)
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from Stability: " + body.at("").mismatch("an object") + ": "
                + bodyExcerpt(response.body, 200));
    job.accepted = true;
    job.providerStatus
        = imageBody ? safeText(response.header("finish-reason"), 100) : safeText(body.string("/finish_reason"), 200);
    // A filtered image is delivered blurred with status 200: it is not the image that was asked for.
    if (job.providerStatus == "CONTENT_FILTERED")
        return Action::fail(
            ErrorClass::ContentFiltered, "finish reason CONTENT_FILTERED (Stability blurred the image)");
    if (imageBody) {
        if (response.body.empty())
            return Action::fail(ErrorClass::InvalidImage, "an empty " + contentType + " body");
        job.takeImageBytes(response.body);
        return Action::done();
    }
    const JsonValue image = body.type("/image") == JsonType::String ? JsonValue() : body.at("/image");
    bool took = false;
    std::size_t length = 0;
    body.withString("/image", [&](std::string_view text) {
        length = text.size();
        took = !text.empty() && job.takeImage(text);
    });
    if (length == 0)
        return Action::fail(ErrorClass::InvalidImage,
            "HTTP " + std::to_string(response.status) + " without \"image\" in the JSON answer"
                + (image.present() ? " (" + image.mismatch("a base64 string") + ")" : std::string()));
    if (!took)
        return Action::fail(ErrorClass::InvalidImage, "\"image\" is not base64");
    return Action::done();
}

} // namespace t2i
