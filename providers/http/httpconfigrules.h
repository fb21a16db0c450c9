// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/configcheck.h"

namespace t2i::configcheck {

// The http type's rules beyond each key's own: URL and body templates and the placeholders each
// place allows, the extract pointers, poll and cancel, and an API key that nothing uses.
void validateHttpProvider(Checker& check, const json& p, const std::string& path);

} // namespace t2i::configcheck
