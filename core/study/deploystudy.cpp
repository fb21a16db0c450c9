// SPDX-License-Identifier: Apache-2.0
#include "study/deploystudy.h"

#include "engine/benchmarkrunner.h"
#include "engine/localserver.h"
#include "stats/summary.h"
#include "study/deploycommand.h"

#include <algorithm>
#include <chrono>
#include <sstream>
#include <thread>

namespace t2i {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kOutputLines = 40; // of each repeat's tail, in the result
constexpr std::size_t kOutputLineChars = 400;

// One request, no warm-up: the first image of what was just deployed is the measured one.
WorkloadConfig firstImageWorkload(const WorkloadConfig& base)
{
    WorkloadConfig w;
    w.timeoutS = base.timeoutS;
    w.pollIntervalMs = base.pollIntervalMs;
    w.healthIntervalS = base.healthIntervalS;
    w.warmupRequests = 0;
    WorkloadStep one;
    one.kind = StepKind::Closed;
    one.concurrency = { 1 };
    one.requests = 1;
    w.steps = { one };
    return w;
}

std::string seconds(std::optional<double> s)
{
    return s ? formatFinding(*s, "s") : std::string("-");
}

std::string redactAll(std::string text, const std::vector<std::string>& secrets)
{
    for (const std::string& secret : secrets)
        text = redact(std::move(text), secret);
    return text;
}

// Median (nearest rank) with the min-max bracket of the repeats that reached a stage.
StudyFinding spreadFinding(const std::string& key, const std::string& label, std::vector<double> values)
{
    if (values.empty())
        return makeFinding(key, label, std::nullopt, "s");
    std::sort(values.begin(), values.end());
    if (values.size() == 1)
        return makeFinding(key, label, values.front(), "s");
    return makeFinding(key, label, quantileNearestRank(values, 0.5), "s", values.front(), values.back());
}

using Headers = std::vector<std::pair<std::string, std::string>>;

// The ready_header parameter, "Name: value" with "{{api_key}}" for the provider's key (in memory
// only): a platform's health endpoint usually wants the key.
Headers readyHeaders(const std::string& header, const std::string& apiKey)
{
    if (header.empty())
        return {};
    const auto colon = header.find(':');
    if (colon == std::string::npos || colon == 0)
        throw std::runtime_error("studies.deploy.ready_header: must be \"Name: value\", e.g. \"Authorization: "
                                 "Bearer {{api_key}}\"");
    std::string value = header.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    const std::string placeholder = "{{api_key}}";
    for (auto at = value.find(placeholder); at != std::string::npos; at = value.find(placeholder, at + apiKey.size()))
        value.replace(at, placeholder.size(), apiKey);
    return { { header.substr(0, colon), value } };
}

// Polls url with GET from now until it answers 2xx; the seconds since `started` when it did.
std::optional<double> waitUntilReady(const std::string& url, const Headers& headers, double timeoutS, double pollS,
    Clock::time_point started, StudyContext& ctx, std::string* last)
{
    const auto deadline
        = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeoutS));
    const auto pollEvery = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(pollS));
    while (!ctx.cancelled()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        std::string error;
        const int status = httpGetStatus(
            url, headers, std::clamp(left, std::chrono::milliseconds(1), std::chrono::milliseconds(10000)), &error);
        if (status >= 200 && status < 300)
            return std::chrono::duration<double>(Clock::now() - started).count();
        *last = status ? "HTTP " + std::to_string(status) : error;
        const auto next = Clock::now() + pollEvery;
        if (next >= deadline)
            return std::nullopt;
        while (Clock::now() < next && !ctx.cancelled())
            std::this_thread::sleep_for(std::min<Clock::duration>(next - Clock::now(), std::chrono::milliseconds(100)));
    }
    *last = "cancelled";
    return std::nullopt;
}

std::string exitText(const DeployRepeat& r)
{
    if (!r.exitStatus)
        return "-";
    return *r.exitStatus < 0 ? "signal " + std::to_string(-*r.exitStatus) : std::to_string(*r.exitStatus);
}

