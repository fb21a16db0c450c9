// SPDX-License-Identifier: Apache-2.0
// The Hugging Face endpoint adapter through the real engine against a fake endpoint that scales to
// zero: X-Scale-Up-Timeout makes the cold start latency only; without it the 503s are retried and
// each retry is counted in the record; the retry limit and policy hold; errors are classified; the
// management API's state is sampled as health. HF reports no timings: queue and exec stay unknown.
#include "adapterharness.h"
#include "fakeserver.h"
#include "hfendpoint/hfendpointadapter.h"
#include "hfendpointfake.h"
#include "registry/registry.h"

#include <QtTest>

using namespace t2i;
using namespace t2itest;
using nlohmann::json;

namespace {

struct Rig {
    explicit Rig(HfEndpointFakeOptions options = {}, json settings = json::object(), std::string key = "hf_fake")
        : fake(std::move(options))
        , server([this](const FakeRequest& r) { return fake.handle(r); })
    {
        ProviderConfig provider;
        provider.type = "hf_endpoint";
        settings["type"] = "hf_endpoint";
        settings["url"] = "https://abc.us-east-1.aws.endpoints.huggingface.cloud";
        provider.settings = settings;
        adapter = makeAdapter(provider, AdapterContext { server.baseUrl(), std::move(key), 20 });
    }
    HfEndpointFake fake;
    FakeServer server;
    std::unique_ptr<Adapter> adapter;
};

HarnessOptions requests(int n)
{
    HarnessOptions h;
    h.requests = n;
    return h;
}

json quickRetries(int max = 200)
{
    return { { "delay_ms", 30 }, { "max", max } };
}

} // namespace

