// SPDX-License-Identifier: Apache-2.0
#include "answerfuzzer.h"

#include "registry/registry.h"
#include "json/answertext.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

namespace t2ifuzz {
namespace {

using nlohmann::json;
using t2i::Action;
using t2i::HttpRequest;
using t2i::HttpResponse;

// ---- odd values ----------------------------------------------------------------------------

json oddScalar(Entropy& e)
{
    switch (e.below(22)) {
    case 0:
        return nullptr;
    case 1:
        return true;
    case 2:
        return false;
    case 3:
        return 0;
    case 4:
        return -1;
    case 5:
        return 1.5;
    case 6:
        return 1e308;
    case 7:
        return -1e308;
    case 8:
        return std::numeric_limits<std::int64_t>::max();
    case 9:
        return std::numeric_limits<std::int64_t>::min();
    case 10:
        return std::numeric_limits<std::uint64_t>::max();
    case 11:
        return "";
    case 12:
        return "x";
    case 13:
        return std::string(std::size_t(1) << (8 + e.below(9)), 'A'); // 256 B .. 64 KiB
    case 14:
        return "null";
    case 15:
        return e.pick(std::vector<std::string> { "IN_QUEUE", "IN_PROGRESS", "COMPLETED", "FAILED", "starting",
            "processing", "succeeded", "failed", "canceled", "queued", "generating", "completed", "SUCCEEDED", "QUEUED",
            "DONE", "ERROR", "running", "success", "CONTENT_FILTERED", "content_moderation" });
    case 16:
        return "http://example.invalid/a b\r\nX-Injected: 1";
    case 17:
        return "data:image/png;base64,!!!not-base64";
    case 18:
        return "https://example.invalid/image.png";
    case 19:
        return "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
    case 20:
        return "s3://bucket/key with space/\xC3\xA9";
    default:
        return -0.0;
    }
}

json oddContainer(Entropy& e)
{
    switch (e.below(6)) {
    case 0:
        return json::array();
    case 1:
        return json::object();
    case 2:
        return json::array({ nullptr });
    case 3:
        return json { { "", nullptr } };
    case 4: {
        json deep = json::array();
        const std::size_t depth = 2 + e.below(400);
        for (std::size_t i = 0; i < depth; ++i)
            deep = json::array({ std::move(deep) });
        return deep;
    }
    default: {
        json many = json::array();
        const std::size_t n = e.below(600);
        for (std::size_t i = 0; i < n; ++i)
            many.push_back(i % 2 ? json("x") : json(i));
        return many;
    }
    }
}

json oddValue(Entropy& e)
{
    return e.percent(70) ? oddScalar(e) : oddContainer(e);
}

// Every node of a document, as pointers (at most `limit`, breadth first from the root).
std::vector<json::json_pointer> nodesOf(const json& root, std::size_t limit = 400)
{
    std::vector<json::json_pointer> out { json::json_pointer() };
    for (std::size_t i = 0; i < out.size() && out.size() < limit; ++i) {
        const json& node = root.at(out[i]);
        if (node.is_object()) {
            for (const auto& [key, value] : node.items())
                out.push_back(out[i] / key);
        } else if (node.is_array()) {
            for (std::size_t k = 0; k < node.size() && out.size() < limit; ++k)
                out.push_back(out[i] / k);
        }
    }
    return out;
}

void mutateTree(json& root, Entropy& e, const std::vector<std::string>& keys)
{
    const auto nodes = nodesOf(root);
    const json::json_pointer at = e.pick(nodes);
    json& node = root.at(at);
    switch (e.below(10)) {
    case 0:
    case 1:
        node = oddScalar(e);
        return;
    case 2:
        node = oddContainer(e);
        return;
    case 3: // drop it
        if (at.empty()) {
            root = json::object();
            return;
        }
        {
            json& parent = root.at(at.parent_pointer());
            if (parent.is_object())
                parent.erase(at.back());
            else if (parent.is_array())
                parent.erase(parent.begin() + static_cast<std::ptrdiff_t>(std::stoul(at.back())));
        }
        return;
    case 4: // another part of the document here: types confused
        node = json(root.at(e.pick(nodes)));
        return;
    case 5: // wrapped
        node = e.percent(50) ? json::array({ node }) : json { { "value", node } };
        return;
    case 6: // a known key set to an odd value, on some object
        if (!keys.empty()) {
            for (const auto& p : nodes)
                if (root.at(p).is_object() && e.percent(40)) {
                    root.at(p)[e.pick(keys)] = oddValue(e);
                    return;
                }
            if (root.is_object())
                root[e.pick(keys)] = oddValue(e);
        }
        return;
    case 7: // a key renamed
        if (!at.empty()) {
            json& parent = root.at(at.parent_pointer());
            if (parent.is_object()) {
                json moved = std::move(node);
                parent.erase(at.back());
                parent[at.back() + (e.percent(50) ? "_" : "X")] = std::move(moved);
            }
        }
        return;
    case 8: // numbers as strings and strings as numbers
        if (node.is_number())
            node = node.dump();
        else if (node.is_string())
            node = node.get<std::string>().size();
        else
            node = oddScalar(e);
        return;
    default: // the whole answer something else
        root = oddValue(e);
        return;
    }
}

// Byte-level changes to JSON text, the kinds nlohmann cannot represent.
void mutateText(std::string& text, Entropy& e, const std::vector<std::string>& keys)
{
    static const std::vector<std::string> badUtf8
        = { "\xFF", "\xC3\x28", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\xC0\xAF", std::string("\0", 1) };
    static const std::vector<std::string> oddNumbers = { "1e400", "-1e400", "123456789012345678901234567890", "01",
        "1.", ".5", "NaN", "Infinity", "-", "1e", "0x10", "+1", "-0", "1E+2", "18446744073709551616" };
    switch (e.below(9)) {
    case 0: // cut short
        text.resize(e.below(text.size() + 1));
        return;
    case 1: // a byte flipped
        if (!text.empty())
            text[e.below(text.size())] ^= char(1u << e.below(8));
        return;
    case 2: { // invalid UTF-8, inside a string when there is one
        const std::size_t quote = text.find('"', e.below(text.size() + 1));
        const std::size_t at = quote == std::string::npos ? e.below(text.size() + 1) : quote + 1;
        text.insert(std::min(at, text.size()), e.pick(badUtf8));
        return;
    }
    case 3: { // a duplicate key
        const std::size_t brace = text.find('{', e.below(text.size() + 1));
        if (brace != std::string::npos && !keys.empty())
            text.insert(brace + 1, "\"" + e.pick(keys) + "\":" + (e.percent(50) ? "null" : "[]") + ",");
        return;
    }
    case 4: { // a number no parser agrees on
        std::size_t at = text.find_first_of("0123456789", e.below(text.size() + 1));
        if (at == std::string::npos)
            return;
        std::size_t end = at;
        while (end < text.size() && std::string_view("0123456789.eE+-").find(text[end]) != std::string_view::npos)
            ++end;
        text.replace(at, end - at, e.pick(oddNumbers));
        return;
    }
    case 5: // something after the document
        text += e.pick(std::vector<std::string> { "}", " x", "{}", "\n{\"a\":1}", ",", std::string("\0", 1) });
        return;
    case 6: // something before it
        text.insert(0, e.pick(std::vector<std::string> { "\xEF\xBB\xBF", " ", "[", "\x00", ")]}'\n" }));
        return;
    case 7: // deep nesting written out
    {
        const std::size_t depth = 200 + e.below(2000);
        text = std::string(depth, '[') + text + std::string(e.percent(80) ? depth : depth / 2, ']');
    }
        return;
    default: // not JSON at all
        text = e.pick(std::vector<std::string> { "", " ", "null", "[]", "{}", "oops",
            "<html><body><h1>502 Bad Gateway</h1></body></html>", "{\"id\": ", "\"just a string\"", "42",
            "{\"error\": {\"message\": \"x\"}}", std::string(70000, '{') });
        return;
    }
}

const std::vector<int>& oddStatuses()
{
    static const std::vector<int> statuses = { 0, 100, 200, 201, 202, 204, 301, 303, 400, 401, 403, 404, 409, 410, 413,
        422, 429, 500, 502, 503, 504, 599 };
    return statuses;
}

std::string oddHeaderValue(Entropy& e, const std::string& name)
{
    if (name == "content-type")
        return e.pick(std::vector<std::string> { "application/json", "application/json; charset=utf-8", "image/png",
            "image/jpeg", "image/", "IMAGE/PNG", "text/html", "", "application/octet-stream", "\xFF\xFE" });
    if (name.find("retry-after") != std::string::npos || name == "openai-processing-ms" || name == "x-process-time")
        return e.pick(std::vector<std::string> { "2", "0", "-1", "nan", "inf", "-inf", "1e999", "", "3.5", " 5", "5 ",
            "Wed, 21 Oct 2015 07:28:00 GMT", "99999999999999999999", "0x10", "1e-400", "2s" });
    if (name.find("location") != std::string::npos)
        return e.pick(std::vector<std::string> { "s3://sm-async/out/x.out", "s3://", "s3:///key", "s3://b",
            "s3://b/\xFF\xFE", "http://example.invalid/out", "", "s3://b/k\r\nX: y" });
    return e.pick(std::vector<std::string> { "", "x", "CONTENT_FILTERED", "content_moderation", "\xFF\xFE\xFD",
        std::string(5000, 'h'), "a\tb", "ValidationError:http://internal", "ModelError", "ThrottlingException" });
}

const std::vector<std::string>& headerNames()
{
    static const std::vector<std::string> names
        = { "content-type", "retry-after", "retry-after-ms", "x-request-id", "openai-processing-ms", "x-process-time",
              "x-fal-error-type", "finish-reason", "modal-function-call-id", "x-amzn-requestid", "x-amzn-errortype",
              "x-amzn-sagemaker-outputlocation", "x-amzn-sagemaker-failurelocation", "location" };
    return names;
}

void setHeader(t2i::HttpHeaders& headers, const std::string& name, std::string value)
{
    for (auto& [n, v] : headers)
        if (n == name) {
            v = std::move(value);
            return;
        }
    headers.emplace_back(name, std::move(value));
}

// Fixture ids in a canned answer become the job's own (else a history or queue lookup never
// matches and the later phases are never reached).
std::string withJobId(std::string body, const std::vector<std::string>& fixtureIds, const std::string& jobId)
{
    if (jobId.empty())
        return body;
    for (const std::string& id : fixtureIds) {
        const std::string quoted = "\"" + id + "\"";
        const std::string replacement = json(jobId).dump();
        for (std::size_t at = body.find(quoted); at != std::string::npos;
             at = body.find(quoted, at + replacement.size()))
            body.replace(at, quoted.size(), replacement);
    }
    return body;
}

std::string excerpt(const std::string& text, std::size_t max = 240)
{
    std::string out = t2i::safeText(text, max);
    for (char& c : out)
        if (c == '\n' || c == '\r')
            c = ' ';
    return out;
}

std::string describeAction(const Action& a)
{
    switch (a.kind) {
    case Action::Kind::Send:
        return "Send " + a.request.method + " " + excerpt(a.request.url, 160) + " after " + std::to_string(a.delayMs);
    case Action::Kind::Poll:
        return "Poll " + a.request.method + " " + excerpt(a.request.url, 160) + " every " + std::to_string(a.delayMs);
    case Action::Kind::Done:
        return "Done";
    case Action::Kind::Fail:
        return "Fail " + std::string(t2i::toString(a.error)) + ": " + excerpt(a.message);
    }
    return "?";
}

bool finiteNonNegative(const std::optional<double>& v)
{
    return !v || (std::isfinite(*v) && *v >= 0);
}

std::string textProblem(const std::string& what, const std::string& text, std::size_t max)
{
    if (!t2i::isValidUtf8(text))
        return what + " is not valid UTF-8";
    if (text.size() > max)
        return what + " is " + std::to_string(text.size()) + " bytes long";
    return {};
}

} // namespace

// ---- Entropy -------------------------------------------------------------------------------

Entropy::Entropy(std::uint64_t seed)
    : m_random(seed)
{
}

Entropy::Entropy(const std::uint8_t* data, std::size_t size)
    : m_data(data)
    , m_size(size)
    , m_fromBytes(true)
{
}

std::uint64_t Entropy::next()
{
    if (!m_fromBytes)
        return m_random();
    std::uint64_t value = 0;
    for (int i = 0; i < 4; ++i)
        value = (value << 8) | (m_at < m_size ? m_data[m_at++] : 0);
    return value;
}

std::size_t Entropy::below(std::size_t n)
{
    return n == 0 ? 0 : std::size_t(next() % n);
}

// ---- invariants ----------------------------------------------------------------------------

std::string checkRequest(const HttpRequest& request)
{
    static const std::vector<std::string> methods = { "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH" };
    if (std::find(methods.begin(), methods.end(), request.method) == methods.end())
        return "a request with method \"" + excerpt(request.method) + "\"";
    if (request.url.empty())
        return "a request without a URL";
    for (const char c : request.url)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return "a URL with a control character: " + excerpt(request.url);
    for (const auto& [name, value] : request.headers) {
        if (name.empty() || name.find_first_of(":\r\n") != std::string::npos)
            return "a header named \"" + excerpt(name) + "\"";
        if (value.find_first_of(std::string("\r\n\0", 3)) != std::string::npos)
            return "header " + name + " has a line break or NUL in its value";
    }
    return {};
}

std::string checkAction(const Action& action)
{
    switch (action.kind) {
    case Action::Kind::Send:
    case Action::Kind::Poll:
        if (!std::isfinite(action.delayMs) || action.delayMs < 0 || action.delayMs > 86400000.0)
            return "a follow-up after " + std::to_string(action.delayMs) + " ms";
        return checkRequest(action.request);
    case Action::Kind::Fail:
        if (action.error == t2i::ErrorClass::None)
            return "Fail with error class none";
        if (action.message.empty())
            return "Fail without a message";
        return textProblem("the failure message", action.message, 65536);
    case Action::Kind::Done:
        return {};
    }
    return "an action of no known kind";
}

std::string checkJob(const t2i::JobState& job)
{
    if (auto p = textProblem("providerStatus", job.providerStatus, 65536); !p.empty())
        return p;
    if (auto p = textProblem("workerId", job.workerId, 65536); !p.empty())
        return p;
    if (auto p = textProblem("jobId", job.jobId, 1 << 20); !p.empty())
        return p;
    if (auto p = textProblem("reportedUsage", job.reportedUsage, 1 << 20); !p.empty())
        return p;
    if (!finiteNonNegative(job.queueMs))
        return "queueMs " + std::to_string(*job.queueMs);
    if (!finiteNonNegative(job.execMs))
        return "execMs " + std::to_string(*job.execMs);
    if (!finiteNonNegative(job.platformMs))
        return "platformMs " + std::to_string(*job.platformMs);
    if (!finiteNonNegative(job.reportedCostUsd))
        return "reportedCostUsd " + std::to_string(*job.reportedCostUsd);
    for (const std::string& url : job.imageUrls)
        if (url.empty())
            return "an empty image URL";
    return {};
}

std::string checkSample(const std::optional<t2i::WorkerSample>& s)
{
    if (!s)
        return {};
    if (s->idle < 0 || s->running < 0 || s->initializing < 0 || s->ready < 0 || s->throttled < 0 || s->unhealthy < 0
        || s->inQueue < 0 || s->inProgress < 0 || s->completed < 0 || s->failed < 0)
        return "a worker sample with a negative count";
    return {};
}

std::string checkRetryAfter(const std::optional<double>& ms)
{
    if (ms && (!std::isfinite(*ms) || *ms < 0))
        return "retryAfterMs " + std::to_string(*ms);
    return {};
}

// ---- mutations -----------------------------------------------------------------------------

void collectKeys(const std::string& text, std::vector<std::string>& keys)
{
    const json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded())
        return;
    for (const auto& p : nodesOf(doc, 2000)) {
        const json& node = doc.at(p);
        if (!node.is_object())
            continue;
        for (const auto& [key, value] : node.items())
            if (std::find(keys.begin(), keys.end(), key) == keys.end())
                keys.push_back(key);
    }
}

std::string mutateJsonText(const std::string& text, Entropy& e, const std::vector<std::string>& keys)
{
    std::string out = text;
    json doc = json::parse(text, nullptr, false);
    if (!doc.is_discarded() && e.percent(85)) {
        try {
            const std::size_t n = 1 + e.below(3);
            for (std::size_t i = 0; i < n; ++i)
                mutateTree(doc, e, keys);
            out = doc.dump();
        } catch (const std::exception&) {
            out = text; // the mutator's own trouble (a pointer gone stale), not the adapter's
        }
    }
    if (doc.is_discarded() || e.percent(35)) {
        const std::size_t n = 1 + e.below(2);
        for (std::size_t i = 0; i < n; ++i)
            mutateText(out, e, keys);
    }
    return out;
}

// ---- the driver ----------------------------------------------------------------------------

std::string Finding::describe() const
{
    return "[" + setup + "] seed " + std::to_string(seed) + ": " + problem + "\n" + trace;
}

void Stats::add(const Stats& o)
{
    jobs += o.jobs;
    answers += o.answers;
    done += o.done;
    failed += o.failed;
    unfinished += o.unfinished;
    probes += o.probes;
}

namespace {

struct Run {
    const Setup& setup;
    Entropy& e;
    Stats& stats;
    std::vector<std::string> keys;
    std::ostringstream trace;
    std::optional<std::string> problem;
    // How hard this job's answers are mangled (percent of answers): most jobs get few mutations,
    // so that the later phases (result fetches, webhooks, S3 objects) are reached too.
    int intensity = 30;

