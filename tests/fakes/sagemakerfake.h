// SPDX-License-Identifier: Apache-2.0
// A fake AWS SageMaker endpoint and the S3 it reads and writes (docs/protocols.md §5),
// on one port, telling the services apart by route as AWS does by host:
//
//   POST /endpoints/{name}/invocations        InvokeEndpoint: the container's answer (JSON
//                                             {"images": [base64]}, or image/png when Accept asks)
//   POST /endpoints/{name}/async-invocations  InvokeEndpointAsync: 202 {"InferenceId"} with the
//                                             X-Amzn-SageMaker-Output/FailureLocation headers; the
//                                             payload is read from X-Amzn-SageMaker-InputLocation
//   POST /  X-Amz-Target: SageMaker.DescribeEndpoint   the control plane's instance counts
//   PUT|GET|HEAD /{bucket}/{key}              S3, path-style; header-signed or presigned
//
// Every request's SigV4 signature is verified with the fake's own secret (service "sagemaker" or
// "s3", region, clock skew, session token, S3's x-amz-content-sha256) and refused the way AWS
// refuses it (403 InvalidSignatureException / SignatureDoesNotMatch, ...). Errors carry
// x-amzn-ErrorType and {"message"} (runtime) or <Error><Code> XML (S3). Async jobs run one at a
// time on one instance: an output object appears when its job ends, a failure object instead when
// it fails.
#pragma once

#include "fakeregistry.h"
#include "singlegpuschedule.h"

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace t2itest {

class SageMakerFake final : public FakePlatform {
public:
    // The keys the fake accepts (t2i-fake and the npm client check use these too).
    static constexpr const char* kAccessKeyId = "AKIDT2IFAKEEXAMPLE";
    static constexpr const char* kSecretAccessKey = "t2iFake/SageMaker+Secret/EXAMPLEKEY";

    enum class Failure {
        ModelError, // the container answers 500: 424 ModelError (async: a failure object)
        ModelTimeout, // the container does not answer in time: 424 ModelError "timed out" (async: failure object)
        Throttling, // 400 ThrottlingException
        ModelNotReady, // 429 ModelNotReadyException
        ServiceUnavailable, // 503 ServiceUnavailable
        MalformedJson, // the container's JSON is cut short (async: in the output object)
        WrongSize, // the image is half as wide as asked
        SlowDownload, // the output object's GET is held slowDownloadMs
    };

    struct Options {
        std::string region = "us-east-1";
        std::string endpointName = "sdxl";
        std::string sessionToken; // when set, requests must carry it as X-Amz-Security-Token
        int realtimeExecMs = 40; // InvokeEndpoint answers after this long
        int asyncExecMs = 80; // each async job runs this long, one after another
        int slowDownloadMs = 400;
        int maxSkewS = 300; // AWS refuses signatures dated more than 5 minutes away
        std::vector<std::string> buckets = { "sm-inputs", "sm-async" };
        std::string outputPrefix = "s3://sm-async/out/";
        std::string failurePrefix = "s3://sm-async/failures/";
    };

    SageMakerFake();
    explicit SageMakerFake(Options options);
    FakeResponse handle(const FakeRequest& request) override;

    void failNext(Failure failure, int times = 1);
    // What the fake saw and did.
    int invocations() const; // realtime and async, accepted or not
    int refusedSignatures() const; // requests refused for their authentication
    std::string lastRefusal() const; // the error type of the last refusal
    int asyncJobsRunning(double nowMs) const; // queued or running at nowMs (FakeServer clock)
    std::vector<std::string> objectKeys() const; // "bucket/key" of every stored S3 object
    std::optional<std::string> object(const std::string& bucket, const std::string& key) const;

private:
    struct StoredObject {
        std::string body;
        std::string contentType;
        double visibleAtMs = 0; // async outputs appear when their job ends
        int getDelayMs = 0;
    };
    struct Generation {
        bool ok = false;
        FakeResponse answer; // what the container answered
    };

    std::optional<FakeResponse> refuse(const FakeRequest& request, const std::string& service);
    FakeResponse invoke(const FakeRequest& request, const std::string& name);
    FakeResponse invokeAsync(const FakeRequest& request, const std::string& name);
    FakeResponse describeEndpoint(const FakeRequest& request);
    FakeResponse s3(const FakeRequest& request);
    Generation generate(const std::string& payload, const std::string& accept, std::optional<Failure> failure);
    std::optional<Failure> takeFailure();
    FakeResponse runtimeError(int status, const std::string& type, const std::string& message) const;
    std::string nextId();

    Options m_options;
    mutable std::mutex m_mutex;
    std::deque<Failure> m_failures;
    std::map<std::string, StoredObject> m_objects; // "bucket/key"
    SingleGpuSchedule m_instance;
    int m_invocations = 0;
    int m_refused = 0;
    std::string m_lastRefusal;
    int m_nextId = 1;
};

} // namespace t2itest
