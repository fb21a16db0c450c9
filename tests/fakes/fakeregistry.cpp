// SPDX-License-Identifier: Apache-2.0
#include "fakeregistry.h"

#include "a1111fake.h"
#include "basetenfake.h"
#include "comfyuifake.h"
#include "customasyncfake.h"
#include "garbagefake.h"
#include "hfendpointfake.h"
#include "modalfake.h"
#include "sagemakerfake.h"
#include "sdcppfake.h"
#include "stabilityfake.h"
#include "togetherfake.h"

#include <functional>
#include <map>

namespace t2itest {

namespace {

using Factory = std::function<std::unique_ptr<FakePlatform>()>;

// One line per fake: {"protocol", [] { return std::make_unique<SomeFake>(); }},
const std::map<std::string, Factory>& factories()
{
    static const std::map<std::string, Factory> table = {
        { "comfyui", [] { return std::make_unique<ComfyUIFake>(); } },
        { "a1111", [] { return std::make_unique<A1111Fake>(); } },
        { "sdcpp", [] { return std::make_unique<SdCppFake>(); } },
        { "together", [] { return std::make_unique<TogetherFake>(); } },
        { "stability", [] { return std::make_unique<StabilityFake>(); } },
        { "customasync", [] { return std::make_unique<CustomAsyncFake>(); } },
        { "sagemaker", [] { return std::make_unique<SageMakerFake>(); } },
        { "modal", [] { return std::make_unique<ModalFake>(); } },
        { "hf_endpoint", [] { return std::make_unique<HfEndpointFake>(); } },
        { "baseten", [] { return std::make_unique<BasetenFake>(); } },
        { "garbage", [] { return std::make_unique<GarbageFake>(); } },
    };
    return table;
}

} // namespace

std::unique_ptr<FakePlatform> makeFakePlatform(const std::string& protocol)
{
    const auto it = factories().find(protocol);
    return it == factories().end() ? nullptr : it->second();
}

std::vector<std::string> fakeProtocols()
{
    std::vector<std::string> names;
    for (const auto& [name, factory] : factories())
        names.push_back(name);
    return names;
}

} // namespace t2itest
