// SPDX-License-Identifier: Apache-2.0
// Fuzzing the configuration loader (core/config parseConfig): the shipped examples and every
// provider example of the docs, mutated like platform answers (tests/fuzz/answerfuzzer.h).
#pragma once

#include "answerfuzzer.h"

#include "config/config.h"

namespace t2ifuzz {

// The seed configurations: examples/*.json, and each provider object of docs/*.md placed in the
// quickstart configuration.
const std::vector<std::string>& configSeeds();

// The invariants of one parse, "" when they hold: no exception; a configuration or errors, never
// both nor neither; no "internal error" (an exception caught inside); every error with a
// message; a configuration that validates reads back the same from what toJson writes, and
// builds its adapters, each of which builds a first request.
std::string checkConfig(const std::string& text);

std::optional<Finding> fuzzOneConfig(std::uint64_t seed, Stats& stats);
CampaignResult runConfigCampaign(std::uint64_t first, double seconds, std::uint64_t maxRuns, bool keepGoing = false);

} // namespace t2ifuzz
