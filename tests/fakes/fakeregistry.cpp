// SPDX-License-Identifier: Apache-2.0
#include "fakeregistry.h"


#include <functional>
#include <map>

namespace t2itest {

namespace {

using Factory = std::function<std::unique_ptr<FakePlatform>()>;

// One line per fake: {"protocol", [] { return std::make_unique<SomeFake>(); }},
const std::map<std::string, Factory>& factories()
{
    static const std::map<std::string, Factory> table = {
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
