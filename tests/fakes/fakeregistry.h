// SPDX-License-Identifier: Apache-2.0
// The fakes by protocol name, for the t2i-fake executable (npm client checks run against it).
#pragma once

#include "fakeserver.h"

#include <string>
#include <vector>

namespace t2itest {

// A fake platform behind one handler, alive as long as the object.
class FakePlatform {
public:
    virtual ~FakePlatform() = default;
    virtual FakeResponse handle(const FakeRequest& request) = 0;
};

std::unique_ptr<FakePlatform> makeFakePlatform(const std::string& protocol); // nullptr: unknown
std::vector<std::string> fakeProtocols();

} // namespace t2itest
