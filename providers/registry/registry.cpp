// SPDX-License-Identifier: Apache-2.0
#include "registry.h"

#include "fal/faladapter.h"
#include "openai/openaiadapter.h"
#include "replicate/replicateadapter.h"
#include "runpod/runpodadapter.h"

#include <algorithm>

namespace t2i {

std::vector<std::string> knownProviderTypes() { return { "emulated", "runpod", "openai", "openai_compatible", "replicate", "fal" }; }

bool isKnownProviderType(const std::string& type)
{
    const auto types = knownProviderTypes();
    return std::find(types.begin(), types.end(), type) != types.end();
}

std::string emulatedProtocol(const ProviderConfig& provider)
{
    return provider.settings.value("protocol", std::string("runpod"));
}

std::unique_ptr<Adapter> makeAdapter(const ProviderConfig& provider, const AdapterContext& context)
{
    const std::string protocol = provider.type == "emulated" ? emulatedProtocol(provider) : provider.type;
    if (protocol == "runpod")
        return std::make_unique<RunPodAdapter>(RunPodOptions::fromConfig(provider, context));
    if (protocol == "openai")
        return std::make_unique<OpenAIAdapter>(OpenAIOptions::fromConfig(provider, context));
    if (protocol == "replicate")
        return std::make_unique<ReplicateAdapter>(ReplicateOptions::fromConfig(provider, context));
    if (protocol == "fal")
        return std::make_unique<FalAdapter>(FalOptions::fromConfig(provider, context));
    // A compatible server has no default address: without one there is nothing to talk to.
    if (protocol == "openai_compatible" && !context.baseUrl.empty())
        return std::make_unique<OpenAIAdapter>(OpenAIOptions::fromConfig(provider, context), "openai_compatible");
    return nullptr;
}

} // namespace t2i
