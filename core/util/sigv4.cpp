// SPDX-License-Identifier: Apache-2.0
#include "sigv4.h"

#include "util/image.h"
#include "util/urlencode.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <map>

namespace t2i::sigv4 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// %XX sequences only: '+' stays a plus, as AWS reads query strings.
std::string percentDecode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int high = hexValue(text[i + 1]);
            const int low = hexValue(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out += char(high * 16 + low);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

// Leading and trailing spaces trimmed, inner runs of spaces collapsed to one (get-header-value-trim).
std::string canonicalHeaderValue(std::string_view value)
{
    std::string out;
    bool pendingSpace = false;
    for (const char c : value) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace)
            out += ' ';
        pendingSpace = false;
        out += c;
    }
    return out;
}

// Lower-case names in order, repeated names joined with ',' in the order they came.
std::map<std::string, std::string> canonicalHeaders(const Headers& headers)
{
    std::map<std::string, std::string> byName;
    for (const auto& [name, value] : headers) {
        std::string& joined = byName[lower(name)];
        if (!joined.empty())
            joined += ',';
        joined += canonicalHeaderValue(value);
    }
    return byName;
}

std::string credentialScope(const std::string& amzDate, const Scope& scope)
{
    return amzDate.substr(0, 8) + "/" + scope.region + "/" + scope.service + "/aws4_request";
}

std::string signingKey(const Credentials& credentials, const std::string& amzDate, const Scope& scope)
{
    const std::string kDate = hmacSha256("AWS4" + credentials.secretAccessKey, amzDate.substr(0, 8));
    const std::string kRegion = hmacSha256(kDate, scope.region);
    const std::string kService = hmacSha256(kRegion, scope.service);
    return hmacSha256(kService, "aws4_request");
}

bool hasHeader(const Headers& headers, std::string_view lowerName)
{
    return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return lower(h.first) == lowerName; });
}

} // namespace

std::string uriEncode(std::string_view text, bool keepSlash)
{
    return percentEncode(text, keepSlash); // SigV4's rule is RFC 3986's, with '/' kept in paths
}

std::string canonicalUri(std::string_view path, bool s3)
{
    if (path.empty())
        return "/";
    if (s3)
        return std::string(path); // S3 signs the path as sent
    // Every other service: dot segments and empty segments removed, then each segment encoded
    // (again: a path already percent-encoded on the wire is encoded twice, as AWS expects).
    std::vector<std::string_view> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view segment = path.substr(start, end - start);
        if (segment == "..") {
            if (!segments.empty())
                segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        start = end + 1;
    }
    std::string normalized;
    for (const std::string_view segment : segments)
        normalized += "/" + std::string(segment);
    if (normalized.empty())
        return "/";
    if (path.back() == '/')
        normalized += '/';
    return uriEncode(normalized, true);
}

std::string canonicalQuery(std::string_view query)
{
    std::vector<std::pair<std::string, std::string>> pairs;
    std::size_t start = 0;
    while (start < query.size()) {
        const std::size_t end = std::min(query.find('&', start), query.size());
        const std::string_view item = query.substr(start, end - start);
        if (!item.empty()) {
            const std::size_t eq = item.find('=');
            const std::string_view key = item.substr(0, eq);
            const std::string_view value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
            pairs.emplace_back(uriEncode(percentDecode(key), false), uriEncode(percentDecode(value), false));
        }
        start = end + 1;
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto& [key, value] : pairs)
        out += (out.empty() ? "" : "&") + key + "=" + value;
    return out;
}

std::string hex(std::string_view bytes)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        out += kHex[static_cast<unsigned char>(c) >> 4];
        out += kHex[static_cast<unsigned char>(c) & 15];
    }
    return out;
}

std::string hmacSha256(std::string_view key, std::string_view data)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest {};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
        digest.data(), &length);
    return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::string amzDate(std::chrono::system_clock::time_point when)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
    std::tm utc {};
    gmtime_r(&seconds, &utc);
    std::array<char, 20> text {};
    std::strftime(text.data(), text.size(), "%Y%m%dT%H%M%SZ", &utc);
    return text.data();
}

Signature sign(const Request& request, const Credentials& credentials, const Scope& scope, const std::string& amzDate)
{
    Signature out;
    std::string headerBlock;
    for (const auto& [name, value] : canonicalHeaders(request.headers)) {
        headerBlock += name + ":" + value + "\n";
        out.signedHeaders += (out.signedHeaders.empty() ? "" : ";") + name;
    }
    out.canonicalRequest = request.method + "\n" + canonicalUri(request.path, scope.isS3()) + "\n"
        + canonicalQuery(request.query) + "\n" + headerBlock + "\n" + out.signedHeaders + "\n" + request.payloadHash;
    out.stringToSign = std::string(kAlgorithm) + "\n" + amzDate + "\n" + credentialScope(amzDate, scope) + "\n"
        + sha256Hex(out.canonicalRequest);
    out.signature = hex(hmacSha256(signingKey(credentials, amzDate, scope), out.stringToSign));
    out.authorization = std::string(kAlgorithm) + " Credential=" + credentials.accessKeyId + "/"
        + credentialScope(amzDate, scope) + ", SignedHeaders=" + out.signedHeaders + ", Signature=" + out.signature;
    return out;
}

