// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "imagesettings.h"
#include "platformtypes.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace t2i {

// The JSON of Replicate's predictions API (docs/protocols.md §2), kept apart from the
// HTTP plumbing so that each shape can be read and tested on its own.
namespace replicate {

// Which create route a request came by.
struct Route {
    enum class Kind { Model, Deployment, Version } kind = Kind::Model;
    std::string owner; // Model and Deployment
    std::string name;
};

// One prediction as the front keeps it: what it was created with, and how it ended.
struct Prediction {
    uint64_t index = 0; // the platform's job
    std::string id;
    std::string model; // "owner/name"
    std::string version = "hidden"; // what official models answer
    std::string deployment; // empty unless created on a deployment
    nlohmann::json input = nlohmann::json::object();
    int64_t createdMs = 0; // platform time
    int64_t deadlineMs = -1; // platform time of its Cancel-After deadline; -1: none
    bool aborted = false; // ended by its deadline before it started
    std::optional<JobTruth> truth;
};

// What went wrong with a create request: 422 with RFC 7807 problem details.
struct Problem {
    std::string detail;
    std::string field; // e.g. "input.width"; empty: the body as a whole
};

// The body of a create request: {"input": {prompt, width, height, num_inference_steps,
// guidance_scale, seed, num_outputs, precision}, "version"}. On error returns nullopt and says why.
std::optional<Prediction> parseCreate(const std::string& body, const Route& route, JobSpec& spec, Problem& problem);

// Where the platform's clock is: wall time = epochMs + platform ms.
struct Clock {
    int64_t epochMs = 0;
    int64_t nowMs = 0;
};

// The prediction object. `view` is the job while it is queued or running; `removed`: past
// retention (data_removed, no output, input or logs). URLs are built on `base` ("http://host:port");
// outputs are /files/<id>-<i>.<the format's extension>.
nlohmann::json prediction(const Prediction& p, const std::optional<JobView>& view, const Clock& clock,
    const std::string& base, bool removed, ImageFormat format);
// "starting", "processing", "succeeded", "failed", "canceled" or "aborted".
std::string status(const Prediction& p, const std::optional<JobView>& view);
// "2026-05-01T10:00:00.123Z": milliseconds, so that differences are exact in ms.
std::string isoMs(int64_t epochMs);
// Prefer: "wait" (60 s) or "wait=N" with N in 1..60; nullopt for anything else.
std::optional<int> preferWaitS(std::string_view header);
// Cancel-After: a Go duration ("30s", "5m", "1h30m", "1.5s", "500ms") or bare seconds, in ms.
std::optional<int64_t> durationMs(std::string_view text);
// {"title", "detail", "status"} (RFC 7807, as Replicate's errors).
nlohmann::json problem(const std::string& title, const std::string& detail, int status);

} // namespace replicate
} // namespace t2i
