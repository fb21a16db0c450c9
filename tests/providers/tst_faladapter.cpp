// SPDX-License-Identifier: Apache-2.0
// The fal adapter on canned queue and result bodies shaped like fal.ai's (docs/protocols.md §3).
#include "adaptertesthelpers.h"
#include "fal/faladapter.h"
#include "registry/registry.h"

#include "falfixtures.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using nlohmann::json;

namespace {

using adaptertest::answer;
using adaptertest::headerOf;
using adaptertest::isKind;

FalOptions options(const std::string& app, bool sync = false)
{
    FalOptions o;
    o.queueBase = "http://127.0.0.1:9/q";
    o.syncBase = "http://127.0.0.1:9/s";
    o.apiKey = "id:secret";
    o.app = app;
    o.sync = sync;
    o.pollIntervalMs = 100;
    return o;
}

JobState newJob()
{
    JobState job;
    job.job.prompt = "a red fox";
    job.job.seed = 45;
    job.job.variant.width = 768;
    job.job.variant.height = 512;
    job.job.variant.steps = 4;
    job.job.variant.guidance = 3.5;
    job.job.variant.images = 2;
    return job;
}

bool isError(const Action& a, ErrorClass e)
{
    return a.kind == Action::Kind::Fail && a.error == e;
}

} // namespace

