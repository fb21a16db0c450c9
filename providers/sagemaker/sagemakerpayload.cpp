// SPDX-License-Identifier: Apache-2.0
#include "sagemakerpayload.h"

namespace t2i::sagemaker {

using nlohmann::json;

json defaultBodyTemplate()
{
    return { { "prompt", "{{prompt}}" }, { "width", "{{width}}" }, { "height", "{{height}}" },
        { "num_inference_steps", "{{steps}}" }, { "guidance_scale", "{{guidance}}" }, { "seed", "{{seed}}" },
        { "num_images_per_prompt", "{{images}}" } };
}

std::string renderBody(const json& bodyTemplate, const Job& job)
{
    if (!bodyTemplate.is_string())
        return fillPayloadTemplate(bodyTemplate.is_null() ? defaultBodyTemplate() : bodyTemplate, job).dump();
    const std::string& text = bodyTemplate.get_ref<const std::string&>();
    std::string out;
    std::size_t at = 0;
    while (true) {
        const std::size_t open = text.find("{{", at);
        const std::size_t close = open == std::string::npos ? open : text.find("}}", open + 2);
        if (close == std::string::npos)
            return out + text.substr(at);
        // One placeholder alone is its typed value; its JSON text goes in, quotes dropped.
        const json value = fillPayloadTemplate(text.substr(open, close + 2 - open), job);
        const std::string jsonText = value.dump();
        out += text.substr(at, open - at);
        out += value.is_string() ? jsonText.substr(1, jsonText.size() - 2) : jsonText;
        at = close + 2;
    }
}

AppOutputSpec defaultOutputSpec()
{
    AppOutputSpec spec;
    spec.imagePointers = { "/images", "/generated_images", "/artifacts", "/data", "/image" };
    return spec;
}

bool isBinaryImage(std::string_view contentType, std::string_view body)
{
    return isImageContentType(contentType) || body.starts_with(std::string_view("\x89PNG\r\n\x1a\n", 8))
        || body.starts_with("\xFF\xD8\xFF")
        || (body.size() >= 12 && body.starts_with("RIFF") && body.substr(8, 4) == "WEBP");
}

} // namespace t2i::sagemaker
