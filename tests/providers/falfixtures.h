// SPDX-License-Identifier: Apache-2.0
// Canned fal.ai queue and result bodies for tst_faladapter (docs/protocols.md §3).
// They live apart from the test class because Qt 6.4's moc stops parsing a file at raw string literals.
#pragma once

#include <string>

// A 1x1 RGB PNG, valid.
inline const std::string kFalTinyPng
    = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

inline const std::string kFalSubmitted
    = R"({"request_id":"764cabcf","response_url":"https://queue.fal.run/fal-ai/flux/requests/764cabcf",)"
      R"("status_url":"https://queue.fal.run/fal-ai/flux/requests/764cabcf/status",)"
      R"("cancel_url":"https://queue.fal.run/fal-ai/flux/requests/764cabcf/cancel","status":"IN_QUEUE","queue_position":0})";

inline const std::string kFalInQueue = R"({"status":"IN_QUEUE","request_id":"764cabcf","queue_position":2})";
inline const std::string kFalInProgress
    = R"({"status":"IN_PROGRESS","request_id":"764cabcf","logs":[{"message":"step 3/28","level":"INFO"}]})";
inline const std::string kFalCompleted
    = R"({"status":"COMPLETED","request_id":"764cabcf","logs":[],"metrics":{"inference_time":1.83}})";
inline const std::string kFalCompletedNoMetrics = R"({"status":"COMPLETED","request_id":"764cabcf"})";
inline const std::string kFalCompletedWithError
    = R"({"status":"COMPLETED","request_id":"764cabcf","error":"CUDA out of memory","error_type":"runner_server_error"})";

inline const std::string kFalResult
    = R"({"images":[{"url":"https://v3.fal.media/files/rabbit/a.jpg","width":768,"height":512,"content_type":"image/jpeg"},)"
      R"({"url":"https://v3.fal.media/files/rabbit/b.jpg","width":768,"height":512,"content_type":"image/jpeg"}],)"
      R"("timings":{"inference":1.79},"seed":45,"has_nsfw_concepts":[false,false],"prompt":"a red fox"})";

inline std::string falInlineResult()
{
    return R"({"images":[{"url":"data:image/png;base64,)" + kFalTinyPng
        + R"(","width":1,"height":1,"content_type":"image/png"}],"timings":{"inference":0.25},"seed":1})";
}

inline const std::string kFalValidation
    = R"({"detail":[{"loc":["body","prompt"],"msg":"field required","type":"value_error.missing"}]})";
inline const std::string kFalRunnerError = R"({"detail":"Runner disconnected","error_type":"runner_disconnected"})";
