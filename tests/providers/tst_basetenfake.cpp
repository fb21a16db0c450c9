// SPDX-License-Identifier: Apache-2.0
// The Baseten adapter through the real engine against a fake Baseten model and a fake webhook
// receiver: sync predict reports the Truss's own time; async predict's queue and execution times
// are Baseten's created_at / status_at differences to the microsecond; the output comes over a real
// webhook; the status route's rate limit is honoured and counted; failures are classified; a cancel
// leaves no request queued (Baseten cannot cancel one in progress).
#include "adapterharness.h"
#include "baseten/basetenadapter.h"
#include "basetenfake.h"
#include "fakeserver.h"
#include "registry/registry.h"

#include <QtTest>

using namespace t2i;
using namespace t2itest;
using nlohmann::json;

namespace {

struct Rig {
    explicit Rig(BasetenFakeOptions options = {}, json settings = json::object(), std::string key = "bt-fake")
        : fake([&options] {
            options.allowHttpWebhook = true;
            return options;
        }())
        , server([this](const FakeRequest& r) { return fake.handle(r); })
        , receiver([this](const FakeRequest& r) { return hooks.handle(r); })
    {
        ProviderConfig provider;
        provider.type = "baseten";
        settings["type"] = "baseten";
        settings["model_id"] = "abc1234";
        if (settings.value("mode", std::string()) == "async") {
            json& async = settings["async"];
            if (!async.contains("webhook_endpoint"))
                async["webhook_endpoint"] = receiver.baseUrl() + "/hook";
            if (!async.contains("result_url"))
                async["result_url"] = receiver.baseUrl() + "/results/{request_id}";
        }
        provider.settings = settings;
        adapter = makeAdapter(provider, AdapterContext { server.baseUrl(), std::move(key), 60 });
    }
    BasetenFake fake;
    BasetenWebhookReceiver hooks;
    FakeServer server;
    FakeServer receiver;
    std::unique_ptr<Adapter> adapter;
};

HarnessOptions requests(int n, int concurrency = 1, int pollMs = 60)
{
    HarnessOptions h;
    h.requests = n;
    h.concurrency = concurrency;
    h.pollIntervalMs = pollMs;
    return h;
}

json asyncMode()
{
    return { { "mode", "async" } };
}

} // namespace