    void fail(std::string what)
    {
        if (!problem)
            problem = std::move(what);
    }

    HttpResponse answer(const HttpRequest& request, const Platform* platform, double nowMs, const std::string& jobId)
    {
        Seed seed;
        const std::size_t source = e.below(100);
        if (platform && *platform && source < 55) {
            try {
                seed = (*platform)(request, nowMs, e);
            } catch (const std::exception& ex) {
                seed = { 500, std::string("the fake threw: ") + ex.what(), {} };
            }
        } else if (!setup.seeds.empty() && source < 90) {
            seed = e.pick(setup.seeds);
            if (e.percent(60))
                seed.body = withJobId(seed.body, setup.fixtureIds, jobId);
        } else {
            seed.status = 200;
            seed.body = "{}";
            mutateText(seed.body, e, keys);
        }
        if (e.percent(intensity))
            seed.body = mutateJsonText(seed.body, e, keys);
        if (e.percent(intensity / 4))
            seed.status = e.pick(oddStatuses());
        if (e.percent(intensity / 3)) {
            const std::size_t n = 1 + e.below(3);
            for (std::size_t i = 0; i < n; ++i) {
                const std::string& name = e.pick(headerNames());
                setHeader(seed.headers, name, oddHeaderValue(e, name));
            }
        }
        HttpResponse r;
        r.status = seed.status;
        r.body = std::move(seed.body);
        r.headers = std::move(seed.headers);
        r.sentMs = nowMs;
        r.receivedMs = nowMs + double(e.below(60000));
        if (r.status == 0) {
            r.timedOut = e.percent(50);
            r.transportError = e.percent(80) ? "Couldn't connect to server" : "";
        }
        return r;
    }

