// SPDX-License-Identifier: Apache-2.0
// Canned RunPod bodies for tst_runpodadapter. They live apart from the test class because
// Qt 6.4's moc stops parsing a file at some raw string literals.
#pragma once

#include "model/requestrecord.h"

#include <string>
#include <vector>

// A 1x1 RGB PNG, valid: what worker-sdxl would send at that size.
inline const std::string kTinyPngBase64
    = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

struct ImageShapeRow {
    const char* name;
    std::string output;
    int inlineImages;
    int urls;
};

inline std::vector<ImageShapeRow> imageShapeRows()
{
    const std::string uri = "data:image/png;base64," + kTinyPngBase64;
    return {
        { "worker-sdxl images list of data URIs", R"({"images":[")" + uri + R"(",")" + uri + R"("]})", 2, 0 },
        { "worker-comfyui v5 objects",
            R"({"images":[{"filename":"a.png","type":"base64","data":")" + kTinyPngBase64 + R"("}]})", 1, 0 },
        { "public endpoint URL with cost", R"({"image_url":"https://image.runpod.ai/x/output.png","cost":0.02})", 0,
            1 },
        { "bare string output", "\"" + kTinyPngBase64 + "\"", 1, 0 },
    };
}

struct FailureRow {
    const char* name;
    int status;
    std::string body;
    t2i::ErrorClass error;
};

inline std::vector<FailureRow> failureRows()
{
    using t2i::ErrorClass;
    return {
        { "FAILED out of memory is oom", 200, R"({"id":"j","status":"FAILED","error":"CUDA out of memory"})",
            ErrorClass::OutOfMemory },
        { "FAILED with another error is a platform failure", 200,
            R"({"id":"j","status":"FAILED","error":"RuntimeError: injected worker failure"})",
            ErrorClass::PlatformFailure },
        { "TIMED_OUT is a timeout", 200, R"({"id":"j","status":"TIMED_OUT"})", ErrorClass::Timeout },
        { "CANCELLED is cancelled", 200, R"({"id":"j","status":"CANCELLED"})", ErrorClass::Cancelled },
        { "401 is a client error", 401, R"({"error":"unauthorized"})", ErrorClass::ClientError },
        { "404 expired result is a client error", 404, R"({"error":"job not found"})", ErrorClass::ClientError },
        { "500 is a server error", 500, "oops", ErrorClass::ServerError },
        { "malformed JSON is a server error", 200, R"({"id": )", ErrorClass::ServerError },
        { "COMPLETED without image is an invalid image", 200, R"({"id":"j","status":"COMPLETED","output":{}})",
            ErrorClass::InvalidImage },
        { "unknown status is a server error", 200, R"({"id":"j","status":"EXPLODED"})", ErrorClass::ServerError },
        { "NSFW failure is content filtered", 200, R"({"id":"j","status":"FAILED","error":"NSFW content detected"})",
            ErrorClass::ContentFiltered },
    };
}
