// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"

#include <curl/curl.h>

namespace t2i {

// What libcurl timed of the call the handle just finished: its network phases, the connections
// it opened and the address it reached (docs/measurement.md, "Network phases").
void readCallNetwork(CURL* easy, HttpResponse::Network& out);

// The phases from libcurl's timers, in microseconds from the start of the call (each a sum over
// the legs of a redirect, as libcurl keeps them). Pure arithmetic, apart so tests can give it
// the cases a live call rarely shows (a failed connect, a reused connection).
struct CurlTimes {
    std::int64_t nameLookupUs = 0, connectUs = 0, appConnectUs = 0, preTransferUs = 0, startTransferUs = 0, totalUs = 0;
};
CallPhases phasesFromCurlTimes(const CurlTimes& times, bool newConnection);

} // namespace t2i