    void probe(t2i::Adapter& adapter, const t2i::JobState& job, const HttpResponse& lastAnswer)
    {
        ++stats.probes;
        switch (e.below(3)) {
        case 0: {
            std::optional<double> wait;
            try {
                wait = adapter.retryAfterMs(lastAnswer);
            } catch (const std::exception& ex) {
                fail(std::string("retryAfterMs threw: ") + ex.what());
                return;
            }
            if (auto p = checkRetryAfter(wait); !p.empty())
                fail(p + " for retry-after \"" + excerpt(lastAnswer.header("retry-after")) + "\"");
            return;
        }
        case 1: {
            std::optional<HttpRequest> health;
            try {
                health = adapter.healthRequest();
            } catch (const std::exception& ex) {
                fail(std::string("healthRequest threw: ") + ex.what());
                return;
            }
            if (!health)
                return;
            if (auto p = checkRequest(*health); !p.empty())
                fail("health request: " + p);
            Seed seed = setup.healthSeeds.empty() ? Seed { 200, "{}", {} } : e.pick(setup.healthSeeds);
            if (e.percent(70))
                seed.body = mutateJsonText(seed.body, e, keys);
            if (e.percent(10))
                seed.status = e.pick(oddStatuses());
            HttpResponse r;
            r.status = seed.status;
            r.body = std::move(seed.body);
            r.headers = seed.headers;
            std::optional<t2i::WorkerSample> sample;
            try {
                sample = adapter.parseHealth(r);
            } catch (const std::exception& ex) {
                fail(std::string("parseHealth threw: ") + ex.what() + " on " + excerpt(r.body));
                return;
            }
            if (auto p = checkSample(sample); !p.empty())
                fail(p + " from " + excerpt(r.body));
            return;
        }
        default: {
            std::optional<HttpRequest> cancel;
            try {
                cancel = adapter.cancel(job);
            } catch (const std::exception& ex) {
                fail(std::string("cancel threw: ") + ex.what());
                return;
            }
            if (cancel)
                if (auto p = checkRequest(*cancel); !p.empty())
                    fail("cancel request: " + p);
            return;
        }
        }
    }
};

} // namespace

std::optional<Finding> fuzzOneJob(const Setup& setup, Entropy& e, Stats& stats)
{
    Run run { setup, e, stats, setup.keys, {}, {} };
    run.intensity = e.pick(std::vector<int> { 3, 10, 30, 70 });
    ++stats.jobs;
    const auto finding = [&](const std::string& problem) {
        return Finding { setup.name, 0, problem, run.trace.str() };
    };

    std::unique_ptr<t2i::Adapter> adapter;
    try {
        adapter = t2i::makeAdapter(setup.provider, setup.context);
    } catch (const std::exception& ex) {
        return finding(std::string("making the adapter threw: ") + ex.what());
    }
    if (!adapter)
        return finding("no adapter for type " + setup.provider.type);
    const Platform platform = setup.platform ? setup.platform() : Platform();

    t2i::JobState job;
    job.job.seq = std::int64_t(e.below(1000));
    job.job.prompt = e.percent(90) ? "a red fox in the snow" : "quotes \" and \\ and {{seed}} and \xC3\xA9";
    job.job.seed = std::int64_t(e.below(4294967295ULL));
    job.job.variant = setup.variant;

    HttpRequest request;
    try {
        request = adapter->submit(job);
    } catch (const std::exception& ex) {
        return finding(std::string("submit threw: ") + ex.what());
    }
    if (auto p = checkRequest(request); !p.empty())
        return finding("submit: " + p);

    double nowMs = 0;
    int immediate = 0;
    for (int step = 0; step < kMaxSteps; ++step) {
        const HttpResponse response = run.answer(request, &platform, nowMs, job.jobId);
        ++stats.answers;
        run.trace << "> " << request.method << ' ' << excerpt(request.url, 160) << "\n< " << response.status << ' '
                  << excerpt(response.body) << '\n';
        if (e.percent(20))
            run.probe(*adapter, job, response);
        if (run.problem)
            return finding(*run.problem);
        Action action;
        try {
            action = adapter->onResponse(job, response);
        } catch (const std::exception& ex) {
            return finding(std::string("onResponse threw: ") + ex.what());
        }
        run.trace << "= " << describeAction(action) << '\n';
        if (auto p = checkAction(action); !p.empty())
            return finding(p);
        if (auto p = checkJob(job); !p.empty())
            return finding(p);
        switch (action.kind) {
        case Action::Kind::Done:
            if (job.images.empty() && job.imageUrls.empty())
                return finding("Done without an image or an image URL");
            for (const t2i::DeliveredImage& image : job.images)
                if (image.data.empty())
                    return finding("Done with an empty image");
            ++stats.done;
            run.probe(*adapter, job, response);
            return run.problem ? std::optional<Finding>(finding(*run.problem)) : std::nullopt;
        case Action::Kind::Fail:
            ++stats.failed;
            run.probe(*adapter, job, response);
            return run.problem ? std::optional<Finding>(finding(*run.problem)) : std::nullopt;
        case Action::Kind::Send:
            if (action.delayMs < 1 && ++immediate > kMaxImmediateSends)
                return finding("more than " + std::to_string(kMaxImmediateSends)
                    + " immediate follow-ups in a row: the engine would spin on them");
            if (action.delayMs >= 1)
                immediate = 0;
            break;
        case Action::Kind::Poll:
            immediate = 0;
            break;
        }
        nowMs += action.delayMs + double(e.below(3000));
        request = action.request;
    }
    ++stats.unfinished;
    return std::nullopt;
}

std::optional<Finding> fuzzOneJob(const Setup& setup, std::uint64_t seed, Stats& stats)
{
    Entropy entropy(seed);
    auto finding = fuzzOneJob(setup, entropy, stats);
    if (finding)
        finding->seed = seed;
    return finding;
}

CampaignResult runCampaign(
    const Setup& setup, std::uint64_t first, double seconds, std::uint64_t maxJobs, bool keepGoing)
{
    CampaignResult result;
    const auto start = std::chrono::steady_clock::now();
    const auto elapsed
        = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    for (std::uint64_t i = 0; i < maxJobs && elapsed() < seconds; ++i) {
        if (auto finding = fuzzOneJob(setup, first + i, result.stats)) {
            result.findings.push_back(std::move(*finding));
            if (!keepGoing)
                break;
        }
    }
    result.seconds = elapsed();
    return result;
}

const Setup* setupNamed(const std::string& name)
{
    for (const Setup& s : setups())
        if (s.name == name)
            return &s;
    return nullptr;
}

} // namespace t2ifuzz
