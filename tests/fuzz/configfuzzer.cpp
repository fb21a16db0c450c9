// SPDX-License-Identifier: Apache-2.0
#include "configfuzzer.h"

#include "registry/registry.h"
#include "json/answertext.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace t2ifuzz {
namespace {

using nlohmann::json;

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The ```json blocks of a Markdown file.
std::vector<std::string> jsonBlocks(const std::string& markdown)
{
    std::vector<std::string> blocks;
    for (std::size_t at = markdown.find("```json"); at != std::string::npos; at = markdown.find("```json", at + 1)) {
        const std::size_t start = markdown.find('\n', at);
        const std::size_t end = start == std::string::npos ? start : markdown.find("```", start);
        if (end == std::string::npos)
            break;
        blocks.push_back(markdown.substr(start + 1, end - start - 1));
    }
    return blocks;
}

std::vector<std::string> buildSeeds()
{
    const std::filesystem::path source = T2I_FUZZ_SOURCE_DIR;
    std::vector<std::string> seeds;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(source / "examples", ec))
        if (entry.path().extension() == ".json")
            seeds.push_back(readFile(entry.path()));
    const json base = json::parse(readFile(source / "examples" / "quickstart.json"), nullptr, false);
    for (const auto& entry : std::filesystem::directory_iterator(source / "docs", ec)) {
        if (entry.path().extension() != ".md")
            continue;
        for (const std::string& block : jsonBlocks(readFile(entry.path()))) {
            const json doc = json::parse(block, nullptr, false);
            if (doc.is_object() && doc.contains("providers")) {
                seeds.push_back(block);
            } else if (doc.is_object() && doc.contains("type") && doc.contains("id") && base.is_object()) {
                json config = base;
                config["providers"] = json::array({ doc });
                seeds.push_back(config.dump(2));
            }
        }
    }
    if (seeds.empty())
        seeds.push_back("{\"version\": 1, \"providers\": [], \"variants\": [], \"workload\": {\"steps\": []}}");
    return seeds;
}

std::vector<std::string> seedKeys()
{
    std::vector<std::string> keys;
    for (const std::string& seed : configSeeds())
        collectKeys(seed, keys);
    return keys;
}

std::string excerpt(const std::string& text)
{
    return t2i::safeText(text, 400);
}

} // namespace

const std::vector<std::string>& configSeeds()
{
    static const std::vector<std::string> seeds = buildSeeds();
    return seeds;
}

std::string checkConfig(const std::string& text)
{
    t2i::ConfigResult result;
    try {
        result = t2i::parseConfig(text, "fuzz.json", t2i::providerCatalog());
    } catch (const std::exception& e) {
        return std::string("parseConfig threw: ") + e.what();
    }
    if (result.config.has_value() == !result.errors.empty())
        return result.config ? "a configuration and errors" : "neither a configuration nor an error";
    for (const t2i::ConfigError& error : result.errors) {
        if (error.message.empty())
            return "an error without a message at " + error.path;
        if (error.message.find("internal error") != std::string::npos)
            return "an exception inside the loader: " + excerpt(error.format());
    }
    if (!result.config)
        return {};
    const t2i::RunConfig& config = *result.config;
    // What toJson writes reads back to the same configuration (docs/configuration.md).
    std::string again;
    try {
        again = t2i::toJson(config).dump();
    } catch (const std::exception& e) {
        return std::string("toJson of a valid configuration threw: ") + e.what();
    }
    const t2i::ConfigResult reread = t2i::parseConfig(again, "again.json", t2i::providerCatalog());
    if (!reread.config)
        return "toJson's text is refused: "
            + (reread.errors.empty() ? std::string("?") : excerpt(reread.errors.front().format()));
    if (t2i::toJson(*reread.config) != t2i::toJson(config))
        return "toJson's text reads back differently";
    // Every provider builds its adapter, and the adapter its first request.
    for (const t2i::ProviderConfig& provider : config.providers) {
        std::unique_ptr<t2i::Adapter> adapter;
        try {
            t2i::AdapterContext context("http://127.0.0.1:9", "key", config.workload.pollIntervalMs);
            adapter = t2i::makeAdapter(provider, context);
        } catch (const std::exception& e) {
            // An adapter may refuse its settings by throwing (a ComfyUI workflow that cannot be
            // read): the runner's preflight reports that before anything runs. A JSON library's
            // own exception, though, is a setting the validator should have refused.
            const std::string what = e.what();
            if (what.find("[json.exception") != std::string::npos)
                return "making the adapter of provider " + provider.id + " (" + provider.type + ") threw: " + what;
            continue;
        }
        if (!adapter)
            continue;
        for (const t2i::VariantConfig& variant : config.variants) {
            t2i::JobState job;
            job.job.prompt = "a red fox";
            job.job.variant = variant;
            try {
                const t2i::HttpRequest request = adapter->submit(job);
                // Stability refuses a variant it cannot make with an empty URL, on purpose. A
                // configured string goes into URLs and headers as written: a control character
                // there is the configuration's (libcurl refuses the URL, each request fails as a
                // transport error), so only the method and the URL's presence are checked.
                const bool refused = provider.type == "stability" && request.url.empty();
                if (!refused && (request.url.empty() || request.method.empty()))
                    return "provider " + provider.id + " (" + provider.type + "), variant " + variant.id
                        + ": a first request without a method or URL";
            } catch (const std::exception& e) {
                return "provider " + provider.id + " (" + provider.type + ") submit threw: " + e.what();
            }
        }
    }
    return {};
}

std::optional<Finding> fuzzOneConfig(std::uint64_t seed, Stats& stats)
{
    static const std::vector<std::string> keys = seedKeys();
    Entropy e(seed);
    ++stats.jobs;
    std::string text = e.pick(configSeeds());
    const std::size_t rounds = 1 + e.below(3);
    for (std::size_t i = 0; i < rounds; ++i)
        text = mutateJsonText(text, e, keys);
    const std::string problem = checkConfig(text);
    if (problem.empty())
        return std::nullopt;
    return Finding { "config", seed, problem, "config: " + excerpt(text) };
}

CampaignResult runConfigCampaign(std::uint64_t first, double seconds, std::uint64_t maxRuns, bool keepGoing)
{
    CampaignResult result;
    const auto start = std::chrono::steady_clock::now();
    const auto elapsed
        = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    for (std::uint64_t i = 0; i < maxRuns && elapsed() < seconds; ++i) {
        if (auto finding = fuzzOneConfig(first + i, result.stats)) {
            result.findings.push_back(std::move(*finding));
            if (!keepGoing)
                break;
        }
    }
    result.seconds = elapsed();
    return result;
}

} // namespace t2ifuzz
