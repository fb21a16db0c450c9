// SPDX-License-Identifier: Apache-2.0
// Canned answers and configs for tst_httpadapter (the generic `http` provider, docs/configuration.md).
// They live apart from the test class because Qt 6.4's moc stops parsing a file at raw string literals.
#pragma once

#include "model/requestrecord.h"

#include <string>
#include <vector>

// A 1x1 RGB PNG, valid, as base64.
inline const std::string kHttpTinyPng
    = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

// An async API's provider entry: submit, poll by id, cancel; times in ms and in seconds.
inline const char* kAsyncProvider = R"json({
  "id": "custom", "type": "http", "base_url": "http://127.0.0.1:9", "api_key_env": "CUSTOM_KEY",
  "url": "/api/v2/generate",
  "headers": {"X-Api-Key": "{{api_key}}"},
  "body": {"input": {"text": "{{prompt}}", "seed": "{{seed}}", "size": ["{{width}}", "{{height}}"],
                     "steps": "{{steps}}", "cfg": "{{guidance}}", "count": "{{images}}", "tag": "run {{seed}}/{{model}}"}},
  "extract": {"job_id": "/task/uid", "status": "/task/phase", "queue_ms": "/task/metrics/wait_ms",
              "exec_s": "/task/metrics/gpu_seconds", "images": "/task/output/pictures/*/png", "error": "/task/problem"},
  "poll": {"url": "/api/v2/tasks/{{job_id}}", "interval_ms": 40, "done_values": ["DONE"], "failed_values": ["ERROR", "CANCELLED"]},
  "cancel": {"url": "/api/v2/tasks/{{job_id}}/cancel", "method": "POST"}
})json";

inline const char* kSubmitted = R"({"task":{"uid":"t-7","phase":"PENDING"}})";
inline const char* kRunning = R"({"task":{"uid":"t-7","phase":"RUNNING","metrics":{"wait_ms":61.5}}})";
inline std::string doneAnswer()
{
    return R"({"task":{"uid":"t-7","phase":"DONE","metrics":{"wait_ms":61.5,"gpu_seconds":1.2345},"output":{"pictures":[{"png":")"
        + kHttpTinyPng + R"("},{"png":"data:image/png;base64,)" + kHttpTinyPng + R"("}]}}})";
}
inline const char* kFailedAnswer = R"({"task":{"uid":"t-7","phase":"ERROR","problem":"CUDA out of memory"}})";

// A string template body: JSON text whose strings are quoted in the template.
inline const char* kStringBodyTemplate
    = R"({"prompt": "{{prompt}}", "seed": {{seed}}, "size": "{{ width }}x{{height}}", "cfg": {{guidance}}, "n": {{images}}})";

// Prompts that break naive substitution.
inline std::vector<std::string> trickyPrompts()
{
    return { R"(a "quoted" word)", R"(back\slash \n not a newline)", "two\nlines\tand a tab",
        "caf\xc3\xa9 \xe2\x98\x95 emoji", std::string("bell \x01 and \x1f control"), "{{prompt}} {{seed}} braces",
        "</script><b>html</b>" };
}

// Small providers and answers used by single tests.
inline const char* kMinimalProvider = R"({"id":"h","type":"http","url":"https://x.example/g"})";
inline const char* kPromptWithPlaceholder = R"(say "hi" {{seed}})";
inline const char* kUrlAndHeaderProvider
    = R"({"id":"h","type":"http","url":"https://x.example/g?q={{prompt}}&s={{seed}}&key={{api_key}}",)"
      R"("headers":{"Authorization":"Bearer {{api_key}}","X-Prompt":"{{prompt}}"}})";
// poll.url is set per placeholder by the test.
inline const char* kPlaceholderProbeProvider
    = R"({"id":"h","type":"http","url":"https://x.example/g","api_key_env":"K",)"
      R"("headers":{"A":"{{api_key}}"},"extract":{"job_id":"/id","status":"/s"},)"
      R"("poll":{"done_values":["ok"]}})";
inline const char* kPointerDocument = R"({"a":[{"b":1},{"b":2}],"c/d":3,"e~f":4})";
inline const char* kExpiredAnswer = R"({"message":"task t-7 expired"})";
inline const char* kSubmittedWithoutId = R"({"task":{"phase":"PENDING"}})";
inline const char* kDoneWithoutImage = R"({"task":{"uid":"t-7","phase":"DONE"}})";
inline const char* kRelativeFiles = R"({"files":["/out/a.png","https://cdn.example/b.png"]})";
inline const char* kSyncProvider = R"({"id":"h","type":"http","url":"https://x.example/g","body":{"p":"{{prompt}}"}})";
inline const char* kSyncTimedProvider
    = R"({"id":"h","type":"http","url":"https://x.example/g","extract":{"image":"/i","exec_ms":"/t","queue_s":"/q"}})";
inline std::string syncTimedAnswer()
{
    return R"({"i":")" + kHttpTinyPng + R"(","t":812})";
}

// A synchronous answer and what the adapter makes of it (extract of kSyncExtract unless given).
inline const char* kSyncExtract = R"({"image":"/out/image","images":"/out/urls","exec_ms":"/took","error":"/err"})";
struct SyncRow {
    const char* name;
    std::string extract;
    int status;
    std::string contentType;
    std::string body;
    bool done;
    int error; // t2i::ErrorClass
    std::string messagePart;
};

