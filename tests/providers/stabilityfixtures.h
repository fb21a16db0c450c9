// SPDX-License-Identifier: Apache-2.0
// Canned Stability AI v2beta answers for tst_stabilityadapter (docs/protocols.md §10).
// They live apart from the test class because Qt 6.4's moc stops parsing a file at raw string literals.
#pragma once

#include "model/requestrecord.h"

#include <string>
#include <utility>
#include <vector>

// A 1x1 RGB PNG, valid, as base64.
inline const std::string kStabilityTinyPng
    = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

inline std::string stabilityJsonAnswer(const std::string& finishReason)
{
    return R"({"image":")" + kStabilityTinyPng + R"(","finish_reason":")" + finishReason + R"(","seed":45})";
}

inline const char* kStabilityConfig
    = R"({"id":"s","type":"stability","engine":"sd3","model":"sd3.5-medium","accept":"json","output_format":"png","aspect_ratio":"9:16"})";

// Providers the config validator refuses (the message part expected), or accepts ("").
inline std::vector<std::pair<std::string, std::string>> stabilityConfigRows()
{
    return {
        { kStabilityConfig, "" },
        { R"({"id":"s","type":"stability","engine":"core","model":"sd3.5-large"})", "engine \"sd3\" only" },
        { R"({"id":"s","type":"stability","accept":"image/png"})", "\"image\" or \"json\"" },
        { R"({"id":"s","type":"stability","output_format":"gif"})", "\"png\", \"jpeg\" or \"webp\"" },
        { R"({"id":"s","type":"stability","aspect_ratio":"4:3"})", "\"16:9\"" },
    };
}

struct StabilityFailureRow {
    const char* name;
    int status;
    std::string contentType;
    std::string body;
    t2i::ErrorClass expected;
    const char* messagePart;
};

inline std::vector<StabilityFailureRow> stabilityFailureRows()
{
    using t2i::ErrorClass;
    const std::string json = "application/json";
    return {
        { "400 bad_request lists the errors", 400, json,
            R"({"id":"e1","name":"bad_request","errors":["prompt: cannot be empty","aspect_ratio: invalid"]})",
            ErrorClass::ClientError, "bad_request: prompt: cannot be empty; aspect_ratio: invalid" },
        { "401 unauthorized is a client error", 401, json, R"({"id":"e2","name":"unauthorized","errors":["bad key"]})",
            ErrorClass::ClientError, "unauthorized" },
        { "403 content_moderation is content filtered", 403, json,
            R"({"id":"e3","name":"content_moderation","errors":["Your request was flagged by our content moderation system"]})",
            ErrorClass::ContentFiltered, "flagged" },
        { "413 payload too large is a client error", 413, json,
            R"({"id":"e4","name":"payload_too_large","errors":["too big"]})", ErrorClass::ClientError,
            "payload_too_large" },
        { "422 rejected is a client error", 422, json,
            R"({"id":"e5","name":"invalid_language","errors":["English only"]})", ErrorClass::ClientError,
            "English only" },
        { "500 internal_error is a server error", 500, json, R"({"id":"e6","name":"internal_error","errors":["oops"]})",
            ErrorClass::ServerError, "internal_error" },
        { "502 with a text body is a server error", 502, "text/html", "<html>Bad Gateway</html>",
            ErrorClass::ServerError, "Bad Gateway" },
        { "200 finish reason CONTENT_FILTERED (JSON) is content filtered", 200, json,
            stabilityJsonAnswer("CONTENT_FILTERED"), ErrorClass::ContentFiltered, "CONTENT_FILTERED" },
        { "200 malformed JSON is a server error", 200, json, R"({"image":"iVBORw0KGgo)", ErrorClass::ServerError,
            "malformed JSON" },
        { "200 JSON without image is an invalid image", 200, json, R"({"finish_reason":"SUCCESS","seed":1})",
            ErrorClass::InvalidImage, "without \"image\"" },
        { "200 image/png with an empty body is an invalid image", 200, "image/png", "", ErrorClass::InvalidImage,
            "empty" },
    };
}
