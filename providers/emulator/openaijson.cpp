// SPDX-License-Identifier: Apache-2.0
#include "openaijson.h"

#include "emulatedimage.h"

#include <charconv>
#include <cmath>

namespace t2i::openai {
namespace {

using nlohmann::json;

// An integer field within [min, max], if present; false (with the problem said) if it is not one.
bool readInt(const json& body, const char* key, int64_t min, int64_t max, int64_t& out, Problem& problem)
{
    const auto it = body.find(key);
    if (it == body.end() || it->is_null())
        return true;
    if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max) {
        problem = { "Invalid value for '" + std::string(key) + "': expected an integer between " + std::to_string(min)
                + " and " + std::to_string(max) + ".",
            key };
        return false;
    }
    out = it->get<int64_t>();
    return true;
}

// "WxH" with both sides within the emulator's 8..4096, or "auto" (1024x1024, as GPT image models pick).
bool readSize(const json& body, JobSpec& spec, Problem& problem)
{
    const auto it = body.find("size");
    if (it == body.end() || it->is_null())
        return true;
    const std::string text = it->is_string() ? it->get<std::string>() : std::string();
    if (text == "auto")
        return true;
    int width = 0, height = 0;
    const char* end = text.data() + text.size();
    const auto [x, ec1] = std::from_chars(text.data(), end, width);
    bool ok = ec1 == std::errc() && x != end && *x == 'x';
    if (ok) {
        const auto [tail, ec2] = std::from_chars(x + 1, end, height);
        ok = ec2 == std::errc() && tail == end;
    }
    if (!ok || width < 8 || width > 4096 || height < 8 || height > 4096) {
        problem = { "Invalid value for 'size': '" + text
                + "'. Expected \"auto\" or \"WIDTHxHEIGHT\" with each side "
                  "between 8 and 4096.",
            "size" };
        return false;
    }
    spec.width = width;
    spec.height = height;
    return true;
}

} // namespace

std::optional<Generate> parseGenerate(const std::string& body, Problem& problem)
{
    const json document = json::parse(body, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        problem = { "We could not parse the JSON body of your request. Expected a JSON object.", {} };
        return std::nullopt;
    }
    const auto prompt = document.find("prompt");
    if (prompt == document.end() || !prompt->is_string() || prompt->get<std::string>().empty()) {
        problem = { "Missing required parameter: 'prompt'.", "prompt" };
        return std::nullopt;
    }
    const auto model = document.find("model");
    const std::string modelName = model != document.end() && model->is_string() ? model->get<std::string>() : "";
    Generate g;
    g.spec.front = "openai";
    g.spec.idPrefix = "req_";
    int64_t n = 1, steps = g.spec.steps, seed = -1;
    if (!readInt(document, "n", 1, 10, n, problem) || !readInt(document, "step", 1, 1000, steps, problem)
        || !readInt(document, "seed", -1, int64_t { 1 } << 53, seed, problem) || !readSize(document, g.spec, problem))
        return std::nullopt;
    // dall-e answers with URLs unless asked otherwise; GPT image models always inline.
    g.url = modelName.starts_with("dall-e");
    if (const auto format = document.find("response_format"); format != document.end() && !format->is_null()) {
        const std::string text = format->is_string() ? format->get<std::string>() : "";
        if (text != "url" && text != "b64_json") {
            problem = { "Invalid value for 'response_format': expected \"url\" or \"b64_json\".", "response_format" };
            return std::nullopt;
        }
        g.url = text == "url";
    }
    g.spec.images = static_cast<int>(n);
    g.spec.steps = static_cast<int>(steps);
    g.spec.seed = seed;
    g.inputTokens = std::max<int64_t>(1, static_cast<int64_t>(prompt->get<std::string>().size() + 3) / 4);
    g.spec.promptHash = images::promptHash(prompt->get_ref<const std::string&>());
    return g;
}

json usage(const JobSpec& spec, int64_t inputTokens)
{
    const double megapixels = double(spec.width) * spec.height / (1024.0 * 1024.0);
    const int64_t output = spec.images * std::max<int64_t>(1, std::llround(1056 * megapixels));
    return { { "input_tokens", inputTokens },
        { "input_tokens_details", { { "image_tokens", 0 }, { "text_tokens", inputTokens } } },
        { "output_tokens", output }, { "output_tokens_details", { { "image_tokens", output }, { "text_tokens", 0 } } },
        { "total_tokens", inputTokens + output } };
}

json generated(const JobTruth& truth, bool url, int64_t inputTokens, const std::string& filesBase, int64_t createdS,
    ImageFormat format)
{
    json data = json::array();
    for (int i = 0; i < truth.spec.images; ++i) {
        if (url)
            data.push_back({ { "url", filesBase + "/files/" + images::fileName(truth, i, format) } });
        else
            data.push_back({ { "b64_json", images::placeholder(i) } });
    }
    return { { "created", createdS }, { "data", std::move(data) }, { "usage", usage(truth.spec, inputTokens) } };
}

json error(const std::string& message, const std::string& type, const std::string& param, const std::string& code)
{
    return { { "error",
        { { "message", message }, { "type", type }, { "param", param.empty() ? json() : json(param) },
            { "code", code.empty() ? json() : json(code) } } } };
}

} // namespace t2i::openai
