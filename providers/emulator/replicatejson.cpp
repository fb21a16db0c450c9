// SPDX-License-Identifier: Apache-2.0
#include "replicatejson.h"

#include "emulatedimage.h"

#include <QDateTime>
#include <QTimeZone>

#include <charconv>
#include <cmath>

namespace t2i::replicate {
namespace {

using nlohmann::json;

// An integer input within [min, max], if present; false (with the problem said) if it is not one.
bool readInt(const json& input, const char* key, int64_t min, int64_t max, int64_t& out, Problem& problem)
{
    const auto it = input.find(key);
    if (it == input.end() || it->is_null())
        return true;
    if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max) {
        problem = { "input." + std::string(key) + ": must be an integer between " + std::to_string(min) + " and "
                + std::to_string(max),
            "input." + std::string(key) };
        return false;
    }
    out = it->get<int64_t>();
    return true;
}

} // namespace

std::optional<Prediction> parseCreate(const std::string& body, const Route& route, JobSpec& spec, Problem& problem)
{
    const json document = json::parse(body, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        problem = { "the request body must be a JSON object", {} };
        return std::nullopt;
    }
    const auto input = document.find("input");
    if (input == document.end() || !input->is_object()) {
        problem = { "input: is required and must be an object", "input" };
        return std::nullopt;
    }
    Prediction p;
    p.input = *input;
    if (route.kind == Route::Kind::Version) {
        // "<64-hex id>", "owner/name:<id>" or, for official models, "owner/name".
        const auto version = document.find("version");
        if (version == document.end() || !version->is_string() || version->get<std::string>().empty()) {
            problem = { "version: is required", "version" };
            return std::nullopt;
        }
        const std::string text = version->get<std::string>();
        const auto colon = text.find(':');
        if (colon != std::string::npos) {
            p.model = text.substr(0, colon);
            p.version = text.substr(colon + 1);
        } else if (text.find('/') != std::string::npos) {
            p.model = text;
        } else {
            p.model = "t2ibench/emulated";
            p.version = text;
        }
    } else {
        p.model = route.owner + "/" + route.name;
        if (route.kind == Route::Kind::Deployment)
            p.deployment = p.model;
    }
    int64_t width = spec.width, height = spec.height, steps = spec.steps, images = 1, seed = -1;
    if (!readInt(*input, "width", 8, 4096, width, problem) || !readInt(*input, "height", 8, 4096, height, problem)
        || !readInt(*input, "num_inference_steps", 1, 1000, steps, problem)
        || !readInt(*input, "num_outputs", 1, 10, images, problem)
        || !readInt(*input, "seed", -1, int64_t { 1 } << 53, seed, problem))
        return std::nullopt;
    if (const auto g = input->find("guidance_scale"); g != input->end() && !g->is_null()) {
        if (!g->is_number()) {
            problem = { "input.guidance_scale: must be a number", "input.guidance_scale" };
            return std::nullopt;
        }
        spec.guidance = g->get<double>();
    }
    if (const auto prompt = input->find("prompt"); prompt != input->end() && prompt->is_string())
        spec.promptHash = images::promptHash(prompt->get_ref<const std::string&>());
    if (const auto precision = input->find("precision"); precision != input->end() && precision->is_string())
        spec.precision = precision->get<std::string>(); // our extension, as on the RunPod front
    spec.width = static_cast<int>(width);
    spec.height = static_cast<int>(height);
    spec.steps = static_cast<int>(steps);
    spec.images = static_cast<int>(images);
    spec.seed = seed;
    spec.front = "replicate";
    return p;
}

std::string status(const Prediction& p, const std::optional<JobView>& view)
{
    if (p.truth) {
        switch (p.truth->status) {
        case JobStatus::Completed:
            return "succeeded";
        case JobStatus::Cancelled:
            return p.aborted ? "aborted" : "canceled";
        default:
            return "failed";
        }
    }
    // Queued or waiting for a booting worker alike: Replicate says "starting" for both.
    return view && view->status == JobStatus::InProgress ? "processing" : "starting";
}

