// SPDX-License-Identifier: Apache-2.0
// Canned Replicate prediction objects for tst_replicateadapter (docs/protocols.md §2).
// They live apart from the test class because Qt 6.4's moc stops parsing a file at raw string literals.
#pragma once

#include <string>

// A 1x1 RGB PNG, valid.
inline const std::string kReplicateTinyPng
    = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

inline const std::string kUrls
    = R"("urls":{"get":"https://api.replicate.com/v1/predictions/gm3q","cancel":"https://api.replicate.com/v1/predictions/gm3q/cancel","web":"https://replicate.com/p/gm3q"})";

inline std::string prediction(const std::string& status, const std::string& tail)
{
    return R"({"id":"gm3q","model":"black-forest-labs/flux-schnell","version":"hidden","input":{"prompt":"a red fox"},)"
           R"("logs":"","data_removed":false,"source":"api","created_at":"2026-05-01T10:00:00.123456Z",)"
        + kUrls + R"(,"status":")" + status + "\"" + (tail.empty() ? "" : "," + tail) + "}";
}

inline const std::string kStarting
    = prediction("starting", R"("started_at":null,"completed_at":null,"output":null,"error":null,"metrics":{})");
inline const std::string kProcessing = prediction("processing",
    R"("started_at":"2026-05-01T10:00:02.456789Z","completed_at":null,"output":null,"error":null,"metrics":{})");
// started_at - created_at = 2333.333 ms; predict_time 0.777 s.
inline const std::string kSucceeded = prediction("succeeded",
    R"("started_at":"2026-05-01T10:00:02.456789Z","completed_at":"2026-05-01T10:00:03.234567Z",)"
    R"("output":["https://replicate.delivery/xezq/abc/out-0.webp","https://replicate.delivery/xezq/abc/out-1.webp"],)"
    R"("error":null,"metrics":{"predict_time":0.777,"total_time":3.111})");
// A sync answer with data URIs, timestamps with +00:00 and millisecond fractions.
inline const std::string kSucceededInline
    = R"({"id":"p2","status":"succeeded","created_at":"2026-05-01T10:00:00.100+00:00",)"
      R"("started_at":"2026-05-01T10:00:00.350+00:00","completed_at":"2026-05-01T10:00:01.000+00:00",)"
      R"("output":"data:image/png;base64,)"
    + kReplicateTinyPng + R"(","metrics":{"predict_time":0.65}})";
inline const std::string kFailed = prediction("failed",
    R"("started_at":"2026-05-01T10:00:01Z","completed_at":"2026-05-01T10:00:02Z","output":null,)"
    R"("error":"CUDA out of memory. Tried to allocate 2.00 GiB","metrics":{"predict_time":1.0})");
inline const std::string kCanceled = prediction(
    "canceled", R"("started_at":null,"completed_at":"2026-05-01T10:00:02Z","output":null,"error":null,"metrics":{})");
inline const std::string kAborted = prediction(
    "aborted", R"("started_at":null,"completed_at":"2026-05-01T10:00:05Z","output":null,"error":null,"metrics":{})");
// Past retention: output, input and logs are gone.
inline const std::string kRemoved
    = R"({"id":"gm3q","status":"succeeded","data_removed":true,"input":{},"output":null,)"
      R"("created_at":"2026-05-01T10:00:00Z","started_at":"2026-05-01T10:00:01Z","metrics":{"predict_time":1.0}})";
inline const std::string kThrottled
    = R"({"detail":"Request was throttled. Your rate limit resets in ~30s.","status":429})";
inline const std::string kNotFound
    = R"({"title":"Not found","detail":"The requested resource could not be found.","status":404})";
inline const std::string kInvalid
    = R"({"title":"Input validation failed","detail":"- input.width: Must be less than or equal to 4096","status":422})";
