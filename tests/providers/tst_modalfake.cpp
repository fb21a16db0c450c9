// SPDX-License-Identifier: Apache-2.0
// The Modal adapter through the real engine against a fake Modal web endpoint: the app's own
// inference time lands in the records exactly, queue time stays unknown (Modal reports none; a
// cold start is latency only), binary and URL outputs, the 303 long-call redirect, spawn-then-poll,
// each failure mode classified, keys kept out of messages, and a cancel leaves no call running.
#include "adapterharness.h"
#include "fakeserver.h"
#include "modal/modaladapter.h"
#include "modalfake.h"
#include "registry/registry.h"

#include <QtTest>

using namespace t2i;
using namespace t2itest;
using nlohmann::json;

namespace {

const std::string kKey = "wk-fake:ws-fake";

struct Rig {
    explicit Rig(ModalFakeOptions options = {}, json settings = json::object(), std::string key = kKey)
        : fake(std::move(options))
        , server([this](const FakeRequest& r) { return fake.handle(r); })
    {
        ProviderConfig provider;
        provider.type = "modal";
        settings["type"] = "modal";
        settings["url"] = "https://ws--bench-generate.modal.run"; // base_url (the fake) overrides it
        provider.settings = settings;
        adapter = makeAdapter(provider, AdapterContext { server.baseUrl(), std::move(key), 20 });
    }
    ModalFake fake;
    FakeServer server;
    std::unique_ptr<Adapter> adapter;

    int requestsTo(const std::string& prefix) const
    {
        int n = 0;
        for (const FakeRequest& r : server.requests())
            n += r.path.starts_with(prefix) ? 1 : 0;
        return n;
    }
};

HarnessOptions requests(int n, int concurrency = 1)
{
    HarnessOptions h;
    h.requests = n;
    h.concurrency = concurrency;
    return h;
}

} // namespace

