// SPDX-License-Identifier: Apache-2.0
// The sd-server adapters through the real engine against a fake stable-diffusion.cpp server (one
// GPU, FIFO): native job timestamps land in the records as the server reported them, a full queue
// is honoured as throttling, expiry and failures are classified, a cancel removes every queued job
// (a generating one cannot be stopped), and the OpenAI and sdapi routes carry the variant.
#include "adapterharness.h"
#include "fakeserver.h"
#include "registry/registry.h"
#include "sdcpp/sdcppadapter.h"
#include "sdcppfake.h"

#include <QtTest>

#include <set>

using namespace t2i;
using namespace t2itest;
using nlohmann::json;

namespace {

struct Rig {
    explicit Rig(SdCppFakeOptions options = {}, const std::string& mode = "async")
        : fake(options)
        , server([this](const FakeRequest& r) { return fake.handle(r); })
    {
        ProviderConfig provider;
        provider.type = "sdcpp";
        provider.settings = { { "type", "sdcpp" }, { "mode", mode } };
        adapter = makeAdapter(provider, AdapterContext { server.baseUrl(), "", 20 });
    }
    SdCppFake fake;
    FakeServer server;
    std::unique_ptr<Adapter> adapter;

    std::set<std::string> polledJobs() const
    {
        std::set<std::string> ids;
        for (const FakeRequest& r : server.requests())
            if (r.method == "GET" && r.path.starts_with("/sdcpp/v1/jobs/"))
                ids.insert(r.path);
        return ids;
    }
};

HarnessOptions oneRequest()
{
    HarnessOptions h;
    h.requests = 1;
    return h;
}

} // namespace

