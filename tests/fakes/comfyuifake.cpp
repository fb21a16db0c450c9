// SPDX-License-Identifier: Apache-2.0
#include "comfyuifake.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace t2itest {
namespace {

using nlohmann::json;

FakeResponse comfyError(int status, const std::string& type, const std::string& message, const std::string& details,
    json nodeErrors = json::object())
{
    return FakeResponse::json(status,
        { { "error",
              { { "type", type }, { "message", message }, { "details", details }, { "extra_info", json::object() } } },
            { "node_errors", std::move(nodeErrors) } });
}

bool isOutputNode(const std::string& classType)
{
    return classType == "SaveImage" || classType == "PreviewImage";
}

// ComfyUI's per-input validation error, as validate_inputs reports it.
json inputError(const std::string& type, const std::string& message, const std::string& input)
{
    return { { "type", type }, { "message", message }, { "details", input },
        { "extra_info", { { "input_name", input } } } };
}

} // namespace

ComfyUIFake::ComfyUIFake(ComfyUIFakeOptions options)
    : m_options(options)
{
}

std::int64_t ComfyUIFake::epoch(double ms) const
{
    return m_options.epochMs + std::int64_t(std::llround(ms));
}

void ComfyUIFake::failNextExecution(std::string exceptionType, std::string exceptionMessage)
{
    std::lock_guard lock(m_mutex);
    m_failType = std::move(exceptionType);
    m_failMessage = std::move(exceptionMessage);
}

void ComfyUIFake::overrideNext(std::string pathPrefix, FakeResponse response)
{
    std::lock_guard lock(m_mutex);
    m_overrides.add(std::move(pathPrefix), std::move(response));
}

std::vector<ComfyUIFake::Reported> ComfyUIFake::reported() const
{
    std::lock_guard lock(m_mutex);
    return m_reported;
}

std::optional<ComfyUIFake::Reported> ComfyUIFake::reportedFor(const std::string& promptId) const
{
    std::lock_guard lock(m_mutex);
    for (const Reported& r : m_reported)
        if (r.promptId == promptId)
            return r;
    return std::nullopt;
}

int ComfyUIFake::activeJobs(double nowMs) const
{
    std::lock_guard lock(m_mutex);
    return m_gpu.active(nowMs);
}

int ComfyUIFake::deletedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_deleted;
}

int ComfyUIFake::interruptedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_interrupted;
}

FakeResponse ComfyUIFake::handle(const FakeRequest& request)
{
    std::lock_guard lock(m_mutex);
    // The web UI's routes are mounted twice: /prompt and /api/prompt are the same.
    const std::string path = request.path.starts_with("/api/") ? request.path.substr(4) : request.path;
    if (auto response = m_overrides.take(path))
        return std::move(*response);
    advance(request.atMs);
    return route(request, path);
}

FakeResponse ComfyUIFake::route(const FakeRequest& request, const std::string& path)
{
    const std::string& method = request.method;
    if (path == "/prompt" && method == "POST")
        return postPrompt(request);
    if (path == "/prompt" && method == "GET")
        return FakeResponse::json(200, { { "exec_info", { { "queue_remaining", m_gpu.active(request.atMs) } } } });
    if (path == "/queue" && method == "GET")
        return getQueue(request.atMs);
    if (path == "/queue" && method == "POST")
        return postQueue(request);
    if (path == "/interrupt" && method == "POST")
        return postInterrupt(request);
    if (path.starts_with("/history/") && method == "GET")
        return getHistory(path.substr(std::string("/history/").size()));
    if (path == "/history" && method == "GET") {
        json all = json::object();
        for (const std::string& id : m_historyOrder)
            all[id] = m_history.at(id);
        return FakeResponse::json(200, all);
    }
    if (path == "/view" && method == "GET")
        return getView(request);
    if (path == "/system_stats" && method == "GET")
        return FakeResponse::json(200,
            { { "system",
                  { { "os", "posix" }, { "comfyui_version", "0.3.60" }, { "python_version", "3.12.3" },
                      { "pytorch_version", "2.8.0+cu128" }, { "ram_total", 135089553408 },
                      { "ram_free", 120000000000 } } },
                { "devices",
                    json::array({ { { "name", "cuda:0 NVIDIA H200 : cudaMallocAsync" }, { "type", "cuda" },
                        { "index", 0 }, { "vram_total", 150110060544 }, { "vram_free", 120000000000 } } }) } });
    return FakeResponse::bytes(404, "404: Not Found", "text/plain; charset=utf-8"); // aiohttp's page
}