class TestBasetenFake : public QObject {
    Q_OBJECT
private slots:
    void syncReportsTheTrussTime()
    {
        Rig rig;
        const HarnessResult run = runAdapter(*rig.adapter, requests(3));
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Completed));
        QCOMPARE(run.okCount(), 3);
        const std::vector<double> times = rig.fake.syncTimesMs();
        QCOMPARE(times.size(), std::size_t(3));
        for (std::size_t i = 0; i < 3; ++i) {
            const RequestRecord* r = run.bySeq(std::int64_t(i));
            QCOMPARE(r->execMs.value_or(-1), times[i]);
            QVERIFY(!r->queueMs.has_value());
            QCOMPARE(*r->width, 512);
        }
        for (const FakeRequest& r : rig.server.requests()) {
            QCOMPARE(r.path, std::string("/environments/production/predict"));
            QCOMPARE(r.header("authorization"), std::string("Api-Key bt-fake"));
        }
    }

    void asyncTimesAreBasetensOwnTimestamps()
    {
        BasetenFakeOptions options;
        options.execMs = 300;
        Rig rig(options, asyncMode());
        const HarnessResult run = runAdapter(*rig.adapter, requests(3));
        QCOMPARE(run.okCount(), 3);
        for (const RequestRecord& r : run.records) {
            const auto reported = rig.fake.reportedFor(r.jobId);
            QVERIFY2(reported, r.jobId.c_str());
            QVERIFY(r.queueMs.has_value());
            QVERIFY(r.execMs.has_value());
            QCOMPARE(*r.queueMs, double(reported->startedUs - reported->createdUs) / 1000.0);
            QCOMPARE(*r.execMs, double(reported->endedUs - reported->startedUs) / 1000.0);
            QCOMPARE(r.providerStatus, std::string("SUCCEEDED"));
            QVERIFY(r.acceptedMs.has_value());
        }
        QVERIFY(*run.bySeq(0)->queueMs >= 300.0); // the first request waited for the replica to boot
        QCOMPARE(rig.fake.webhooksDelivered(), 3);
        QCOMPARE(rig.hooks.received(), 3);
        for (const FakeRequest& r : rig.receiver.requests())
            QCOMPARE(r.header("authorization"), std::string()); // Baseten's key never goes to the receiver
    }

    void statusRateLimitIsHonouredAndCounted()
    {
        BasetenFakeOptions options;
        options.execMs = 400;
        options.statusRateLimitPerS = 10; // polled at 20/s: the 11th poll within a second is refused
        Rig rig(options, asyncMode());
        const HarnessResult run = runAdapter(*rig.adapter, requests(1, 1, 50));
        QCOMPARE(run.okCount(), 1);
        int throttled = 0;
        for (const RequestRecord& r : run.records)
            throttled += r.throttled;
        QVERIFY(rig.fake.rateLimited() > 0);
        QCOMPARE(throttled, rig.fake.rateLimited()); // each 429 honoured and counted, none hidden
    }

    void failureModes_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("inject");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("mentioning");
        QTest::newRow("wrong key is a client error") << "sync"
                                                     << "wrong-key" << int(ErrorClass::ClientError) << "Api-Key";
        QTest::newRow("Truss exception is a server error") << "sync"
                                                           << "fail" << int(ErrorClass::ServerError) << "OOM";
        QTest::newRow("async FAILED is a platform failure")
            << "async"
            << "fail" << int(ErrorClass::PlatformFailure) << "MODEL_PREDICT_ERROR: OOM";
        QTest::newRow("webhook delivery failure is a platform failure")
            << "async"
            << "dead-webhook" << int(ErrorClass::PlatformFailure) << "could not deliver the webhook";
        QTest::newRow("unknown environment is a client error")
            << "sync"
            << "environment" << int(ErrorClass::ClientError) << "not found";
        QTest::newRow("malformed status JSON is a server error")
            << "async"
            << "malformed" << int(ErrorClass::ServerError) << "malformed JSON";
    }

    void failureModes()
    {
        QFETCH(QString, mode);
        QFETCH(QString, inject);
        QFETCH(int, error);
        QFETCH(QString, mentioning);
        json settings = { { "mode", mode.toStdString() } };
        if (inject == "environment")
            settings["environment"] = "nightly";
        if (inject == "dead-webhook") // a port nothing listens on
            settings["async"] = { { "webhook_endpoint", "http://127.0.0.1:9/hook" },
                { "result_url", "http://127.0.0.1:9/r/{request_id}" } };
        Rig rig({}, settings, inject == "wrong-key" ? "bt-WRONG" : "bt-fake");
        if (inject == "fail")
            rig.fake.failNextPrediction("OOM");
        if (inject == "malformed")
            rig.fake.overrideNext(
                "/async_request/", FakeResponse::bytes(200, "{\"status\": \"QUE", "application/json"));
        const HarnessResult run = runAdapter(*rig.adapter, requests(1));
        QCOMPARE(run.records.size(), std::size_t(1));
        const RequestRecord& r = run.records.front();
        QVERIFY(!r.ok);
        QCOMPARE(int(r.errorClass), error);
        QVERIFY2(r.errorMessage.find(mentioning.toStdString()) != std::string::npos, r.errorMessage.c_str());
        QVERIFY(r.errorMessage.find("bt-WRONG") == std::string::npos);
    }

    void cancelLeavesNothingQueued()
    {
        BasetenFakeOptions options;
        options.execMs = 3000;
        Rig rig(options, asyncMode());
        HarnessOptions h = requests(3, 3);
        h.cancelWhen = [](const EngineProgress& p) { return p.inFlight == 3 && p.elapsedMs > 500; };
        const HarnessResult run = runAdapter(*rig.adapter, h);
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Cancelled));
        for (const RequestRecord& r : run.records)
            QCOMPARE(int(r.errorClass), int(ErrorClass::Cancelled));
        // The first was IN_PROGRESS (Baseten cancels only QUEUED requests); the other two were removed.
        QCOMPARE(rig.fake.canceledCount(), 2);
        QCOMPARE(rig.fake.refusedCancels(), 1);
        QCOMPARE(rig.fake.queuedOrRunning(rig.server.nowMs()), 1);
    }

    void queueStatusIsSampled()
    {
        BasetenFakeOptions options;
        options.execMs = 300;
        Rig rig(options, { { "mode", "async" }, { "async", { { "queue_status", true } } } });
        HarnessOptions h = requests(3, 3);
        h.sampleHealth = true;
        const HarnessResult run = runAdapter(*rig.adapter, h);
        QCOMPARE(run.okCount(), 3);
        int mostQueued = 0;
        for (const WorkerSample& s : run.samples)
            mostQueued = std::max(mostQueued, s.inQueue);
        QVERIFY(mostQueued >= 1);
    }
};

QTEST_GUILESS_MAIN(TestBasetenFake)
#include "tst_basetenfake.moc"