DeployRepeat deployOnce(StudyContext& ctx, int index, const Headers& headers)
{
    const nlohmann::json& params = ctx.params();
    const std::vector<std::string> secrets = ctx.secrets();
    const double commandTimeoutS = params["command_timeout_s"].get<double>();
    const double readyTimeoutS = params["ready_timeout_s"].get<double>();
    const std::string readyUrl = params["ready_url"].get<std::string>();
    const std::string n = std::to_string(index);
    DeployRepeat r;
    ctx.progress("repeat " + n + ": the deploy command");
    const auto started = Clock::now();
    const DeployCommandOutcome command = runDeployCommand(
        params["command"].get<std::string>(), configDir(ctx.config()),
        std::chrono::milliseconds(std::int64_t(commandTimeoutS * 1000)), [&ctx] { return ctx.cancelled(); }, secrets);
    r.exitStatus = command.exitStatus;
    r.commandS = command.durationS;
    r.outputTail = command.outputTail;
    std::ostringstream limit;
    if (!command.error.empty()) {
        r.stoppedAt = "the command could not start: " + redactAll(command.error, secrets);
        return r;
    }
    if (command.cancelled) {
        r.stoppedAt = "cancelled while the command ran";
        return r;
    }
    if (command.timedOut) {
        limit << commandTimeoutS;
        r.stoppedAt = "the command ran past command_timeout_s (" + limit.str() + " s) and was killed";
        return r;
    }
    if (*r.exitStatus != 0) {
        r.stoppedAt = "the command failed (exit status " + exitText(r) + ")";
        return r;
    }
    ctx.progress("repeat " + n + ": waiting for " + redactAll(readyUrl, secrets));
    std::string last;
    r.readyS = waitUntilReady(readyUrl, headers, readyTimeoutS, params["poll_s"].get<double>(), started, ctx, &last);
    if (!r.readyS) {
        limit << readyTimeoutS;
        r.stoppedAt = ctx.cancelled() ? "cancelled while waiting for ready_url"
                                      : redactAll("ready_url did not answer 2xx within " + limit.str()
                                              + " s (ready_timeout_s; last: " + last + ")",
                                          secrets);
        return r;
    }
    const StudyProbe probe = ctx.run(firstImageWorkload(ctx.config().workload), "first image " + n);
    const auto first = std::find_if(
        probe.records.begin(), probe.records.end(), [](const RequestRecord& rec) { return rec.step >= 0; });
    if (first == probe.records.end())
        r.stoppedAt = "the first image's run made no request: " + redactAll(probe.message, secrets);
    else if (!first->ok)
        r.stoppedAt = "the first request failed: " + redactAll(first->errorMessage, secrets);
    else {
        r.firstImageLatencyS = first->latencyMs() / 1000.0;
        r.firstImageS = *r.readyS + *r.firstImageLatencyS;
    }
    return r;
}

} // namespace

std::string lastLines(const std::string& text, std::size_t lines)
{
    std::size_t from = text.size();
    if (from > 0 && text.back() == '\n')
        --from; // the final newline ends the last line
    for (std::size_t seen = 0; from > 0; --from)
        if (text[from - 1] == '\n' && ++seen == lines)
            break;
    return text.substr(from);
}

