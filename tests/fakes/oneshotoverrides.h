// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fakeserver.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace t2itest {

// Canned answers a test queues for the next request whose path starts with a prefix, each used
// once, in the order queued. Not thread-safe: the fake that owns it holds its own lock.
class OneShotOverrides {
public:
    void add(std::string pathPrefix, FakeResponse response)
    {
        m_items.emplace_back(std::move(pathPrefix), std::move(response));
    }
    std::optional<FakeResponse> take(const std::string& path)
    {
        for (auto it = m_items.begin(); it != m_items.end(); ++it)
            if (path.starts_with(it->first)) {
                FakeResponse response = std::move(it->second);
                m_items.erase(it);
                return response;
            }
        return std::nullopt;
    }

private:
    std::vector<std::pair<std::string, FakeResponse>> m_items;
};

} // namespace t2itest
