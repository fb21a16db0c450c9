// SPDX-License-Identifier: Apache-2.0
// Canned Modal, Hugging Face endpoint and Baseten bodies for the canned-body adapter tests
// (docs/protocols.md §4, §6, §7). They live apart from the test classes because
// Qt 6.4's moc stops parsing a file at raw string literals.
#pragma once

#include <string>

// A 1x1 RGB PNG, valid, as base64.
inline const std::string kTinyPngBase64
    = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

// ---- Modal: an app following our benchmark convention (docs/protocols.md §4.1, §4.3) ----
inline std::string modalAppResult()
{
    return R"({"images":[")" + kTinyPngBase64 + R"("],"inference_s":1.234,"container_id":"ta-01HXYZ","is_cold":true})";
}
inline const std::string kModalSpawned = R"({"call_id":"fc-01J8ZQ6S0D8Z"})";
inline const std::string kModalPending = "{}"; // the docs' example answers 202 with an empty object
inline const std::string kModalLegacyAccepted
    = R"({"result_url":"https://ws--app-fn.modal.run/result?__modal_function_call_id=fc-77"})";
inline const std::string kModalProxy401 = "modal-http: missing credentials for proxy authorization";
inline const std::string kModalNotFound = "modal-http: app for invoked web endpoint is stopped";
inline const std::string kModalCustomShape = R"({"result":{"png":"data:image/png;base64,)" + kTinyPngBase64
    + R"("},"timing":{"gen_ms":812.5},"worker":"c-9"})";

// ---- Hugging Face Inference Endpoints ----
inline const std::string kHfLoading
    = R"({"error":"Model stabilityai/sdxl is currently loading","estimated_time":20.0})";
inline const std::string kHfScaledToZero = "Service Unavailable: endpoint is scaled to zero, a replica is starting";
inline const std::string kHfNoReplica = R"({"error":"queue is full"})";
inline const std::string kHfBadPayload = R"({"error":"inputs must be a string"})";
inline std::string hfHandlerJson()
{
    return R"({"image":")" + kTinyPngBase64 + R"("})";
}
inline const std::string kHfStateRunning
    = R"({"name":"sdxl-bench","status":{"state":"running","readyReplica":2,"targetReplica":3,"url":"https://x.endpoints.huggingface.cloud"},)"
      R"("compute":{"scaling":{"minReplica":0,"maxReplica":3,"scaleToZeroTimeout":15}}})";
inline const std::string kHfStateScaledToZero
    = R"({"name":"sdxl-bench","status":{"state":"scaledToZero","createdAt":"2026-05-01T10:00:00Z"}})";
inline const std::string kHfStateInitializing = R"({"name":"sdxl-bench","status":{"state":"initializing"}})";
inline const std::string kHfStateFailed = R"({"name":"sdxl-bench","status":{"state":"failed"}})";

// ---- Baseten ----
// The SDXL Truss's output (truss-examples): base64 image in "data", generation seconds in "time".
inline std::string basetenTrussResult()
{
    return R"({"status":"success","data":")" + kTinyPngBase64 + R"(","time":2.4375})";
}
inline const std::string kBasetenAccepted = R"({"request_id":"9876abcd"})";
inline const std::string kBasetenQueued
    = R"({"request_id":"9876abcd","model_id":"abc1234","deployment_id":"dep1","status":"QUEUED",)"
      R"("webhook_status":"PENDING","created_at":"2026-05-01T10:00:00.000000Z","status_at":"2026-05-01T10:00:00.000000Z","errors":[]})";
inline const std::string kBasetenInProgress
    = R"({"request_id":"9876abcd","model_id":"abc1234","deployment_id":"dep1","status":"IN_PROGRESS",)"
      R"("webhook_status":"PENDING","created_at":"2026-05-01T10:00:00.000000Z","status_at":"2026-05-01T10:00:01.250500Z","errors":[]})";
inline const std::string kBasetenSucceeded
    = R"({"request_id":"9876abcd","model_id":"abc1234","deployment_id":"dep1","status":"SUCCEEDED",)"
      R"("webhook_status":"SUCCEEDED","created_at":"2026-05-01T10:00:00.000000Z","status_at":"2026-05-01T10:00:04.000000Z","errors":[]})";
inline const std::string kBasetenFailed
    = R"({"request_id":"9876abcd","model_id":"abc1234","deployment_id":"dep1","status":"FAILED",)"
      R"("webhook_status":"NO_WEBHOOK_PROVIDED","created_at":"2026-05-01T10:00:00Z","status_at":"2026-05-01T10:00:02Z",)"
      R"("errors":[{"code":"MODEL_PREDICT_ERROR","message":"CUDA out of memory"}]})";
inline const std::string kBasetenExpired
    = R"({"request_id":"9876abcd","status":"EXPIRED","webhook_status":"CANCELED","created_at":"2026-05-01T10:00:00Z",)"
      R"("status_at":"2026-05-01T10:10:00Z","errors":[]})";
inline const std::string kBasetenCanceled
    = R"({"request_id":"9876abcd","status":"CANCELED","webhook_status":"CANCELED","created_at":"2026-05-01T10:00:00Z",)"
      R"("status_at":"2026-05-01T10:00:00.5Z","errors":[]})";
inline const std::string kBasetenWebhookFailed
    = R"({"request_id":"9876abcd","status":"WEBHOOK_FAILED","webhook_status":"FAILED","created_at":"2026-05-01T10:00:00Z",)"
      R"("status_at":"2026-05-01T10:00:03Z","errors":[{"code":"WEBHOOK_DELIVERY_ERROR","message":"connection refused"}]})";
// The webhook body as a receiver stored it; the Truss's output is under "data".
inline std::string basetenWebhookBody()
{
    return R"({"request_id":"9876abcd","model_id":"abc1234","deployment_id":"dep1","type":"async_request_completed",)"
           R"("time":"2026-05-01T10:00:04Z","data":)"
        + basetenTrussResult() + R"(,"errors":[]})";
}
inline const std::string kBasetenQueueStatus
    = R"({"model_id":"abc1234","deployment_id":"dep1","num_queued_requests":7,"num_in_progress_requests":2})";
