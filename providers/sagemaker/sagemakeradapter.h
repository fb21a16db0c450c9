// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "apppayload/apppayload.h"
#include "engine/adapter.h"
#include "engine/adaptercontext.h"
#include "util/sigv4.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <optional>

namespace t2i {

struct S3Location {
    std::string bucket;
    std::string key;
    std::string uri() const { return "s3://" + bucket + "/" + key; }
};
std::optional<S3Location> parseS3Uri(std::string_view uri); // "s3://bucket/key"

struct SageMakerOptions {
    std::string region = "us-east-1";
    std::string endpointName;
    bool async = false; // mode "async": InvokeEndpointAsync and the S3 output; else InvokeEndpoint
    std::string runtimeBase; // https://runtime.sagemaker.{region}.amazonaws.com (base_url)
    std::string controlBase; // https://api.sagemaker.{region}.amazonaws.com (control_endpoint)
    std::string s3Base; // https://s3.{region}.amazonaws.com (s3_endpoint)
    bool s3PathStyle = false; // https://s3.../bucket/key instead of https://bucket.s3.../key
    sigv4::Credentials credentials;
    std::string contentType = "application/json";
    std::string accept = "application/json";
    nlohmann::json bodyTemplate; // null: the default (diffusers-style) body
    // Where a JSON answer holds the images (and any timings the container reports): the config's
    // "extract" over the common shapes (sagemakerpayload.h). An image/* answer is the image itself.
    AppOutputSpec output;
    HttpHeaders invokeHeaders; // X-Amzn-SageMaker-Custom-Attributes, -Target-Variant, ...
    // Async input: each payload is PUT under this prefix ("s3://bucket/prefix/") before the
    // invocation, or every invocation points at one object already there.
    std::string s3InputPrefix;
    std::string inputLocation;
    bool describeEndpoint = false; // sample DescribeEndpoint's instance counts as worker samples
    int pollIntervalMs = 250;
    int presignExpiresS = 900; // binary async outputs are downloaded through a presigned URL
    // The wall clock for X-Amz-Date (AWS refuses signatures more than 5 minutes off). Injectable
    // so that canned tests sign reproducibly.
    std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };

    static SageMakerOptions fromConfig(const ProviderConfig& provider, const AdapterContext& context);
};

// AWS SageMaker (docs/protocols.md §5), every request signed with SigV4.
// Real-time: POST {runtime}/endpoints/{name}/invocations with the container's payload; the answer
// is the container's (a binary image, or JSON with base64 images where image_pointer says).
// Async: the payload is PUT to S3 (signed, service s3), POST .../async-invocations with
// X-Amzn-SageMaker-InputLocation -> 202 with the output and failure locations; then HEAD the output
// object every poll interval, and the failure object after each miss, until one exists. A binary
// output is downloaded by the engine through a presigned URL (timed as download); a JSON one is
// fetched here. SageMaker reports no timings (docs/protocols.md §5.4): queue and execution stay unknown.
// JobState::scratch holds {"phase", "input", "output", "failure"}.
class SageMakerAdapter final : public Adapter {
public:
    explicit SageMakerAdapter(SageMakerOptions options);
    std::string type() const override { return "sagemaker"; }
    HttpRequest submit(JobState& job) override;
    Action onResponse(JobState& job, const HttpResponse& response) override;
    // SageMaker has no cancel (docs/protocols.md §5.5).
    std::optional<HttpRequest> cancel(const JobState&) const override { return std::nullopt; }
    std::optional<HttpRequest> healthRequest() const override;
    std::optional<WorkerSample> parseHealth(const HttpResponse& response) const override;

    std::string requestBody(const Job& job) const;
    std::string s3Url(const S3Location& location) const;

private:
    HttpRequest signedRequest(
        std::string method, std::string url, HttpHeaders headers, std::string body, const std::string& service) const;
    std::string endpointUrl(const char* route) const;
    std::string inferenceId(const Job& job) const;
    HttpRequest invokeAsync(const std::string& inputUri, const Job& job) const;
    HttpRequest s3Request(const std::string& method, const std::string& uri) const;
    Action onInvoked(JobState& job, const HttpResponse& response);
    struct Notes; // JobState::scratch, typed
    Action onAsyncAccepted(JobState& job, const HttpResponse& response, Notes& notes);
    Action onPoll(JobState& job, const HttpResponse& response, Notes& notes, bool output);
    Action takeImages(JobState& job, const HttpResponse& response);
    Action s3Failure(const HttpResponse& response, const std::string& what) const;
    SageMakerOptions m_options;
    std::string m_runToken; // makes this run's input object names unique
};

} // namespace t2i
