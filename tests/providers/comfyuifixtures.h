// SPDX-License-Identifier: Apache-2.0
// Canned ComfyUI workflows and answers for tst_comfyuiadapter (docs/protocols.md §11).
// They live apart from the test class because Qt 6.4's moc stops parsing a file at raw string literals.
#pragma once

#include <string>

// The classic default graph: KSampler 3, checkpoint 4, latent 5, positive 6, negative 7, decode 8, save 9.
inline const std::string kComfyDefaultGraph = R"({
 "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 8, "sampler_name": "euler", "scheduler": "normal",
       "denoise": 1, "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
 "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "v1-5-pruned-emaonly.safetensors"}},
 "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 1}},
 "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "positive", "clip": ["4", 1]}},
 "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "negative", "clip": ["4", 1]}},
 "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
 "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}}})";

// SDXL base + refiner: two KSamplerAdvanced nodes, so the seed's place is ambiguous.
inline const std::string kComfyRefinerGraph = R"({
 "10": {"class_type": "KSamplerAdvanced", "inputs": {"noise_seed": 1, "steps": 25, "cfg": 8, "positive": ["6", 0],
        "negative": ["7", 0], "latent_image": ["5", 0], "model": ["4", 0], "add_noise": "enable", "start_at_step": 0,
        "end_at_step": 20, "return_with_leftover_noise": "enable", "sampler_name": "euler", "scheduler": "normal"}},
 "11": {"class_type": "KSamplerAdvanced", "inputs": {"noise_seed": 1, "steps": 25, "cfg": 8, "positive": ["15", 0],
        "negative": ["16", 0], "latent_image": ["10", 0], "model": ["12", 0], "add_noise": "disable", "start_at_step": 20,
        "end_at_step": 10000, "return_with_leftover_noise": "disable", "sampler_name": "euler", "scheduler": "normal"}},
 "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}},
 "12": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_refiner_1.0.safetensors"}},
 "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 1024, "height": 1024, "batch_size": 1}},
 "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "base positive", "clip": ["4", 1]}},
 "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "", "clip": ["4", 1]}},
 "15": {"class_type": "CLIPTextEncode", "inputs": {"text": "refiner positive", "clip": ["12", 1]}},
 "16": {"class_type": "CLIPTextEncode", "inputs": {"text": "", "clip": ["12", 1]}},
 "17": {"class_type": "VAEDecode", "inputs": {"samples": ["11", 0], "vae": ["12", 2]}},
 "19": {"class_type": "SaveImage", "inputs": {"filename_prefix": "refined", "images": ["17", 0]}}})";

inline const std::string kComfyRefinerMapping = R"({"seed": ["10.inputs.noise_seed", "11.inputs.noise_seed"],
 "steps": ["10.inputs.steps", "11.inputs.steps"], "cfg": ["10.inputs.cfg", "11.inputs.cfg"],
 "prompt": ["6.inputs.text", "15.inputs.text"], "model": "4.inputs.ckpt_name"})";

// The positive input goes through a ConditioningCombine: the prompt's place must be mapped.
inline const std::string kComfyCombinedGraph = R"({
 "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 8, "positive": ["20", 0], "negative": ["7", 0],
       "latent_image": ["5", 0], "model": ["4", 0], "sampler_name": "euler", "scheduler": "normal", "denoise": 1}},
 "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "x.safetensors"}},
 "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 1}},
 "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a", "clip": ["4", 1]}},
 "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "", "clip": ["4", 1]}},
 "21": {"class_type": "CLIPTextEncode", "inputs": {"text": "b", "clip": ["4", 1]}},
 "20": {"class_type": "ConditioningCombine", "inputs": {"conditioning_1": ["6", 0], "conditioning_2": ["21", 0]}},
 "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "c", "images": ["3", 0]}}})";

// A FLUX-style graph: no KSampler or EmptyLatentImage by those names.
inline const std::string kComfyFluxGraph = R"({
 "13": {"class_type": "SamplerCustomAdvanced", "inputs": {"noise": ["25", 0], "guider": ["22", 0], "sampler": ["16", 0],
        "sigmas": ["17", 0], "latent_image": ["27", 0]}},
 "25": {"class_type": "RandomNoise", "inputs": {"noise_seed": 7}},
 "17": {"class_type": "BasicScheduler", "inputs": {"scheduler": "simple", "steps": 4, "denoise": 1, "model": ["12", 0]}},
 "26": {"class_type": "FluxGuidance", "inputs": {"guidance": 3.5, "conditioning": ["6", 0]}},
 "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "x", "clip": ["11", 0]}},
 "27": {"class_type": "EmptySD3LatentImage", "inputs": {"width": 1024, "height": 1024, "batch_size": 1}},
 "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "flux", "images": ["8", 0]}}})";

