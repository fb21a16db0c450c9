// SPDX-License-Identifier: Apache-2.0
// The adapter suites' canned answers (tests/providers/*fixtures.h) as fuzzing seeds.
#pragma once

#include "answerfuzzer.h"

namespace t2ifuzz {

// Adds the fixtures of one family ("runpod", "openai", "replicate", "fal", "modal", "hf_endpoint",
// "baseten", "sagemaker", "together", "stability", "http", "comfyui", "a1111", "sdcpp").
void addFixtureSeeds(const std::string& family, std::vector<Seed>& seeds, std::vector<Seed>& healthSeeds);
// The serverless fixtures (Modal, Hugging Face, Baseten) live in a header of their own.
void addServerlessFixtureSeeds(const std::string& family, std::vector<Seed>& seeds, std::vector<Seed>& healthSeeds);

} // namespace t2ifuzz
