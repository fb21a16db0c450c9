// SPDX-License-Identifier: Apache-2.0
// ComfyUI's settings (docs/configuration.md, "Provider types"; docs/providers.md, "comfyui").
#include "comfyui/comfyuiadapter.h"
#include "config/providerrules.h"
#include "registry/providertype.h"

#include <algorithm>

namespace t2i {

namespace {

using namespace configcheck;

// "<node id>.inputs.<input name>": ".inputs." with something before and after, on one line.
bool isComfySlot(const std::string& s)
{
    if (s.find_first_of("\n\r") != std::string::npos)
        return false;
    for (std::size_t at = s.find(".inputs."); at != std::string::npos; at = s.find(".inputs.", at + 1))
        if (at > 0 && at + 8 < s.size())
            return true;
    return false;
}

// progress, and an `inputs` mapping of job fields to "<node id>.inputs.<input name>" (a string or
// a list of them). Whether the nodes exist is checked when the workflow is read, where its folder
// is known.
void validateComfyUI(Checker& check, const json& p, const std::string& path)
{
    if (auto progress = check.choice(p, path, "progress", { "websocket", "history" });
        progress && *progress == "websocket")
        check.error(child(path, "progress"),
            "\"websocket\" is not available in this build (its HTTP engine, libcurl, has no WebSocket client); "
            "use \"history\": /queue and /history/{prompt_id} are polled every poll_interval_ms");
    const json* inputs = objectAt(p, "inputs");
    if (!inputs)
        return;
    const std::string at = child(path, "inputs");
    for (const auto& [field, value] : inputs->items()) {
        const bool listOk = value.is_array() && !value.empty()
            && std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); });
        std::vector<std::string> slots;
        if (value.is_string())
            slots.push_back(value.get<std::string>());
        else if (listOk)
            for (const json& v : value)
                slots.push_back(v.get<std::string>());
        else
            check.error(child(at, field),
                "must be \"<node id>.inputs.<input name>\" or a non-empty list of them (got " + describe(value) + ")");
        for (const std::string& s : slots)
            if (!isComfySlot(s))
                check.error(child(at, field),
                    "\"" + s + "\" is not \"<node id>.inputs.<input name>\" (e.g. \"3.inputs.seed\")");
    }
    check.checkKeys(
        *inputs, at, { "prompt", "seed", "steps", "cfg", "width", "height", "batch_size", "model" }, "inputs");
}

} // namespace

ProviderType comfyuiProviderType()
{
    using K = SettingKind;
    ProviderDescriptor d;
    d.type = "comfyui";
    d.title = "ComfyUI";
    d.summary = "a ComfyUI server: the workflow queued with POST /prompt, followed through /history";
    d.settings = {
        { .key = "workflow",
            .kind = K::Path,
            .help = "an API-format workflow JSON, relative to the config's folder (the shipped SDXL one if empty)",
            .message = "must be the path of an API-format workflow JSON (relative to this file's folder)" },
        // "websocket" is a value ComfyUI has but this build refuses, with its own words: the hook checks it.
        { .key = "progress",
            .kind = K::Choice,
            .defaultValue = "history",
            .allowed = { "history" },
            .help = "how a prompt is followed: /queue and /history polled every poll_interval_ms",
            .checkedByHook = true },
        { .key = "inputs", .kind = K::Object, .help = "where the job's fields go: {\"seed\": \"3.inputs.seed\", ...}" },
    };
    d.validate = validateComfyUI;
    d.billingUnit = "hour";
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            // Throws WorkflowError when the workflow cannot be used.
            return std::make_unique<ComfyUIAdapter>(ComfyUIOptions::fromConfig(provider, context));
        } };
}

} // namespace t2i