class TestFalAdapter : public QObject {
    Q_OBJECT
private slots:
    void submitBodyAndAuth()
    {
        FalAdapter adapter(options("fal-ai/flux/dev"));
        JobState job = newJob();
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(r.method, std::string("POST"));
        QCOMPARE(r.url, std::string("http://127.0.0.1:9/q/fal-ai/flux/dev")); // the full id, sub-path included
        QCOMPARE(headerOf(r, "Authorization"), std::string("Key id:secret"));
        const json body = json::parse(r.body);
        QCOMPARE(body["prompt"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(body["image_size"]["width"].get<int>(), 768);
        QCOMPARE(body["image_size"]["height"].get<int>(), 512);
        QCOMPARE(body["num_inference_steps"].get<int>(), 4);
        QCOMPARE(body["guidance_scale"].get<double>(), 3.5);
        QCOMPARE(body["seed"].get<int>(), 45);
        QCOMPARE(body["num_images"].get<int>(), 2);
        QCOMPARE(body["enable_safety_checker"].get<bool>(), false);
        QVERIFY(!body.contains("input")); // no wrapper
    }

    void queueFlow()
    {
        FalAdapter adapter(options("fal-ai/flux/dev"));
        JobState job = newJob();
        adapter.submit(job);
        Action a = adapter.onResponse(job, answer(200, kFalSubmitted));
        QVERIFY(isKind(a, Action::Kind::Poll));
        QCOMPARE(job.phase, JobPhase::Queued);
        QCOMPARE(job.jobId, std::string("764cabcf"));
        QVERIFY(job.accepted);
        QCOMPARE(a.request.method, std::string("GET"));
        QCOMPARE(a.request.url, std::string("https://queue.fal.run/fal-ai/flux/requests/764cabcf/status"));
        QCOMPARE(a.delayMs, 100.0);
        a = adapter.onResponse(job, answer(202, kFalInQueue));
        QVERIFY(isKind(a, Action::Kind::Poll));
        QCOMPARE(job.providerStatus, std::string("IN_QUEUE"));
        a = adapter.onResponse(job, answer(202, kFalInProgress));
        QVERIFY(isKind(a, Action::Kind::Poll));
        QCOMPARE(job.providerStatus, std::string("IN_PROGRESS"));
        QCOMPARE(job.polls, 3);
        a = adapter.onResponse(job, answer(200, kFalCompleted));
        QVERIFY(isKind(a, Action::Kind::Send));
        QCOMPARE(a.request.url, std::string("https://queue.fal.run/fal-ai/flux/requests/764cabcf"));
        QCOMPARE(a.delayMs, 0.0);
        QCOMPARE(job.execMs.value_or(-1), 1830.0);
        a = adapter.onResponse(job, answer(200, kFalResult));
        QVERIFY(isKind(a, Action::Kind::Done));
        QCOMPARE(job.imageUrls.size(), std::size_t(2));
        QCOMPARE(job.imageUrls[0], std::string("https://v3.fal.media/files/rabbit/a.jpg"));
        QCOMPARE(job.execMs.value_or(-1), 1830.0); // the platform's metric, not the app's timings
        QVERIFY(!job.queueMs.has_value()); // fal reports none
        QCOMPARE(job.polls, 3);
    }

    void subPathAppsPollOnTheAppIdWithoutUrls()
    {
        // A submit answer without URLs: the adapter builds them on the app id (first two segments).
        FalAdapter adapter(options("fal-ai/flux-pro/v1.1/ultra"));
        JobState job = newJob();
        QCOMPARE(adapter.submit(job).url, std::string("http://127.0.0.1:9/q/fal-ai/flux-pro/v1.1/ultra"));
        Action a = adapter.onResponse(job, answer(200, json { { "request_id", "r1" } }.dump()));
        QCOMPARE(a.request.url, std::string("http://127.0.0.1:9/q/fal-ai/flux-pro/requests/r1/status"));
        a = adapter.onResponse(job, answer(200, kFalCompletedNoMetrics));
        QCOMPARE(a.request.url, std::string("http://127.0.0.1:9/q/fal-ai/flux-pro/requests/r1"));
        QVERIFY(!job.execMs.has_value());
        a = adapter.onResponse(job, answer(200, kFalResult));
        QVERIFY(isKind(a, Action::Kind::Done));
        QCOMPARE(job.execMs.value_or(-1), 1790.0); // timings.inference when metrics has none
        QCOMPARE(adapter.cancel(job)->url, std::string("http://127.0.0.1:9/q/fal-ai/flux-pro/requests/r1/cancel"));
        QCOMPARE(falAppId("fal-ai/fast-sdxl"), std::string("fal-ai/fast-sdxl"));
        QCOMPARE(falAppId("fal-ai/flux/dev"), std::string("fal-ai/flux"));
    }

    void syncFlowWithInlineImages()
    {
        FalAdapter adapter(options("fal-ai/fast-sdxl", true));
        JobState job = newJob();
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(r.url, std::string("http://127.0.0.1:9/s/fal-ai/fast-sdxl"));
        QVERIFY(!adapter.cancel(job).has_value()); // no request id on the sync route
        const Action a = adapter.onResponse(job, answer(200, falInlineResult()));
        QVERIFY(isKind(a, Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(1));
        QVERIFY(job.imageUrls.empty());
        QCOMPARE(job.execMs.value_or(-1), 250.0);
        QCOMPARE(job.polls, 0);
    }

    void errors()
    {
        FalAdapter adapter(options("fal-ai/flux/dev"));
        JobState job = newJob();
        adapter.submit(job);
        Action a = adapter.onResponse(job, answer(422, kFalValidation, { { "x-fal-retryable", "false" } }));
        QVERIFY(isError(a, ErrorClass::ClientError));
        QVERIFY2(a.message.find("prompt: field required") != std::string::npos, a.message.c_str());

        a = adapter.onResponse(job, answer(500, kFalRunnerError, { { "x-fal-error-type", "runner_disconnected" } }));
        QVERIFY(isError(a, ErrorClass::PlatformFailure));
        QVERIFY2(a.message.find("runner_disconnected") != std::string::npos, a.message.c_str());
        QVERIFY(a.message.find("Runner disconnected") != std::string::npos);

        a = adapter.onResponse(job, answer(503, "upstream gone"));
        QVERIFY(isError(a, ErrorClass::ServerError));

        HttpResponse transport;
        transport.timedOut = true;
        transport.transportError = "timeout";
        QVERIFY(isError(adapter.onResponse(job, transport), ErrorClass::Timeout));

        QVERIFY(isError(adapter.onResponse(job, answer(200, "not json")), ErrorClass::ServerError));

        // An error in the COMPLETED status body: the platform failed the job.
        JobState failed = newJob();
        adapter.submit(failed);
        adapter.onResponse(failed, answer(200, kFalSubmitted));
        a = adapter.onResponse(failed, answer(200, kFalCompletedWithError));
        QVERIFY(isError(a, ErrorClass::OutOfMemory)); // its error says CUDA out of memory
        QVERIFY(a.message.find("CUDA out of memory") != std::string::npos);

        // A result without images.
        JobState empty = newJob();
        FalAdapter sync(options("fal-ai/flux/dev", true));
        sync.submit(empty);
        QVERIFY(isError(sync.onResponse(empty, answer(200, "{\"images\":[]}")), ErrorClass::InvalidImage));

        // 429: Retry-After in seconds.
        QCOMPARE(adapter.retryAfterMs(answer(429, "{}", { { "retry-after", "3" } })).value_or(-1), 3000.0);
        QVERIFY(!adapter.retryAfterMs(answer(429, "{}")).has_value());
    }

    void cancelUsesTheGivenUrl()
    {
        FalAdapter adapter(options("fal-ai/flux/dev"));
        JobState job = newJob();
        adapter.submit(job);
        QVERIFY(!adapter.cancel(job).has_value());
        adapter.onResponse(job, answer(200, kFalSubmitted));
        const auto cancel = adapter.cancel(job);
        QVERIFY(cancel.has_value());
        QCOMPARE(cancel->method, std::string("PUT"));
        QCOMPARE(cancel->url, std::string("https://queue.fal.run/fal-ai/flux/requests/764cabcf/cancel"));
        QCOMPARE(headerOf(*cancel, "Authorization"), std::string("Key id:secret"));
    }

    void fromConfig()
    {
        ProviderConfig real;
        real.type = "fal";
        real.settings = { { "app", "fal-ai/flux/dev" }, { "mode", "sync" } };
        FalOptions o = FalOptions::fromConfig(real, AdapterContext { {}, "k", 50 });
        QCOMPARE(o.queueBase, std::string("https://queue.fal.run"));
        QCOMPARE(o.syncBase, std::string("https://fal.run"));
        QVERIFY(o.sync);
        QCOMPARE(o.app, std::string("fal-ai/flux/dev"));
        QCOMPARE(o.pollIntervalMs, 50);
        o = FalOptions::fromConfig(real, AdapterContext { "http://proxy/", "k", 50 });
        QCOMPARE(o.queueBase, std::string("http://proxy"));
        QCOMPARE(o.syncBase, std::string("http://proxy")); // base_url overrides both

        ProviderConfig emulated;
        emulated.type = "emulated";
        emulated.settings = { { "protocol", "fal" } };
        o = FalOptions::fromConfig(emulated, AdapterContext { "http://127.0.0.1:5", "k", 50 });
        QCOMPARE(o.queueBase, std::string("http://127.0.0.1:5"));
        QCOMPARE(o.syncBase, std::string("http://127.0.0.1:5/sync"));
        QVERIFY(!o.sync);
        QCOMPARE(o.app, std::string("fal-ai/fast-sdxl"));
        const auto adapter = makeAdapter(emulated, AdapterContext { "http://127.0.0.1:5", "k", 50 });
        QVERIFY(adapter != nullptr);
        QCOMPARE(adapter->type(), std::string("fal"));
        QVERIFY(isKnownProviderType("fal"));
    }
};

QTEST_GUILESS_MAIN(TestFalAdapter)
#include "tst_faladapter.moc"
