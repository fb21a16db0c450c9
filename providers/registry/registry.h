// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"

#include <memory>
#include <string>
#include <vector>

namespace t2i {

// Where an adapter should send its requests and with which key. The key lives only in memory.
struct AdapterContext {
    std::string baseUrl; // resolved: the config's base_url, the emulator's address, or the platform default
    std::string apiKey;
    int pollIntervalMs = 250;
};

// The provider types this build can benchmark, and the protocol each speaks.
std::vector<std::string> knownProviderTypes();
bool isKnownProviderType(const std::string& type);
// The protocol an "emulated" provider speaks ("runpod" unless its config says otherwise).
std::string emulatedProtocol(const ProviderConfig& provider);
// Makes the adapter for a provider; nullptr for an unknown type.
std::unique_ptr<Adapter> makeAdapter(const ProviderConfig& provider, const AdapterContext& context);

} // namespace t2i