FakeResponse ComfyUIFake::postPrompt(const FakeRequest& request)
{
    const json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded())
        return FakeResponse::bytes(
            500, "500 Internal Server Error\n\nServer got itself in trouble", "text/plain; charset=utf-8");
    if (!body.is_object() || !body.contains("prompt"))
        return comfyError(400, "no_prompt", "No prompt provided", "No prompt provided");
    const json& graph = body["prompt"];
    if (!graph.is_object())
        return comfyError(400, "invalid_prompt", "Invalid prompt", "the prompt is not an object");

    Prompt prompt;
    json nodeErrors = json::object();
    for (const auto& [id, node] : graph.items()) {
        if (!node.is_object() || !node.contains("class_type"))
            return comfyError(400, "missing_node_type",
                "Cannot execute because a node is missing the class_type property.", "Node ID '#" + id + "'");
        const std::string cls = node["class_type"].get<std::string>();
        const json inputs = node.value("inputs", json::object());
        json errors = json::array();
        if (isOutputNode(cls))
            prompt.outputNodes.push_back(id);
        if (cls == "KSampler" || cls == "KSamplerAdvanced") {
            const char* seedName = cls == "KSampler" ? "seed" : "noise_seed";
            const json seed = inputs.value(seedName, json());
            if (!seed.is_number_integer() || seed.get<std::int64_t>() < 0)
                errors.push_back(
                    inputError("invalid_input_type", "Failed to convert an input value to a INT value", seedName));
            else
                prompt.seed = seed.get<std::int64_t>();
            const json steps = inputs.value("steps", json());
            if (!steps.is_number_integer())
                errors.push_back(
                    inputError("invalid_input_type", "Failed to convert an input value to a INT value", "steps"));
            else if (steps.get<int>() < 1)
                errors.push_back(
                    inputError("value_smaller_than_min", "Value " + steps.dump() + " smaller than min of 1", "steps"));
            if (!inputs.value("cfg", json()).is_number())
                errors.push_back(
                    inputError("invalid_input_type", "Failed to convert an input value to a FLOAT value", "cfg"));
        }
        if (cls == "EmptyLatentImage" || cls == "EmptySD3LatentImage") {
            for (const char* key : { "width", "height" }) {
                const json v = inputs.value(key, json());
                if (!v.is_number_integer())
                    errors.push_back(
                        inputError("invalid_input_type", "Failed to convert an input value to a INT value", key));
                else if (v.get<int>() < 16)
                    errors.push_back(
                        inputError("value_smaller_than_min", "Value " + v.dump() + " smaller than min of 16", key));
            }
            const json batch = inputs.value("batch_size", json(1));
            if (!batch.is_number_integer() || batch.get<int>() < 1)
                errors.push_back(inputError(
                    "value_smaller_than_min", "Value " + batch.dump() + " smaller than min of 1", "batch_size"));
            if (errors.empty()) {
                prompt.width = inputs["width"].get<int>();
                prompt.height = inputs["height"].get<int>();
                prompt.batch = batch.get<int>();
            }
        }
        if (!errors.empty())
            nodeErrors[id] = { { "errors", errors }, { "dependent_outputs", json::array() }, { "class_type", cls } };
    }
    if (prompt.outputNodes.empty())
        return comfyError(400, "prompt_no_outputs", "Prompt has no outputs", "");
    if (!nodeErrors.empty())
        return comfyError(400, "prompt_outputs_failed_validation", "Prompt outputs failed validation", "", nodeErrors);

    char generated[64];
    std::snprintf(generated, sizeof generated, "fake-%08d-0000-4000-8000-000000000000", m_number);
    prompt.id = body.value("prompt_id", std::string(generated));
    prompt.number = m_number++;
    prompt.graph = graph;
    prompt.extraData = body.value("extra_data", json::object());
    if (body.contains("client_id"))
        prompt.extraData["client_id"] = body["client_id"];
    if (m_options.reportCreateTime)
        prompt.extraData["create_time"] = epoch(request.atMs);
    prompt.failType = std::exchange(m_failType, {});
    prompt.failMessage = std::exchange(m_failMessage, {});
    // A failing prompt dies halfway through sampling.
    const double exec = prompt.failType.empty() ? m_options.execMs : m_options.execMs / 2.0;
    prompt.slot = m_gpu.add(request.atMs, exec);
    const json answer = { { "prompt_id", prompt.id }, { "number", prompt.number }, { "node_errors", json::object() } };
    m_prompts.push_back(std::move(prompt));
    return FakeResponse::json(200, answer);
}

