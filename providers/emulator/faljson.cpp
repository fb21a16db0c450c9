// SPDX-License-Identifier: Apache-2.0
#include "faljson.h"

#include "emulatedimage.h"

#include <map>
#include <tuple>
#include <vector>

namespace t2i::fal {
namespace {

using nlohmann::json;

std::vector<std::string> split(std::string_view path)
{
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t slash = path.find('/', start);
        const size_t end = slash == std::string_view::npos ? path.size() : slash;
        if (end > start)
            parts.emplace_back(path.substr(start, end - start));
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
    return parts;
}

std::string join(const std::vector<std::string>& parts, size_t from)
{
    std::string out;
    for (size_t i = from; i < parts.size(); ++i)
        out += (out.empty() ? "" : "/") + parts[i];
    return out;
}

// One pydantic error item (docs/protocols.md §3.6).
json problem(const std::string& field, const std::string& message, const std::string& type)
{
    return { { "loc", { "body", field } }, { "msg", message }, { "type", type } };
}

bool readInt(const json& input, const char* key, int64_t min, int64_t max, int64_t& out, json& detail)
{
    const auto it = input.find(key);
    if (it == input.end() || it->is_null())
        return true;
    if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max) {
        detail = json::array({ problem(key,
            "ensure this value is an integer between " + std::to_string(min) + " and " + std::to_string(max),
            "value_error.number") });
        return false;
    }
    out = it->get<int64_t>();
    return true;
}

} // namespace

Route route(std::string_view method, std::string_view path)
{
    const std::vector<std::string> parts = split(path);
    Route r;
    if (method == "GET" && parts.size() == 2 && parts[0] == "files")
        return { Route::Kind::File, {}, {}, parts[1] };
    // {owner}/{app}/requests/{id}[/status|/cancel]
    if (parts.size() >= 4 && parts[2] == "requests") {
        r.appId = parts[0] + "/" + parts[1];
        r.id = parts[3];
        if (parts.size() == 4 && method == "GET")
            r.kind = Route::Kind::Result;
        else if (parts.size() == 5 && parts[4] == "status" && method == "GET")
            r.kind = Route::Kind::Status;
        else if (parts.size() == 5 && parts[4] == "cancel" && method == "PUT")
            r.kind = Route::Kind::Cancel;
        return r;
    }
    if (method != "POST")
        return r;
    const bool sync = !parts.empty() && parts[0] == "sync";
    const size_t from = sync ? 1 : 0;
    if (parts.size() < from + 2)
        return r;
    r.kind = sync ? Route::Kind::Sync : Route::Kind::Submit;
    r.appId = parts[from] + "/" + parts[from + 1];
    r.model = join(parts, from);
    return r;
}

bool parseInput(const std::string& body, JobSpec& spec, json& detail)
{
    const json input = json::parse(body, nullptr, false);
    if (input.is_discarded() || !input.is_object()) {
        detail = json::array({ problem("__root__", "the body must be a JSON object", "type_error.dict") });
        return false;
    }
    const auto prompt = input.find("prompt");
    if (prompt == input.end() || !prompt->is_string()) {
        detail = json::array({ problem("prompt", "field required", "value_error.missing") });
        return false;
    }
    spec.promptHash = images::promptHash(prompt->get_ref<const std::string&>());
    // fal's named sizes (docs/protocols.md §3.1); landscape_4_3 when none is given.
    static const std::map<std::string, std::pair<int, int>, std::less<>> named = { { "square_hd", { 1024, 1024 } },
        { "square", { 512, 512 } }, { "portrait_4_3", { 768, 1024 } }, { "portrait_16_9", { 576, 1024 } },
        { "landscape_4_3", { 1024, 768 } }, { "landscape_16_9", { 1024, 576 } } };
    int64_t width = 1024, height = 768, steps = spec.steps, images = 1, seed = -1;
    if (const auto size = input.find("image_size"); size != input.end() && !size->is_null()) {
        if (size->is_string() && named.contains(size->get<std::string>())) {
            std::tie(width, height) = named.find(size->get<std::string>())->second;
        } else if (size->is_object()) {
            if (!readInt(*size, "width", 8, 4096, width, detail) || !readInt(*size, "height", 8, 4096, height, detail))
                return false;
        } else {
            detail = json::array({ problem("image_size", "must be {width, height} or a named size", "value_error") });
            return false;
        }
    }
    if (!readInt(input, "num_inference_steps", 1, 1000, steps, detail)
        || !readInt(input, "num_images", 1, 4, images, detail)
        || !readInt(input, "seed", -1, int64_t { 1 } << 53, seed, detail))
        return false;
    if (const auto g = input.find("guidance_scale"); g != input.end() && !g->is_null()) {
        if (!g->is_number()) {
            detail = json::array({ problem("guidance_scale", "value is not a valid float", "type_error.float") });
            return false;
        }
        spec.guidance = g->get<double>();
    }
    spec.width = static_cast<int>(width);
    spec.height = static_cast<int>(height);
    spec.steps = static_cast<int>(steps);
    spec.images = static_cast<int>(images);
    spec.seed = seed;
    spec.front = "fal";
    return true;
}

json submitted(const Request& r, const std::string& base, int queuePosition)
{
    const std::string root = base + "/" + r.appId + "/requests/" + r.id;
    return { { "request_id", r.id }, { "response_url", root }, { "status_url", root + "/status" },
        { "cancel_url", root + "/cancel" }, { "status", "IN_QUEUE" }, { "queue_position", queuePosition } };
}

json status(
    const Request& r, const std::optional<JobView>& view, int queuePosition, const std::string& base, int& httpStatus)
{
    json body = submitted(r, base, queuePosition);
    if (!r.truth) {
        httpStatus = 202;
        if (view && view->status == JobStatus::InProgress) {
            body["status"] = "IN_PROGRESS";
            body.erase("queue_position");
        }
        body["logs"] = nullptr;
        return body;
    }
    httpStatus = 200;
    body["status"] = "COMPLETED";
    body.erase("queue_position");
    body["logs"] = nullptr;
    const JobTruth& t = *r.truth;
    // Whole ms over 1000: the client's inference_time x 1000 is the truth's exec_ms again.
    body["metrics"] = { { "inference_time", t.workerId.empty() ? json() : json(double(t.execMs) / 1000.0) } };
    if (t.status != JobStatus::Completed) {
        body["error"] = t.error.empty() ? "Request ended " + std::string(jobStatusName(t.status)) : t.error;
        body["error_type"] = errorType(t);
    }
    return body;
}

json result(const JobTruth& truth, const std::string& base, ImageFormat format)
{
    json list = json::array();
    for (int i = 0; i < truth.spec.images; ++i)
        list.push_back(
            { { "url", base + "/files/" + images::fileName(truth, i, format) }, { "width", truth.spec.width },
                { "height", truth.spec.height }, { "content_type", std::string(images::mimeType(format)) } });
    return { { "images", std::move(list) }, { "timings", { { "inference", double(truth.execMs) / 1000.0 } } },
        { "seed", truth.seed }, { "has_nsfw_concepts", json::array() } };
}

std::string errorType(const JobTruth& truth)
{
    switch (truth.status) {
    case JobStatus::Cancelled:
        return "request_cancelled"; // the emulator's name: fal's is unconfirmed
    case JobStatus::TimedOut:
        return "request_timeout";
    default:
        return "runner_error";
    }
}

json error(const std::string& message, const std::string& type)
{
    json body = { { "detail", message } };
    if (!type.empty())
        body["error_type"] = type;
    return body;
}

} // namespace t2i::fal
