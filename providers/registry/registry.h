// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"
#include "engine/adaptercontext.h"

#include <memory>
#include <string>
#include <vector>

namespace t2i {

// The provider types this build can benchmark, and the protocol each speaks.
std::vector<std::string> knownProviderTypes();
bool isKnownProviderType(const std::string& type);
// The protocol an "emulated" provider speaks ("runpod" unless its config says otherwise).
std::string emulatedProtocol(const ProviderConfig& provider);
// Makes the adapter for a provider; nullptr for an unknown type.
std::unique_ptr<Adapter> makeAdapter(const ProviderConfig& provider, const AdapterContext& context);

} // namespace t2i
