// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace t2i {

// Standard base64 (RFC 4648), padding optional, whitespace skipped; nullopt on any other byte.
std::optional<std::string> base64Decode(std::string_view text);
std::string base64Encode(std::string_view bytes);

// An image as platforms deliver it inline: a data URI ("data:image/png;base64,...") or raw base64.
std::optional<std::string> decodeInlineImage(std::string_view text);
// The base64 text of an inline image: a data URI's payload, or the whole text; nullopt for a data
// URI that is not base64-encoded.
std::optional<std::string_view> inlineImagePayload(std::string_view text);
// Whether text can be base64, judged from its first and last 256 characters only: a cheap look
// for the engine thread, which leaves decoding every byte to the image-check thread.
bool looksLikeBase64(std::string_view text);
bool looksLikeUrl(std::string_view text); // http:// or https://

} // namespace t2i
