// SPDX-License-Identifier: Apache-2.0
#include "runpodjson.h"

#include "emulatedimage.h"

namespace t2i::runpod {
namespace {

using nlohmann::json;

// Reads an optional integer field within [min, max]; false (with error set) if it is not one.
bool readInt(const json& input, const char* key, int64_t min, int64_t max, int64_t& out, std::string& error)
{
    const auto it = input.find(key);
    if (it == input.end() || it->is_null())
        return true;
    if (!it->is_number_integer()) {
        // JSON clients often send 1024.0; accept numbers that are whole.
        if (!it->is_number_float()
            || it->get<double>() != static_cast<double>(static_cast<int64_t>(it->get<double>()))) {
            error = std::string("input.") + key + " must be an integer";
            return false;
        }
    }
    const auto value = it->is_number_integer() ? it->get<int64_t>() : static_cast<int64_t>(it->get<double>());
    if (value < min || value > max) {
        error = std::string("input.") + key + " must be between " + std::to_string(min) + " and " + std::to_string(max);
        return false;
    }
    out = value;
    return true;
}

} // namespace

std::optional<JobSpec> parseSubmit(const std::string& body, std::string& error)
{
    const json document = json::parse(body, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        error = "the request body is not a JSON object";
        return std::nullopt;
    }
    const auto input = document.find("input");
    if (input == document.end() || !input->is_object()) {
        error = "the request body has no \"input\" object";
        return std::nullopt;
    }
    JobSpec spec;
    int64_t width = spec.width, height = spec.height, steps = 25, images = 1, seed = -1, timeout = 0;
    if (!readInt(*input, "width", 8, 4096, width, error) || !readInt(*input, "height", 8, 4096, height, error)
        || !readInt(*input, "num_inference_steps", 1, 1000, steps, error)
        || !readInt(*input, "num_images", 1, 16, images, error)
        || !readInt(*input, "seed", -1, int64_t { 1 } << 53, seed, error))
        return std::nullopt;
    if (const auto policy = document.find("policy"); policy != document.end() && policy->is_object()) {
        if (!readInt(*policy, "executionTimeout", 1, int64_t { 7 } * 24 * 3600 * 1000, timeout, error))
            return std::nullopt;
    }
    if (const auto g = input->find("guidance_scale"); g != input->end() && !g->is_null()) {
        if (!g->is_number()) {
            error = "input.guidance_scale must be a number";
            return std::nullopt;
        }
        spec.guidance = g->get<double>();
    }
    if (const auto p = input->find("prompt"); p != input->end() && !p->is_null()) {
        if (!p->is_string()) {
            error = "input.prompt must be a string";
            return std::nullopt;
        }
        spec.promptHash = images::promptHash(p->get_ref<const std::string&>());
    }
    if (const auto p = input->find("precision"); p != input->end() && !p->is_null()) {
        if (!p->is_string()) {
            error = "input.precision must be a string";
            return std::nullopt;
        }
        spec.precision = p->get<std::string>();
    }
    spec.width = static_cast<int>(width);
    spec.height = static_cast<int>(height);
    spec.steps = static_cast<int>(steps);
    spec.images = static_cast<int>(images);
    spec.seed = seed;
    spec.executionTimeoutMs = timeout;
    return spec;
}

json pending(const JobView& view)
{
    json body = { { "id", view.jobId }, { "status", std::string(jobStatusName(view.status)) } };
    if (view.status == JobStatus::InProgress) {
        body["delayTime"] = view.startMs - view.arrivalMs;
        body["workerId"] = view.workerId;
    }
    return body;
}

json finished(const JobTruth& truth)
{
    json body = { { "id", truth.jobId }, { "status", std::string(jobStatusName(truth.status)) },
        { "delayTime", truth.queueMs }, { "executionTime", truth.execMs } };
    if (!truth.workerId.empty())
        body["workerId"] = truth.workerId;
    if (truth.status == JobStatus::Completed)
        body["output"] = output(truth);
    else if (!truth.error.empty())
        body["error"] = truth.error;
    return body;
}

json output(const JobTruth& truth)
{
    json images = json::array();
    for (int i = 0; i < truth.spec.images; ++i)
        images.push_back(images::placeholder(i));
    const json first = images.front();
    return { { "image_url", first }, { "images", std::move(images) }, { "seed", truth.seed } };
}

json health(const PlatformHealth& h)
{
    return { { "jobs",
                 { { "completed", h.completed }, { "failed", h.failed }, { "inProgress", h.inProgress },
                     { "inQueue", h.inQueue }, { "retried", h.retried } } },
        { "workers",
            { { "idle", h.idle }, { "running", h.running }, { "initializing", h.initializing }, { "ready", h.ready },
                { "throttled", h.throttled }, { "unhealthy", h.unhealthy } } } };
}

json error(const std::string& message)
{
    return { { "error", message } };
}

} // namespace t2i::runpod