inline const std::string kComfyFluxMapping = R"({"seed": "25.inputs.noise_seed", "steps": "17.inputs.steps",
 "cfg": "26.inputs.guidance", "prompt": "6.inputs.text"})";

// A UI-format export (what "Save" writes), refused with a hint.
inline const std::string kComfyUiFormat
    = R"({"last_node_id": 9, "last_link_id": 9, "nodes": [], "links": [], "version": 0.4})";

inline const std::string kComfyPromptAccepted = R"({"prompt_id": "ID", "number": 12, "node_errors": {}})";
inline const std::string kComfyValidationFailed = R"({"error": {"type": "prompt_outputs_failed_validation",
 "message": "Prompt outputs failed validation", "details": "", "extra_info": {}},
 "node_errors": {"3": {"errors": [{"type": "value_smaller_than_min", "message": "Value 0 smaller than min of 1",
 "details": "steps", "extra_info": {"input_name": "steps"}}], "dependent_outputs": ["9"], "class_type": "KSampler"}}})";

// /queue with ID running, and with ID pending behind another prompt.
inline const std::string kComfyQueueRunning
    = R"({"queue_running": [[12, "ID", {}, {"client_id": "c"}, ["9"]]], "queue_pending": []})";
inline const std::string kComfyQueuePending = R"({"queue_running": [[11, "OTHER", {}, {}, ["9"]]],
 "queue_pending": [[12, "ID", {}, {"client_id": "c"}, ["9"]], [13, "NEXT", {}, {}, ["9"]]]})";
inline const std::string kComfyQueueEmpty = R"({"queue_running": [], "queue_pending": []})";

inline const std::string kComfyHistorySuccess = R"({"ID": {
 "prompt": [12, "ID", {}, {"client_id": "c", "create_time": 1760000000000}, ["9"]],
 "outputs": {"9": {"images": [{"filename": "ComfyUI 00001_.png", "subfolder": "", "type": "output"},
                              {"filename": "ComfyUI_00002_.png", "subfolder": "day 1", "type": "output"}]},
             "30": {"images": [{"filename": "ComfyUI_temp_abc.png", "subfolder": "", "type": "temp"}]}},
 "status": {"status_str": "success", "completed": true, "messages": [
   ["execution_start", {"prompt_id": "ID", "timestamp": 1760000000250}],
   ["execution_cached", {"nodes": ["4"], "prompt_id": "ID", "timestamp": 1760000000251}],
   ["execution_success", {"prompt_id": "ID", "timestamp": 1760000001733}]]},
 "meta": {"9": {"node_id": "9", "display_node": "9", "parent_node": null, "real_node_id": "9"}}}})";

// An older server: no create_time in extra_data, so no queue time.
inline const std::string kComfyHistoryNoCreateTime = R"({"ID": {
 "prompt": [12, "ID", {}, {"client_id": "c"}, ["9"]],
 "outputs": {"9": {"images": [{"filename": "a.png", "subfolder": "", "type": "output"}]}},
 "status": {"status_str": "success", "completed": true, "messages": [
   ["execution_start", {"prompt_id": "ID", "timestamp": 1760000000250}],
   ["execution_success", {"prompt_id": "ID", "timestamp": 1760000000900}]]}}})";

inline const std::string kComfyHistoryError = R"({"ID": {
 "prompt": [12, "ID", {}, {"create_time": 1760000000000}, ["9"]], "outputs": {},
 "status": {"status_str": "error", "completed": false, "messages": [
   ["execution_start", {"prompt_id": "ID", "timestamp": 1760000000100}],
   ["execution_error", {"prompt_id": "ID", "node_id": "3", "node_type": "KSampler", "executed": ["4"],
     "exception_message": "CUDA out of memory. Tried to allocate 2.00 GiB", "exception_type": "torch.OutOfMemoryError",
     "traceback": [], "current_inputs": {}, "current_outputs": {}, "timestamp": 1760000000600}]]}}})";

inline const std::string kComfyHistoryInterrupted = R"({"ID": {
 "prompt": [12, "ID", {}, {"create_time": 1760000000000}, ["9"]], "outputs": {},
 "status": {"status_str": "error", "completed": false, "messages": [
   ["execution_start", {"prompt_id": "ID", "timestamp": 1760000000100}],
   ["execution_interrupted", {"prompt_id": "ID", "node_id": "3", "node_type": "KSampler", "executed": [], "timestamp": 1760000000300}]]}}})";

inline const std::string kComfyHistoryNoImages = R"({"ID": {
 "prompt": [12, "ID", {}, {"create_time": 1760000000000}, ["9"]], "outputs": {},
 "status": {"status_str": "success", "completed": true, "messages": [
   ["execution_start", {"prompt_id": "ID", "timestamp": 1760000000100}],
   ["execution_success", {"prompt_id": "ID", "timestamp": 1760000000300}]]}}})";
