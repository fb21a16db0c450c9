// SPDX-License-Identifier: Apache-2.0
#include "platformprofile.h"

#include "util/resources.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

namespace t2i {
namespace {

using nlohmann::json;

// Reads one JSON object, remembering which keys were read, so a misspelt key is an error
// instead of a silently ignored setting.
class ObjectReader {
public:
    ObjectReader(const json& object, std::string path, const std::string& source)
        : m_object(object)
        , m_path(std::move(path))
        , m_source(source)
    {
        if (!m_object.is_object())
            fail(m_path.empty() ? "(top level)" : m_path, "expected an object");
    }

    [[noreturn]] void fail(const std::string& key, const std::string& what) const
    {
        throw ProfileError(m_source + ": " + key + ": " + what);
    }

    std::string keyPath(const std::string& key) const { return m_path.empty() ? key : m_path + "." + key; }

    const json* find(const std::string& key)
    {
        m_known.insert(key);
        const auto it = m_object.find(key);
        return it == m_object.end() ? nullptr : &*it;
    }

    void number(const std::string& key, double& out, double min, double max = 1e18)
    {
        if (const json* value = find(key)) {
            if (!value->is_number())
                fail(keyPath(key), "expected a number");
            out = value->get<double>();
            if (out < min || out > max)
                fail(keyPath(key), "out of range [" + json(min).dump() + ", " + json(max).dump() + "]");
        }
    }

