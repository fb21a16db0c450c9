// SPDX-License-Identifier: Apache-2.0
#include "registry.h"

#include <algorithm>

namespace t2i {

const std::vector<ProviderType>& providerTypes()
{
    // A function-local static: built on first use, so no type's descriptor depends on the order
    // in which translation units are initialised.
    static const std::vector<ProviderType> types = {
        emulatedProviderType(),
        runpodProviderType(),
        replicateProviderType(),
        falProviderType(),
        modalProviderType(),
        sagemakerProviderType(),
        hfEndpointProviderType(),
        basetenProviderType(),
        openaiProviderType(),
        openaiCompatibleProviderType(),
        togetherProviderType(),
        stabilityProviderType(),
        comfyuiProviderType(),
        a1111ProviderType(),
        sdcppProviderType(),
        httpProviderType(),
    };
    return types;
}

const ProviderCatalog& providerCatalog()
{
    static const ProviderCatalog catalog = [] {
        ProviderCatalog c;
        for (const ProviderType& type : providerTypes())
            c.push_back(&type.descriptor);
        return c;
    }();
    return catalog;
}

const ProviderType* findProviderType(std::string_view type)
{
    const auto& types = providerTypes();
    const auto it
        = std::find_if(types.begin(), types.end(), [&](const ProviderType& t) { return t.descriptor.type == type; });
    return it == types.end() ? nullptr : &*it;
}

const ProviderDescriptor* findProviderDescriptor(std::string_view type)
{
    const ProviderType* found = findProviderType(type);
    return found ? &found->descriptor : nullptr;
}

std::vector<std::string> knownProviderTypes()
{
    std::vector<std::string> names;
    for (const ProviderDescriptor* descriptor : providerCatalog())
        names.push_back(descriptor->type);
    return names;
}

bool isKnownProviderType(const std::string& type)
{
    return findProviderDescriptor(type) != nullptr;
}

std::string emulatedProtocol(const ProviderConfig& provider)
{
    return provider.settings.value("protocol", std::string("runpod"));
}

std::unique_ptr<Adapter> makeAdapter(const ProviderConfig& provider, const AdapterContext& context)
{
    const ProviderType* type = findProviderType(provider.type);
    return type && type->factory ? type->factory(provider, context) : nullptr;
}

} // namespace t2i