class TestSdCppFake : public QObject {
    Q_OBJECT
private slots:
    void timesAreTheOnesTheServerReported()
    {
        SdCppFakeOptions options;
        options.execMs = 700;
        Rig rig(options);
        HarnessOptions h;
        h.requests = 3;
        h.concurrency = 3; // the third waits 1.4 s: at least one whole second of reported queue
        const HarnessResult run = runAdapter(*rig.adapter, h);
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Completed));
        QCOMPARE(run.okCount(), 3);
        double longestQueue = 0;
        for (const RequestRecord& r : run.records) {
            const auto reported = rig.fake.reportedFor(r.jobId);
            QVERIFY2(reported, r.jobId.c_str());
            QCOMPARE(*r.queueMs, 1000.0 * double(reported->started - reported->created));
            QCOMPARE(*r.execMs, 1000.0 * double(reported->completed - reported->started));
            QVERIFY(!r.downloadMs); // inline b64_json
            QCOMPARE(r.providerStatus, std::string("completed"));
            QCOMPARE(*r.width, 512);
            longestQueue = std::max(longestQueue, *r.queueMs);
        }
        QVERIFY(longestQueue >= 1000.0);
        const json sent = rig.fake.generationRequests().front();
        QCOMPARE(sent["steps"].get<int>(), h.variant.steps);
        QCOMPARE(sent["cfg"].get<double>(), h.variant.guidance);
    }

    void fullQueueIsThrottlingThenServed()
    {
        SdCppFakeOptions options;
        options.execMs = 200;
        options.maxQueueSize = 1;
        Rig rig(options);
        HarnessOptions h;
        h.requests = 2;
        h.concurrency = 2;
        const HarnessResult run = runAdapter(*rig.adapter, h);
        QCOMPARE(run.okCount(), 2);
        int throttled = 0;
        for (const RequestRecord& r : run.records)
            throttled += r.throttled;
        QVERIFY(throttled >= 1); // 429 "job queue is full", honoured and counted
    }

    void failuresAreClassified()
    {
        Rig rig;
        rig.fake.failNextGeneration("generate_image returned no results");
        RequestRecord r = runAdapter(*rig.adapter, oneRequest()).records.front();
        QCOMPARE(int(r.errorClass), int(ErrorClass::PlatformFailure));
        QVERIFY2(r.errorMessage.find("generation_failed: generate_image returned no results") != std::string::npos,
            r.errorMessage.c_str());
        QVERIFY(r.execMs); // the failed job's seconds are known

        rig.fake.overrideNext("/sdcpp/v1/jobs/", FakeResponse::bytes(200, "<html>", "text/html"));
        r = runAdapter(*rig.adapter, oneRequest()).records.front();
        QCOMPARE(int(r.errorClass), int(ErrorClass::ServerError));

        rig.fake.overrideNext(
            "/sdcpp/v1/img_gen", FakeResponse::json(400, { { "error", "invalid generation parameters" } }));
        r = runAdapter(*rig.adapter, oneRequest()).records.front();
        QCOMPARE(int(r.errorClass), int(ErrorClass::ClientError));
        QVERIFY(r.jobId.empty());
    }

    void expiredResultIsGone()
    {
        SdCppFakeOptions options;
        options.completedTtlMs = 0; // dropped the moment it finishes
        Rig rig(options);
        const RequestRecord r = runAdapter(*rig.adapter, oneRequest()).records.front();
        QCOMPARE(r.httpStatus, 410);
        QCOMPARE(int(r.errorClass), int(ErrorClass::ClientError));
        QVERIFY2(r.errorMessage.find("job expired") != std::string::npos, r.errorMessage.c_str());
    }

    void cancelRemovesQueuedJobsButNotTheGeneratingOne()
    {
        SdCppFakeOptions options;
        options.execMs = 10000;
        Rig rig(options);
        HarnessOptions h;
        h.requests = 3;
        h.concurrency = 3;
        h.cancelWhen = [&rig](const EngineProgress& p) { return p.inFlight == 3 && rig.polledJobs().size() == 3; };
        const HarnessResult run = runAdapter(*rig.adapter, h);
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Cancelled));
        QCOMPARE(rig.fake.cancelledCount(), 2); // the queued ones
        QCOMPARE(rig.fake.refusedCancels(), 1); // 409: generating jobs cannot be interrupted (sd-server)
        const double now = rig.server.nowMs();
        QCOMPARE(rig.fake.activeJobs(now), 1);
        QCOMPARE(rig.fake.activeJobs(now + options.execMs), 0); // nothing waits behind it
    }

    void openAIRouteCarriesTheVariant()
    {
        Rig rig({}, "openai");
        HarnessOptions h = oneRequest();
        const RequestRecord r = runAdapter(*rig.adapter, h).records.front();
        QVERIFY2(r.ok, r.errorMessage.c_str());
        QVERIFY(!r.execMs); // the OpenAI route reports no timings
        const json sent = rig.fake.generationRequests().front();
        QCOMPARE(sent["route"].get<std::string>(), std::string("openai"));
        QCOMPARE(sent["steps"].get<int>(), h.variant.steps);
        QCOMPARE(sent["cfg"].get<double>(), h.variant.guidance);
        QCOMPARE(sent["seed"].get<std::int64_t>(), r.seed);
        QCOMPARE(sent["prompt"].get<std::string>(), h.prompts.front()); // extra args stripped by the server
    }

    void sdapiRouteCarriesTheVariant()
    {
        Rig rig({}, "sdapi");
        HarnessOptions h = oneRequest();
        const RequestRecord r = runAdapter(*rig.adapter, h).records.front();
        QVERIFY2(r.ok, r.errorMessage.c_str());
        QVERIFY(!r.execMs); // sd-server sends no X-Process-Time
        const json sent = rig.fake.generationRequests().front();
        QCOMPARE(sent["route"].get<std::string>(), std::string("sdapi"));
        QCOMPARE(sent["steps"].get<int>(), h.variant.steps);
        QCOMPARE(sent["seed"].get<std::int64_t>(), r.seed);
    }

    void servedByName() { QVERIFY(makeFakePlatform("sdcpp")); }
};

QTEST_GUILESS_MAIN(TestSdCppFake)
#include "tst_sdcppfake.moc"
