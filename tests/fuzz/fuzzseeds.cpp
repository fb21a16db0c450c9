// SPDX-License-Identifier: Apache-2.0
#include "fuzzseeds.h"

#include "providers/a1111fixtures.h"
#include "providers/comfyuifixtures.h"
#include "providers/falfixtures.h"
#include "providers/httpfixtures.h"
#include "providers/openaifixtures.h"
#include "providers/replicatefixtures.h"
#include "providers/runpodfixtures.h"
#include "providers/sagemakerfixtures.h"
#include "providers/sdcppfixtures.h"
#include "providers/stabilityfixtures.h"
#include "providers/togetherfixtures.h"

namespace t2ifuzz {
namespace {

Seed ok(std::string body)
{
    return { 200, std::move(body), { { "content-type", "application/json" } } };
}

Seed status(int code, std::string body, std::string contentType = "application/json")
{
    return { code, std::move(body), { { "content-type", std::move(contentType) } } };
}

} // namespace

void addFixtureSeeds(const std::string& family, std::vector<Seed>& seeds, std::vector<Seed>& health)
{
    if (family == "runpod") {
        for (const ImageShapeRow& row : imageShapeRows())
            seeds.push_back(
                ok("{\"id\":\"sync-1-u1\",\"status\":\"COMPLETED\",\"delayTime\":5,\"executionTime\":9,\"output\":"
                    + row.output + "}"));
        for (const FailureRow& row : failureRows())
            seeds.push_back(status(row.status, row.body));
        seeds.push_back(ok("{\"id\":\"j-1-u1\",\"status\":\"IN_PROGRESS\",\"delayTime\":1520,\"workerId\":\"w-7\"}"));
        health.push_back(ok("{\"jobs\":{\"completed\":120,\"failed\":1,\"inProgress\":2,\"inQueue\":5,\"retried\":0},"
                            "\"workers\":{\"idle\":1,\"running\":2,\"initializing\":3}}"));
    } else if (family == "openai") {
        seeds.push_back(ok(b64Answer(2)));
        seeds.push_back(ok(kUrlAnswer));
        for (const OpenAIFailureRow& row : openAIFailureRows())
            seeds.push_back(status(row.status, row.body));
        seeds.push_back(ok(kSdCppOpenAIAnswer));
    } else if (family == "replicate") {
        for (const std::string& body :
            { kStarting, kProcessing, kSucceeded, kSucceededInline, kFailed, kCanceled, kAborted, kRemoved })
            seeds.push_back(status(201, body));
        seeds.push_back(status(429, kThrottled));
        seeds.push_back(status(404, kNotFound));
        seeds.push_back(status(422, kInvalid));
    } else if (family == "fal") {
        for (const std::string& body : { kFalSubmitted, kFalInQueue, kFalInProgress, kFalResult, falInlineResult() })
            seeds.push_back(ok(body));
        for (const std::string& body : { kFalCompleted, kFalCompletedNoMetrics, kFalCompletedWithError })
            seeds.push_back(ok(body));
        seeds.push_back(status(422, kFalValidation));
        seeds.push_back({ 500, kFalRunnerError, { { "x-fal-error-type", "runner_disconnected" } } });
    } else if (family == "sagemaker") {
        using namespace sagemakerfixtures;
        seeds.push_back(
            { 424, kModelError, { { "x-amzn-errortype", "ModelError:http://internal.amazon.com/coral/" } } });
        seeds.push_back({ 424, kModelTimeout, { { "x-amzn-errortype", "ModelError" } } });
        seeds.push_back({ 400, kValidation, { { "x-amzn-errortype", "ValidationError" } } });
        seeds.push_back({ 400, kThrottling, { { "x-amzn-errortype", "ThrottlingException" } } });
        seeds.push_back({ 403, kBadSignature, { { "x-amzn-errortype", "InvalidSignatureException" } } });
        seeds.push_back({ 503, kServiceUnavailable, {} });
        seeds.push_back({ 500, kInternalFailure, { { "x-amzn-errortype", "InternalFailure" } } });
        seeds.push_back({ 202, kAsyncAccepted,
            { { "x-amzn-sagemaker-outputlocation", kOutputLocation },
                { "x-amzn-sagemaker-failurelocation", kFailureLocation } } });
        seeds.push_back({ 403, kS3AccessDenied, {} });
        seeds.push_back({ 404, kS3NoSuchBucket, {} });
        seeds.push_back({ 503, kS3SlowDown, {} });
        seeds.push_back({ 200, kFailureObject, {} });
        seeds.push_back({ 200, "", { { "content-type", "application/json" } } });
        seeds.push_back({ 404, "", {} });
        seeds.push_back(
            { 200, "{\"images\":[\"" + kTinyPngBase64 + "\"]}", { { "content-type", "application/json" } } });
        health.push_back(ok(kDescribeScalingUp));
    } else if (family == "together") {
        seeds.push_back(ok(togetherB64Answer(2)));
        seeds.push_back(ok(kTogetherUrlAnswer));
        seeds.push_back(ok(kTogetherTimedAnswer));
        for (const TogetherFailureRow& row : togetherFailureRows())
            seeds.push_back(status(row.status, row.body));
    } else if (family == "stability") {
        seeds.push_back(ok(stabilityJsonAnswer("SUCCESS")));
        seeds.push_back(
            { 200, "\x89PNG\r\n\x1a\n", { { "content-type", "image/png" }, { "finish-reason", "SUCCESS" } } });
        for (const StabilityFailureRow& row : stabilityFailureRows())
            seeds.push_back(status(row.status, row.body, row.contentType));
    } else if (family == "http") {
        seeds.push_back(ok(kSubmitted));
        seeds.push_back(ok(kRunning));
        seeds.push_back(ok(doneAnswer()));
        seeds.push_back(ok(kFailedAnswer));
        seeds.push_back(status(410, kExpiredAnswer));
        seeds.push_back(ok(kSubmittedWithoutId));
        seeds.push_back(ok(kDoneWithoutImage));
        seeds.push_back(ok(kRelativeFiles));
        seeds.push_back(ok(syncTimedAnswer()));
        for (const SyncRow& row : syncRows())
            seeds.push_back(status(row.status, row.body, row.contentType));
    } else if (family == "comfyui") {
        for (const std::string& body :
            { kComfyPromptAccepted, kComfyQueueRunning, kComfyQueuePending, kComfyQueueEmpty, kComfyHistorySuccess,
                kComfyHistoryNoCreateTime, kComfyHistoryError, kComfyHistoryInterrupted, kComfyHistoryNoImages })
            seeds.push_back(ok(body));
        seeds.push_back(status(400, kComfyValidationFailed));
        health.push_back(ok(kComfyQueueRunning));
        health.push_back(ok(kComfyQueueEmpty));
    } else if (family == "a1111") {
        for (const std::string& body : { kA1111TwoImagesWithGrid, kA1111OneImage, kA1111NoImages, kA1111NotBase64 })
            seeds.push_back(ok(body));
        seeds.push_back(status(422, kA1111Validation));
        seeds.push_back(status(500, kA1111OutOfMemory));
        seeds.push_back(status(500, kA1111RuntimeError));
        seeds.push_back(status(404, kA1111NotFound));
        seeds.push_back(status(401, kA1111BadAuth));
        health.push_back(ok(kA1111ProgressRunning));
        health.push_back(ok(kA1111ProgressIdle));
    } else if (family == "sdcpp") {
        seeds.push_back(status(202, kSdCppAccepted));
        for (const std::string& body :
            { kSdCppQueued, kSdCppGenerating, kSdCppCompleted, kSdCppFailed, kSdCppCancelled, kSdCppCompletedNoImages })
            seeds.push_back(ok(body));
        seeds.push_back(status(429, kSdCppQueueFull));
        seeds.push_back(status(410, kSdCppExpired));
        seeds.push_back(status(404, kSdCppNotFound));
        seeds.push_back(status(400, kSdCppInvalid));
    } else {
        addServerlessFixtureSeeds(family, seeds, health);
    }
}

} // namespace t2ifuzz
