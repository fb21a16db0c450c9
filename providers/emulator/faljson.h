// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "imagesettings.h"
#include "platformtypes.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace t2i {

// The JSON and routes of fal.ai's queue API (docs/protocols.md §3), kept apart from the
// HTTP plumbing so that each shape can be read and tested on its own.
namespace fal {

// What a request path means. Model ids have any depth ("fal-ai/flux/dev"), which Qt's route
// patterns cannot express, so the front routes by this instead.
struct Route {
    enum class Kind { None, Submit, Sync, Status, Result, Cancel, File } kind = Kind::None;
    std::string appId; // "owner/app": what the status, result and cancel URLs use
    std::string model; // the full id, sub-path included (Submit and Sync)
    std::string id; // request id (Status, Result, Cancel) or file name (File)
};
// method: "GET", "POST" or "PUT"; path without the query.
Route route(std::string_view method, std::string_view path);

// One request as the front keeps it.
struct Request {
    uint64_t index = 0; // the platform's job
    std::string id;
    std::string appId;
    std::optional<JobTruth> truth;
};

// The model input (the whole body): prompt (required), image_size (an object {width, height} or
// one of fal's names), num_inference_steps, guidance_scale, seed, num_images. On error returns
// false and `detail` is the 422 body's pydantic-style "detail" list.
bool parseInput(const std::string& body, JobSpec& spec, nlohmann::json& detail);

// {request_id, response_url, status_url, cancel_url, status, queue_position}; URLs on `base`.
nlohmann::json submitted(const Request& r, const std::string& base, int queuePosition);
// The status body and its HTTP code: 202 IN_QUEUE (queue_position) / IN_PROGRESS, 200 COMPLETED
// with metrics.inference_time (exec ms / 1000, exactly) and, for a job that did not succeed,
// "error" and "error_type" (there is no FAILED status).
nlohmann::json status(
    const Request& r, const std::optional<JobView>& view, int queuePosition, const std::string& base, int& httpStatus);
// The result of a completed job: {images: [{url, width, height, content_type}], timings, seed};
// the URLs are /files/<id>-<i>.<the format's extension>.
nlohmann::json result(const JobTruth& truth, const std::string& base, ImageFormat format);
// For a job that ended otherwise: the error type sent as X-Fal-Error-Type and in the body.
std::string errorType(const JobTruth& truth);
// {"detail": message, "error_type": type} (docs/protocols.md §3.6).
nlohmann::json error(const std::string& message, const std::string& type = {});

} // namespace fal
} // namespace t2i
