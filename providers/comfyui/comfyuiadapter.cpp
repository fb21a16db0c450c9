// SPDX-License-Identifier: Apache-2.0
#include "comfyuiadapter.h"

#include "util/resources.h"

#include <cctype>
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

// RFC 3986 unreserved characters kept, everything else %XX (file names may hold spaces, '&', ...).
std::string percentEncoded(const std::string& text)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string text(const json& object, const char* key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// ComfyUI's errors: {"error": {"type", "message", "details"}, "node_errors": {"<id>": {"class_type",
// "errors": [{"message", "details"}]}}} (docs/protocols.md §11.2); older versions send "error" as a string.
std::string errorText(const json& body, const std::string& raw)
{
    if (!body.is_object() || !body.contains("error"))
        return raw.substr(0, 300);
    const json& error = body["error"];
    std::string out = error.is_string() ? error.get<std::string>() : text(error, "type");
    if (const std::string message = text(error, "message"); !message.empty())
        out += (out.empty() ? "" : ": ") + message;
    if (const std::string details = text(error, "details"); !details.empty())
        out += " (" + details + ")";
    if (const auto nodes = body.find("node_errors"); nodes != body.end() && nodes->is_object())
        for (const auto& [id, node] : nodes->items()) {
            out += "; node " + id + " (" + text(node, "class_type") + ")";
            if (node.contains("errors") && node["errors"].is_array())
                for (const json& e : node["errors"]) {
                    out += ": " + text(e, "message");
                    if (const std::string details = text(e, "details"); !details.empty())
                        out += " [" + details + "]";
                }
        }
    return out;
}

// The ids in one of /queue's lists: [[number, prompt_id, prompt, extra_data, outputs], ...].
bool listed(const json& list, const std::string& id)
{
    if (!list.is_array())
        return false;
    for (const json& item : list)
        if (item.is_array() && item.size() > 1 && item[1].is_string() && item[1].get_ref<const std::string&>() == id)
            return true;
    return false;
}

// status.messages: [["execution_start", {"timestamp": ms, ...}], ...] -> the event's timestamp.
std::optional<double> eventTime(const json& messages, const char* event, json* data = nullptr)
{
    if (!messages.is_array())
        return std::nullopt;
    for (const json& message : messages) {
        if (!message.is_array() || message.size() < 2 || !message[0].is_string() || message[0] != event)
            continue;
        if (data)
            *data = message[1];
        const json& payload = message[1];
        if (payload.is_object() && payload.contains("timestamp") && payload["timestamp"].is_number())
            return payload["timestamp"].get<double>();
        return std::nullopt;
    }
    return std::nullopt;
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
        return Action::fail(response.timedOut ? ErrorClass::Timeout : ErrorClass::Transport, response.transportError);
    if (!job.accepted)
        return onSubmitted(job, response);
    const json body = json::parse(response.body, nullptr, false);
    if (response.status != 200) {
        if (response.status == 404 && job.scratch == "queue")
            return Action::fail(ErrorClass::ClientError, "HTTP 404 on /queue: is this a ComfyUI server?");
        return Action::fail(classifyHttpStatus(response.status),
            "HTTP " + std::to_string(response.status) + ": " + errorText(body, response.body));
    }
    if (body.is_discarded() || !body.is_object())
        return Action::fail(ErrorClass::ServerError, "malformed JSON from ComfyUI: " + response.body.substr(0, 200));
    if (job.scratch == "queue")
        return onQueue(job, body);
    return onHistory(job, body);
}

Action ComfyUIAdapter::onSubmitted(JobState& job, const HttpResponse& response)
{
    const json body = json::parse(response.body, nullptr, false);
    if (response.status != 200) {
        job.jobId.clear(); // refused: nothing of ours is on the server
        const ErrorClass cls = classifyHttpStatus(response.status);
        return Action::fail(cls, "HTTP " + std::to_string(response.status) + ": " + errorText(body, response.body));
    }
    if (body.is_discarded() || !body.is_object())
        return Action::fail(
            ErrorClass::ServerError, "malformed JSON from ComfyUI /prompt: " + response.body.substr(0, 200));
    if (const std::string id = text(body, "prompt_id"); !id.empty())
        job.jobId = id;
    // 200 with node_errors: the prompt is queued, its broken outputs dropped; the history tells.
    job.accepted = true;
    job.providerStatus = "pending";
    job.scratch = "queue";
    return Action::poll(make("GET", "/queue"), m_options.pollIntervalMs);
}

Action ComfyUIAdapter::onQueue(JobState& job, const json& body)
{
    if (!body.contains("queue_running") && !body.contains("queue_pending"))
        return Action::fail(ErrorClass::ServerError, "ComfyUI /queue answered without queue_running/queue_pending");
    ++job.polls;
    if (listed(body.value("queue_running", json()), job.jobId)) {
        job.providerStatus = "running";
        job.phase = JobPhase::Running;
        return Action::poll(make("GET", "/queue"), m_options.pollIntervalMs);
    }
    if (listed(body.value("queue_pending", json()), job.jobId)) {
        job.providerStatus = "pending";
        job.phase = JobPhase::Queued;
        return Action::poll(make("GET", "/queue"), m_options.pollIntervalMs);
    }
    // Gone from the queue: ComfyUI writes the history entry before it drops the prompt from the
    // queue (one lock), so the entry is there now.
    job.scratch = "history:0";
    return Action::send(make("GET", "/history/" + percentEncoded(job.jobId)), 0);
}

Action ComfyUIAdapter::onHistory(JobState& job, const json& body)
{
    const auto entry = body.find(job.jobId);
    if (entry == body.end() || !entry->is_object()) {
        const int empties = std::atoi(job.scratch.c_str() + std::string("history:").size()) + 1;
        if (empties > m_options.historyRetries)
            return Action::fail(ErrorClass::ServerError,
                "the prompt left ComfyUI's queue but /history/" + job.jobId
                    + " is empty (deleted, or dropped past --max-history / a history clear)");
        job.scratch = "history:" + std::to_string(empties);
        ++job.polls;
        return Action::poll(make("GET", "/history/" + percentEncoded(job.jobId)), m_options.pollIntervalMs);
    }
    const json status = entry->value("status", json::object());
    const json messages = status.value("messages", json::array());
    const auto started = eventTime(messages, "execution_start");
    json errorData;
    json interruptedData;
    const auto succeeded = eventTime(messages, "execution_success");
    const auto errored = eventTime(messages, "execution_error", &errorData);
    const auto interrupted = eventTime(messages, "execution_interrupted", &interruptedData);
    const auto ended = succeeded ? succeeded : errored ? errored : interrupted;
    if (started && ended)
        job.execMs = *ended - *started;
    // prompt: [number, prompt_id, graph, extra_data, outputs]; extra_data.create_time is the
    // server's receipt of POST /prompt (ms), present in ComfyUI since 2025.
    const json prompt = entry->value("prompt", json());
    if (started && prompt.is_array() && prompt.size() > 3 && prompt[3].is_object()) {
        const json& extra = prompt[3];
        if (extra.contains("create_time") && extra["create_time"].is_number())
            job.queueMs = *started - extra["create_time"].get<double>();
    }
    const std::string statusText = text(status, "status_str");
    job.providerStatus = statusText.empty() ? "unknown" : statusText;
    if (errored) {
        const std::string nodeId = text(errorData, "node_id");
        const std::string node = nodeId.empty() ? "?" : nodeId;
        const std::string message = "node " + node + " (" + text(errorData, "node_type")
            + ") failed: " + text(errorData, "exception_type") + ": " + text(errorData, "exception_message");
        return Action::fail(ErrorClass::PlatformFailure, message);
    }
    if (interrupted)
        return Action::fail(ErrorClass::Cancelled, "the prompt was interrupted on the server (POST /interrupt)");
    if (statusText != "success")
        return Action::fail(ErrorClass::PlatformFailure, "ComfyUI history status \"" + job.providerStatus + "\"");

    // outputs: {"<node>": {"images": [{filename, subfolder, type}]}}. SaveImage files are type
    // "output"; PreviewImage's "temp" ones count only when the workflow saves nothing.
    std::vector<json> saved, previews;
    const json outputs = entry->value("outputs", json::object());
    for (const auto& [node, output] : outputs.items()) {
        if (!output.is_object() || !output.contains("images") || !output["images"].is_array())
            continue;
        for (const json& file : output["images"])
            if (file.is_object() && !text(file, "filename").empty())
                (text(file, "type") == "output" ? saved : previews).push_back(file);
    }
    for (const json& file : saved.empty() ? previews : saved)
        job.imageUrls.push_back(viewUrl(file));
    if (job.imageUrls.empty())
        return Action::fail(ErrorClass::InvalidImage,
            "ComfyUI finished without an image in outputs (does the workflow end in a SaveImage node?)");
    return Action::done();
}

std::string ComfyUIAdapter::viewUrl(const json& file) const
{
    const std::string type = text(file, "type");
    return m_options.baseUrl + "/view?filename=" + percentEncoded(text(file, "filename")) + "&subfolder="
        + percentEncoded(text(file, "subfolder")) + "&type=" + percentEncoded(type.empty() ? "output" : type);
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
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_object() || !body.contains("queue_running"))
        return std::nullopt;
    const json running = body.value("queue_running", json::array());
    const json pending = body.value("queue_pending", json::array());
    // One server executes one prompt at a time: a single worker, busy or idle.
    WorkerSample sample;
    sample.tMs = response.receivedMs;
    sample.inProgress = running.is_array() ? int(running.size()) : 0;
    sample.inQueue = pending.is_array() ? int(pending.size()) : 0;
    sample.running = sample.inProgress > 0 ? 1 : 0;
    sample.idle = 1 - sample.running;
    return sample;
}

} // namespace t2i
