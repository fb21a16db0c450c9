// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace t2i {

// The addresses a run's connections reached, by host name: the run's environment records them,
// since where a platform's name resolved (which region, which CDN edge) explains much of its
// network time (docs/measurement.md, "Network phases"). Noted once per new connection, so a
// run's handful of hosts are searched in a short list.
class RemoteAddresses {
public:
    using Entries = std::vector<std::pair<std::string, std::vector<std::string>>>; // host, addresses

    void note(std::string_view url, const std::string& address);
    const Entries& byHost() const { return m_entries; } // hosts and addresses in the order first seen

    // "host" of "scheme://user@host:port/path"; "[::1]" keeps its brackets.
    static std::string_view hostOf(std::string_view url);

private:
    Entries m_entries;
};

} // namespace t2i
