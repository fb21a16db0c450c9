// SPDX-License-Identifier: Apache-2.0
#include "comfyuiadapter.h"

#include "util/resources.h"
#include "util/urlencode.h"
#include "json/answertext.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace t2i {
namespace {

using nlohmann::json;

constexpr const char* kDefaultWorkflow = "comfyui/sdxl_txt2img_api.json";

std::string newUuid()
{
    static thread_local std::mt19937_64 random { std::random_device {}() };
    const std::uint64_t high = random(), low = random();
    char text[37];
    std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx", unsigned(high >> 32),
        unsigned(high >> 16) & 0xffffu, unsigned(high) & 0x0fffu, (unsigned(low >> 48) & 0x3fffu) | 0x8000u,
        static_cast<unsigned long long>(low & 0xffffffffffffull));
    return text;
}

// ComfyUI's errors: {"error": {"type", "message", "details"}, "node_errors": {"<id>": {"class_type",
// "errors": [{"message", "details"}]}}} (docs/protocols.md §11.2); older versions send "error" as a string.
std::string errorText(const JsonDoc& body, const std::string& raw)
{
    const JsonPointer error("/error");
    if (body.rootType() != JsonType::Object || !body.has(error))
        return bodyExcerpt(raw);
    std::string out = body.type(error) == JsonType::String ? body.string(error) : body.string(error / "type");
    if (const std::string message = body.string(error / "message"); !message.empty())
        out += (out.empty() ? "" : ": ") + message;
    if (const std::string details = body.string(error / "details"); !details.empty())
        out += " (" + details + ")";
    const JsonPointer nodes("/node_errors");
    for (const std::string& id : body.keys(nodes)) {
        if (out.size() > 2000)
            break;
        const JsonPointer node = nodes / id;
        out += "; node " + id + " (" + body.string(node / "class_type") + ")";
        const JsonPointer errors = node / "errors";
        const std::size_t n = std::min<std::size_t>(body.elements(errors), 20);
        for (std::size_t i = 0; i < n; ++i) {
            out += ": " + body.string(errors / i / "message");
            if (const std::string details = body.string(errors / i / "details"); !details.empty())
                out += " [" + details + "]";
        }
    }
    return safeText(out, 2000);
}

// Whether a /queue list ([[number, prompt_id, prompt, extra_data, outputs], ...]) holds the id.
bool listed(const JsonDoc& body, const JsonPointer& list, const std::string& id)
{
    const std::size_t n = body.elements(list);
    for (std::size_t i = 0; i < n; ++i)
        if (body.type(list / i) == JsonType::Array && body.string(list / i / 1) == id)
            return true;
    return false;
}

// status.messages: [["execution_start", {"timestamp": ms, ...}], ...] -> the event's timestamp,
// and where its payload is (when data is given).
std::optional<double> eventTime(
    const JsonDoc& body, const JsonPointer& messages, const char* event, std::optional<JsonPointer>* data = nullptr)
{
    const std::size_t n = body.elements(messages);
    for (std::size_t i = 0; i < n; ++i) {
        const JsonPointer message = messages / i;
        if (body.type(message) != JsonType::Array || body.size(message) < 2 || body.string(message / 0) != event)
            continue;
        if (data)
            *data = message / 1;
        return body.number(message / 1 / "timestamp");
    }
    return std::nullopt;
}

// A time between two server timestamps (ms), when both are known and in order.
std::optional<double> between(std::optional<double> from, std::optional<double> to)
{
    if (!from || !to || *to < *from || !std::isfinite(*to - *from))
        return std::nullopt;
    return *to - *from;
}

} // namespace

std::string defaultComfyWorkflowPath()
{
    return findResource(kDefaultWorkflow).value_or(resourceDir() + "/" + kDefaultWorkflow);
}

ComfyUIOptions ComfyUIOptions::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    ComfyUIOptions options;
    if (!context.baseUrl.empty())
        options.baseUrl = context.baseUrl;
    options.baseUrl = withoutTrailingSlashes(std::move(options.baseUrl));
    options.apiKey = context.apiKey;
    options.pollIntervalMs = context.pollIntervalMs;
    const std::string configured = provider.settings.value("workflow", std::string());
    std::filesystem::path path
        = configured.empty() ? std::filesystem::path(defaultComfyWorkflowPath()) : std::filesystem::path(configured);
    if (path.is_relative() && !provider.configDir.empty())
        path = std::filesystem::path(provider.configDir) / path;
    options.workflowLabel = path.lexically_normal().string();
    options.workflow = loadWorkflowFile(options.workflowLabel);
    options.placed = locateSlots(options.workflow, provider.settings.value("inputs", json()), options.workflowLabel);
    options.clientId = newUuid();
    return options;
}

ComfyUIAdapter::ComfyUIAdapter(ComfyUIOptions options)
    : m_options(std::move(options))
{
    if (m_options.clientId.empty())
        m_options.clientId = newUuid();
    // Options built by hand (tests, the docs) get the same checks as ones from a config.
    if (m_options.placed.seed.empty())
        m_options.placed = locateSlots(m_options.workflow, json(), m_options.workflowLabel);
}