json prediction(const Prediction& p, const std::optional<JobView>& view, const Clock& clock, const std::string& base,
    bool removed, ImageFormat format)
{
    const std::string self = base + "/v1/predictions/" + p.id;
    json body = { { "id", p.id }, { "model", p.model }, { "version", p.version },
        { "input", removed ? json::object() : p.input }, { "logs", "" }, { "output", nullptr },
        { "data_removed", removed }, { "error", nullptr }, { "status", status(p, view) }, { "source", "api" },
        { "created_at", isoMs(clock.epochMs + p.createdMs) }, { "started_at", nullptr }, { "completed_at", nullptr },
        { "deadline", p.deadlineMs < 0 ? json() : json(isoMs(clock.epochMs + p.deadlineMs)) },
        { "urls", { { "get", self }, { "cancel", self + "/cancel" }, { "web", base + "/p/" + p.id } } },
        { "metrics", json::object() } };
    if (!p.deployment.empty())
        body["deployment"] = p.deployment;
    if (view && view->startMs >= 0)
        body["started_at"] = isoMs(clock.epochMs + view->startMs);
    if (!p.truth)
        return body;
    const JobTruth& t = *p.truth;
    const bool started = !t.workerId.empty();
    if (started)
        body["started_at"] = isoMs(clock.epochMs + t.startMs);
    body["completed_at"] = isoMs(clock.epochMs + t.finishMs);
    // Whole ms over 1000: the client's predict_time x 1000 is the truth's exec_ms again.
    json metrics = { { "total_time", double(t.finishMs - t.arrivalMs) / 1000.0 } };
    if (started)
        metrics["predict_time"] = double(t.execMs) / 1000.0;
    body["metrics"] = std::move(metrics);
    if (t.status == JobStatus::Completed && !removed) {
        json output = json::array();
        for (int i = 0; i < t.spec.images; ++i)
            output.push_back(base + "/files/" + images::fileName(t, i, format));
        body["output"] = std::move(output);
    } else if (t.status == JobStatus::Failed || t.status == JobStatus::TimedOut) {
        body["error"] = t.error.empty() ? "Prediction failed (" + std::string(jobStatusName(t.status)) + ")" : t.error;
    }
    return body;
}

std::string isoMs(int64_t epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"))
        .toStdString();
}

std::optional<int> preferWaitS(std::string_view header)
{
    if (header == "wait")
        return 60;
    if (!header.starts_with("wait="))
        return std::nullopt;
    const std::string_view digits = header.substr(5);
    int seconds = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seconds);
    // The documented pattern: 1..60, no leading zero.
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.starts_with('0') || seconds < 1
        || seconds > 60)
        return std::nullopt;
    return seconds;
}

std::optional<int64_t> durationMs(std::string_view text)
{
    double total = 0, number = 0;
    const char* p = text.data();
    const char* const end = p + text.size();
    if (p == end)
        return std::nullopt;
    if (const auto [tail, ec] = std::from_chars(p, end, number); ec == std::errc() && tail == end)
        return number < 0 || !std::isfinite(number)
            ? std::nullopt
            : std::optional<int64_t>(std::llround(number * 1000)); // bare seconds
    while (p != end) {
        const auto [tail, ec] = std::from_chars(p, end, number);
        if (ec != std::errc() || !std::isfinite(number) || number < 0)
            return std::nullopt;
        p = tail;
        const std::string_view rest(p, static_cast<size_t>(end - p));
        double unitMs = 0;
        size_t length = 1;
        if (rest.starts_with("ms")) {
            unitMs = 1, length = 2;
        } else if (rest.starts_with("us")) {
            unitMs = 1e-3, length = 2;
        } else if (rest.starts_with("ns")) {
            unitMs = 1e-6, length = 2;
        } else if (rest.starts_with('h')) {
            unitMs = 3600000;
        } else if (rest.starts_with('m')) {
            unitMs = 60000;
        } else if (rest.starts_with('s')) {
            unitMs = 1000;
        } else {
            return std::nullopt;
        }
        total += number * unitMs;
        p += length;
    }
    return std::llround(total);
}

json problem(const std::string& title, const std::string& detail, int status)
{
    return { { "title", title }, { "detail", detail }, { "status", status } };
}

} // namespace t2i::replicate
