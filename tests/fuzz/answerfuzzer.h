// SPDX-License-Identifier: Apache-2.0
// A structure-aware fuzzer of the adapters' answer handling (docs/testing.md): one job at a time
// goes from submit() to a terminal action, every answer drawn from the platform's own fake (or
// canned answers shaped like the platform's), then mutated: fields dropped, types swapped (null,
// [], {}, "", huge and negative numbers, very long strings, deep nesting), keys duplicated, the
// text truncated or its bytes flipped, invalid UTF-8, random HTTP statuses and garbage headers.
// Along the way health answers, Retry-After values and cancel() are probed too. Each step checks
// invariants, not just "no crash": see checkAction() and friends.
#pragma once

#include "engine/adapter.h"
#include "engine/adaptercontext.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace t2ifuzz {

// Where the fuzzer's decisions come from: a seeded generator (the ctest, campaigns), or the bytes
// libFuzzer mutates (coverage-guided runs; zeros once they run out).
class Entropy {
public:
    explicit Entropy(std::uint64_t seed);
    Entropy(const std::uint8_t* data, std::size_t size);
    std::uint64_t next();
    std::size_t below(std::size_t n); // [0, n); 0 when n is 0
    bool percent(int p) { return below(100) < std::size_t(p); }
    template <typename T> const T& pick(const std::vector<T>& items) { return items[below(items.size())]; }

private:
    std::mt19937_64 m_random;
    const std::uint8_t* m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_at = 0;
    bool m_fromBytes = false;
};

// One answer a platform (or its fake) could give.
struct Seed {
    int status = 200;
    std::string body;
    t2i::HttpHeaders headers; // names lower-case
};

// A platform behind an adapter, answering its requests in-process on a virtual clock (ms).
using Platform = std::function<Seed(const t2i::HttpRequest& request, double nowMs, Entropy& entropy)>;

// An adapter as a config makes it, and the answers its platform gives.
struct Setup {
    std::string name; // "runpod run mode"
    t2i::ProviderConfig provider;
    t2i::AdapterContext context;
    t2i::VariantConfig variant;
    std::vector<Seed> seeds; // canned answers of every kind (submit, status, result, errors)
    std::vector<Seed> healthSeeds; // answers to its health request, if it has one
    std::vector<std::string> fixtureIds; // job ids in the seeds, swapped for the job's own at times
    std::vector<std::string> keys; // every object key in the seeds: the ones mutations aim at
    std::function<Platform()> platform; // a fresh platform per job; empty: canned answers only
};

// Every adapter type and mode under fuzzing (tests/fuzz/fuzzsetups.cpp).
const std::vector<Setup>& setups();
const Setup* setupNamed(const std::string& name);

// What broke, with what it takes to see it again.
struct Finding {
    std::string setup;
    std::uint64_t seed = 0;
    std::string problem; // the invariant, e.g. "Fail without a message"
    std::string trace; // the requests and answers up to it
    std::string describe() const;
};

struct Stats {
    std::uint64_t jobs = 0;
    std::uint64_t answers = 0;
    std::uint64_t done = 0;
    std::uint64_t failed = 0;
    std::uint64_t unfinished = 0; // still polling at the step bound: the engine's timeout ends those
    std::uint64_t probes = 0; // health, Retry-After and cancel probes
    void add(const Stats& other);
};

// The step bound of one job and the bound on immediate follow-ups (Send without delay) in a row.
inline constexpr int kMaxSteps = 40;
inline constexpr int kMaxImmediateSends = 8;

// One job of the setup's adapter from submit() to a terminal action (or kMaxSteps answers);
// nullopt when every invariant held.
std::optional<Finding> fuzzOneJob(const Setup& setup, Entropy& entropy, Stats& stats);
std::optional<Finding> fuzzOneJob(const Setup& setup, std::uint64_t seed, Stats& stats);

// Jobs with the seeds first, first + 1, ... until `seconds` have passed or maxJobs ran; stops at
// the first finding unless keepGoing.
struct CampaignResult {
    Stats stats;
    std::vector<Finding> findings;
    double seconds = 0;
};
CampaignResult runCampaign(
    const Setup& setup, std::uint64_t first, double seconds, std::uint64_t maxJobs, bool keepGoing = false);

// The invariants, each "" when it holds, else what is wrong.
std::string checkRequest(const t2i::HttpRequest& request);
std::string checkAction(const t2i::Action& action);
std::string checkJob(const t2i::JobState& job);
std::string checkSample(const std::optional<t2i::WorkerSample>& sample);
std::string checkRetryAfter(const std::optional<double>& ms);

// The mutations, for the config fuzzer too: a JSON text changed structurally and/or byte-wise.
// keys: names worth setting to odd values ("status", "id", ...).
std::string mutateJsonText(const std::string& text, Entropy& entropy, const std::vector<std::string>& keys);
// Every object key in a JSON text (for the keys above).
void collectKeys(const std::string& text, std::vector<std::string>& keys);

} // namespace t2ifuzz