StudyResult analyzeDeploy(const std::vector<DeployRepeat>& repeats)
{
    StudyResult r;
    r.kind = "deploy";
    std::vector<double> command, ready, image;
    for (const DeployRepeat& d : repeats) {
        if (d.exitStatus == 0)
            command.push_back(d.commandS);
        if (d.readyS)
            ready.push_back(*d.readyS);
        if (d.firstImageS)
            image.push_back(*d.firstImageS);
    }
    r.findings.push_back(spreadFinding("deploy_command_s", "Deploy command (median; min-max)", command));
    r.findings.push_back(spreadFinding("ready_s", "Command start to ready (median; min-max)", ready));
    r.findings.push_back(spreadFinding("first_image_s", "Command start to first image (median; min-max)", image));

    const std::string of
        = " (median of " + std::to_string(image.size()) + " repeat" + (image.size() == 1 ? "" : "s") + ")";
    if (!image.empty())
        r.answer = "The deploy command took " + r.findings[0].text + "; its endpoint answered after "
            + r.findings[1].text + " and gave its first image after " + r.findings[2].text
            + ", counted from the command's start" + of + ".";
    else if (repeats.empty())
        r.answer = "No repeat was made.";
    else
        r.answer = "No repeat reached a first image: " + repeats.front().stoppedAt + ".";

    StudyTable table { "Repeats",
        { "repeat", "exit status", "command", "ready", "first image", "first request", "stopped" }, {} };
    StudyTable output { "Output (last lines of each repeat, redacted)", { "repeat", "line" }, {} };
    for (std::size_t i = 0; i < repeats.size(); ++i) {
        const DeployRepeat& d = repeats[i];
        const std::string n = std::to_string(i + 1);
        table.rows.push_back({ n, exitText(d), seconds(d.commandS), seconds(d.readyS), seconds(d.firstImageS),
            seconds(d.firstImageLatencyS), d.stoppedAt.empty() ? "-" : d.stoppedAt });
        std::istringstream lines(lastLines(d.outputTail, kOutputLines));
        for (std::string line; std::getline(lines, line);)
            output.rows.push_back(
                { n, line.size() > kOutputLineChars ? line.substr(0, kOutputLineChars) + " [...]" : line });
    }
    r.tables.push_back(std::move(table));
    r.tables.push_back(std::move(output));
    const auto failed
        = std::count_if(repeats.begin(), repeats.end(), [](const DeployRepeat& d) { return !d.firstImageS; });
    if (failed > 0 && !image.empty())
        r.notes.push_back(std::to_string(failed)
            + " repeat(s) stopped before a first image (the table says where) and "
              "are left out of the stages they did not reach.");
    r.notes.push_back("Times count from the command's start. ready_url is polled from the command's exit, every "
                      "poll_s, so a ready time is up to poll_s late; the first image's time is the ready time plus "
                      "the first request's end-to-end latency (the runner's own setup between them is left out).");
    return r;
}

StudyType deployStudyType()
{
    using K = StudyParam::Kind;
    StudyType t;
    t.kind = "deploy";
    t.title = "Deploy";
    t.summary = "how long from a deploy command's start until the endpoint is ready and gives its first image";
    t.params = {
        { "command", K::String, nullptr,
            "the deploy command, run with /bin/sh -c in the configuration's folder (terraform apply, modal deploy, a "
            "script)",
            std::nullopt, std::nullopt },
        { "ready_url", K::String, nullptr, "polled with GET after the command until it answers 2xx", std::nullopt,
            std::nullopt },
        { "ready_header", K::String, "",
            "one header sent with each GET of ready_url, \"Name: value\"; {{api_key}} is the provider's key",
            std::nullopt, std::nullopt },
        { "command_timeout_s", K::Number, 1800, "the command is killed (with its process group) after this long", 1,
            std::nullopt },
        { "ready_timeout_s", K::Number, 900, "the longest wait for ready_url after the command", 0.1, std::nullopt },
        { "poll_s", K::Number, 2, "seconds between two GETs of ready_url", 0.05, 600 },
        { "repeat", K::Integer, 1, "deploys, one after the other", 1, 100 },
    };
    t.run = [](StudyContext& ctx) {
        // Checked before the first command runs: a typo here must not cost a deploy.
        const Headers headers = readyHeaders(ctx.params()["ready_header"].get<std::string>(), ctx.apiKey());
        std::vector<DeployRepeat> repeats;
        const int count = ctx.params()["repeat"].get<int>();
        for (int i = 1; i <= count && !ctx.cancelled(); ++i)
            repeats.push_back(deployOnce(ctx, i, headers));
        StudyResult r = analyzeDeploy(repeats);
        r.notes.push_back("Command: " + redactAll(ctx.params()["command"].get<std::string>(), ctx.secrets()));
        return r;
    };
    return t;
}

} // namespace t2i
