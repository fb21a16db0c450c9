// SPDX-License-Identifier: Apache-2.0
// Canned stable-diffusion.cpp sd-server answers for tst_sdcppadapter (docs/protocols.md §13).
// They live apart from the test class because Qt 6.4's moc stops parsing a file at raw string literals.
#pragma once

#include <string>

// A 1x1 RGB PNG, valid.
inline const std::string kSdCppTinyPng
    = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

inline const std::string kSdCppAccepted = R"({"id": "job_68e5a000_00000007", "kind": "img_gen", "status": "queued",
 "created": 1760000000, "poll_url": "/sdcpp/v1/jobs/job_68e5a000_00000007"})";

inline const std::string kSdCppQueued = R"({"id": "job_68e5a000_00000007", "kind": "img_gen", "status": "queued",
 "created": 1760000000, "started": null, "completed": null, "queue_position": 2, "result": null, "error": null})";
inline const std::string kSdCppGenerating
    = R"({"id": "job_68e5a000_00000007", "kind": "img_gen", "status": "generating",
 "created": 1760000000, "started": 1760000003, "completed": null, "queue_position": 0, "result": null, "error": null})";
inline const std::string kSdCppCompleted = R"({"id": "job_68e5a000_00000007", "kind": "img_gen", "status": "completed",
 "created": 1760000000, "started": 1760000003, "completed": 1760000008, "queue_position": 0,
 "result": {"output_format": "png", "images": [{"index": 0, "b64_json": ")"
    + kSdCppTinyPng + R"("},
 {"index": 1, "b64_json": ")"
    + kSdCppTinyPng + R"("}]}, "error": null})";
inline const std::string kSdCppFailed = R"({"id": "job_68e5a000_00000007", "kind": "img_gen", "status": "failed",
 "created": 1760000000, "started": 1760000003, "completed": 1760000004, "queue_position": 0, "result": null,
 "error": {"code": "generation_failed", "message": "generate_image returned no results"}})";
inline const std::string kSdCppCancelled = R"({"id": "job_68e5a000_00000007", "kind": "img_gen", "status": "cancelled",
 "created": 1760000000, "started": null, "completed": 1760000001, "queue_position": 0, "result": null,
 "error": {"code": "cancelled", "message": "job cancelled by client"}})";
inline const std::string kSdCppCompletedNoImages
    = R"({"id": "job_68e5a000_00000007", "kind": "img_gen", "status": "completed",
 "created": 1760000000, "started": 1760000003, "completed": 1760000008, "queue_position": 0,
 "result": {"output_format": "png", "images": []}, "error": null})";

inline const std::string kSdCppQueueFull = R"({"error": "job queue is full"})";
inline const std::string kSdCppExpired = R"({"error": "job expired"})";
inline const std::string kSdCppNotFound = R"({"error": "job not found"})";
inline const std::string kSdCppInvalid = R"({"error": "invalid generation parameters"})";

inline const std::string kSdCppOpenAIAnswer
    = R"({"created": 1760000009, "output_format": "png", "data": [{"b64_json": ")" + kSdCppTinyPng + R"("}]})";
