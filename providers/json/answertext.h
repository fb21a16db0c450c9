// SPDX-License-Identifier: Apache-2.0
// Text taken from a platform's answer into a request record (an error message, a status, a job
// id from a header): always valid UTF-8, so every export and JSON report can write it, and
// bounded, so a garbage body cannot fill the run library.
#pragma once

#include "engine/adapter.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace t2i {

bool isValidUtf8(std::string_view text);

// The text as valid UTF-8 (each byte that is not part of a valid sequence becomes U+FFFD), cut
// after at most maxBytes on a character boundary, with "..." added when it was cut.
std::string safeText(std::string_view text, std::size_t maxBytes = std::string::npos);

// The start of a body for a message (what adapters quote when the body is not what they
// expected): its first maxBytes at most, as valid UTF-8, cut without a mark, as before.
std::string bodyExcerpt(std::string_view body, std::size_t maxBytes = 300);

// A header's value as a number (Retry-After: "2", X-Process-Time: "0.1234"): a plain decimal
// number, nothing after it; nullopt for anything else, and for a negative or non-finite one.
std::optional<double> headerNumber(std::string_view value);

// A platform's time in seconds as ms, rounded to the microsecond so that x1000 adds no binary
// noise; nullopt for none, a negative one, or one too large to be a time (1e308 s).
std::optional<double> secondsToMs(std::optional<double> seconds);

// The failure of a request that got no HTTP answer (status 0): a timeout, or a transport error
// with libcurl's message (a stand-in when there is none, so the record always says something).
Action noAnswerFailure(const HttpResponse& response);

// An http(s) URL a platform gave that can be requested as it is: no spaces, no control
// characters (a CR LF would end the request line early). Adapters fall back to the documented
// route for any other.
bool isUsableUrl(std::string_view url);

// The error class of an answer whose HTTP status the adapter did not expect: classifyHttpStatus's
// (core/engine/adapter.h), and server_error for a 1xx, 2xx or 3xx one, which that leaves None.
ErrorClass httpFailureClass(int status);

} // namespace t2i