json ComfyUIFake::queueItem(const Prompt& prompt) const
{
    return json::array({ prompt.number, prompt.id, prompt.graph, prompt.extraData, prompt.outputNodes });
}

FakeResponse ComfyUIFake::getQueue(double now)
{
    json running = json::array(), pending = json::array();
    for (const Prompt& p : m_prompts) {
        if (p.deleted)
            continue;
        if (m_gpu.running(p.slot, now))
            running.push_back(queueItem(p));
        else if (m_gpu.queued(p.slot, now))
            pending.push_back(queueItem(p));
    }
    return FakeResponse::json(200, { { "queue_running", running }, { "queue_pending", pending } });
}

FakeResponse ComfyUIFake::postQueue(const FakeRequest& request)
{
    const json body = json::parse(request.body, nullptr, false);
    if (!body.is_object())
        return FakeResponse::bytes(
            500, "500 Internal Server Error\n\nServer got itself in trouble", "text/plain; charset=utf-8");
    const bool clear = body.value("clear", false);
    std::vector<std::string> ids;
    if (body.contains("delete") && body["delete"].is_array())
        for (const json& id : body["delete"])
            if (id.is_string())
                ids.push_back(id.get<std::string>());
    for (Prompt& p : m_prompts) {
        const bool named = clear || std::find(ids.begin(), ids.end(), p.id) != ids.end();
        // Only pending prompts are deleted; a running one needs /interrupt.
        if (named && !p.deleted && m_gpu.queued(p.slot, request.atMs)) {
            m_gpu.remove(p.slot, request.atMs);
            p.deleted = true;
            ++m_deleted;
        }
    }
    return FakeResponse::bytes(200, "", "text/plain");
}

FakeResponse ComfyUIFake::postInterrupt(const FakeRequest& request)
{
    const json body = json::parse(request.body.empty() ? std::string("{}") : request.body, nullptr, false);
    const std::string target = body.is_object() ? body.value("prompt_id", std::string()) : std::string();
    for (Prompt& p : m_prompts) {
        if (p.deleted || !m_gpu.running(p.slot, request.atMs) || p.interrupted)
            continue;
        // A targeted interrupt for a prompt that is not running does nothing (server.py).
        if (!target.empty() && target != p.id)
            break;
        m_gpu.stop(p.slot, std::min(m_gpu.at(p.slot).endMs, request.atMs + m_options.interruptDelayMs));
        p.interrupted = true;
        ++m_interrupted;
        break;
    }
    return FakeResponse::bytes(200, "", "text/plain");
}

