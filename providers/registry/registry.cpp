// SPDX-License-Identifier: Apache-2.0
#include "registry.h"

#include "a1111/a1111adapter.h"
#include "baseten/basetenadapter.h"
#include "comfyui/comfyuiadapter.h"
#include "fal/faladapter.h"
#include "hfendpoint/hfendpointadapter.h"
#include "http/httpadapter.h"
#include "modal/modaladapter.h"
#include "openai/openaiadapter.h"
#include "replicate/replicateadapter.h"
#include "runpod/runpodadapter.h"
#include "sagemaker/sagemakeradapter.h"
#include "sdcpp/sdcppadapter.h"
#include "stability/stabilityadapter.h"
#include "together/togetheradapter.h"

#include <algorithm>

namespace t2i {

std::vector<std::string> knownProviderTypes()
{
    return { "emulated", "runpod", "openai", "openai_compatible", "replicate", "fal", "modal", "hf_endpoint", "baseten",
        "together", "stability", "http", "comfyui", "a1111", "sdcpp", "sagemaker" };
}

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
    if (protocol == "modal")
        return std::make_unique<ModalAdapter>(ModalOptions::fromConfig(provider, context));
    if (protocol == "hf_endpoint")
        return std::make_unique<HfEndpointAdapter>(HfEndpointOptions::fromConfig(provider, context));
    if (protocol == "baseten")
        return std::make_unique<BasetenAdapter>(BasetenOptions::fromConfig(provider, context));
    if (protocol == "together")
        return std::make_unique<TogetherAdapter>(TogetherOptions::fromConfig(provider, context));
    if (protocol == "stability")
        return std::make_unique<StabilityAdapter>(StabilityOptions::fromConfig(provider, context));
    if (protocol == "sagemaker")
        return std::make_unique<SageMakerAdapter>(SageMakerOptions::fromConfig(provider, context));
    if (protocol == "http")
        return std::make_unique<HttpAdapter>(HttpAdapterOptions::fromConfig(provider, context));
    if (protocol == "comfyui") // throws WorkflowError when the workflow cannot be used
        return std::make_unique<ComfyUIAdapter>(ComfyUIOptions::fromConfig(provider, context));
    if (protocol == "a1111")
        return std::make_unique<A1111Adapter>(A1111Options::fromConfig(provider, context));
    if (protocol == "sdcpp")
        return makeSdCppAdapter(provider, context);
    // A compatible server has no default address: without one there is nothing to talk to.
    if (protocol == "openai_compatible" && !context.baseUrl.empty())
        return std::make_unique<OpenAIAdapter>(OpenAIOptions::fromConfig(provider, context), "openai_compatible");
    return nullptr;
}

} // namespace t2i