std::optional<UrlParts> splitUrl(std::string_view url)
{
    const std::size_t schemeEnd = url.find("://");
    if (schemeEnd == std::string_view::npos || schemeEnd == 0)
        return std::nullopt;
    UrlParts parts;
    parts.scheme = lower(url.substr(0, schemeEnd));
    std::string_view rest = url.substr(schemeEnd + 3);
    if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos)
        rest = rest.substr(0, hash);
    const std::size_t authorityEnd = std::min(rest.find_first_of("/?"), rest.size());
    std::string_view authority = rest.substr(0, authorityEnd);
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos)
        authority = authority.substr(at + 1);
    if (authority.empty())
        return std::nullopt;
    parts.host = lower(authority);
    const std::string defaultPort = parts.scheme == "https" ? ":443" : parts.scheme == "http" ? ":80" : "";
    if (!defaultPort.empty() && parts.host.ends_with(defaultPort))
        parts.host.resize(parts.host.size() - defaultPort.size());
    rest = rest.substr(authorityEnd);
    const std::size_t question = rest.find('?');
    parts.path = std::string(rest.substr(0, question));
    if (parts.path.empty())
        parts.path = "/";
    if (question != std::string_view::npos)
        parts.query = std::string(rest.substr(question + 1));
    return parts;
}

std::optional<Headers> signHeaders(const std::string& method, const std::string& url, Headers headers,
    std::string_view body, const Credentials& credentials, const Scope& scope, const std::string& amzDate)
{
    const auto parts = splitUrl(url);
    if (!parts)
        return std::nullopt;
    const std::string payloadHash = sha256Hex(body);
    if (!hasHeader(headers, "host"))
        headers.emplace_back("Host", parts->host);
    headers.emplace_back("X-Amz-Date", amzDate);
    if (!credentials.sessionToken.empty())
        headers.emplace_back("X-Amz-Security-Token", credentials.sessionToken);
    if (scope.isS3() && !hasHeader(headers, "x-amz-content-sha256"))
        headers.emplace_back("X-Amz-Content-Sha256", payloadHash);
    const Signature signature
        = sign(Request { method, parts->path, parts->query, headers, payloadHash }, credentials, scope, amzDate);
    headers.emplace_back("Authorization", signature.authorization);
    return headers;
}

std::optional<std::string> presignUrl(const std::string& method, const std::string& url, const Credentials& credentials,
    const Scope& scope, const std::string& amzDate, int expiresS)
{
    const auto parts = splitUrl(url);
    if (!parts)
        return std::nullopt;
    std::string query = parts->query;
    const auto add = [&query](std::string_view key, std::string_view value) {
        query += (query.empty() ? "" : "&") + std::string(key) + "=" + uriEncode(value, false);
    };
    add("X-Amz-Algorithm", kAlgorithm);
    add("X-Amz-Credential", credentials.accessKeyId + "/" + credentialScope(amzDate, scope));
    add("X-Amz-Date", amzDate);
    add("X-Amz-Expires", std::to_string(expiresS));
    add("X-Amz-SignedHeaders", "host");
    if (!credentials.sessionToken.empty())
        add("X-Amz-Security-Token", credentials.sessionToken);
    const std::string payloadHash = scope.isS3() ? "UNSIGNED-PAYLOAD" : sha256Hex("");
    const Signature signature = sign(
        Request { method, parts->path, query, { { "host", parts->host } }, payloadHash }, credentials, scope, amzDate);
    return parts->scheme + "://" + parts->host + parts->path + "?" + query + "&X-Amz-Signature=" + signature.signature;
}

std::optional<Authorization> parseAuthorization(std::string_view header)
{
    const std::string prefix = std::string(kAlgorithm) + " ";
    if (!header.starts_with(prefix))
        return std::nullopt;
    std::map<std::string, std::string> fields;
    std::string_view rest = header.substr(prefix.size());
    while (!rest.empty()) {
        const std::size_t comma = std::min(rest.find(','), rest.size());
        std::string_view item = rest.substr(0, comma);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        if (const std::size_t eq = item.find('='); eq != std::string_view::npos)
            fields[std::string(item.substr(0, eq))] = std::string(item.substr(eq + 1));
        rest = comma < rest.size() ? rest.substr(comma + 1) : std::string_view();
    }
    if (!fields.count("Credential") || !fields.count("SignedHeaders") || !fields.count("Signature"))
        return std::nullopt;
    // AKID/20150830/us-east-1/service/aws4_request
    std::vector<std::string> credential;
    std::string_view text = fields["Credential"];
    for (std::size_t slash; (slash = text.find('/')) != std::string_view::npos; text.remove_prefix(slash + 1))
        credential.emplace_back(text.substr(0, slash));
    credential.emplace_back(text);
    if (credential.size() != 5 || credential[4] != "aws4_request")
        return std::nullopt;
    Authorization out { credential[0], credential[1], credential[2], credential[3], {}, fields["Signature"] };
    text = fields["SignedHeaders"];
    for (std::size_t semi; (semi = text.find(';')) != std::string_view::npos; text.remove_prefix(semi + 1))
        out.signedHeaders.emplace_back(text.substr(0, semi));
    out.signedHeaders.emplace_back(text);
    return out;
}

} // namespace t2i::sigv4
