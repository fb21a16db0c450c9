// SPDX-License-Identifier: Apache-2.0
// workload: the run-wide settings and each step (docs/configuration.md, "Workload step kinds").
#include "config/configcheck.h"

#include <algorithm>
#include <limits>

namespace t2i::configcheck {

namespace {

constexpr int kMaxInt = std::numeric_limits<int>::max();

struct KindInfo {
    std::string_view name;
    StepKind kind;
    std::vector<std::string_view> keys; // besides "kind"
};

const std::vector<KindInfo>& kinds()
{
    static const std::vector<KindInfo> table = {
        { "closed", StepKind::Closed, { "concurrency", "duration_s", "requests" } },
        { "constant", StepKind::Constant, { "rate", "duration_s", "requests" } },
        { "poisson", StepKind::Poisson, { "rate", "duration_s", "requests" } },
        { "ramp", StepKind::Ramp, { "from", "to", "duration_s", "requests" } },
        { "burst", StepKind::Burst, { "requests" } },
        { "cold_probe", StepKind::ColdProbe, { "idle_s", "repeat", "wait_for_zero_s" } },
    };
    return table;
}

// A key that belongs to another kind is a misplaced key, not a typo: say so.
void checkStepKeys(Checker& check, const json& step, const std::string& path, const KindInfo& info)
{
    std::vector<std::string_view> known = { "kind" };
    known.insert(known.end(), info.keys.begin(), info.keys.end());
    json unknownOnly = json::object();
    for (const auto& [key, value] : step.items()) {
        if (std::find(known.begin(), known.end(), key) != known.end() || isExtensionKey(key))
            continue;
        const bool otherKinds = std::any_of(kinds().begin(), kinds().end(),
            [&](const KindInfo& k) { return std::find(k.keys.begin(), k.keys.end(), key) != k.keys.end(); });
        if (otherKinds) {
            std::vector<std::string> names(known.begin(), known.end());
            check.error(child(path, key),
                "not a key of a \"" + std::string(info.name) + "\" step (its keys: " + joinQuoted(names) + ")");
        } else {
            unknownOnly[key] = value;
        }
    }
    check.checkKeys(unknownOnly, path, known, "a \"" + std::string(info.name) + "\" step");
}

void readLength(Checker& check, const json& step, const std::string& path, WorkloadStep& out)
{
    const bool hasDuration = step.contains("duration_s");
    const bool hasRequests = step.contains("requests");
    if (hasDuration == hasRequests)
        check.error(path,
            hasDuration ? "give either duration_s or requests, not both"
                        : "needs its length: duration_s (seconds) or requests (a count)");
    out.durationS = check.number(step, path, "duration_s", 0, true, "must be a positive number of seconds");
    if (auto n = check.integer(step, path, "requests", 1, kMaxInt, "must be a positive integer"))
        out.requests = int(*n);
}

std::optional<WorkloadStep> validateStep(Checker& check, const json& step, const std::string& path)
{
    if (!step.is_object()) {
        check.error(path, "must be an object with a \"kind\" (got " + describe(step) + ")");
        return std::nullopt;
    }
    std::vector<std::string> names;
    for (const KindInfo& k : kinds())
        names.emplace_back(k.name);
    if (!check.require(step, path, "kind", "one of " + joinQuoted(names, " or ")))
        return std::nullopt;
    const json& kindValue = step["kind"];
    const auto info = std::find_if(kinds().begin(), kinds().end(),
        [&](const KindInfo& k) { return kindValue.is_string() && kindValue.get_ref<const std::string&>() == k.name; });
    if (info == kinds().end()) {
        check.error(
            child(path, "kind"), "must be one of " + joinQuoted(names, " or ") + " (got " + describe(kindValue) + ")");
        return std::nullopt;
    }
    checkStepKeys(check, step, path, *info);

    WorkloadStep out;
    out.kind = info->kind;
    switch (out.kind) {
    case StepKind::Closed:
        if (check.require(step, path, "concurrency", "a positive integer, or a list of them for a sweep")) {
            const json& c = step["concurrency"];
            const std::string cPath = child(path, "concurrency");
            if (c.is_array()) {
                if (c.empty())
                    check.error(cPath, "must not be an empty list");
                for (std::size_t i = 0; i < c.size(); ++i)
                    if (auto n = check.integerValue(c[i], element(cPath, i), 1, kMaxInt, "must be a positive integer"))
                        out.concurrency.push_back(int(*n));
            } else if (auto n
                = check.integerValue(c, cPath, 1, kMaxInt, "must be a positive integer or a non-empty list of them")) {
                out.concurrency.push_back(int(*n));
            }
        }
        readLength(check, step, path, out);
        break;
    case StepKind::Constant:
    case StepKind::Poisson:
        if (check.require(step, path, "rate", "requests per second"))
            out.rate = check.number(step, path, "rate", 0, true, "must be a positive number").value_or(0);
        readLength(check, step, path, out);
        break;
    case StepKind::Ramp:
        // A ramp may go up or down; it only has to end above zero to send anything at all.
        if (check.require(step, path, "from", "the starting rate, requests per second"))
            out.rateFrom = check.number(step, path, "from", 0, false, "must be a number >= 0").value_or(0);
        if (check.require(step, path, "to", "the final rate, requests per second"))
            out.rateTo = check.number(step, path, "to", 0, true, "must be a positive number").value_or(0);
        readLength(check, step, path, out);
        break;
    case StepKind::Burst:
        if (check.require(step, path, "requests", "how many requests are sent at once"))
            if (auto n = check.integer(step, path, "requests", 1, kMaxInt, "must be a positive integer"))
                out.requests = int(*n);
        break;
    case StepKind::ColdProbe:
        if (check.require(step, path, "idle_s", "seconds of silence before each probe, so the platform scales down"))
            out.idleS = check.number(step, path, "idle_s", 0, false, "must be a number of seconds >= 0").value_or(0);
        if (auto n = check.integer(step, path, "repeat", 1, kMaxInt, "must be an integer >= 1"))
            out.repeat = int(*n);
        if (auto wait
            = check.number(step, path, "wait_for_zero_s", 0, false, "must be a number of seconds from 0 to 600")) {
            if (*wait <= 600)
                out.waitForZeroS = *wait;
            else
                check.error(child(path, "wait_for_zero_s"),
                    "must be a number of seconds from 0 to 600 (got " + describe(step["wait_for_zero_s"]) + ")");
        }
        break;
    }
    return out;
}

} // namespace

WorkloadConfig validateWorkload(Checker& check, const json& document)
{
    WorkloadConfig workload;
    if (!check.require(document, "", "workload", "an object with the list of steps to run"))
        return workload;
    const json& w = document["workload"];
    if (!w.is_object()) {
        check.error("workload", "must be an object (got " + describe(w) + ")");
        return workload;
    }
    const std::string path = "workload";
    check.checkKeys(w, path,
        { "timeout_s", "poll_interval_ms", "warmup_requests", "health_interval_s", "keep_warm", "max_in_flight",
            "steps" },
        "the workload");
    if (auto v = check.number(w, path, "timeout_s", 0, true, "must be a positive number of seconds"))
        workload.timeoutS = *v;
    if (auto v = check.integer(w, path, "poll_interval_ms", 10, 60000, "must be an integer between 10 and 60000"))
        workload.pollIntervalMs = int(*v);
    if (auto v = check.integer(w, path, "warmup_requests", 0, kMaxInt, "must be an integer >= 0"))
        workload.warmupRequests = int(*v);
    if (auto v = check.number(w, path, "health_interval_s", 0, true, "must be a positive number of seconds"))
        workload.healthIntervalS = *v;
    if (auto v = check.integer(w, path, "max_in_flight", 1, kMaxInt, "must be an integer >= 1"))
        workload.maxInFlight = int(*v);
    if (w.contains("keep_warm")) {
        const json& k = w["keep_warm"];
        const std::string kPath = child(path, "keep_warm");
        if (!k.is_object()) {
            check.error(kPath, "must be an object {\"interval_s\": N} (got " + describe(k) + ")");
        } else {
            check.checkKeys(k, kPath, { "interval_s" }, "keep_warm");
            if (check.require(k, kPath, "interval_s", "seconds between two keep-warm pings"))
                workload.keepWarmIntervalS
                    = check.number(k, kPath, "interval_s", 0, true, "must be a positive number of seconds");
        }
    }

    if (!check.require(w, path, "steps", "a non-empty list of steps"))
        return workload;
    const json& steps = w["steps"];
    if (!steps.is_array() || steps.empty()) {
        check.error(child(path, "steps"), "must be a non-empty list of steps (got " + describe(steps) + ")");
        return workload;
    }
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (auto step = validateStep(check, steps[i], element(child(path, "steps"), i)))
            workload.steps.push_back(std::move(*step));
    return workload;
}

} // namespace t2i::configcheck
