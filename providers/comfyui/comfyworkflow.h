// SPDX-License-Identifier: Apache-2.0
// ComfyUI workflows in API format (docs/protocols.md §11.1): an object keyed by node id,
// each node {"class_type", "inputs"}; an input is a value or a link ["<node id>", <output index>].
// A benchmark job is placed into a template workflow by overwriting node inputs.
#pragma once

#include "engine/adapter.h"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace t2i {

// A workflow that cannot be read, or a job field that has no place in it. The message names the
// workflow, the field and the node, and says how to fix it (an explicit `inputs` mapping).
struct WorkflowError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One node input: workflow[node]["inputs"][input].
struct InputSlot {
    std::string node;
    std::string input;
    bool operator==(const InputSlot&) const = default;
};

// Where each field of a job goes. Every field but `model` must have at least one slot; a field
// mapped to several slots (e.g. the seed of a base and a refiner sampler) is written to each.
struct WorkflowSlots {
    std::vector<InputSlot> prompt; // CLIPTextEncode.text of the sampler's positive input
    std::vector<InputSlot> seed; // KSampler.seed (KSamplerAdvanced.noise_seed)
    std::vector<InputSlot> steps;
    std::vector<InputSlot> cfg; // the variant's guidance
    std::vector<InputSlot> width; // EmptyLatentImage / EmptySD3LatentImage
    std::vector<InputSlot> height;
    std::vector<InputSlot> batchSize; // the variant's images per request
    std::vector<InputSlot> model; // optional: the variant's model as a checkpoint file name
};

// The names an `inputs` mapping may use, e.g. {"seed": "3.inputs.seed", "prompt": "6.inputs.text"}.
const std::vector<std::string>& workflowFieldNames();

// Reads an API-format workflow from a file (named by its path in messages). Throws WorkflowError for
// a file that cannot be read, is not JSON, or is a UI-format export (nodes/links arrays).
nlohmann::json loadWorkflowFile(const std::string& path);

// Checks the shape of an API-format workflow (every value a node with class_type and inputs).
void checkApiFormat(const nlohmann::json& workflow, const std::string& label);

// Finds where each field goes: explicit mapping entries first ("<node>.inputs.<name>", a string
// or a list of them), then the nodes by class_type. Throws WorkflowError naming the field and
// node when a field cannot be placed or a mapping points at nothing.
WorkflowSlots locateSlots(const nlohmann::json& workflow, const nlohmann::json& mapping, const std::string& label);

// The workflow with job's prompt, seed, steps, guidance, size, images (and model, if mapped) in place.
nlohmann::json fillWorkflow(const nlohmann::json& workflow, const WorkflowSlots& placed, const Job& job);

} // namespace t2i
