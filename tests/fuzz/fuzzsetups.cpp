// SPDX-License-Identifier: Apache-2.0
// The adapters under fuzzing, one per type and mode, each with the answers its platform gives: the
// test fakes (tests/fakes/) answering in-process on a virtual clock, the built-in emulator's JSON
// (providers/emulator/*json.cpp) for the protocols it speaks, and the suites' canned fixtures
// (tests/providers/*fixtures.h, through fuzzseeds.cpp).
#include "answerfuzzer.h"
#include "fuzzseeds.h"

#include "a1111fake.h"
#include "basetenfake.h"
#include "comfyuifake.h"
#include "customasyncfake.h"
#include "faljson.h"
#include "hfendpointfake.h"
#include "modalfake.h"
#include "openaijson.h"
#include "replicatejson.h"
#include "runpodjson.h"
#include "sagemakerfake.h"
#include "sdcppfake.h"
#include "stabilityfake.h"
#include "togetherfake.h"

#include <cctype>
#include <map>

namespace t2ifuzz {
namespace {

using nlohmann::json;
using t2itest::FakePlatform;

constexpr const char* kFakeBase = "http://fake.invalid:8080";
constexpr const char* kHookBase = "http://hooks.invalid:8081";

t2itest::FakeRequest toFakeRequest(const t2i::HttpRequest& request, double nowMs)
{
    t2itest::FakeRequest r;
    r.method = request.method;
    std::string rest = request.url;
    if (const auto scheme = rest.find("://"); scheme != std::string::npos) {
        const auto slash = rest.find('/', scheme + 3);
        rest = slash == std::string::npos ? "/" : rest.substr(slash);
    }
    const auto question = rest.find('?');
    r.path = rest.substr(0, question);
    r.query = question == std::string::npos ? std::string() : rest.substr(question + 1);
    for (const auto& [name, value] : request.headers) {
        std::string lower = name;
        for (char& c : lower)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        r.headers[lower] = value;
    }
    r.body = request.body;
    r.atMs = nowMs;
    return r;
}

Seed toSeed(const t2itest::FakeResponse& response)
{
    Seed seed { response.status, response.body, {} };
    for (const auto& [name, value] : response.headers) {
        std::string lower = name;
        for (char& c : lower)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        seed.headers.emplace_back(lower, value);
    }
    return seed;
}

// A fresh fake per job; requests to the webhook receiver's host go to `hooks` when there is one.
std::function<Platform()> fake(
    std::function<std::unique_ptr<FakePlatform>()> make, std::function<std::unique_ptr<FakePlatform>()> makeHooks = {})
{
    return [make, makeHooks] {
        std::shared_ptr<FakePlatform> platform = make();
        std::shared_ptr<FakePlatform> hooks = makeHooks ? makeHooks() : nullptr;
        return Platform([platform, hooks](const t2i::HttpRequest& request, double nowMs, Entropy&) {
            FakePlatform& target = hooks && request.url.starts_with(kHookBase) ? *hooks : *platform;
            return toSeed(target.handle(toFakeRequest(request, nowMs)));
        });
    };
}

Seed jsonSeed(int status, const json& body)
{
    return { status, body.dump(), { { "content-type", "application/json" } } };
}

t2i::JobTruth truth(const std::string& id, t2i::JobStatus status, int images = 1)
{
    t2i::JobTruth t;
    t.jobId = id;
    t.spec.width = 16;
    t.spec.height = 16;
    t.spec.images = images;
    t.seed = 7;
    t.arrivalMs = 100;
    t.startMs = 1600;
    t.finishMs = 4000;
    t.queueMs = 1500;
    t.execMs = 2400;
    t.workerId = "w-1";
    t.status = status;
    if (status != t2i::JobStatus::Completed)
        t.error = "CUDA out of memory";
    return t;
}

// ---- the protocols the emulator speaks: its own answers, handed out by route ---------------

std::vector<Seed> runpodEmulatorSeeds()
{
    using t2i::JobStatus;
    t2i::JobView queued { 0, "job-1", JobStatus::InQueue, 100, -1, {} };
    t2i::JobView running { 0, "job-1", JobStatus::InProgress, 100, 1600, "w-1" };
    t2i::PlatformHealth health;
    health.idle = 1;
    health.running = 2;
    health.inQueue = 3;
    return { jsonSeed(200, t2i::runpod::pending(queued)), jsonSeed(200, t2i::runpod::pending(running)),
        jsonSeed(200, t2i::runpod::finished(truth("job-1", JobStatus::Completed, 2))),
        jsonSeed(200, t2i::runpod::finished(truth("job-1", JobStatus::Failed))),
        jsonSeed(200, t2i::runpod::finished(truth("job-1", JobStatus::TimedOut))),
        jsonSeed(200, t2i::runpod::finished(truth("job-1", JobStatus::Cancelled))),
        jsonSeed(400, t2i::runpod::error("input.width must be a multiple of 8")),
        jsonSeed(200, t2i::runpod::health(health)) };
}

Platform runpodPlatform()
{
    const auto seeds = std::make_shared<std::vector<Seed>>(runpodEmulatorSeeds());
    return [seeds](const t2i::HttpRequest& request, double, Entropy& e) {
        const auto& s = *seeds;
        if (request.url.find("/health") != std::string::npos)
            return s[7];
        if (request.url.find("/cancel/") != std::string::npos)
            return s[5];
        if (request.url.find("/run") != std::string::npos) // /run, /runsync
            return e.percent(70) ? s[e.below(2)] : s[2 + e.below(3)];
        return e.percent(60) ? s[1] : s[2 + e.below(4)];
    };
}

std::vector<Seed> openaiEmulatorSeeds()
{
    using t2i::JobStatus;
    return { jsonSeed(200,
                 t2i::openai::generated(
                     truth("req-1", JobStatus::Completed, 2), false, 12, kFakeBase, 1760000000, t2i::ImageFormat::Png)),
        jsonSeed(200,
            t2i::openai::generated(
                truth("req-1", JobStatus::Completed, 1), true, 12, kFakeBase, 1760000000, t2i::ImageFormat::Png)),
        jsonSeed(400,
            t2i::openai::error("Your request was rejected by the safety system.", "image_generation_user_error", {},
                "moderation_blocked")),
        jsonSeed(500, t2i::openai::error("The server had an error", "server_error")) };
}

std::vector<Seed> replicateEmulatorSeeds()
{
    using t2i::JobStatus;
    t2i::replicate::Prediction p;
    p.id = "p-1";
    p.model = "acme/sdxl";
    const t2i::replicate::Clock clock { 1760000000000, 5000 };
    const std::string base = kFakeBase;
    std::vector<Seed> out;
    out.push_back(jsonSeed(201,
        t2i::replicate::prediction(
            p, t2i::JobView { 0, "p-1", JobStatus::InQueue, 0, -1, {} }, clock, base, false, t2i::ImageFormat::Png)));
    out.push_back(jsonSeed(200,
        t2i::replicate::prediction(p, t2i::JobView { 0, "p-1", JobStatus::InProgress, 0, 900, "w" }, clock, base, false,
            t2i::ImageFormat::Png)));
    p.truth = truth("p-1", JobStatus::Completed, 2);
    out.push_back(
        jsonSeed(200, t2i::replicate::prediction(p, std::nullopt, clock, base, false, t2i::ImageFormat::Png)));
    out.push_back(jsonSeed(200, t2i::replicate::prediction(p, std::nullopt, clock, base, true, t2i::ImageFormat::Png)));
    p.truth = truth("p-1", JobStatus::Failed);
    out.push_back(
        jsonSeed(200, t2i::replicate::prediction(p, std::nullopt, clock, base, false, t2i::ImageFormat::Png)));
    out.push_back(jsonSeed(422,
        t2i::replicate::problem("Input validation failed", "- input.width: Must be less than or equal to 4096", 422)));
    return out;
}

std::vector<Seed> falEmulatorSeeds()
{
    using t2i::JobStatus;
    t2i::fal::Request r;
    r.id = "req-1";
    r.appId = "fal-ai/flux";
    const std::string base = kFakeBase;
    std::vector<Seed> out;
    out.push_back(jsonSeed(200, t2i::fal::submitted(r, base, 0)));
    int status = 200;
    json body = t2i::fal::status(r, t2i::JobView { 0, "req-1", JobStatus::InProgress, 0, 10, "w" }, 0, base, status);
    out.push_back(jsonSeed(status, body));
    r.truth = truth("req-1", JobStatus::Completed, 2);
    body = t2i::fal::status(r, std::nullopt, 0, base, status);
    out.push_back(jsonSeed(status, body));
    out.push_back(jsonSeed(200, t2i::fal::result(*r.truth, base, t2i::ImageFormat::Png)));
    r.truth = truth("req-1", JobStatus::Failed);
    body = t2i::fal::status(r, std::nullopt, 0, base, status);
    out.push_back(jsonSeed(status, body));
    out.push_back(jsonSeed(500, t2i::fal::error("Runner disconnected", "runner_disconnected")));
    return out;
}

Platform byRoute(std::vector<Seed> seeds, std::function<std::size_t(const t2i::HttpRequest&, Entropy&)> route)
{
    const auto shared = std::make_shared<std::vector<Seed>>(std::move(seeds));
    return [shared, route](const t2i::HttpRequest& request, double, Entropy& e) {
        return (*shared)[std::min(route(request, e), shared->size() - 1)];
    };
}

// ---- setups --------------------------------------------------------------------------------

t2i::VariantConfig smallVariant(int images = 1)
{
    t2i::VariantConfig v;
    v.id = "v";
    v.model = "sdxl";
    v.width = 64;
    v.height = 64;
    v.steps = 4;
    v.images = images;
    return v;
}

Setup make(std::string name, json provider, std::string baseUrl = kFakeBase, std::string key = "k")
{
    Setup s;
    s.name = std::move(name);
    s.provider.id = "p";
    s.provider.type = provider.value("type", std::string());
    s.provider.settings = std::move(provider);
    s.context = t2i::AdapterContext(std::move(baseUrl), std::move(key), 100);
    s.variant = smallVariant();
    return s;
}

std::vector<Setup> build()
{
    std::vector<Setup> all;

    // RunPod (docs/protocols.md §1): the emulator's answers.
    for (const auto& [name, settings] : std::vector<std::pair<std::string, json>> {
             { "runpod run", { { "type", "runpod" }, { "endpoint_id", "abc" } } },
             { "runpod runsync status-sync",
                 { { "type", "runpod" }, { "endpoint_id", "abc" }, { "mode", "runsync" }, { "poll", "status-sync" } } },
             { "runpod public endpoint",
                 { { "type", "runpod" }, { "endpoint_id", "flux" }, { "mode", "runsync" }, { "input_format", "public" },
                     { "image_format", "png" } } },
         }) {
        Setup s = make(name, settings, std::string(kFakeBase) + "/v2");
        s.seeds = runpodEmulatorSeeds();
        s.healthSeeds = { s.seeds.back() };
        addFixtureSeeds("runpod", s.seeds, s.healthSeeds);
        s.fixtureIds = { "job-1", "j", "j-1-u1", "sync-1-u1" };
        s.platform = [] { return runpodPlatform(); };
        all.push_back(std::move(s));
    }

    // OpenAI (docs/protocols.md §9) and OpenAI-style servers (docs/protocols.md §14): one call.
    for (const auto& [name, settings] : std::vector<std::pair<std::string, json>> {
             { "openai", { { "type", "openai" }, { "model", "gpt-image-1" } } },
             { "openai_compatible url",
                 { { "type", "openai_compatible" }, { "base_url", kFakeBase }, { "model", "sd" },
                     { "response_format", "url" } } },
         }) {
        Setup s = make(name, settings, std::string(kFakeBase) + "/v1");
        s.seeds = openaiEmulatorSeeds();
        addFixtureSeeds("openai", s.seeds, s.healthSeeds);
        s.variant = smallVariant(2);
        all.push_back(std::move(s));
    }

    // Replicate (docs/protocols.md §2).
    for (const auto& [name, settings] : std::vector<std::pair<std::string, json>> {
             { "replicate model wait", { { "type", "replicate" }, { "model", "acme/sdxl" }, { "wait_s", 10 } } },
             { "replicate version", { { "type", "replicate" }, { "version", "acme/sdxl:5c7d5dc6" } } },
         }) {
        Setup s = make(name, settings, std::string(kFakeBase) + "/v1");
        s.seeds = replicateEmulatorSeeds();
        addFixtureSeeds("replicate", s.seeds, s.healthSeeds);
        s.fixtureIds = { "p-1", "gm3q", "p2" };
        s.platform = [seeds = s.seeds] {
            return byRoute(seeds, [](const t2i::HttpRequest& r, Entropy& e) -> std::size_t {
                if (r.method == "POST" && r.url.find("/cancel") == std::string::npos)
                    return e.below(2);
                return e.percent(50) ? 1 : 2 + e.below(3);
            });
        };
        all.push_back(std::move(s));
    }

    // fal (docs/protocols.md §3): queue and sync.
    for (const auto& [name, settings] : std::vector<std::pair<std::string, json>> {
             { "fal queue", { { "type", "fal" }, { "app", "fal-ai/flux/dev" } } },
             { "fal sync", { { "type", "fal" }, { "app", "fal-ai/flux/dev" }, { "mode", "sync" } } },
         }) {
        Setup s = make(name, settings);
        s.seeds = falEmulatorSeeds();
        addFixtureSeeds("fal", s.seeds, s.healthSeeds);
        s.fixtureIds = { "req-1", "764cabcf" };
        s.platform = [seeds = s.seeds] {
            return byRoute(seeds, [](const t2i::HttpRequest& r, Entropy& e) -> std::size_t {
                if (r.method == "POST")
                    return e.percent(80) ? 0 : 3;
                if (r.url.ends_with("/status"))
                    return e.percent(50) ? 1 : 2 + 2 * e.below(2);
                return 3;
            });
        };
        s.variant = smallVariant(2);
        all.push_back(std::move(s));
    }

    // Modal (docs/protocols.md §4): sync and spawn, against the fake.
    for (const auto& [name, settings] : std::vector<std::pair<std::string, json>> {
             { "modal sync", { { "type", "modal" }, { "url", kFakeBase }, { "auth_scheme", "proxy" } } },
             { "modal spawn",
                 { { "type", "modal" }, { "url", kFakeBase }, { "auth_scheme", "proxy" }, { "mode", "spawn" } } },
         }) {
        Setup s = make(name, settings, kFakeBase, "wk-fake:ws-fake");
        addFixtureSeeds("modal", s.seeds, s.healthSeeds);
        s.fixtureIds = { "fc-01J8ZQ6S0D8Z" };
        s.platform = fake([] { return std::make_unique<t2itest::ModalFake>(); });
        all.push_back(std::move(s));
    }

    // Hugging Face Inference Endpoints (docs/protocols.md §6), with the management API as health.
    for (const auto& [name, settings] : std::vector<std::pair<std::string, json>> {
             { "hf_endpoint",
                 { { "type", "hf_endpoint" }, { "url", kFakeBase },
                     { "management",
                         { { "base_url", kFakeBase }, { "namespace", "acme" }, { "name", "sdxl-bench" } } } } },
             { "hf_endpoint json, retry always",
                 { { "type", "hf_endpoint" }, { "url", kFakeBase }, { "response_format", "json" },
                     { "scale_up_retry", { { "when", "always" }, { "max", 5 }, { "delay_ms", 10 } } } } },
         }) {
        Setup s = make(name, settings, kFakeBase, "hf_fake");
        addFixtureSeeds("hf_endpoint", s.seeds, s.healthSeeds);
        s.platform = fake([] { return std::make_unique<t2itest::HfEndpointFake>(); });
        all.push_back(std::move(s));
    }

    // Baseten (docs/protocols.md §7): sync, and async with the result fetched from the webhook receiver.
    for (const auto& [name, settings] : std::vector<std::pair<std::string, json>> {
             { "baseten sync", { { "type", "baseten" }, { "model_id", "abc1234" } } },
             { "baseten async",
                 { { "type", "baseten" }, { "model_id", "abc1234" }, { "mode", "async" },
                     { "async",
                         { { "result_url", std::string(kHookBase) + "/results/{request_id}" },
                             { "queue_status", true } } } } },
         }) {
        Setup s = make(name, settings, kFakeBase, "bt-fake");
        addFixtureSeeds("baseten", s.seeds, s.healthSeeds);
        s.fixtureIds = { "9876abcd" };
        s.platform = fake([] { return std::make_unique<t2itest::BasetenFake>(); },
            [] { return std::make_unique<t2itest::BasetenWebhookReceiver>(); });
        all.push_back(std::move(s));
    }

    // SageMaker (docs/protocols.md §5): real-time and async, every request signed, against the fake.
    for (const auto& [name, settings] : std::vector<std::pair<std::string, json>> {
             { "sagemaker realtime", { { "describe_endpoint", true } } },
             { "sagemaker async via s3", { { "mode", "async" }, { "s3_input_prefix", "s3://sm-inputs/bench/" } } },
             { "sagemaker async input_location",
                 { { "mode", "async" }, { "input_location", "s3://sm-inputs/fixed.json" } } },
         }) {
        json provider = { { "type", "sagemaker" }, { "region", "us-east-1" }, { "endpoint_name", "sdxl" },
            { "access_key_env", "AK" }, { "secret_key_env", "SK" }, { "s3_endpoint", kFakeBase },
            { "control_endpoint", kFakeBase } };
        provider.update(settings);
        Setup s = make(name, provider, kFakeBase, "");
        s.context.secrets = { { "access_key_env", t2itest::SageMakerFake::kAccessKeyId },
            { "secret_key_env", t2itest::SageMakerFake::kSecretAccessKey } };
        addFixtureSeeds("sagemaker", s.seeds, s.healthSeeds);
        s.fixtureIds = { "c2a1e8b4-7d0e-4c4f-9a55-0e3f4f1b2a11" };
        s.platform = fake([] { return std::make_unique<t2itest::SageMakerFake>(); });
        all.push_back(std::move(s));
    }

    // Together (docs/protocols.md §8).
    for (const auto& [name, settings] : std::vector<std::pair<std::string, json>> {
             { "together base64", { { "type", "together" }, { "model", "black-forest-labs/FLUX.1-schnell" } } },
             { "together url",
                 { { "type", "together" }, { "model", "black-forest-labs/FLUX.1-schnell" },
                     { "response_format", "url" }, { "exec_s_pointer", "/timings/inference_s" } } },
         }) {
        Setup s = make(name, settings, std::string(kFakeBase) + "/v1", "tg-fake-key");
        addFixtureSeeds("together", s.seeds, s.healthSeeds);
        s.platform = fake([] { return std::make_unique<t2itest::TogetherFake>(); });
        s.variant = smallVariant(2);
        all.push_back(std::move(s));
    }

    // Stability (docs/protocols.md §10): image bytes or JSON.
    for (const auto& [name, settings] : std::vector<std::pair<std::string, json>> {
             { "stability image", { { "type", "stability" }, { "engine", "core" } } },
             { "stability json sd3", { { "type", "stability" }, { "engine", "sd3" }, { "accept", "json" } } },
         }) {
        Setup s = make(name, settings, std::string(kFakeBase) + "/v2beta", "sk-stability-fake");
        addFixtureSeeds("stability", s.seeds, s.healthSeeds);
        s.platform = fake([] {
            t2itest::StabilityFake::Options o;
            for (auto& [ratio, size] : o.sizes)
                size = { 64, 64 };
            return std::make_unique<t2itest::StabilityFake>(o);
        });
        all.push_back(std::move(s));
    }

    // The generic http type: an async API described in the config, and a synchronous one.
    {
        json p = {
            { "type", "http" },
            { "url", "/api/v2/generate" },
            { "headers", { { "X-Api-Key", "{{api_key}}" } } },
            { "body",
                { { "input",
                    { { "text", "{{prompt}}" }, { "seed", "{{seed}}" }, { "size", { "{{width}}", "{{height}}" } },
                        { "steps", "{{steps}}" }, { "cfg", "{{guidance}}" }, { "count", "{{images}}" } } } } },
            { "extract",
                { { "job_id", "/task/uid" }, { "status", "/task/phase" }, { "queue_ms", "/task/metrics/wait_ms" },
                    { "exec_s", "/task/metrics/gpu_seconds" }, { "images", "/task/output/pictures/*/png" },
                    { "error", "/task/problem" } } },
            { "poll",
                { { "url", "/api/v2/tasks/{{job_id}}" }, { "done_values", { "DONE" } },
                    { "failed_values", { "ERROR", "CANCELLED" } } } },
            { "cancel", { { "url", "/api/v2/tasks/{{job_id}}/cancel" }, { "method", "POST" } } },
        };
        Setup s = make("http async", p, kFakeBase, "custom-fake-key");
        s.provider.baseUrl = kFakeBase;
        addFixtureSeeds("http", s.seeds, s.healthSeeds);
        s.fixtureIds = { "t-7" };
        s.platform = fake([] {
            t2itest::CustomAsyncFake::Options o;
            o.queueMs = 0; // its clock is the wall clock: no waiting in-process
            o.runMs = 0;
            return std::make_unique<t2itest::CustomAsyncFake>(o);
        });
        all.push_back(std::move(s));
    }
    {
        json p = { { "type", "http" }, { "url", "/g" }, { "body", { { "p", "{{prompt}}" } } },
            { "extract",
                { { "image", "/out/image" }, { "images", "/out/urls" }, { "exec_ms", "/took" }, { "error", "/err" },
                    { "worker_id", "/worker" } } } };
        Setup s = make("http sync", p, kFakeBase);
        addFixtureSeeds("http", s.seeds, s.healthSeeds);
        all.push_back(std::move(s));
    }

    // Local servers: ComfyUI, AUTOMATIC1111, sd.cpp (docs/protocols.md §11, docs/protocols.md §12,
    // docs/protocols.md §13).
    {
        Setup s = make("comfyui", { { "type", "comfyui" } });
        addFixtureSeeds("comfyui", s.seeds, s.healthSeeds);
        s.fixtureIds = { "ID" };
        s.platform = fake([] { return std::make_unique<t2itest::ComfyUIFake>(); });
        all.push_back(std::move(s));
    }
    {
        Setup s = make("a1111", { { "type", "a1111" } }, kFakeBase, "");
        addFixtureSeeds("a1111", s.seeds, s.healthSeeds);
        s.platform = fake([] { return std::make_unique<t2itest::A1111Fake>(); });
        s.variant = smallVariant(2);
        all.push_back(std::move(s));
    }
    for (const std::string mode : { "async", "openai", "sdapi" }) {
        Setup s = make("sdcpp " + mode, { { "type", "sdcpp" }, { "mode", mode } }, kFakeBase, "");
        addFixtureSeeds(mode == "sdapi" ? "a1111" : mode == "openai" ? "openai" : "sdcpp", s.seeds, s.healthSeeds);
        s.fixtureIds = { "job_68e5a000_00000007" };
        s.platform = fake([] { return std::make_unique<t2itest::SdCppFake>(); });
        all.push_back(std::move(s));
    }
    return all;
}

} // namespace

const std::vector<Setup>& setups()
{
    static const std::vector<Setup> all = [] {
        std::vector<Setup> built = build();
        for (Setup& s : built) {
            for (const Seed& seed : s.seeds)
                collectKeys(seed.body, s.keys);
            for (const Seed& seed : s.healthSeeds)
                collectKeys(seed.body, s.keys);
        }
        return built;
    }();
    return all;
}

} // namespace t2ifuzz