inline std::vector<SyncRow> syncRows()
{
    using t2i::ErrorClass;
    const std::string json = "application/json";
    const auto e = [](ErrorClass c) { return int(c); };
    return {
        { "base64 image", kSyncExtract, 200, json, R"({"out":{"image":")" + kHttpTinyPng + R"("},"took":812})", true,
            e(ErrorClass::None), "" },
        { "URLs are downloaded", kSyncExtract, 200, json,
            R"({"out":{"urls":["https://cdn.example/a.png","http://h/b.png"]}})", true, e(ErrorClass::None), "" },
        { "an image body", kSyncExtract, 200, "image/png", "\x89PNG", true, e(ErrorClass::None), "" },
        { "an error in a 200 is a platform failure", kSyncExtract, 200, json, R"({"err":"model not loaded"})", false,
            e(ErrorClass::PlatformFailure), "model not loaded" },
        { "a null error is no error", kSyncExtract, 200, json,
            R"({"err":null,"out":{"image":")" + kHttpTinyPng + R"("}})", true, e(ErrorClass::None), "" },
        { "no image is an invalid image", kSyncExtract, 200, json, R"({"out":{}})", false, e(ErrorClass::InvalidImage),
            "nothing at /out/image" },
        { "a number where an image should be", kSyncExtract, 200, json, R"({"out":{"image":12}})", false,
            e(ErrorClass::InvalidImage), "the value at /out/image" },
        { "malformed JSON is a server error", kSyncExtract, 200, json, R"({"out":{"ima)", false,
            e(ErrorClass::ServerError), "malformed JSON" },
        { "422 with the error pointer", kSyncExtract, 422, json, R"({"err":"width must be <= 2048"})", false,
            e(ErrorClass::ClientError), "HTTP 422: width must be <= 2048" },
        { "500 with text", kSyncExtract, 500, "text/plain", "Internal Server Error", false, e(ErrorClass::ServerError),
            "HTTP 500: Internal Server Error" },
        { "no image pointer configured", "{}", 200, json, R"({"x":1})", false, e(ErrorClass::InvalidImage),
            "no extract.image or extract.images" },
    };
}

struct ValidatorRow {
    const char* name;
    std::string provider; // a providers[] entry
    std::string error; // a part of the expected message; "" : valid
};

inline std::vector<ValidatorRow> httpValidatorRows()
{
    const std::string head = R"("id": "h", "type": "http", )";
    return {
        { "the async example is valid", kAsyncProvider, "" },
        { "a sync API with an absolute URL is valid",
            "{" + head
                + R"("url": "https://gpu.example.com/generate", "body": "{\"p\": \"{{prompt}}\", \"s\": {{seed}}}", "extract": {"image": "/image"}})",
            "" },
        { "an unknown placeholder is refused",
            "{" + head + R"("url": "https://x.example/g", "body": {"p": "{{promt}}"}})",
            "unknown placeholder {{promt}}" },
        { "the key in a body is refused",
            "{" + head
                + R"("url": "https://x.example/g", "api_key_env": "K", "headers": {"A": "{{api_key}}"}, "body": {"k": "{{api_key}}"}})",
            "{{api_key}} may only be used in headers and URLs" },
        { "job_id in the submit is refused", "{" + head + R"("url": "https://x.example/g/{{job_id}}"})",
            "{{job_id}} is only known after the submit" },
        { "a bad JSON pointer is refused",
            "{" + head + R"("url": "https://x.example/g", "extract": {"image": "images/0"}})",
            "must be a JSON pointer" },
        { "a bad pointer escape is refused",
            "{" + head + R"("url": "https://x.example/g", "extract": {"image": "/a~2b"}})", "must be a JSON pointer" },
        { "an unknown extract key is refused",
            "{" + head + R"("url": "https://x.example/g", "extract": {"imgae": "/image"}})", "unknown key" },
        { "a wildcard outside images is refused",
            "{" + head + R"("url": "https://x.example/g", "extract": {"image": "/data/*/url"}})",
            "only allowed in extract.images" },
        { "a string body that is not JSON once filled is refused",
            "{" + head + R"("url": "https://x.example/g", "body": "{\"p\": {{prompt}}}"})",
            "is not JSON once its placeholders are filled in" },
        { "a non-JSON content type skips the JSON check",
            "{" + head
                + R"("url": "https://x.example/g", "headers": {"Content-Type": "text/plain"}, "body": "draw {{prompt}}"})",
            "" },
        { "a path without base_url is refused", "{" + head + R"("url": "/generate"})", "give base_url too" },
        { "poll without a status pointer is refused",
            "{" + head
                + R"("url": "https://x.example/g", "extract": {"job_id": "/id"}, "poll": {"url": "https://x.example/j/{{job_id}}", "done_values": ["ok"]}})",
            "is required with poll" },
        { "poll without done_values is refused",
            "{" + head
                + R"("url": "https://x.example/g", "extract": {"job_id": "/id", "status": "/s"}, "poll": {"url": "https://x.example/j/{{job_id}}"}})",
            "done_values" },
        { "job_id used without a job_id pointer is refused",
            "{" + head
                + R"("url": "https://x.example/g", "extract": {"status": "/s"}, "poll": {"url": "https://x.example/j/{{job_id}}", "done_values": ["ok"]}})",
            "say where the submit answer holds the id" },
        { "a key nobody uses is refused", "{" + head + R"("url": "https://x.example/g", "api_key_env": "K"})",
            "no header or URL uses {{api_key}}" },
        { "queue_ms and queue_s together are refused",
            "{" + head + R"("url": "https://x.example/g", "extract": {"queue_ms": "/q", "queue_s": "/qs"}})",
            "not both" },
        { "an unknown poll key is refused",
            "{" + head
                + R"("url": "https://x.example/g", "extract": {"job_id": "/id", "status": "/s"}, "poll": {"url": "https://x.example/j/{{job_id}}", "done_values": ["ok"], "every_ms": 5}})",
            "unknown key" },
    };
}