class TestHfEndpointFake : public QObject {
    Q_OBJECT
private slots:
    void scaleUpTimeoutHoldsTheColdRequest()
    {
        Rig rig; // scaled to zero; the adapter sends X-Scale-Up-Timeout: 600
        const HarnessResult run = runAdapter(*rig.adapter, requests(3));
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Completed));
        QCOMPARE(run.okCount(), 3);
        QCOMPARE(rig.fake.scaleUps(), 1);
        QCOMPARE(rig.fake.heldRequests(), 1);
        QCOMPARE(rig.fake.unavailableAnswers(), 0);
        for (const RequestRecord& r : run.records) {
            QVERIFY(!r.queueMs.has_value()); // HF reports no timings: the cold start is latency only
            QVERIFY(!r.execMs.has_value());
            QCOMPARE(r.polls, 0);
            QCOMPARE(r.providerStatus, std::string("ok"));
            QCOMPARE(*r.width, 512);
        }
        const auto payloads = rig.fake.payloads();
        QCOMPARE(payloads.size(), std::size_t(3));
        QCOMPARE(payloads[0]["parameters"]["num_inference_steps"].get<int>(), 4);
        QCOMPARE(payloads[0]["parameters"]["width"].get<int>(), 512);
        for (const FakeRequest& r : rig.server.requests()) {
            QCOMPARE(r.header("x-scale-up-timeout"), std::string("600"));
            QCOMPARE(r.header("accept"), std::string("image/png"));
        }
    }

    void without503HoldEveryRetryIsCounted_data()
    {
        QTest::addColumn<bool>("estimatedTime");
        QTest::newRow("plain 503 message") << false;
        QTest::newRow("503 with estimated_time") << true;
    }

    void without503HoldEveryRetryIsCounted()
    {
        QFETCH(bool, estimatedTime);
        HfEndpointFakeOptions options;
        options.bootMs = 300;
        options.estimatedTimeBody = estimatedTime;
        Rig rig(options, { { "scale_up_timeout_s", 0 }, { "scale_up_retry", quickRetries() } });
        const HarnessResult run = runAdapter(*rig.adapter, requests(2));
        QCOMPARE(run.okCount(), 2);
        const RequestRecord* first = run.bySeq(0);
        QVERIFY(first);
        QVERIFY(first->polls >= 1);
        QCOMPARE(first->polls, rig.fake.unavailableAnswers()); // every 503 the fake sent, counted once
        QCOMPARE(first->providerStatus, std::string("ready_after_503"));
        QCOMPARE(run.bySeq(1)->polls, 0);
        QCOMPARE(run.bySeq(1)->providerStatus, std::string("ok"));
        QCOMPARE(rig.fake.heldRequests(), 0);
        for (const FakeRequest& r : rig.server.requests())
            QCOMPARE(r.header("x-scale-up-timeout"), std::string());
    }

    void retryLimitFailsAsTimeout()
    {
        HfEndpointFakeOptions options;
        options.bootMs = 5000;
        Rig rig(options, { { "scale_up_timeout_s", 0 }, { "scale_up_retry", quickRetries(2) } });
        const HarnessResult run = runAdapter(*rig.adapter, requests(1));
        const RequestRecord& r = run.records.front();
        QVERIFY(!r.ok);
        QCOMPARE(int(r.errorClass), int(ErrorClass::Timeout));
        QCOMPARE(r.polls, 2);
        QCOMPARE(rig.fake.unavailableAnswers(), 3);
        QVERIFY2(r.errorMessage.find("still scaling up after 2 retries") != std::string::npos, r.errorMessage.c_str());
    }

    void neverRetryingMakesTheColdRequestAServerError()
    {
        Rig rig({}, { { "scale_up_timeout_s", 0 }, { "scale_up_retry", { { "when", "never" } } } });
        const HarnessResult run = runAdapter(*rig.adapter, requests(1));
        QCOMPARE(int(run.records.front().errorClass), int(ErrorClass::ServerError));
        QCOMPARE(run.records.front().httpStatus, 503);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("inject");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("mentioning");
        QTest::newRow("wrong token is a client error")
            << "wrong-token" << int(ErrorClass::ClientError) << "token seems invalid";
        QTest::newRow("model exception is a server error")
            << "exception" << int(ErrorClass::ServerError) << "CUDA error";
        QTest::newRow("malformed handler JSON is an invalid image")
            << "malformed" << int(ErrorClass::InvalidImage) << "neither an image nor JSON";
        QTest::newRow("throttled then fine") << "429" << int(ErrorClass::None) << "";
    }

    void errors()
    {
        QFETCH(QString, inject);
        QFETCH(int, error);
        QFETCH(QString, mentioning);
        HfEndpointFakeOptions options;
        options.startScaledToZero = false;
        Rig rig(options, json::object(), inject == "wrong-token" ? "hf_WRONG" : "hf_fake");
        if (inject == "exception")
            rig.fake.failNextGeneration("CUDA error: out of memory");
        if (inject == "malformed")
            rig.fake.overrideNext("/", FakeResponse::bytes(200, "{\"image\": ", "application/json"));
        if (inject == "429")
            rig.fake.overrideNext(
                "/", FakeResponse::json(429, { { "error", "Rate limit reached" } }).withHeader("Retry-After", "0"));
        const HarnessResult run = runAdapter(*rig.adapter, requests(1));
        const RequestRecord& r = run.records.front();
        QCOMPARE(int(r.errorClass), error);
        QVERIFY2(r.errorMessage.find(mentioning.toStdString()) != std::string::npos, r.errorMessage.c_str());
        QVERIFY(r.errorMessage.find("hf_WRONG") == std::string::npos);
        if (inject == "429") {
            QVERIFY(r.ok);
            QCOMPARE(r.throttled, 1);
        }
    }

    void customHandlerJson()
    {
        HfEndpointFakeOptions options;
        options.startScaledToZero = false;
        options.handler = "custom";
        Rig rig(options, { { "response_format", "json" } });
        const HarnessResult run = runAdapter(*rig.adapter, requests(2));
        QCOMPARE(run.okCount(), 2);
    }

    void managementStateIsSampled()
    {
        HfEndpointFakeOptions options;
        options.bootMs = 700;
        Rig rig(options);
        ProviderConfig provider;
        provider.type = "hf_endpoint";
        provider.settings = { { "url", "https://x.endpoints.huggingface.cloud" },
            { "management",
                { { "namespace", "acme" }, { "name", "sdxl-bench" }, { "base_url", rig.server.baseUrl() } } } };
        const auto adapter = makeAdapter(provider, AdapterContext { rig.server.baseUrl(), "hf_fake", 20 });
        HarnessOptions h = requests(3);
        h.sampleHealth = true;
        const HarnessResult run = runAdapter(*adapter, h);
        QCOMPARE(run.okCount(), 3);
        QVERIFY(!run.samples.empty());
        bool sawStarting = false, sawReady = false;
        for (const WorkerSample& s : run.samples) {
            sawStarting = sawStarting || s.initializing == 1;
            sawReady = sawReady || s.ready == 1;
        }
        QVERIFY(sawStarting);
        QVERIFY(sawReady);
    }
};

QTEST_GUILESS_MAIN(TestHfEndpointFake)
#include "tst_hfendpointfake.moc"