    template <typename Int> void integer(const std::string& key, Int& out, int64_t min, int64_t max)
    {
        if (const json* value = find(key)) {
            if (!value->is_number_integer())
                fail(keyPath(key), "expected an integer");
            const int64_t v = value->get<int64_t>();
            if (v < min || v > max)
                fail(keyPath(key), "out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
            out = static_cast<Int>(v);
        }
    }

    void text(const std::string& key, std::string& out)
    {
        if (const json* value = find(key)) {
            if (!value->is_string())
                fail(keyPath(key), "expected a string");
            out = value->get<std::string>();
        }
    }

    // Calls read(ObjectReader&) on a nested object if present.
    template <typename F> void object(const std::string& key, F&& read)
    {
        if (const json* value = find(key)) {
            ObjectReader nested(*value, keyPath(key), m_source);
            read(nested);
            nested.finish();
        }
    }

    const json& raw() const { return m_object; }

    void finish() const
    {
        for (const auto& item : m_object.items()) {
            if (!m_known.contains(item.key()))
                fail(keyPath(item.key()), "unknown key");
        }
    }

private:
    const json& m_object;
    std::string m_path;
    const std::string& m_source;
    std::set<std::string> m_known;
};

void readLogNormal(ObjectReader& r, const std::string& prefix, LogNormalMs& out)
{
    r.number(prefix + "_median_ms", out.medianMs, 0);
    r.number(prefix + "_sigma", out.sigma, 0, 5);
}

} // namespace

PlatformProfile PlatformProfile::fromJson(const json& document, const std::string& source)
{
    PlatformProfile p;
    p.source = source;
    ObjectReader top(document, "", p.source);
    top.text("name", p.name);
    top.text("description", p.description);
    top.text("gpu", p.gpu);
    top.number("gpu_memory_gb", p.gpuMemoryGb, 0.001);
    top.number("price_per_s", p.pricePerS, 0);
    top.number("time_scale", p.timeScale, 1e-6, 1e6);
    top.object("workers", [&p](ObjectReader& r) {
        r.integer("min", p.minWorkers, 0, 10000);
        r.integer("max", p.maxWorkers, 1, 10000);
        r.integer("concurrency", p.workerConcurrency, 1, 100000);
        r.number("idle_timeout_ms", p.idleTimeoutMs, 0);
        if (p.minWorkers > p.maxWorkers)
            r.fail(r.keyPath("min"), "greater than workers.max");
    });
    top.object("cold_start", [&p](ObjectReader& r) {
        readLogNormal(r, "boot", p.coldBoot);
        readLogNormal(r, "load", p.coldLoad);
    });
    top.object("autoscaler", [&p](ObjectReader& r) {
        std::string scaleOn = p.scaleOn == ScaleOn::QueueDelay ? "queue_delay" : "request_count";
        r.text("scale_on", scaleOn);
        if (scaleOn != "queue_delay" && scaleOn != "request_count")
            r.fail(r.keyPath("scale_on"), "expected \"queue_delay\" or \"request_count\"");
        p.scaleOn = scaleOn == "queue_delay" ? ScaleOn::QueueDelay : ScaleOn::RequestCount;
        r.number("queue_delay_ms", p.queueDelayMs, 0);
        r.number("requests_per_worker", p.requestsPerWorker, 1e-6);
        r.number("reaction_delay_ms", p.reactionDelayMs, 0);
    });
    top.object("service", [&p](ObjectReader& r) {
        r.number("base_ms", p.baseMs, 0);
        r.number("ms_per_megapixel_step", p.msPerMegapixelStep, 0);
        r.number("noise_sigma", p.noiseSigma, 0, 5);
        r.object("precision_factors", [&p](ObjectReader& factors) {
            p.precisionFactors.clear();
            for (const auto& item : factors.raw().items())
                factors.number(item.key(), p.precisionFactors[item.key()], 1e-6);
        });
        r.text("default_precision", p.defaultPrecision);
        if (!p.precisionFactors.contains(p.defaultPrecision))
            r.fail(r.keyPath("default_precision"), "not one of precision_factors");
        r.number("saturation_threshold", p.saturationThreshold, 0, 1);
        r.number("saturation_factor", p.saturationFactor, 1e-6);
        r.number("execution_timeout_ms", p.executionTimeoutMs, 1);
    });
    top.object("memory", [&p](ObjectReader& r) {
        r.number("base_gb", p.memoryBaseGb, 0);
        r.number("gb_per_megapixel", p.memoryGbPerMegapixel, 0);
    });
    top.object("failures", [&p](ObjectReader& r) {
        r.number("rate", p.failureRate, 0, 1);
        r.text("error", p.failureError);
    });
    top.object("retention", [&p](ObjectReader& r) {
        r.number("run_s", p.retentionRunS, 0);
        r.number("runsync_s", p.retentionRunsyncS, 0);
    });
    top.object("rate_limits", [&p](ObjectReader& r) {
        r.number("retry_after_s", p.retryAfterS, 0, 86400);
        for (auto& [operation, limit] : p.rateLimits) {
            RateLimit& target = limit;
            r.object(operation, [&target](ObjectReader& op) {
                op.integer("per_10s", target.per10s, 0, int64_t { 1 } << 40);
                op.integer("concurrent", target.concurrent, 0, int64_t { 1 } << 40);
            });
        }
    });
    top.object("images", [&p](ObjectReader& r) {
        std::string format = "png";
        r.text("format", format);
        if (format == "png")
            p.images.format = ImageFormat::Png;
        else if (format == "jpeg")
            p.images.format = ImageFormat::Jpeg;
        else if (format == "webp")
            p.images.format = ImageFormat::Webp;
        else
            r.fail(r.keyPath("format"), "expected \"png\", \"jpeg\" or \"webp\"");
        r.integer("quality", p.images.quality, 0, 100);
        r.number("bytes_per_megapixel", p.images.bytesPerMegapixel, 0, 1e7);
    });
    top.finish();
    return p;
}

PlatformProfile PlatformProfile::fromFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ProfileError(path + ": cannot open the profile file");
    json document = json::parse(in, nullptr, false);
    if (document.is_discarded())
        throw ProfileError(path + ": (top level): not valid JSON");
    return fromJson(document, path);
}

PlatformProfile PlatformProfile::load(const std::string& nameOrPath)
{
    const bool isPath = nameOrPath.find('/') != std::string::npos || nameOrPath.ends_with(".json");
    if (isPath)
        return fromFile(nameOrPath);
    if (const auto found = findResource("emulator/" + nameOrPath + ".json"))
        return fromFile(*found);
    throw ProfileError(resourceDir() + "/emulator/" + nameOrPath + ".json: no such profile");
}

} // namespace t2i
