// SPDX-License-Identifier: Apache-2.0
#include "sagemakerfake.h"

#include "util/base64.h"
#include "util/image.h"
#include "util/sigv4.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace t2itest {
namespace {

using nlohmann::json;
using namespace t2i;

FakeResponse s3Error(int status, const std::string& code, const std::string& message)
{
    return FakeResponse::bytes(status,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
            + "</Message><RequestId>T2IFAKE0000000001</RequestId></Error>",
        "application/xml");
}

// "20150830T123600Z" -> seconds since the epoch; nullopt when malformed.
std::optional<std::int64_t> parseAmzDate(const std::string& text)
{
    std::tm t {};
    if (text.size() != 16
        || std::sscanf(text.c_str(), "%4d%2d%2dT%2d%2d%2dZ", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour, &t.tm_min,
               &t.tm_sec)
            != 6)
        return std::nullopt;
    t.tm_year -= 1900;
    t.tm_mon -= 1;
    return std::int64_t(timegm(&t));
}

std::int64_t nowSeconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The query without the signature itself (what a presigned URL's signature covers).
std::string withoutSignature(const std::string& query)
{
    std::string out;
    std::size_t start = 0;
    while (start <= query.size()) {
        const std::size_t end = std::min(query.find('&', start), query.size());
        const std::string item = query.substr(start, end - start);
        if (!item.empty() && !item.starts_with("X-Amz-Signature="))
            out += (out.empty() ? "" : "&") + item;
        start = end + 1;
    }
    return out;
}

int intField(const json& body, const char* key, int fallback)
{
    const auto it = body.find(key);
    return it != body.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

} // namespace

SageMakerFake::SageMakerFake()
    : SageMakerFake(Options {})
{
}

SageMakerFake::SageMakerFake(Options options)
    : m_options(std::move(options))
{
}

void SageMakerFake::failNext(Failure failure, int times)
{
    std::lock_guard lock(m_mutex);
    for (int i = 0; i < times; ++i)
        m_failures.push_back(failure);
}

std::optional<SageMakerFake::Failure> SageMakerFake::takeFailure()
{
    if (m_failures.empty())
        return std::nullopt;
    const Failure f = m_failures.front();
    m_failures.pop_front();
    return f;
}

int SageMakerFake::invocations() const
{
    std::lock_guard lock(m_mutex);
    return m_invocations;
}

int SageMakerFake::refusedSignatures() const
{
    std::lock_guard lock(m_mutex);
    return m_refused;
}

std::string SageMakerFake::lastRefusal() const
{
    std::lock_guard lock(m_mutex);
    return m_lastRefusal;
}

int SageMakerFake::asyncJobsRunning(double nowMs) const
{
    std::lock_guard lock(m_mutex);
    return m_instance.active(nowMs);
}

std::vector<std::string> SageMakerFake::objectKeys() const
{
    std::lock_guard lock(m_mutex);
    std::vector<std::string> keys;
    for (const auto& [key, object] : m_objects)
        keys.push_back(key);
    return keys;
}

std::optional<std::string> SageMakerFake::object(const std::string& bucket, const std::string& key) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_objects.find(bucket + "/" + key);
    return it == m_objects.end() ? std::nullopt : std::optional<std::string>(it->second.body);
}

std::string SageMakerFake::nextId()
{
    char id[40];
    std::snprintf(id, sizeof id, "6f1c2a7e-0d4b-4c1e-9a2f-%012d", m_nextId++);
    return id;
}

FakeResponse SageMakerFake::runtimeError(int status, const std::string& type, const std::string& message) const
{
    return FakeResponse::json(status, { { "message", message } })
        .withHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.sagemaker/")
        .withHeader("x-amzn-RequestId", "00000000-fake-0000-0000-000000000000");
}

FakeResponse SageMakerFake::handle(const FakeRequest& request)
{
    std::lock_guard lock(m_mutex);
    // Routes stand for hosts: runtime.sagemaker (/endpoints/...), api.sagemaker (POST / with a
    // target), and S3 for everything else.
    if (request.path.starts_with("/endpoints/")) {
        if (auto refusal = refuse(request, "sagemaker"))
            return *refusal;
        const std::string rest = request.path.substr(11);
        const std::size_t slash = rest.find('/');
        const std::string name = rest.substr(0, slash);
        const std::string route = slash == std::string::npos ? "" : rest.substr(slash + 1);
        if (request.method == "POST" && route == "invocations")
            return invoke(request, name);
        if (request.method == "POST" && route == "async-invocations")
            return invokeAsync(request, name);
        return runtimeError(
            404, "UnknownOperationException", "Unknown operation " + request.method + " " + request.path);
    }
    if (request.path == "/" && !request.header("x-amz-target").empty()) {
        if (auto refusal = refuse(request, "sagemaker"))
            return *refusal;
        return describeEndpoint(request);
    }
    if (auto refusal = refuse(request, "s3"))
        return *refusal;
    return s3(request);
}

// SigV4 as AWS checks it: the credential, its scope, the date, the token, then the signature over
// what arrived. A refusal in the service's own words; nullopt when the request is authentic.
std::optional<FakeResponse> SageMakerFake::refuse(const FakeRequest& request, const std::string& service)
{
    const bool s3 = service == "s3";
    const auto refused = [&](int status, const std::string& type, const std::string& message) {
        ++m_refused;
        m_lastRefusal = type;
        return s3 ? s3Error(status, type, message) : runtimeError(status, type, message);
    };
    const bool presigned = s3 && !request.queryItem("X-Amz-Signature").empty();
    std::optional<sigv4::Authorization> auth;
    std::string amzDate;
    if (presigned) {
        auth = sigv4::parseAuthorization("AWS4-HMAC-SHA256 Credential=" + request.queryItem("X-Amz-Credential")
            + ", SignedHeaders=" + request.queryItem("X-Amz-SignedHeaders")
            + ", Signature=" + request.queryItem("X-Amz-Signature"));
        amzDate = request.queryItem("X-Amz-Date");
    } else {
        const std::string header = request.header("authorization");
        if (header.empty())
            return s3 ? refused(403, "AccessDenied", "Access Denied")
                      : refused(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        auth = sigv4::parseAuthorization(header);
        amzDate = request.header("x-amz-date");
    }
    if (!auth)
        return s3 ? refused(400, "AuthorizationHeaderMalformed", "The authorization header is malformed")
                  : refused(400, "IncompleteSignatureException",
                      "Authorization header requires Credential, SignedHeaders and Signature");
    if (auth->accessKeyId != kAccessKeyId)
        return s3
            ? refused(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
            : refused(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
    if (auth->service != service || auth->region != m_options.region)
        return s3 ? refused(400, "AuthorizationHeaderMalformed",
                   "The authorization header is malformed; the region '" + auth->region + "' or service '"
                       + auth->service + "' is wrong")
                  : refused(403, "InvalidSignatureException",
                      "Credential should be scoped to correct service: '" + service + "' and region '"
                          + m_options.region + "'.");
    const auto signedAt = parseAmzDate(amzDate);
    if (!signedAt || auth->date != amzDate.substr(0, 8))
        return refused(403, s3 ? "AccessDenied" : "IncompleteSignatureException", "X-Amz-Date is missing or malformed");
    if (presigned) {
        if (nowSeconds() > *signedAt + std::stoll("0" + request.queryItem("X-Amz-Expires")))
            return refused(403, "AccessDenied", "Request has expired");
    } else if (std::llabs(nowSeconds() - *signedAt) > m_options.maxSkewS) {
        return s3
            ? refused(403, "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.")
            : refused(403, "InvalidSignatureException",
                "Signature expired: " + amzDate + " is now earlier than the allowed window (5 minutes either way).");
    }
    const std::string token
        = presigned ? request.queryItem("X-Amz-Security-Token") : request.header("x-amz-security-token");
    if (!m_options.sessionToken.empty() && token != m_options.sessionToken)
        return s3
            ? refused(403, "InvalidToken", "The provided token is malformed or otherwise invalid.")
            : refused(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
    std::string payloadHash = sha256Hex(request.body);
    if (presigned) {
        payloadHash = "UNSIGNED-PAYLOAD";
    } else if (s3) {
        payloadHash = request.header("x-amz-content-sha256");
        if (payloadHash.empty())
            return refused(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
        if (payloadHash != "UNSIGNED-PAYLOAD" && payloadHash != sha256Hex(request.body))
            return refused(400, "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    sigv4::Request signedPart;
    signedPart.method = request.method;
    // FakeRequest::path arrives decoded: S3 signs it encoded once, other services normalise and encode.
    signedPart.path = s3 ? sigv4::uriEncode(request.path, true) : request.path;
    signedPart.query = presigned ? withoutSignature(request.query) : request.query;
    signedPart.payloadHash = payloadHash;
    bool hostSigned = false;
    for (const std::string& name : auth->signedHeaders) {
        hostSigned = hostSigned || name == "host";
        signedPart.headers.emplace_back(name, request.header(name));
    }
    const bool tokenSigned = std::find(auth->signedHeaders.begin(), auth->signedHeaders.end(), "x-amz-security-token")
        != auth->signedHeaders.end();
    if (!hostSigned || (!presigned && !token.empty() && !tokenSigned))
        return refused(403, s3 ? "AccessDenied" : "InvalidSignatureException",
            "The host header (and a session token, when sent) must be signed");
    const sigv4::Signature expected
        = sigv4::sign(signedPart, { kAccessKeyId, kSecretAccessKey, {} }, { m_options.region, service }, amzDate);
    if (expected.signature != auth->signature)
        return s3 ? refused(403, "SignatureDoesNotMatch",
                   "The request signature we calculated does not match the signature you provided. Check your key "
                   "and signing method.")
                  : refused(403, "InvalidSignatureException",
                      "The request signature we calculated does not match the signature you provided. Check your AWS "
                      "Secret Access Key and signing method. Consult the service documentation for details.");
    return std::nullopt;
}

// A diffusers-like container: {"prompt", "width", "height", "seed", "num_images_per_prompt"} in,
// {"images": [base64 PNG]} out, or the PNG itself when image/png is asked for.
SageMakerFake::Generation SageMakerFake::generate(
    const std::string& payload, const std::string& accept, std::optional<Failure> failure)
{
    const json body = json::parse(payload, nullptr, false);
    if (!body.is_object() || !body.contains("prompt"))
        return { false,
            runtimeError(
                424, "ModelError", "Received client error (400) from primary with message \"'prompt' is required\".") };
    if (failure == Failure::ModelError)
        return { false,
            runtimeError(
                424, "ModelError", "Received server error (500) from primary with message \"CUDA out of memory\".") };
    if (failure == Failure::ModelTimeout)
        return { false,
            runtimeError(
                424, "ModelError", "Your invocation timed out while waiting for a response from container primary.") };
    const int width = intField(body, "width", 512) / (failure == Failure::WrongSize ? 2 : 1);
    const int height = intField(body, "height", 512);
    const int count = std::max(1, intField(body, "num_images_per_prompt", 1));
    const auto seed = std::uint32_t(intField(body, "seed", 0));
    if (accept.starts_with("image/"))
        return { true, FakeResponse::bytes(200, pngDataOf(width, height, seed), "image/png") };
    json images = json::array();
    for (int i = 0; i < count; ++i)
        images.push_back(pngBase64Of(width, height, seed + std::uint32_t(i)));
    std::string text = json { { "images", images } }.dump();
    if (failure == Failure::MalformedJson)
        text = text.substr(0, text.size() / 2);
    return { true, FakeResponse::bytes(200, text, "application/json") };
}

FakeResponse SageMakerFake::invoke(const FakeRequest& request, const std::string& name)
{
    ++m_invocations;
    if (name != m_options.endpointName)
        return runtimeError(400, "ValidationError", "Endpoint " + name + " of account 123456789012 not found.");
    const auto failure = takeFailure();
    if (failure == Failure::Throttling)
        return runtimeError(400, "ThrottlingException", "Rate exceeded");
    if (failure == Failure::ModelNotReady)
        return runtimeError(429, "ModelNotReadyException", "Model is not ready yet");
    if (failure == Failure::ServiceUnavailable)
        return runtimeError(503, "ServiceUnavailable", "Service is unavailable");
    Generation g = generate(request.body, request.header("accept"), failure);
    g.answer.delayMs = m_options.realtimeExecMs;
    if (g.ok)
        g.answer.withHeader("x-Amzn-Invoked-Production-Variant", "AllTraffic").withHeader("x-amzn-RequestId", nextId());
    return g.answer;
}

FakeResponse SageMakerFake::invokeAsync(const FakeRequest& request, const std::string& name)
{
    ++m_invocations;
    if (name != m_options.endpointName)
        return runtimeError(400, "ValidationError", "Endpoint " + name + " of account 123456789012 not found.");
    const std::string input = request.header("x-amzn-sagemaker-inputlocation");
    if (!input.starts_with("s3://"))
        return runtimeError(400, "ValidationError",
            "1 validation error detected: Value null at 'inputLocation' failed to satisfy constraint: Member must not "
            "be null");
    const auto failure = takeFailure();
    if (failure == Failure::Throttling)
        return runtimeError(400, "ThrottlingException", "Rate exceeded");
    if (failure == Failure::ServiceUnavailable)
        return runtimeError(503, "ServiceUnavailable", "Service is unavailable");
    const std::string id = nextId();
    const std::string output = m_options.outputPrefix + id + ".out";
    const std::string failureUri = m_options.failurePrefix + id + "-error.out";
    // The job runs on the endpoint's one instance; its result object appears when it ends.
    const std::size_t slot = m_instance.add(request.atMs, m_options.asyncExecMs);
    const double endMs = m_instance.at(slot).endMs;
    const auto inputObject = m_objects.find(input.substr(5));
    StoredObject result;
    result.visibleAtMs = endMs;
    std::string resultUri = output;
    if (inputObject == m_objects.end()) {
        result.body = "Failed to download the input from " + input + ": NoSuchKey";
        resultUri = failureUri;
    } else {
        Generation g = generate(inputObject->second.body, request.header("x-amzn-sagemaker-accept"), failure);
        if (g.ok) {
            result.body = g.answer.body;
            result.contentType = g.answer.headers.front().second;
            result.getDelayMs = failure == Failure::SlowDownload ? m_options.slowDownloadMs : 0;
        } else {
            result.body = json::parse(g.answer.body).value("message", "");
            resultUri = failureUri;
        }
    }
    if (result.contentType.empty())
        result.contentType = "text/plain";
    m_objects[resultUri.substr(5)] = result;
    return FakeResponse::json(202, { { "InferenceId", id } })
        .withHeader("X-Amzn-SageMaker-OutputLocation", output)
        .withHeader("X-Amzn-SageMaker-FailureLocation", failureUri);
}

FakeResponse SageMakerFake::describeEndpoint(const FakeRequest& request)
{
    if (request.header("x-amz-target") != "SageMaker.DescribeEndpoint")
        return FakeResponse::json(
            400, { { "__type", "UnknownOperationException" }, { "message", "Unknown operation" } });
    const json body = json::parse(request.body, nullptr, false);
    const std::string name = body.is_object() ? body.value("EndpointName", "") : "";
    if (name != m_options.endpointName)
        return FakeResponse::bytes(400,
            json { { "__type", "com.amazonaws.sagemaker#ValidationException" },
                { "message", "Could not find endpoint \"" + name + "\"." } }
                .dump(),
            "application/x-amz-json-1.1");
    return FakeResponse::bytes(200,
        json { { "EndpointName", name }, { "EndpointStatus", "InService" },
            { "EndpointArn", "arn:aws:sagemaker:" + m_options.region + ":123456789012:endpoint/" + name },
            { "ProductionVariants",
                json::array({ { { "VariantName", "AllTraffic" }, { "CurrentInstanceCount", 1 },
                    { "DesiredInstanceCount", 1 }, { "CurrentWeight", 1.0 } } }) } }
            .dump(),
        "application/x-amz-json-1.1");
}

FakeResponse SageMakerFake::s3(const FakeRequest& request)
{
    const std::string path = request.path.substr(1);
    const std::size_t slash = path.find('/');
    const std::string bucket = path.substr(0, slash);
    const std::string key = slash == std::string::npos ? "" : path.substr(slash + 1);
    if (std::find(m_options.buckets.begin(), m_options.buckets.end(), bucket) == m_options.buckets.end())
        return s3Error(404, "NoSuchBucket", "The specified bucket does not exist");
    if (key.empty())
        return s3Error(400, "InvalidRequest", "This fake serves objects only");
    if (request.method == "PUT") {
        StoredObject object;
        object.body = request.body;
        object.contentType = request.header("content-type");
        object.visibleAtMs = request.atMs;
        m_objects[bucket + "/" + key] = object;
        return FakeResponse::bytes(200, "", "text/plain")
            .withHeader("ETag", "\"" + sha256Hex(request.body).substr(0, 32) + "\"");
    }
    if (request.method != "GET" && request.method != "HEAD")
        return s3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    const auto it = m_objects.find(bucket + "/" + key);
    if (it == m_objects.end() || request.atMs < it->second.visibleAtMs)
        return request.method == "HEAD" ? FakeResponse::bytes(404, "", "application/xml")
                                        : s3Error(404, "NoSuchKey", "The specified key does not exist.");
    const StoredObject& object = it->second;
    // A HEAD answer carries the object's headers and no body.
    FakeResponse r = FakeResponse::bytes(200, request.method == "HEAD" ? "" : object.body, object.contentType,
        request.method == "HEAD" ? 0 : object.getDelayMs);
    return r.withHeader("ETag", "\"" + sha256Hex(object.body).substr(0, 32) + "\"");
}

} // namespace t2itest