void ComfyUIFake::advance(double now)
{
    std::vector<Prompt*> done;
    for (Prompt& p : m_prompts)
        if (!p.deleted && !p.finalized && m_gpu.finished(p.slot, now))
            done.push_back(&p);
    std::sort(done.begin(), done.end(),
        [this](const Prompt* a, const Prompt* b) { return m_gpu.at(a->slot).endMs < m_gpu.at(b->slot).endMs; });
    for (Prompt* p : done) {
        p->finalized = true;
        const SingleGpuSchedule::Slot& slot = m_gpu.at(p->slot);
        Reported report { p->id, p->extraData.value("create_time", std::int64_t(0)), epoch(slot.startMs),
            epoch(slot.endMs), {}, {} };
        json messages = json::array();
        messages.push_back({ "execution_start", { { "prompt_id", p->id }, { "timestamp", report.startTime } } });
        messages.push_back({ "execution_cached",
            { { "nodes", json::array() }, { "prompt_id", p->id }, { "timestamp", report.startTime } } });
        json entry = { { "prompt", json::array({ p->number, p->id, p->graph, p->extraData, p->outputNodes }) },
            { "outputs", json::object() }, { "meta", json::object() } };
        if (p->interrupted) {
            report.outcome = "interrupted";
            messages.push_back({ "execution_interrupted",
                { { "prompt_id", p->id }, { "node_id", "3" }, { "node_type", "KSampler" },
                    { "executed", json::array() }, { "timestamp", report.endTime } } });
            entry["status"] = { { "status_str", "error" }, { "completed", false }, { "messages", messages } };
        } else if (!p->failType.empty()) {
            report.outcome = "error";
            messages.push_back({ "execution_error",
                { { "prompt_id", p->id }, { "node_id", "3" }, { "node_type", "KSampler" },
                    { "executed", json::array({ "4", "5", "6", "7" }) }, { "exception_message", p->failMessage },
                    { "exception_type", p->failType },
                    { "traceback", json::array({ "  File \"execution.py\", line 496, in execute\n" }) },
                    { "current_inputs", json::object() }, { "current_outputs", json::object() },
                    { "timestamp", report.endTime } } });
            entry["status"] = { { "status_str", "error" }, { "completed", false }, { "messages", messages } };
        } else {
            report.outcome = "success";
            const std::string node = p->outputNodes.front();
            const std::string prefix = p->graph[node]["inputs"].value("filename_prefix", std::string("ComfyUI"));
            const bool temp = p->graph[node].value("class_type", std::string()) == "PreviewImage";
            json images = json::array();
            for (int i = 0; i < p->batch; ++i) {
                char name[200];
                std::snprintf(name, sizeof name, "%s_%05d_.png", prefix.c_str(), ++m_fileCounter);
                m_files[name] = pngDataOf(p->width, p->height, std::uint32_t(p->seed) + std::uint32_t(i));
                images.push_back({ { "filename", name }, { "subfolder", "" }, { "type", temp ? "temp" : "output" } });
                report.files.push_back(name);
            }
            entry["outputs"][node] = { { "images", images } };
            entry["meta"][node] = { { "node_id", node }, { "display_node", node }, { "parent_node", nullptr },
                { "real_node_id", node } };
            messages.push_back({ "execution_success", { { "prompt_id", p->id }, { "timestamp", report.endTime } } });
            entry["status"] = { { "status_str", "success" }, { "completed", true }, { "messages", messages } };
        }
        m_reported.push_back(report);
        m_history[p->id] = std::move(entry);
        m_historyOrder.push_back(p->id);
        while (m_historyOrder.size() > m_options.maxHistory) {
            m_history.erase(m_historyOrder.front());
            m_historyOrder.erase(m_historyOrder.begin());
        }
    }
}

FakeResponse ComfyUIFake::getHistory(const std::string& id)
{
    const auto it = m_history.find(id);
    if (it == m_history.end())
        return FakeResponse::json(200, json::object());
    return FakeResponse::json(200, { { id, it->second } });
}

FakeResponse ComfyUIFake::getView(const FakeRequest& request)
{
    const std::string name = request.queryItem("filename");
    const auto it = m_files.find(name);
    if (it == m_files.end() || request.queryItem("subfolder") != "")
        return FakeResponse::bytes(404, "404: Not Found", "text/plain; charset=utf-8");
    return FakeResponse::bytes(200, it->second, "image/png", m_options.viewDelayMs);
}

} // namespace t2itest
