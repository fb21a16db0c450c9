// SPDX-License-Identifier: Apache-2.0
#include "comfyworkflow.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

namespace t2i {
namespace {

using nlohmann::json;

const std::vector<std::string> kSamplerClasses = { "KSampler", "KSamplerAdvanced" };
const std::vector<std::string> kLatentClasses = { "EmptyLatentImage", "EmptySD3LatentImage" };

std::string classOf(const json& workflow, const std::string& node)
{
    const auto it = workflow.find(node);
    if (it == workflow.end() || !it->is_object())
        return {};
    return it->value("class_type", std::string());
}

std::string describeNode(const json& workflow, const std::string& node)
{
    return "node " + node + " (" + classOf(workflow, node) + ")";
}

std::string joinIds(const std::vector<std::string>& ids)
{
    std::string out;
    for (const std::string& id : ids)
        out += (out.empty() ? "" : ", ") + id;
    return out;
}

// Node ids whose class_type is one of classes, in the workflow's key order.
std::vector<std::string> nodesOfClass(const json& workflow, const std::vector<std::string>& classes)
{
    std::vector<std::string> ids;
    for (const auto& [id, node] : workflow.items())
        if (std::find(classes.begin(), classes.end(), node.value("class_type", std::string())) != classes.end())
            ids.push_back(id);
    return ids;
}

// "3.inputs.seed" -> {"3", "seed"}; node ids may hold dots or colons (subgraph ids such as "12:3").
InputSlot parseSlot(const std::string& text, const std::string& where)
{
    const std::string marker = ".inputs.";
    const std::size_t at = text.rfind(marker);
    if (at == std::string::npos || at == 0 || at + marker.size() >= text.size())
        throw WorkflowError(
            where + ": \"" + text + "\" is not \"<node id>.inputs.<input name>\" (e.g. \"3.inputs.seed\")");
    return { text.substr(0, at), text.substr(at + marker.size()) };
}

// A slot must name an existing node and one of its value inputs (not a link from another node).
void checkSlot(const json& workflow, const InputSlot& slot, const std::string& where)
{
    const auto node = workflow.find(slot.node);
    if (node == workflow.end())
        throw WorkflowError(where + ": there is no node \"" + slot.node + "\" in the workflow");
    const json& inputs = (*node)["inputs"];
    const auto input = inputs.find(slot.input);
    if (input == inputs.end()) {
        std::vector<std::string> names;
        for (const auto& [name, value] : inputs.items())
            names.push_back(name);
        throw WorkflowError(where + ": " + describeNode(workflow, slot.node) + " has no input \"" + slot.input
            + "\" (it has: " + joinIds(names) + ")");
    }
    if (input->is_array())
        throw WorkflowError(where + ": " + describeNode(workflow, slot.node) + " input \"" + slot.input
            + "\" is a link from node " + (input->empty() ? std::string("?") : input->front().dump())
            + ": map the node that holds the value");
}

std::vector<InputSlot> mappedSlots(
    const json& workflow, const json& mapping, const std::string& field, const std::string& label)
{
    std::vector<InputSlot> placed;
    const auto it = mapping.find(field);
    if (it == mapping.end())
        return placed;
    const std::string where = "workflow " + label + ": inputs." + field;
    const auto take = [&](const json& value) {
        if (!value.is_string())
            throw WorkflowError(
                where + ": must be \"<node id>.inputs.<input name>\" or a list of them (got " + value.dump() + ")");
        InputSlot slot = parseSlot(value.get<std::string>(), where);
        checkSlot(workflow, slot, where);
        placed.push_back(std::move(slot));
    };
    if (it->is_array()) {
        if (it->empty())
            throw WorkflowError(where + ": an empty list places the field nowhere");
        for (const json& value : *it)
            take(value);
    } else {
        take(*it);
    }
    return placed;
}

// The one node of a kind the job's fields go into when nothing is mapped; several are ambiguous.
std::optional<std::string> soleNode(const json& workflow, const std::vector<std::string>& classes,
    const std::string& what, const std::string& label, const std::vector<std::string>& unmapped)
{
    const std::vector<std::string> ids = nodesOfClass(workflow, classes);
    if (ids.size() > 1)
        throw WorkflowError("workflow " + label + ": " + std::to_string(ids.size()) + " " + what + " nodes ("
            + joinIds(ids) + "): say which one takes " + joinIds(unmapped)
            + " with an `inputs` mapping such as {\"<field>\": \"<node id>.inputs.<input name>\"}");
    if (ids.empty())
        return std::nullopt;
    return ids.front();
}

void requirePlaced(const std::vector<InputSlot>& placed, const std::string& field, const std::string& expected,
    const std::string& label)
{
    if (placed.empty())
        throw WorkflowError("workflow " + label + ": no place for \"" + field + "\": expected " + expected
            + ", or map it with inputs." + field + " = \"<node id>.inputs.<input name>\"");
}

} // namespace

const std::vector<std::string>& workflowFieldNames()
{
    static const std::vector<std::string> names
        = { "prompt", "seed", "steps", "cfg", "width", "height", "batch_size", "model" };
    return names;
}

void checkApiFormat(const json& workflow, const std::string& label)
{
    if (!workflow.is_object() || workflow.empty())
        throw WorkflowError(
            "workflow " + label + ": must be a non-empty JSON object keyed by node id (ComfyUI's API format)");
    if (workflow.contains("nodes") && workflow.contains("links"))
        throw WorkflowError("workflow " + label
            + ": this is a UI-format export (nodes/links); export it with \"Save (API Format)\" / \"Export (API)\" "
              "instead");
    for (const auto& [id, node] : workflow.items()) {
        if (!node.is_object() || !node.contains("class_type") || !node["class_type"].is_string())
            throw WorkflowError(
                "workflow " + label + ": node \"" + id + "\" has no class_type (is this an API-format workflow?)");
        if (!node.contains("inputs") || !node["inputs"].is_object())
            throw WorkflowError("workflow " + label + ": " + describeNode(workflow, id) + " has no inputs object");
    }
}

json loadWorkflowFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw WorkflowError("workflow " + path + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    json workflow = json::parse(text.str(), nullptr, false);
    if (workflow.is_discarded())
        throw WorkflowError("workflow " + path + ": is not valid JSON");
    checkApiFormat(workflow, path);
    return workflow;
}

WorkflowSlots locateSlots(const json& workflow, const json& mapping, const std::string& label)
{
    checkApiFormat(workflow, label);
    if (!mapping.is_null() && !mapping.is_object())
        throw WorkflowError("workflow " + label + ": inputs must be an object such as {\"seed\": \"3.inputs.seed\"}");
    const json map = mapping.is_object() ? mapping : json::object();
    for (const auto& [field, value] : map.items()) {
        const auto& names = workflowFieldNames();
        if (std::find(names.begin(), names.end(), field) == names.end())
            throw WorkflowError(
                "workflow " + label + ": inputs." + field + " is not a job field (known: " + joinIds(names) + ")");
    }

    WorkflowSlots placed;
    placed.prompt = mappedSlots(workflow, map, "prompt", label);
    placed.seed = mappedSlots(workflow, map, "seed", label);
    placed.steps = mappedSlots(workflow, map, "steps", label);
    placed.cfg = mappedSlots(workflow, map, "cfg", label);
    placed.width = mappedSlots(workflow, map, "width", label);
    placed.height = mappedSlots(workflow, map, "height", label);
    placed.batchSize = mappedSlots(workflow, map, "batch_size", label);
    placed.model = mappedSlots(workflow, map, "model", label);

    // The sampler: seed, steps, cfg, and (through its positive input) the prompt.
    using Field = std::pair<const char*, std::vector<InputSlot>*>;
    const Field samplerSide[] = { { "seed", &placed.seed }, { "steps", &placed.steps }, { "cfg", &placed.cfg },
        { "prompt", &placed.prompt } };
    std::vector<std::string> samplerFields;
    for (const auto& [name, list] : samplerSide)
        if (list->empty())
            samplerFields.push_back(name);
    if (!samplerFields.empty()) {
        if (const auto sampler = soleNode(workflow, kSamplerClasses, "KSampler", label, samplerFields)) {
            const bool advanced = classOf(workflow, *sampler) == "KSamplerAdvanced";
            const auto place = [&](std::vector<InputSlot>& list, const std::string& input, const std::string& field) {
                if (!list.empty())
                    return;
                const InputSlot slot { *sampler, input };
                checkSlot(workflow, slot, "workflow " + label + ": " + field);
                list.push_back(slot);
            };
            place(placed.seed, advanced ? "noise_seed" : "seed", "seed");
            place(placed.steps, "steps", "steps");
            place(placed.cfg, "cfg", "cfg");
            if (placed.prompt.empty()) {
                const json& positive = workflow[*sampler]["inputs"].value("positive", json());
                if (!positive.is_array() || positive.empty() || !positive.front().is_string())
                    throw WorkflowError("workflow " + label + ": " + describeNode(workflow, *sampler)
                        + " has no positive input linked to a node: map the prompt with inputs.prompt");
                const std::string encoder = positive.front().get<std::string>();
                if (classOf(workflow, encoder) != "CLIPTextEncode")
                    throw WorkflowError("workflow " + label + ": " + describeNode(workflow, *sampler)
                        + "'s positive input comes from " + describeNode(workflow, encoder)
                        + ", not a CLIPTextEncode: map the prompt with inputs.prompt = \"<node id>.inputs.text\"");
                const InputSlot slot { encoder, "text" };
                checkSlot(workflow, slot, "workflow " + label + ": prompt");
                placed.prompt.push_back(slot);
            }
        }
    }
    requirePlaced(placed.seed, "seed", "a KSampler node", label);
    requirePlaced(placed.steps, "steps", "a KSampler node", label);
    requirePlaced(placed.cfg, "cfg", "a KSampler node", label);
    requirePlaced(placed.prompt, "prompt", "a CLIPTextEncode node on the KSampler's positive input", label);

    const Field latentSide[]
        = { { "width", &placed.width }, { "height", &placed.height }, { "batch_size", &placed.batchSize } };
    std::vector<std::string> latentFields;
    for (const auto& [name, list] : latentSide)
        if (list->empty())
            latentFields.push_back(name);
    if (!latentFields.empty())
        if (const auto latent = soleNode(workflow, kLatentClasses, "EmptyLatentImage", label, latentFields))
            for (const auto& [name, list] : latentSide)
                if (list->empty()) {
                    const InputSlot slot { *latent, name };
                    checkSlot(workflow, slot, std::string("workflow ") + label + ": " + name);
                    list->push_back(slot);
                }
    requirePlaced(placed.width, "width", "an EmptyLatentImage (or EmptySD3LatentImage) node", label);
    requirePlaced(placed.height, "height", "an EmptyLatentImage (or EmptySD3LatentImage) node", label);
    requirePlaced(placed.batchSize, "batch_size", "an EmptyLatentImage (or EmptySD3LatentImage) node", label);
    return placed;
}

json fillWorkflow(const json& workflow, const WorkflowSlots& placed, const Job& job)
{
    json filled = workflow;
    const auto put = [&filled](const std::vector<InputSlot>& list, const json& value) {
        for (const InputSlot& slot : list)
            filled[slot.node]["inputs"][slot.input] = value;
    };
    const VariantConfig& v = job.variant;
    put(placed.prompt, job.prompt);
    put(placed.seed, job.seed);
    put(placed.steps, v.steps);
    put(placed.cfg, v.guidance);
    put(placed.width, v.width);
    put(placed.height, v.height);
    put(placed.batchSize, v.images);
    put(placed.model, v.model);
    return filled;
}

} // namespace t2i
