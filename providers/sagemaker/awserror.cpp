// SPDX-License-Identifier: Apache-2.0
#include "awserror.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <string_view>

namespace t2i::sagemaker {
namespace {

using nlohmann::json;

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

std::string field(const json& body, std::initializer_list<const char*> keys)
{
    if (!body.is_object())
        return {};
    for (const char* key : keys)
        if (const auto it = body.find(key); it != body.end() && it->is_string())
            return it->get<std::string>();
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
    return classifyHttpStatus(status);
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
    const json body = json::parse(response.body, nullptr, false);
    // "ValidationError:http://internal.amazon.com/coral/..." -> "ValidationError" (docs/protocols.md §5.5).
    e.type = response.header("x-amzn-errortype");
    e.type = e.type.substr(0, e.type.find(':'));
    if (e.type.empty()) {
        // JSON-1.1 (the control plane): {"__type": "com.amazonaws.sagemaker#ValidationException"}.
        const std::string qualified = field(body, { "__type", "code", "Code" });
        e.type = qualified.substr(qualified.find('#') == std::string::npos ? 0 : qualified.find('#') + 1);
    }
    e.message = field(body, { "message", "Message", "errorMessage" });
    if (e.message.empty())
        e.message = response.body.substr(0, 300);
    // ModelError carries the container's own answer.
    if (body.is_object() && body.contains("OriginalStatusCode")) {
        e.message += " (the container answered " + body["OriginalStatusCode"].dump();
        if (const std::string original = field(body, { "OriginalMessage" }); !original.empty())
            e.message += ": " + original.substr(0, 300);
        e.message += ")";
    }
    e.error = classify(e, response.status);
    return e;
}

AwsError readS3Error(const HttpResponse& response)
{
    AwsError e;
    e.type = xmlElement(response.body, "Code");
    e.message = xmlElement(response.body, "Message");
    if (e.type.empty() && response.status == 403)
        e.type = "AccessDenied"; // a HEAD answer has no body
    if (e.message.empty())
        e.message = response.body.empty() ? "(no body)" : response.body.substr(0, 300);
    e.error = classify(e, response.status);
    return e;
}

} // namespace t2i::sagemaker
