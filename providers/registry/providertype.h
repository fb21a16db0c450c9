// SPDX-License-Identifier: Apache-2.0
#pragma once

// A provider type as this build knows it: what it is configured with (its descriptor, read by the
// config validator, the setup page and the docs check) and how its adapter is made. Each type
// defines its own in providers/<type>/<type>descriptor.cpp; registry.cpp lists them.

#include "config/providerdescriptor.h"
#include "engine/adaptercontext.h"

namespace t2i {

struct ProviderType {
    ProviderDescriptor descriptor;
    AdapterFactory factory;
};

ProviderType emulatedProviderType();
ProviderType runpodProviderType();
ProviderType openaiProviderType();
ProviderType openaiCompatibleProviderType();
ProviderType replicateProviderType();
ProviderType falProviderType();
ProviderType modalProviderType();
ProviderType hfEndpointProviderType();
ProviderType basetenProviderType();
ProviderType togetherProviderType();
ProviderType stabilityProviderType();
ProviderType httpProviderType();
ProviderType comfyuiProviderType();
ProviderType a1111ProviderType();
ProviderType sdcppProviderType();
ProviderType sagemakerProviderType();

} // namespace t2i
