// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "platformtypes.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace t2i {

// The JSON of RunPod Serverless's job API (docs/protocols.md §1), kept apart from the
// HTTP plumbing so that each shape can be read and tested on its own.
namespace runpod {

// The body of /run and /runsync: {"input": {...}, "policy": {...}, "webhook": ...}. Reads
// worker-sdxl's input names plus our "precision". On error returns nullopt and says why.
std::optional<JobSpec> parseSubmit(const std::string& body, std::string& error);

// IN_QUEUE: {"id", "status"}; IN_PROGRESS adds "delayTime" (so far) and "workerId".
nlohmann::json pending(const JobView& view);
// A terminal job: "delayTime", "executionTime", "workerId", and "output" (COMPLETED) or "error".
nlohmann::json finished(const JobTruth& truth);
// worker-sdxl's output: {"image_url": first, "images": [data URIs], "seed": N}, each data URI
// still an images::placeholder(i): the front splices the images in as it writes the answer.
nlohmann::json output(const JobTruth& truth);
nlohmann::json health(const PlatformHealth& health);
nlohmann::json error(const std::string& message);

} // namespace runpod
} // namespace t2i