HttpRequest ComfyUIAdapter::make(std::string method, const std::string& path, std::string body) const
{
    HttpRequest request;
    request.method = std::move(method);
    request.url = m_options.baseUrl + path;
    if (!m_options.apiKey.empty())
        request.headers.emplace_back("Authorization", "Bearer " + m_options.apiKey);
    if (!body.empty())
        request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
    return request;
}

json ComfyUIAdapter::requestBody(const Job& job, const std::string& promptId) const
{
    return { { "prompt", fillWorkflow(m_options.workflow, m_options.placed, job) }, { "client_id", m_options.clientId },
        { "prompt_id", promptId } };
}

HttpRequest ComfyUIAdapter::submit(JobState& job)
{
    // Our own prompt_id (ComfyUI takes one since 2023): the job can be cancelled even before the
    // answer to /prompt arrives. A server that ignores it answers with its own, which is adopted.
    job.jobId = newUuid();
    job.scratch.clear();
    return make("POST", "/prompt", requestBody(job.job, job.jobId).dump());
}

Action ComfyUIAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return noAnswerFailure(response);
    if (!job.accepted)
        return onSubmitted(job, response);
    const JsonDoc body(response.body);
    if (response.status != 200) {
        if (response.status == 404 && job.scratch == "queue")
            return Action::fail(ErrorClass::ClientError, "HTTP 404 on /queue: is this a ComfyUI server?");
        return Action::fail(httpFailureClass(response.status),
            "HTTP " + std::to_string(response.status) + ": " + errorText(body, response.body));
    }
    if (!body.valid())
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from ComfyUI (" + body.error() + "): " + bodyExcerpt(response.body, 200));
    if (body.rootType() != JsonType::Object)
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from ComfyUI: " + body.at("").mismatch("an object") + ": "
                + bodyExcerpt(response.body, 200));
    if (job.scratch == "queue")
        return onQueue(job, body);
    return onHistory(job, body);
}

Action ComfyUIAdapter::onSubmitted(JobState& job, const HttpResponse& response)
{
    const JsonDoc body(response.body);
    if (response.status != 200) {
        job.jobId.clear(); // refused: nothing of ours is on the server
        return Action::fail(httpFailureClass(response.status),
            "HTTP " + std::to_string(response.status) + ": " + errorText(body, response.body));
    }
    if (!body.valid())
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from ComfyUI /prompt (" + body.error() + "): " + bodyExcerpt(response.body, 200));
    if (body.rootType() != JsonType::Object)
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from ComfyUI /prompt: " + body.at("").mismatch("an object") + ": "
                + bodyExcerpt(response.body, 200));
    if (const std::string id = body.string("/prompt_id"); !id.empty())
        job.jobId = id;
    // 200 with node_errors: the prompt is queued, its broken outputs dropped; the history tells.
    job.accepted = true;
    job.providerStatus = "pending";
    job.scratch = "queue";
    return Action::poll(make("GET", "/queue"), m_options.pollIntervalMs);
}

Action ComfyUIAdapter::onQueue(JobState& job, const JsonDoc& body)
{
    const JsonType running = body.type("/queue_running");
    const JsonType pending = body.type("/queue_pending");
    if (running == JsonType::Absent && pending == JsonType::Absent)
        return Action::fail(ErrorClass::ServerError, "ComfyUI /queue answered without queue_running/queue_pending");
    for (const auto& [type, name] : { std::pair { running, "queue_running" }, std::pair { pending, "queue_pending" } })
        if (type != JsonType::Absent && type != JsonType::Array)
            return Action::fail(ErrorClass::ServerError,
                "ComfyUI /queue answered " + body.at(JsonPointer() / name).mismatch("an array"));
    ++job.polls;
    if (listed(body, "/queue_running", job.jobId)) {
        job.providerStatus = "running";
        job.phase = JobPhase::Running;
        return Action::poll(make("GET", "/queue"), m_options.pollIntervalMs);
    }
    if (listed(body, "/queue_pending", job.jobId)) {
        job.providerStatus = "pending";
        job.phase = JobPhase::Queued;
        return Action::poll(make("GET", "/queue"), m_options.pollIntervalMs);
    }
    // Gone from the queue: ComfyUI writes the history entry before it drops the prompt from the
    // queue (one lock), so the entry is there now.
    job.scratch = "history:0";
    return Action::send(make("GET", "/history/" + percentEncode(job.jobId)), 0);
}