class TestModalFake : public QObject {
    Q_OBJECT
private slots:
    void syncRunReportsTheAppsInferenceTime()
    {
        Rig rig;
        const HarnessResult run = runAdapter(*rig.adapter, requests(4));
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Completed));
        QCOMPARE(run.okCount(), 4);
        for (const RequestRecord& r : run.records) {
            const auto reported = rig.fake.reportedFor(r.jobId); // the job id is Modal-Function-Call-Id
            QVERIFY2(reported, r.jobId.c_str());
            QCOMPARE(r.execMs.value_or(-1), reported->inferenceMs);
            QVERIFY(!r.queueMs.has_value()); // Modal reports no queue time
            QVERIFY(!r.downloadMs.has_value()); // inline base64
            QCOMPARE(r.workerId, reported->containerId);
            QCOMPARE(*r.width, 512);
        }
        const auto all = rig.fake.reported();
        QVERIFY(all.front().cold); // the first call booted the container
        QVERIFY(!all.back().cold);
        // Proxy auth was sent on every call.
        for (const FakeRequest& r : rig.server.requests()) {
            QCOMPARE(r.header("modal-key"), std::string("wk-fake"));
            QCOMPARE(r.header("modal-secret"), std::string("ws-fake"));
            QCOMPARE(json::parse(r.body)["num_inference_steps"].get<int>(), 4);
        }
    }

    void binaryPngAnswers()
    {
        ModalFakeOptions options;
        options.output = "png";
        Rig rig(options);
        const HarnessResult run = runAdapter(*rig.adapter, requests(2));
        QCOMPARE(run.okCount(), 2);
        for (const RequestRecord& r : run.records) {
            QCOMPARE(*r.width, 512);
            QCOMPARE(*r.height, 512);
            QVERIFY(!r.execMs.has_value()); // a bare image carries no app timing
            QVERIFY(!r.imageHash.empty());
        }
    }

    void urlOutputsAreDownloadedAndTimedApart()
    {
        ModalFakeOptions options;
        options.output = "url";
        options.downloadDelayMs = 60;
        Rig rig(options);
        const HarnessResult run = runAdapter(*rig.adapter, requests(2));
        QCOMPARE(run.okCount(), 2);
        for (const RequestRecord& r : run.records) {
            QVERIFY(r.downloadMs.has_value());
            QVERIFY(*r.downloadMs >= 60.0); // the fake held each file that long
            QCOMPARE(r.execMs.value_or(-1), rig.fake.reportedFor(r.jobId)->inferenceMs);
        }
        QCOMPARE(rig.requestsTo("/files/"), 2);
    }

    void longCallsFollowThe303Redirect()
    {
        ModalFakeOptions options;
        options.longCallMs = 80; // the call takes longer than Modal's initial-response limit
        options.execMs = 200;
        Rig rig(options);
        const HarnessResult run = runAdapter(*rig.adapter, requests(1));
        QCOMPARE(run.okCount(), 1);
        QVERIFY(rig.fake.redirects() >= 2); // boot + 200 ms of work, answered in 80 ms holds
        const RequestRecord& r = run.records.front();
        QCOMPARE(r.execMs.value_or(-1), rig.fake.reportedFor(r.jobId)->inferenceMs);
        int gets = 0;
        for (const FakeRequest& request : rig.server.requests())
            gets += request.method == "GET" && request.queryItem("__modal_function_call_id") == r.jobId ? 1 : 0;
        QCOMPARE(gets, rig.fake.redirects()); // each 303 was followed with a GET
    }

    void spawnThenPoll()
    {
        Rig rig({}, { { "mode", "spawn" } });
        const HarnessResult run = runAdapter(*rig.adapter, requests(3));
        QCOMPARE(run.okCount(), 3);
        for (const RequestRecord& r : run.records) {
            QVERIFY(r.jobId.starts_with("fc-"));
            QVERIFY(r.acceptedMs.has_value());
            QVERIFY(r.polls >= 1); // 202s while the call ran
            QCOMPARE(r.execMs.value_or(-1), rig.fake.reportedFor(r.jobId)->inferenceMs);
        }
        QCOMPARE(rig.requestsTo("/accept"), 3);
    }

    void failureModes_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("inject");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("mentioning");
        QTest::newRow("wrong proxy key is a client error")
            << "sync"
            << "wrong-key" << int(ErrorClass::ClientError) << "invalid credentials";
        QTest::newRow("function crash on sync is a server error")
            << "sync"
            << "crash" << int(ErrorClass::ServerError) << "Internal Server Error";
        QTest::newRow("function crash on spawn is a platform failure")
            << "spawn"
            << "crash" << int(ErrorClass::PlatformFailure) << "failed";
        QTest::newRow("malformed JSON is a server error")
            << "sync"
            << "malformed" << int(ErrorClass::ServerError) << "neither an image nor JSON";
        QTest::newRow("expired result is a client error") << "spawn"
                                                          << "expired" << int(ErrorClass::ClientError) << "expired";
        QTest::newRow("bad body is a client error") << "sync"
                                                    << "validation" << int(ErrorClass::ClientError) << "field required";
    }

    void failureModes()
    {
        QFETCH(QString, mode);
        QFETCH(QString, inject);
        QFETCH(int, error);
        QFETCH(QString, mentioning);
        ModalFakeOptions options;
        if (inject == "expired")
            options.resultTtlMs = 0; // gone the moment it is done
        json settings = { { "mode", mode.toStdString() } };
        if (inject == "validation")
            settings["body_template"] = { { "text", "{{prompt}}" } }; // the app wants "prompt"
        Rig rig(options, settings, inject == "wrong-key" ? "wk-fake:ws-WRONG" : kKey);
        if (inject == "crash")
            rig.fake.failNextCall();
        if (inject == "malformed")
            rig.fake.overrideNext("/", FakeResponse::bytes(200, "{\"images\": [", "application/json"));
        HarnessOptions h = requests(1);
        const HarnessResult run = runAdapter(*rig.adapter, h);
        QCOMPARE(run.records.size(), std::size_t(1));
        const RequestRecord& r = run.records.front();
        QVERIFY(!r.ok);
        QCOMPARE(int(r.errorClass), error);
        QVERIFY2(r.errorMessage.find(mentioning.toStdString()) != std::string::npos, r.errorMessage.c_str());
        QVERIFY(r.errorMessage.find("ws-WRONG") == std::string::npos); // the secret never reaches a message
    }

    void throttlingIsHonoured()
    {
        Rig rig;
        rig.fake.overrideNext("/",
            FakeResponse::bytes(429, "modal-http: rate limit exceeded", "text/plain").withHeader("Retry-After", "0"));
        const HarnessResult run = runAdapter(*rig.adapter, requests(1));
        QCOMPARE(run.okCount(), 1);
        QCOMPARE(run.records.front().throttled, 1);
    }

    void cancelLeavesNoCallRunning()
    {
        ModalFakeOptions options;
        options.execMs = 5000;
        Rig rig(options, { { "mode", "spawn" }, { "spawn", { { "cancel_path", "/cancel/{call_id}" } } } });
        HarnessOptions h = requests(3, 3);
        h.cancelWhen = [](const EngineProgress& p) { return p.inFlight == 3 && p.elapsedMs > 200; };
        const HarnessResult run = runAdapter(*rig.adapter, h);
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Cancelled));
        QCOMPARE(run.records.size(), std::size_t(3));
        for (const RequestRecord& r : run.records)
            QCOMPARE(int(r.errorClass), int(ErrorClass::Cancelled));
        QCOMPARE(rig.fake.cancelledCalls(), 3);
        QCOMPARE(rig.fake.runningCalls(rig.server.nowMs()), 0);
    }
};

QTEST_GUILESS_MAIN(TestModalFake)
#include "tst_modalfake.moc"
