// SPDX-License-Identifier: Apache-2.0
#include "awserror.h"

#include "json/answertext.h"
#include "json/jsondoc.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace t2i::sagemaker {
namespace {

template <std::size_t N> bool isOneOf(const std::string& type, const std::array<std::string_view, N>& names)
{
    return std::find(names.begin(), names.end(), type) != names.end();
}

constexpr std::array<std::string_view, 8> kThrottled
    = { "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded",
          "ProvisionedThroughputExceededException", "SlowDown", "ModelNotReadyException" };
// Our request or our credentials were wrong.
constexpr std::array<std::string_view, 16> kClient
    = { "ValidationError", "ValidationException", "InvalidSignatureException", "SignatureDoesNotMatch",
          "IncompleteSignature", "IncompleteSignatureException", "UnrecognizedClientException", "InvalidClientTokenId",
          "InvalidAccessKeyId", "AccessDenied", "AccessDeniedException", "ExpiredToken", "ExpiredTokenException",
          "MissingAuthenticationToken", "RequestTimeTooSkewed", "NoSuchBucket" };
constexpr std::array<std::string_view, 7> kCredentials
    = { "InvalidSignatureException", "SignatureDoesNotMatch", "UnrecognizedClientException", "InvalidClientTokenId",
          "InvalidAccessKeyId", "ExpiredToken", "ExpiredTokenException" };
constexpr std::array<std::string_view, 4> kServer
    = { "InternalFailure", "InternalError", "InternalDependencyException", "ServiceUnavailable" };
constexpr std::array<std::string_view, 2> kTimeout = { "RequestTimeout", "RequestTimeoutException" };

std::string field(const JsonDoc& body, std::initializer_list<const char*> keys)
{
    for (const char* key : keys)
        if (const JsonValue value = body.at(JsonPointer() / key); value.isString())
            return *value.string();
    return {};
}

std::string xmlElement(const std::string& xml, const std::string& name)
{
    const std::string open = "<" + name + ">";
    const std::size_t start = xml.find(open);
    const std::size_t end = start == std::string::npos ? start : xml.find("</" + name + ">", start);
    return end == std::string::npos ? std::string() : xml.substr(start + open.size(), end - start - open.size());
}

bool mentionsTimeout(const std::string& text)
{
    return text.find("timed out") != std::string::npos || text.find("Timed out") != std::string::npos;
}

ErrorClass classify(const AwsError& e, int status)
{
    if (isOneOf(e.type, kThrottled))
        return ErrorClass::Throttled;
    if (isOneOf(e.type, kClient))
        return ErrorClass::ClientError;
    if (isOneOf(e.type, kServer))
        return ErrorClass::ServerError;
    if (isOneOf(e.type, kTimeout))
        return ErrorClass::Timeout;
    // The container answered an error (or did not answer in time: real-time allows 60 s).
    if (e.type == "ModelError")
        return mentionsTimeout(e.message) ? ErrorClass::Timeout : ErrorClass::PlatformFailure;
    // Only a 2xx is an answer: a 1xx or 3xx that reaches here is the server misbehaving.
    return httpFailureClass(status);
}

} // namespace

std::string AwsError::describe(int status) const
{
    std::string text = "HTTP " + std::to_string(status) + (type.empty() ? "" : " " + type) + ": " + message;
    if (isOneOf(type, kCredentials) || type == "RequestTimeTooSkewed")
        text += " (check the keys named by access_key_env, secret_key_env and session_token_env, and this "
                "machine's clock: AWS refuses signatures more than 5 minutes off)";
    return text;
}

AwsError readRuntimeError(const HttpResponse& response)
{
    AwsError e;
    const JsonDoc body(response.body);
    // "ValidationError:http://internal.amazon.com/coral/..." -> "ValidationError" (docs/protocols.md §5.5).
    e.type = response.header("x-amzn-errortype");
    e.type = safeText(e.type.substr(0, e.type.find(':')), 200);
    if (e.type.empty()) {
        // JSON-1.1 (the control plane): {"__type": "com.amazonaws.sagemaker#ValidationException"}.
        const std::string qualified = field(body, { "__type", "code", "Code" });
        e.type
            = safeText(qualified.substr(qualified.find('#') == std::string::npos ? 0 : qualified.find('#') + 1), 200);
    }
    e.message = safeText(field(body, { "message", "Message", "errorMessage" }), 1000);
    if (e.message.empty())
        e.message = bodyExcerpt(response.body);
    // ModelError carries the container's own answer.
    if (body.has("/OriginalStatusCode")) {
        e.message += " (the container answered " + body.json("/OriginalStatusCode", 100).value_or("(a long value)");
        if (const std::string original = field(body, { "OriginalMessage" }); !original.empty())
            e.message += ": " + safeText(original, 300);
        e.message += ")";
    }
    e.error = classify(e, response.status);
    return e;
}

AwsError readS3Error(const HttpResponse& response)
{
    AwsError e;
    e.type = safeText(xmlElement(response.body, "Code"), 200);
    e.message = safeText(xmlElement(response.body, "Message"), 1000);
    if (e.type.empty() && response.status == 403)
        e.type = "AccessDenied"; // a HEAD answer has no body
    if (e.message.empty())
        e.message = response.body.empty() ? "(no body)" : bodyExcerpt(response.body);
    e.error = classify(e, response.status);
    return e;
}

} // namespace t2i::sagemaker