Action ComfyUIAdapter::onHistory(JobState& job, const JsonDoc& body)
{
    const JsonPointer entry = JsonPointer() / job.jobId;
    if (body.type(entry) != JsonType::Object) {
        const std::string_view tries
            = std::string_view(job.scratch).substr(std::min<std::size_t>(job.scratch.size(), 8));
        int empties = 0;
        std::from_chars(tries.data(), tries.data() + tries.size(), empties);
        ++empties;
        if (empties > m_options.historyRetries)
            return Action::fail(ErrorClass::ServerError,
                "the prompt left ComfyUI's queue but /history/" + safeText(job.jobId, 200)
                    + " is empty (deleted, or dropped past --max-history / a history clear)");
        job.scratch = "history:" + std::to_string(empties);
        ++job.polls;
        return Action::poll(make("GET", "/history/" + percentEncode(job.jobId)), m_options.pollIntervalMs);
    }
    const JsonPointer status = entry / "status";
    const JsonPointer messages = status / "messages";
    const auto started = eventTime(body, messages, "execution_start");
    std::optional<JsonPointer> errorData;
    const auto succeeded = eventTime(body, messages, "execution_success");
    const auto errored = eventTime(body, messages, "execution_error", &errorData);
    std::optional<JsonPointer> interruptedData;
    const auto interrupted = eventTime(body, messages, "execution_interrupted", &interruptedData);
    const auto ended = succeeded ? succeeded : errored ? errored : interrupted;
    if (const auto exec = between(started, ended))
        job.execMs = exec;
    // prompt: [number, prompt_id, graph, extra_data, outputs]; extra_data.create_time is the
    // server's receipt of POST /prompt (ms), present in ComfyUI since 2025.
    if (const auto queue = between(body.number(entry / "prompt" / 3 / "create_time"), started);
        queue && body.type(entry / "prompt") == JsonType::Array)
        job.queueMs = queue;
    const std::string statusText = body.string(status / "status_str");
    job.providerStatus = statusText.empty() ? "unknown" : safeText(statusText, 100);
    if (errorData) {
        const JsonPointer& e = *errorData;
        const std::string nodeId = body.text(e / "node_id", 100);
        const std::string node = nodeId.empty() ? "?" : nodeId;
        const std::string message = "node " + node + " (" + body.string(e / "node_type")
            + ") failed: " + body.string(e / "exception_type") + ": " + body.string(e / "exception_message");
        return Action::fail(ErrorClass::PlatformFailure, safeText(message, 2000));
    }
    if (interruptedData)
        return Action::fail(ErrorClass::Cancelled, "the prompt was interrupted on the server (POST /interrupt)");
    if (statusText != "success")
        return Action::fail(ErrorClass::PlatformFailure, "ComfyUI history status \"" + job.providerStatus + "\"");

    // outputs: {"<node>": {"images": [{filename, subfolder, type}]}}. SaveImage files are type
    // "output"; PreviewImage's "temp" ones count only when the workflow saves nothing.
    std::vector<JsonPointer> saved, previews;
    const JsonPointer outputs = entry / "outputs";
    for (const std::string& node : body.keys(outputs)) {
        const JsonPointer images = outputs / node / "images";
        const std::size_t n = body.elements(images);
        for (std::size_t i = 0; i < n; ++i) {
            const JsonPointer file = images / i;
            if (!body.string(file / "filename").empty())
                (body.string(file / "type") == "output" ? saved : previews).push_back(file);
        }
    }
    for (const JsonPointer& file : saved.empty() ? previews : saved)
        job.imageUrls.push_back(viewUrl(body, file));
    if (job.imageUrls.empty())
        return Action::fail(ErrorClass::InvalidImage,
            "ComfyUI finished without an image in outputs (does the workflow end in a SaveImage node?)");
    return Action::done();
}

std::string ComfyUIAdapter::viewUrl(const JsonDoc& body, const JsonPointer& file) const
{
    const std::string type = body.string(file / "type");
    return m_options.baseUrl + "/view?filename=" + percentEncode(body.string(file / "filename")) + "&subfolder="
        + percentEncode(body.string(file / "subfolder")) + "&type=" + percentEncode(type.empty() ? "output" : type);
}

std::optional<HttpRequest> ComfyUIAdapter::cancel(const JobState& job) const
{
    if (job.jobId.empty() || job.scratch.starts_with("history"))
        return std::nullopt; // nothing on the server, or already finished there
    if (job.providerStatus == "running")
        return make("POST", "/interrupt", json { { "prompt_id", job.jobId } }.dump());
    return make("POST", "/queue", json { { "delete", json::array({ job.jobId }) } }.dump());
}

std::optional<HttpRequest> ComfyUIAdapter::healthRequest() const
{
    return make("GET", "/queue");
}

std::optional<WorkerSample> ComfyUIAdapter::parseHealth(const HttpResponse& response) const
{
    if (response.status != 200)
        return std::nullopt;
    const JsonDoc body(response.body);
    if (body.rootType() != JsonType::Object || body.type("/queue_running") != JsonType::Array)
        return std::nullopt;
    const JsonType pending = body.type("/queue_pending");
    if (pending != JsonType::Absent && pending != JsonType::Array)
        return std::nullopt;
    // One server executes one prompt at a time: a single worker, busy or idle.
    WorkerSample sample;
    sample.tMs = response.receivedMs;
    sample.inProgress = int(std::min<std::size_t>(body.size("/queue_running"), 1000000));
    sample.inQueue = int(std::min<std::size_t>(body.size("/queue_pending"), 1000000));
    sample.running = sample.inProgress > 0 ? 1 : 0;
    sample.idle = 1 - sample.running;
    return sample;
}

} // namespace t2i
