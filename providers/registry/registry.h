// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"
#include "engine/adaptercontext.h"
#include "registry/providertype.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace t2i {

// Every provider type this build can benchmark, in the order they are listed to users
// (docs/providers.md). Built once, on first use; the pointers stay valid for the program's life.
const std::vector<ProviderType>& providerTypes();
const ProviderCatalog& providerCatalog();
// nullptr for a type this build does not know.
const ProviderDescriptor* findProviderDescriptor(std::string_view type);
const ProviderType* findProviderType(std::string_view type);

// The catalog's type names, in its order.
std::vector<std::string> knownProviderTypes();
bool isKnownProviderType(const std::string& type);
// The protocol an "emulated" provider speaks ("runpod" unless its config says otherwise).
std::string emulatedProtocol(const ProviderConfig& provider);
// Makes the adapter for a provider through its type's factory; nullptr for an unknown type (or
// a provider its type cannot serve, such as openai_compatible without base_url).
std::unique_ptr<Adapter> makeAdapter(const ProviderConfig& provider, const AdapterContext& context);

} // namespace t2i
