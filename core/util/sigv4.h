// SPDX-License-Identifier: Apache-2.0
// AWS Signature Version 4 as pure functions: no clock, no I/O. The caller says when (an X-Amz-Date
// stamp) and what goes on the wire; these functions say what to add to it. Checked against AWS's
// published SigV4 test suite and the S3 examples (tests/core/tst_sigv4.cpp).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace t2i::sigv4 {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Credentials {
    std::string accessKeyId;
    std::string secretAccessKey;
    std::string sessionToken; // empty for long-term keys; else sent (and signed) as X-Amz-Security-Token
};

// Where the signature is valid. S3 ("s3") canonicalizes paths differently from every other
// service: as sent, without normalization or a second round of percent-encoding.
struct Scope {
    std::string region; // "us-east-1"
    std::string service; // "sagemaker", "s3"
    bool isS3() const { return service == "s3"; }
};

// The request as it goes on the wire.
struct Request {
    std::string method;
    std::string path; // as in the URL ("/endpoints/x/invocations")
    std::string query; // as in the URL, without '?'
    Headers headers; // every header to sign, any case, Host included
    std::string payloadHash; // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

struct Signature {
    std::string canonicalRequest;
    std::string stringToSign;
    std::string signedHeaders; // "host;x-amz-date"
    std::string signature; // hex
    std::string authorization; // the whole Authorization header value
};

// The four steps of SigV4 (canonical request, string to sign, derived key, signature).
// amzDate is "YYYYMMDD'T'HHMMSS'Z'".
Signature sign(const Request& request, const Credentials& credentials, const Scope& scope, const std::string& amzDate);

// Percent-encodes every byte but A-Z a-z 0-9 - . _ ~ (and '/' when keepSlash), upper-case hex.
std::string uriEncode(std::string_view text, bool keepSlash);
std::string canonicalUri(std::string_view path, bool s3);
std::string canonicalQuery(std::string_view query);
std::string amzDate(std::chrono::system_clock::time_point when); // "20150830T123600Z"
std::string hmacSha256(std::string_view key, std::string_view data); // raw 32 bytes
std::string hex(std::string_view bytes);

// A URL split the way signing needs it. Host keeps a non-default port ("127.0.0.1:8080"), as
// HTTP clients send it.
struct UrlParts {
    std::string scheme;
    std::string host;
    std::string path; // "/" when the URL has none
    std::string query;
};
std::optional<UrlParts> splitUrl(std::string_view url);

// Signs an HTTP request with headers: returns the headers to send, i.e. `headers` plus Host,
// X-Amz-Date, X-Amz-Security-Token (temporary credentials), X-Amz-Content-Sha256 (S3, which
// requires it) and Authorization. Every given header is signed. nullopt when url is not absolute.
std::optional<Headers> signHeaders(const std::string& method, const std::string& url, Headers headers,
    std::string_view body, const Credentials& credentials, const Scope& scope, const std::string& amzDate);

// A presigned URL (query-string authentication; the payload is UNSIGNED-PAYLOAD for S3): anyone
// holding it may send `method` to `url` for expiresS seconds, with no header of their own.
std::optional<std::string> presignUrl(const std::string& method, const std::string& url, const Credentials& credentials,
    const Scope& scope, const std::string& amzDate, int expiresS);

// The fields of an "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
// SignedHeaders=a;b, Signature=hex" header; nullopt when it is not one.
struct Authorization {
    std::string accessKeyId;
    std::string date; // "20150830"
    std::string region;
    std::string service;
    std::vector<std::string> signedHeaders;
    std::string signature;
};
std::optional<Authorization> parseAuthorization(std::string_view header);

} // namespace t2i::sigv4
