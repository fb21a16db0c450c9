// SPDX-License-Identifier: Apache-2.0
// Canned AUTOMATIC1111 / Forge API answers for tst_a1111adapter (docs/protocols.md §12).
// They live apart from the test class because Qt 6.4's moc stops parsing a file at raw string literals.
#pragma once

#include <string>

// A 1x1 RGB PNG, valid.
inline const std::string kA1111TinyPng
    = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

// Two images asked for: A1111 puts the grid first ("GRID" stands in for it); it must be skipped.
inline const std::string kA1111TwoImagesWithGrid = R"({"images": ["R1JJRA==", ")" + kA1111TinyPng + R"(", ")"
    + kA1111TinyPng
    + R"("], "parameters": {"prompt": "a red fox", "steps": 4}, "info": "{\"seed\": 45, \"all_seeds\": [45, 46], \"job_timestamp\": \"20260501100000\"}"})";

inline const std::string kA1111OneImage
    = R"({"images": [")" + kA1111TinyPng + R"("], "parameters": {}, "info": "{\"seed\": 45}"})";

inline const std::string kA1111NoImages = R"({"images": [], "parameters": {}, "info": "{}"})";
inline const std::string kA1111NotBase64 = R"({"images": ["%%%"], "parameters": {}, "info": "{}"})";

inline const std::string kA1111Validation
    = R"({"detail": [{"loc": ["body", "steps"], "msg": "value is not a valid integer", "type": "type_error.integer"}]})";
inline const std::string kA1111OutOfMemory = R"({"error": "OutOfMemoryError", "detail": "", "body": "",
 "errors": "CUDA out of memory. Tried to allocate 2.50 GiB. GPU 0 has a total capacity of 23.64 GiB of which 1.20 GiB is free."})";
inline const std::string kA1111RuntimeError
    = R"({"error": "RuntimeError", "detail": "", "body": "", "errors": "Sizes of tensors must match"})";
inline const std::string kA1111NotFound = R"({"detail": "Not Found"})";
inline const std::string kA1111BadAuth = R"({"detail": "Incorrect username or password"})";

inline const std::string kA1111ProgressRunning = R"({"progress": 0.4, "eta_relative": 1.2, "state": {"skipped": false,
 "interrupted": false, "stopping_generation": false, "job": "scripts_txt2img", "job_count": 1, "job_timestamp": "20260501100000",
 "job_no": 0, "sampling_step": 8, "sampling_steps": 20}, "current_image": null, "textinfo": null})";
inline const std::string kA1111ProgressIdle = R"({"progress": 0.0, "eta_relative": 0.0, "state": {"skipped": false,
 "interrupted": false, "stopping_generation": false, "job": "", "job_count": 0, "job_timestamp": "0", "job_no": 0,
 "sampling_step": 0, "sampling_steps": 0}, "current_image": null, "textinfo": null})";
