// SPDX-License-Identifier: Apache-2.0
// Canned Together AI images answers for tst_togetheradapter (docs/protocols.md §8). They
// live apart from the test class because Qt 6.4's moc stops parsing a file at raw string literals.
#pragma once

#include "model/requestrecord.h"

#include <string>
#include <utility>
#include <vector>

// A 1x1 RGB PNG, valid.
inline const std::string kTogetherTinyPng
    = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

inline std::string togetherB64Answer(int images)
{
    std::string data;
    for (int i = 0; i < images; ++i)
        data += std::string(i ? "," : "") + R"({"index":)" + std::to_string(i) + R"(,"b64_json":")" + kTogetherTinyPng
            + R"(","type":"b64_json"})";
    return R"({"id":"91a3c0f9e2b04c1d-SJC","model":"black-forest-labs/FLUX.1-schnell","object":"list","data":[)" + data
        + "]}";
}

inline const std::string kTogetherUrlAnswer
    = R"({"id":"91a3c0fa1b2c3d4e-SJC","model":"black-forest-labs/FLUX.1-schnell","object":"list","data":[)"
      R"({"index":0,"url":"https://api.together.ai/imgproxy/abc/format:jpeg/aHR0cHM6Ly9.jpeg","type":"url"}]})";

// A deployment that reports its own inference time (Together documents none; exec_s_pointer reads it).
inline const std::string kTogetherTimedAnswer
    = R"({"id":"t-1","object":"list","timings":{"inference":0.6284},"data":[{"index":0,"b64_json":")" + kTogetherTinyPng
    + R"(","type":"b64_json"}]})";

inline const char* kTogetherConfig
    = R"({"id":"tg","type":"together","model":"m/x","response_format":"url",)"
      R"("output_format":"jpeg","send_guidance":true,"exec_s_pointer":"/timings/inference",)"
      R"("filtered_codes":["nsfw_detected"]})";
inline const char* kTogetherNsfwError
    = R"({"error":{"message":"NSFW content detected","type":"invalid_request_error","code":"nsfw_detected"}})";
inline const char* kTogetherPolicyError
    = R"({"error":{"message":"flagged","type":"invalid_request_error","code":"content_policy_violation"}})";

// Providers the config validator refuses (the message part expected), or accepts ("").
inline std::vector<std::pair<std::string, std::string>> togetherConfigRows()
{
    return {
        { kTogetherConfig, "" },
        { R"({"id":"t","type":"together","model":"m/x","response_format":"b64_json"})", "\"base64\" or \"url\"" },
        { R"({"id":"t","type":"together","model":"m/x","output_format":"webp"})", "\"jpeg\" or \"png\"" },
        { R"({"id":"t","type":"together","model":"m/x","send_guidance":"yes"})", "true or false" },
        { R"({"id":"t","type":"together","model":"m/x","exec_s_pointer":"timings.inference"})",
            "must be a JSON pointer" },
        { R"({"id":"t","type":"together","model":"m/x","filtered_codes":"nsfw"})", "list of error codes" },
    };
}

struct TogetherFailureRow {
    const char* name;
    int status;
    std::string body;
    t2i::ErrorClass expected;
    const char* messagePart;
};

inline std::vector<TogetherFailureRow> togetherFailureRows()
{
    using t2i::ErrorClass;
    return {
        { "401 invalid key is a client error", 401,
            R"({"error":{"message":"Invalid API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})",
            ErrorClass::ClientError, "invalid_api_key" },
        { "400 bad size is a client error", 400,
            R"({"error":{"message":"width must be a multiple of 8","type":"invalid_request_error","param":"width","code":null}})",
            ErrorClass::ClientError, "width must be a multiple of 8" },
        { "400 content policy is content filtered", 400,
            R"({"error":{"message":"Your prompt was flagged.","type":"invalid_request_error","param":"prompt","code":"content_policy_violation"}})",
            ErrorClass::ContentFiltered, "flagged" },
        { "500 is a server error", 500, R"({"error":{"message":"Internal error","type":"server_error"}})",
            ErrorClass::ServerError, "server_error" },
        { "503 with an HTML page is a server error", 503, "<html><body>503 Service Unavailable</body></html>",
            ErrorClass::ServerError, "503 Service Unavailable" },
        { "504 is a timeout", 504, R"({"error":{"message":"upstream timed out","type":"timeout"}})",
            ErrorClass::Timeout, "upstream timed out" },
        { "200 with malformed JSON is a server error", 200, R"({"id":"x","data":[{"index":0,"b64_j)",
            ErrorClass::ServerError, "malformed JSON" },
        { "200 without data is an invalid image", 200, R"({"id":"x","object":"list","data":[]})",
            ErrorClass::InvalidImage, "without an image" },
        { "200 with b64_json that is not base64 is an invalid image", 200,
            R"({"id":"x","data":[{"index":0,"b64_json":"%%% not base64 %%%","type":"b64_json"}]})",
            ErrorClass::InvalidImage, "not base64" },
    };
}
