// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace t2i {

// RFC 3986 percent-encoding: every byte but the unreserved A-Z a-z 0-9 - . _ ~ (and '/' when
// keepSlash) as %XX with upper-case hex. Byte-wise, whatever the locale. The one encoder of the
// adapters' path segments and query values, and of SigV4's canonical URIs (sigv4::uriEncode).
std::string percentEncode(std::string_view text, bool keepSlash = false);

} // namespace t2i
