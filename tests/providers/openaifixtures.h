// SPDX-License-Identifier: Apache-2.0
// Canned OpenAI Images API answers for tst_openaiadapter (docs/protocols.md §9). They
// live apart from the test class because Qt 6.4's moc stops parsing a file at raw string literals.
#pragma once

#include "model/requestrecord.h"

#include <string>
#include <vector>

// A 1x1 RGB PNG, valid.
inline const std::string kOpenAITinyPng
    = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

inline std::string b64Answer(int images)
{
    std::string data;
    for (int i = 0; i < images; ++i)
        data += std::string(i ? "," : "") + R"({"b64_json":")" + kOpenAITinyPng + R"(","revised_prompt":null})";
    return R"({"created":1760000000,"data":[)" + data + R"(],"background":"opaque","output_format":"png",)"
        + R"("quality":"medium","size":"1024x1024","usage":{"input_tokens":50,"input_tokens_details":)"
        + R"({"image_tokens":0,"text_tokens":50},"output_tokens":1056,"output_tokens_details":)"
        + R"({"image_tokens":1056,"text_tokens":0},"total_tokens":1106}})";
}

// dall-e with response_format url; LocalAI answers the same way with its /generated-images/ URLs.
inline const std::string kUrlAnswer
    = R"({"created":1760000000,"data":[{"url":"https://oaidalleapiprodscus.blob.core.windows.net/private/img-1.png"},)"
      R"({"url":"http://127.0.0.1:8080/generated-images/b643.png"}]})";

struct OpenAIFailureRow {
    const char* name;
    int status;
    std::string body;
    t2i::ErrorClass error;
    const char* messagePart; // must appear in Action::message
};

inline std::vector<OpenAIFailureRow> openAIFailureRows()
{
    using t2i::ErrorClass;
    return {
        { "content_policy_violation is content filtered", 400,
            R"({"error":{"message":"Your request was rejected as a result of our safety system.","type":"invalid_request_error","param":null,"code":"content_policy_violation"}})",
            ErrorClass::ContentFiltered, "content_policy_violation" },
        { "moderation_blocked is content filtered", 400,
            R"({"error":{"message":"Your request was rejected by the safety system.","type":"image_generation_user_error","param":null,"code":"moderation_blocked"}})",
            ErrorClass::ContentFiltered, "safety system" },
        { "bad size is a client error", 400,
            R"({"error":{"message":"Invalid value: '999x999'.","type":"invalid_request_error","param":"size","code":"invalid_value"}})",
            ErrorClass::ClientError, "999x999" },
        { "401 invalid key is a client error", 401,
            R"({"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})",
            ErrorClass::ClientError, "invalid_api_key" },
        { "404 unknown model is a client error", 404,
            R"({"error":{"message":"The model 'gpt-image-9' does not exist.","type":"invalid_request_error","param":null,"code":"model_not_found"}})",
            ErrorClass::ClientError, "gpt-image-9" },
        { "500 is a server error", 500,
            R"({"error":{"message":"CUDA out of memory","type":"server_error","param":null,"code":null}})",
            ErrorClass::ServerError, "CUDA out of memory" },
        { "503 with a text body is a server error", 503, "upstream connect error", ErrorClass::ServerError,
            "upstream" },
        { "LocalAI's error with a code number", 500,
            R"({"error":{"code":500,"message":"failed to load model","type":""}})", ErrorClass::ServerError,
            "failed to load model" },
        { "malformed JSON is a server error", 200, R"({"data": )", ErrorClass::ServerError, "malformed" },
        { "no image in data is an invalid image", 200, R"({"created":1,"data":[]})", ErrorClass::InvalidImage, "data" },
        { "undecodable b64_json is an invalid image", 200, R"({"created":1,"data":[{"b64_json":"%%%"}]})",
            ErrorClass::InvalidImage, "data" },
    };
}
