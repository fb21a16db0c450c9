// SPDX-License-Identifier: Apache-2.0
#include "remoteaddresses.h"

#include <algorithm>

namespace t2i {

std::string_view RemoteAddresses::hostOf(std::string_view url)
{
    if (const auto scheme = url.find("://"); scheme != std::string_view::npos)
        url.remove_prefix(scheme + 3);
    url = url.substr(0, url.find_first_of("/?#"));
    if (const auto at = url.rfind('@'); at != std::string_view::npos)
        url.remove_prefix(at + 1);
    if (!url.empty() && url.front() == '[')
        return url.substr(0, url.find(']') + 1);
    return url.substr(0, url.find(':'));
}

void RemoteAddresses::note(std::string_view url, const std::string& address)
{
    if (address.empty())
        return;
    const std::string_view host = hostOf(url);
    auto entry = std::find_if(m_entries.begin(), m_entries.end(), [host](const auto& e) { return e.first == host; });
    if (entry == m_entries.end())
        entry = m_entries.insert(m_entries.end(), { std::string(host), {} });
    if (std::find(entry->second.begin(), entry->second.end(), address) == entry->second.end())
        entry->second.push_back(address);
}

} // namespace t2i
