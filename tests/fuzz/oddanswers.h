// SPDX-License-Identifier: Apache-2.0
// Answers that once crashed a run or were misread, each with what the adapter must make of it.
// Apart from the test class because Qt 6.4's moc stops parsing a file at some raw string literals.
#pragma once

#include "model/requestrecord.h"

#include <string>
#include <vector>

namespace t2ifuzz {

struct OddAnswer {
    int status;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers = {};
};

// A job of `setup` (tests/fuzz/fuzzsetups.cpp) is submitted, then answered with `answers`; the last
// action must fail with `error` and a message holding `part` (the field named), or, with
// error None, be anything but a failure.
struct OddAnswerCase {
    const char* name;
    const char* setup;
    std::vector<OddAnswer> answers;
    t2i::ErrorClass error;
    const char* part;
};

inline std::vector<OddAnswerCase> oddAnswerCases()
{
    using t2i::ErrorClass;
    const std::string png
        = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
    return {
        // Issue 10: these two aborted t2ibench-cli with an uncaught nlohmann::json::type_error.
        { "runpod /run answered status null", "runpod run", { { 200, R"({"id": "job-1", "status": null})" } },
            ErrorClass::ServerError, "status is null (expected a string)" },
        { "runpod /run answered an id that is a number", "runpod run",
            { { 200, R"({"id": 5, "status": "IN_QUEUE"})" } }, ErrorClass::ServerError, "id is the number 5" },
        { "runpod /run answered an array", "runpod run", { { 200, R"([{"id": "job-1"}])" } }, ErrorClass::ServerError,
            "the answer is an array of 1 element (expected an object)" },
        { "runpod COMPLETED with output an array of nulls", "runpod run",
            { { 200, R"({"id": "job-1", "status": "COMPLETED", "output": [null, null]})" } }, ErrorClass::InvalidImage,
            "an array of 2 elements" },
        { "runpod delayTime as a string is no time, not a failure", "runpod run",
            { { 200, R"({"id": "job-1", "status": "IN_QUEUE", "delayTime": "1520"})" } }, ErrorClass::None, "" },
        { "runpod FAILED with an empty error", "runpod run",
            { { 200, R"({"id": "j", "status": "FAILED", "error": ""})" } }, ErrorClass::PlatformFailure,
            "empty error" },
        { "runpod truncated COMPLETED body", "runpod run",
            { { 200, R"({"id": "job-1", "status": "COMPLETED", "output": {"images": [")" + png } },
            ErrorClass::ServerError, "malformed JSON from RunPod" },
        { "runpod invalid UTF-8 in the body", "runpod run",
            { { 200, "{\"id\": \"j\xFF\", \"status\": \"IN_QUEUE\"}" } }, ErrorClass::ServerError, "invalid UTF-8" },
        { "replicate status is an object", "replicate model wait",
            { { 201, R"({"id": "p1", "status": {"phase": "starting"}})" } }, ErrorClass::ServerError,
            "status is an object" },
        { "replicate 201 without an id", "replicate model wait", { { 201, R"({"id": null, "status": "starting"})" } },
            ErrorClass::ServerError, "id is null" },
        { "replicate failed with an error object", "replicate model wait",
            { { 200, R"({"id": "p1", "status": "failed", "error": {"code": 5}})" } }, ErrorClass::PlatformFailure,
            R"({"code":5})" },
        { "replicate succeeded with output an object", "replicate model wait",
            { { 200, R"({"id": "p1", "status": "succeeded", "output": {"url": "x"}})" } }, ErrorClass::InvalidImage,
            "output (an object)" },
        { "fal status null on a poll", "fal queue",
            { { 200, R"({"request_id": "r1", "status": "IN_QUEUE"})" }, { 200, R"({"status": null})" } },
            ErrorClass::ServerError, "status is null" },
        { "fal request_id missing", "fal queue", { { 200, R"({"status": "IN_QUEUE"})" } }, ErrorClass::ServerError,
            "request_id is missing" },
        { "fal 422 detail of odd items", "fal queue", { { 422, R"({"detail": [5, {"loc": [1, null], "msg": 7}]})" } },
            ErrorClass::ClientError, "HTTP 422" },
        { "openai data is an object", "openai", { { 200, R"({"created": 1, "data": {"b64_json": "x"}})" } },
            ErrorClass::InvalidImage, "data is an object" },
        { "openai error is a number", "openai", { { 500, R"({"error": 42})" } }, ErrorClass::ServerError, "42" },
        { "together error is an array", "together base64", { { 400, R"({"error": ["bad"]})" } },
            ErrorClass::ClientError, "[\"bad\"]" },
        { "baseten request_id null", "baseten async", { { 200, R"({"request_id": null})" } }, ErrorClass::ServerError,
            "request_id is null" },
        { "baseten status a number", "baseten async",
            { { 200, R"({"request_id": "r1"})" }, { 200, R"({"status": 3, "errors": "x"})" } }, ErrorClass::ServerError,
            "status is the number 3" },
        { "sdcpp result.images a string", "sdcpp async",
            { { 202, R"({"id": "j1", "status": "queued"})" },
                { 200, R"({"id": "j1", "status": "completed", "result": {"images": "abc"}})" } },
            ErrorClass::InvalidImage, "the string \"abc\"" },
        { "sdcpp status null", "sdcpp async", { { 202, R"({"id": "j1", "status": null})" } }, ErrorClass::ServerError,
            "status is null" },
        { "comfyui queue_running an object", "comfyui",
            { { 200, R"({"prompt_id": "ID", "number": 1})" },
                { 200, R"({"queue_running": {}, "queue_pending": []})" } },
            ErrorClass::ServerError, "queue_running is an empty object (expected an array)" },
        { "comfyui 201 on /prompt is a server error, not none", "comfyui", { { 201, R"({"prompt_id": "ID"})" } },
            ErrorClass::ServerError, "HTTP 201" },
        { "a1111 images null", "a1111", { { 200, R"({"images": null, "parameters": {}})" } }, ErrorClass::InvalidImage,
            "images is null" },
        { "stability image a number", "stability json sd3", { { 200, R"({"image": 5, "finish_reason": "SUCCESS"})" } },
            ErrorClass::InvalidImage, "image is the number 5" },
        { "sagemaker 303 is a server error, not none", "sagemaker realtime", { { 303, "" } }, ErrorClass::ServerError,
            "HTTP 303" },
        { "sagemaker async output location with invalid UTF-8", "sagemaker async input_location",
            { { 202, "{}", { { "x-amzn-sagemaker-outputlocation", "s3://b/\xFF\xFE" } } } }, ErrorClass::None, "" },
        { "modal call_id a number", "modal spawn", { { 200, R"({"call_id": 12})" } }, ErrorClass::ServerError,
            "the number 12" },
        { "http job id an array", "http async", { { 200, R"({"task": {"uid": [1], "phase": "PENDING"}})" } },
            ErrorClass::ServerError, "no job id" },
        { "hf_endpoint JSON answer of the wrong shape", "hf_endpoint json, retry always",
            { { 200, R"({"image": {"b64": 1}})" } }, ErrorClass::InvalidImage, "no image" },
    };
}

// A health answer the adapter must read as no sample (nullopt) or as one, and never throw on.
struct OddHealthCase {
    const char* name;
    const char* setup;
    std::string body;
    bool sample; // whether a sample comes out
};

inline std::vector<OddHealthCase> oddHealthCases()
{
    return {
        // Issue 10: "workers": [] aborted the run (value() on an array).
        { "runpod workers is an empty array", "runpod run", R"({"jobs": {"inQueue": 1}, "workers": []})", false },
        { "runpod a count is a string", "runpod run", R"({"workers": {"idle": "1"}})", false },
        { "runpod a count is negative", "runpod run", R"({"workers": {"idle": -1}})", false },
        { "runpod a count is huge", "runpod run", R"({"workers": {"idle": 1e300}})", false },
        { "runpod an empty object is not a scale to zero", "runpod run", "{}", false },
        { "runpod missing counters are zero", "runpod run", R"({"workers": {"idle": 2}})", true },
        { "sagemaker ProductionVariants an object", "sagemaker realtime", R"({"ProductionVariants": {}})", false },
        { "sagemaker a variant count null", "sagemaker realtime",
            R"({"ProductionVariants": [{"CurrentInstanceCount": null}]})", false },
        { "hf_endpoint state a number", "hf_endpoint", R"({"status": {"state": 3}})", false },
        { "hf_endpoint an unknown state is no sample", "hf_endpoint", R"({"status": {"state": "rebooting"}})", false },
        { "baseten a count a string", "baseten async", R"({"num_queued_requests": "3"})", false },
        { "comfyui queue_pending a number", "comfyui", R"({"queue_running": [], "queue_pending": 3})", false },
        { "a1111 job_count a string", "a1111", R"({"state": {"job_count": "1"}})", false },
    };
}

} // namespace t2ifuzz
