// SPDX-License-Identifier: Apache-2.0
// Reading a configuration (text -> JSON -> validated RunConfig) and writing one back (toJson).
#include "config/config.h"
#include "config/configcheck.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

namespace t2i {

std::string_view toString(StepKind kind)
{
    switch (kind) {
    case StepKind::Closed:
        return "closed";
    case StepKind::Constant:
        return "constant";
    case StepKind::Poisson:
        return "poisson";
    case StepKind::Ramp:
        return "ramp";
    case StepKind::Burst:
        return "burst";
    case StepKind::ColdProbe:
        return "cold_probe";
    }
    return "closed";
}

std::string_view toString(SeedPolicy policy)
{
    switch (policy) {
    case SeedPolicy::Fixed:
        return "fixed";
    case SeedPolicy::Increment:
        return "increment";
    case SeedPolicy::Random:
        return "random";
    }
    return "increment";
}

std::string ConfigError::format() const
{
    return path.empty() ? file + ": " + message : file + ": " + path + ": " + message;
}

namespace {

using nlohmann::json;

// nlohmann keeps the last of two equal keys without a word; in a benchmark config that hides a
// typo or a half-edited copy, so the parser's callback tracks each object's keys and its path.
class DuplicateKeyFinder {
public:
    bool operator()(int /*depth*/, json::parse_event_t event, json& parsed)
    {
        switch (event) {
        case json::parse_event_t::object_start:
        case json::parse_event_t::array_start:
            takeSlot();
            m_frames.push_back({ event == json::parse_event_t::array_start, 0, {}, {} });
            m_maxDepth = std::max(m_maxDepth, m_frames.size());
            break;
        case json::parse_event_t::object_end:
        case json::parse_event_t::array_end:
            if (!m_frames.empty())
                m_frames.pop_back();
            break;
        case json::parse_event_t::key:
            if (!m_frames.empty() && parsed.is_string()) {
                Frame& top = m_frames.back();
                top.key = parsed.get<std::string>();
                if (!top.keys.insert(top.key).second)
                    m_duplicates.push_back({ configcheck::child(objectPath(), top.key),
                        "duplicate key; only the last value would count" });
            }
            break;
        case json::parse_event_t::value:
            takeSlot();
            break;
        }
        return true;
    }
    std::vector<std::pair<std::string, std::string>> duplicates() const { return m_duplicates; }
    std::size_t maxDepth() const { return m_maxDepth; }

private:
    struct Frame {
        bool array;
        std::size_t next; // arrays: the index the next element gets
        std::string key; // objects: the key being read
        std::set<std::string> keys;
    };
    void takeSlot()
    {
        if (!m_frames.empty() && m_frames.back().array)
            ++m_frames.back().next;
    }
    // The path of the innermost open object, from each enclosing container's current slot.
    std::string objectPath() const
    {
        std::string path;
        for (std::size_t i = 0; i + 1 < m_frames.size(); ++i)
            path = m_frames[i].array ? configcheck::element(path, m_frames[i].next - 1)
                                     : configcheck::child(path, m_frames[i].key);
        return path;
    }
    std::vector<Frame> m_frames;
    std::vector<std::pair<std::string, std::string>> m_duplicates;
    std::size_t m_maxDepth = 0;
};

// "line 3, column 5" of a byte offset, counting characters (not UTF-8 bytes) in the line.
std::string position(const std::string& text, std::size_t byte)
{
    const std::size_t end = std::min(byte > 0 ? byte - 1 : 0, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < end; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string parseErrorText(const json::parse_error& e)
{
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix;
    // the position is given our way.
    const std::string what = e.what();
    const std::size_t column = what.find("column ");
    const std::size_t colon = what.find(": ", column == std::string::npos ? 0 : column);
    return colon == std::string::npos ? what : what.substr(colon + 2);
}

ConfigResult parseAndValidate(const std::string& text, const std::string& fileLabel, const ProviderCatalog& catalog)
{
    DuplicateKeyFinder finder;
    json document;
    try {
        document = json::parse(text, std::ref(finder));
    } catch (const json::parse_error& e) {
        ConfigResult result;
        result.errors.push_back(
            { fileLabel, "", "invalid JSON at " + position(text, e.byte) + ": " + parseErrorText(e) });
        return result;
    } catch (const json::out_of_range& e) {
        // A number no double can hold (1e400): nlohmann says so with out_of_range 406, no position.
        const std::string what = e.what();
        const std::size_t bracket = what.find("] ");
        ConfigResult result;
        result.errors.push_back(
            { fileLabel, "", "invalid JSON: " + (bracket == std::string::npos ? what : what.substr(bracket + 2)) });
        return result;
    }
    // No configuration nests deeper than a few levels; the validators walk it recursively.
    constexpr std::size_t kMaxDepth = 64;
    if (finder.maxDepth() > kMaxDepth) {
        ConfigResult result;
        result.errors.push_back({ fileLabel, "",
            "nested " + std::to_string(finder.maxDepth()) + " levels deep; a configuration nests at most "
                + std::to_string(kMaxDepth) });
        return result;
    }
    ConfigResult result = validateConfig(document, fileLabel, catalog);
    const auto duplicates = finder.duplicates();
    std::vector<ConfigError> errors;
    for (const auto& [path, message] : duplicates)
        errors.push_back({ fileLabel, path, message });
    if (!errors.empty()) {
        errors.insert(errors.end(), result.errors.begin(), result.errors.end());
        result.errors = std::move(errors);
        result.config.reset();
    }
    return result;
}

ConfigResult internalError(const std::string& file, const std::exception& e)
{
    ConfigResult result;
    result.errors.push_back({ file, "", std::string("internal error while reading the configuration: ") + e.what() });
    return result;
}

} // namespace

ConfigResult parseConfig(const std::string& text, const std::string& fileLabel, const ProviderCatalog& catalog)
{
    try {
        return parseAndValidate(text, fileLabel, catalog);
    } catch (const std::exception& e) {
        return internalError(fileLabel, e);
    }
}

ConfigResult loadConfig(const std::string& path, const ProviderCatalog& catalog)
{
    try {
        ConfigResult result;
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec)) {
            result.errors.push_back(
                { path, "", "cannot read the configuration: " + std::string(std::strerror(EISDIR)) });
            return result;
        }
        errno = 0;
        std::FILE* f = std::fopen(path.c_str(), "rb");
        if (!f) {
            result.errors.push_back(
                { path, "", "cannot read the configuration: " + std::string(std::strerror(errno)) });
            return result;
        }
        std::string text;
        char buffer[65536];
        std::size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
            text.append(buffer, n);
        const bool failed = std::ferror(f) != 0;
        const int readErrno = errno;
        std::fclose(f);
        if (failed) {
            result.errors.push_back(
                { path, "", "cannot read the configuration: " + std::string(std::strerror(readErrno)) });
            return result;
        }
        result = parseAndValidate(text, path, catalog);
        // Only a file has a folder for prompts.file, so the prompts are checked here, not in parseConfig.
        if (result.config) {
            std::string error;
            if (!loadPrompts(result.config->prompts, configDir(*result.config), &error)) {
                result.errors.push_back(
                    { path, result.config->prompts.file.empty() ? "prompts.set" : "prompts.file", error });
                result.config.reset();
            }
        }
        return result;
    } catch (const std::exception& e) {
        return internalError(path, e);
    }
}

std::string configDir(const RunConfig& config)
{
    const std::filesystem::path parent = std::filesystem::path(config.path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

nlohmann::json toJson(const VariantConfig& v)
{
    return { { "id", v.id }, { "model", v.model }, { "precision", v.precision }, { "width", v.width },
        { "height", v.height }, { "steps", v.steps }, { "guidance", v.guidance }, { "images", v.images } };
}

nlohmann::json toJson(const WorkloadStep& step)
{
    json j = { { "kind", toString(step.kind) } };
    switch (step.kind) {
    case StepKind::Closed:
        j["concurrency"] = step.concurrency.size() == 1 ? json(step.concurrency.front()) : json(step.concurrency);
        break;
    case StepKind::Constant:
    case StepKind::Poisson:
        j["rate"] = step.rate;
        break;
    case StepKind::Ramp:
        j["from"] = step.rateFrom;
        j["to"] = step.rateTo;
        break;
    case StepKind::Burst:
        break;
    case StepKind::ColdProbe:
        j["idle_s"] = step.idleS;
        j["repeat"] = step.repeat;
        if (step.waitForZeroS != WorkloadStep {}.waitForZeroS)
            j["wait_for_zero_s"] = step.waitForZeroS; // written only when set, so older files read the same
        return j; // a probe has no length of its own
    }
    if (step.durationS && step.kind != StepKind::Burst)
        j["duration_s"] = *step.durationS;
    if (step.requests)
        j["requests"] = *step.requests;
    return j;
}

nlohmann::json toJson(const WorkloadConfig& w)
{
    json steps = json::array();
    for (const WorkloadStep& step : w.steps)
        steps.push_back(toJson(step));
    json j = { { "timeout_s", w.timeoutS }, { "poll_interval_ms", w.pollIntervalMs },
        { "warmup_requests", w.warmupRequests }, { "health_interval_s", w.healthIntervalS }, { "steps", steps } };
    if (w.keepWarmIntervalS)
        j["keep_warm"] = { { "interval_s", *w.keepWarmIntervalS } }; // written only when set
    if (w.maxInFlight)
        j["max_in_flight"] = *w.maxInFlight;
    return j;
}

nlohmann::json toJson(const PromptConfig& p)
{
    json j = json::object();
    if (!p.file.empty())
        j["file"] = p.file;
    else
        j["set"] = p.set;
    j["seed"] = p.seed;
    j["seed_policy"] = toString(p.seedPolicy);
    j["order"] = p.order;
    return j;
}

nlohmann::json toJson(const ProviderConfig& provider)
{
    // The settings carry the type's own keys; the typed fields win, so an edited config is written as edited.
    json j = provider.settings.is_object() ? provider.settings : json::object();
    j["id"] = provider.id;
    j["type"] = provider.type;
    const auto setOrErase = [&j](const char* key, const std::string& value) {
        if (value.empty())
            j.erase(key);
        else
            j[key] = value;
    };
    setOrErase("base_url", provider.baseUrl);
    setOrErase("api_key_env", provider.apiKeyEnv);
    if (provider.timeoutS)
        j["timeout_s"] = *provider.timeoutS;
    else
        j.erase("timeout_s");
    return j;
}

nlohmann::json toJson(const Thresholds& thresholds)
{
    json out = json::object();
    const std::pair<const char*, const std::optional<double>*> keys[]
        = { { "p95_ms", &thresholds.p95Ms }, { "p99_ms", &thresholds.p99Ms }, { "error_rate", &thresholds.errorRate },
              { "cost_per_1000_usd", &thresholds.costPer1000Usd } };
    for (const auto& [key, value] : keys)
        if (*value)
            out[key] = **value;
    return out;
}

nlohmann::json toJson(const RunConfig& config)
{
    json providers = json::array();
    for (const ProviderConfig& p : config.providers)
        providers.push_back(toJson(p));
    json variants = json::array();
    for (const VariantConfig& v : config.variants)
        variants.push_back(toJson(v));
    json out = { { "version", config.version }, { "name", config.name }, { "providers", providers },
        { "variants", variants }, { "prompts", toJson(config.prompts) }, { "workload", toJson(config.workload) } };
    if (config.budgetUsd)
        out["budget_usd"] = *config.budgetUsd;
    if (!config.thresholds.empty())
        out["thresholds"] = toJson(config.thresholds);
    if (!config.studies.empty())
        out["studies"] = config.studies;
    return out;
}

} // namespace t2i
