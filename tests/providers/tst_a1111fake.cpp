// SPDX-License-Identifier: Apache-2.0
// The A1111 adapter through the real engine against a fake WebUI API (one generation lock, FIFO):
// execution time is the X-Process-Time the server sent, lock wait included; failure modes are
// classified; keys stay out of messages; interrupt stops the one running generation.
#include "a1111/a1111adapter.h"
#include "a1111fake.h"
#include "adapterharness.h"
#include "fakeserver.h"

#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace t2i;
using namespace t2itest;
using nlohmann::json;

namespace {

struct Rig {
    explicit Rig(A1111FakeOptions options = {}, std::string apiKey = {})
        : fake(std::move(options))
        , server([this](const FakeRequest& r) { return fake.handle(r); })
        , adapter(adapterOptions(server.baseUrl(), std::move(apiKey)))
    {
    }
    static A1111Options adapterOptions(std::string baseUrl, std::string apiKey)
    {
        A1111Options o;
        o.baseUrl = std::move(baseUrl);
        o.apiKey = std::move(apiKey);
        o.sampler = "Euler a";
        return o;
    }
    A1111Fake fake;
    FakeServer server;
    A1111Adapter adapter;
};

HarnessOptions oneRequest()
{
    HarnessOptions h;
    h.requests = 1;
    return h;
}

double headerMs(const std::string& seconds)
{
    return std::round(std::stod(seconds) * 1e4) / 10.0;
}

} // namespace

class TestA1111Fake : public QObject {
    Q_OBJECT
private slots:
    void executionTimeIsTheProcessTimeSent()
    {
        A1111FakeOptions options;
        options.execMs = 150;
        Rig rig(options);
        HarnessOptions h;
        h.requests = 4;
        h.concurrency = 2; // the second request waits for the lock inside the server
        h.variant.images = 2;
        const HarnessResult run = runAdapter(rig.adapter, h);
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Completed));
        QCOMPARE(run.okCount(), 4);
        const auto reported = rig.fake.reported();
        int waited = 0;
        for (const RequestRecord& r : run.records) {
            const auto it
                = std::find_if(reported.begin(), reported.end(), [&r](const auto& x) { return x.taskId == r.jobId; });
            QVERIFY2(it != reported.end(), r.jobId.c_str());
            QCOMPARE(*r.execMs, headerMs(it->processTime));
            QVERIFY(!r.queueMs); // A1111 has no queue API
            QVERIFY(!r.downloadMs); // images come inline as base64
            QCOMPARE(r.images, 2); // the grid A1111 puts first is not one of them
            QCOMPARE(*r.width, 512);
            waited += it->waitMs > 0 ? 1 : 0;
        }
        QVERIFY(waited > 0); // and for those, X-Process-Time held the wait
        for (const auto& x : reported) // the header is the lock wait plus the generation, to its 0.1 ms
            QVERIFY(std::abs(headerMs(x.processTime) - (x.waitMs + 150.0)) <= 0.051);
        const auto requests = rig.server.requests();
        const auto txt2img = std::find_if(
            requests.begin(), requests.end(), [](const FakeRequest& q) { return q.path == "/sdapi/v1/txt2img"; });
        const json body = json::parse(txt2img->body);
        QCOMPARE(body["steps"].get<int>(), h.variant.steps);
        QCOMPARE(body["sampler_name"].get<std::string>(), std::string("Euler a"));
    }

    void outOfMemoryIsOom()
    {
        Rig rig;
        rig.fake.failNextWithOutOfMemory();
        const HarnessResult run = runAdapter(rig.adapter, oneRequest());
        const RequestRecord& r = run.records.front();
        QCOMPARE(int(r.errorClass), int(ErrorClass::OutOfMemory));
        QCOMPARE(r.httpStatus, 500);
        QVERIFY2(
            r.errorMessage.find("OutOfMemoryError (CUDA out of memory") != std::string::npos, r.errorMessage.c_str());
        QCOMPARE(*r.execMs, headerMs(rig.fake.reported().front().processTime));
    }

    void failureModesAreClassified_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("expected");
        QTest::newRow("422 validation")
            << 422
            << "{\"detail\": [{\"loc\": [\"body\", \"width\"], \"msg\": \"value is not a valid integer\", "
               "\"type\": \"type_error.integer\"}]}"
            << int(ErrorClass::ClientError) << "width: value is not a valid integer";
        QTest::newRow("404 without --api")
            << 404 << "{\"detail\": \"Not Found\"}" << int(ErrorClass::ClientError) << "--api";
        QTest::newRow("502 from a proxy")
            << 502 << "<html>Bad Gateway</html>" << int(ErrorClass::ServerError) << "HTTP 502";
        QTest::newRow("200 malformed JSON")
            << 200 << "{\"images\": [" << int(ErrorClass::ServerError) << "malformed JSON";
    }

    void failureModesAreClassified()
    {
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(int, error);
        QFETCH(QString, expected);
        Rig rig;
        rig.fake.overrideNext("/sdapi/v1/txt2img", FakeResponse::bytes(status, body.toStdString(), "application/json"));
        const HarnessResult run = runAdapter(rig.adapter, oneRequest());
        const RequestRecord& r = run.records.front();
        QCOMPARE(int(r.errorClass), error);
        QVERIFY2(QString::fromStdString(r.errorMessage).contains(expected), r.errorMessage.c_str());
    }

    void apiAuthIsCheckedAndTheKeyStaysOutOfMessages()
    {
        A1111FakeOptions options;
        options.apiAuth = "bench:right-pass";
        Rig wrong(options, "bench:s3cret-wrong");
        const HarnessResult refused = runAdapter(wrong.adapter, oneRequest());
        const RequestRecord& r = refused.records.front();
        QCOMPARE(int(r.errorClass), int(ErrorClass::ClientError));
        QCOMPARE(r.httpStatus, 401);
        QVERIFY(r.errorMessage.find("s3cret") == std::string::npos);
        QVERIFY(r.errorMessage.find("bench:") == std::string::npos);
        Rig right(options, "bench:right-pass");
        QCOMPARE(runAdapter(right.adapter, oneRequest()).okCount(), 1);
    }

    void interruptStopsTheRunningGeneration()
    {
        A1111FakeOptions options;
        options.execMs = 10000;
        Rig rig(options);
        HarnessOptions h = oneRequest();
        h.cancelWhen = [&rig](const EngineProgress&) { return rig.fake.activeJobs(rig.server.nowMs()) == 1; };
        const HarnessResult run = runAdapter(rig.adapter, h);
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Cancelled));
        QCOMPARE(rig.fake.interruptCount(), 1);
        QCOMPARE(rig.fake.activeJobs(rig.server.nowMs()), 0);
    }

    void interruptCannotReachRequestsWaitingForTheLock()
    {
        // A1111's only cancel is global and stops what runs now; a request waiting for the lock
        // runs afterwards (docs: cancel is safe at concurrency 1 only).
        A1111FakeOptions options;
        options.execMs = 10000;
        Rig rig(options);
        HarnessOptions h;
        h.requests = 2;
        h.concurrency = 2;
        h.cancelWhen = [&rig](const EngineProgress&) { return rig.fake.activeJobs(rig.server.nowMs()) == 2; };
        const HarnessResult run = runAdapter(rig.adapter, h);
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Cancelled));
        QCOMPARE(rig.fake.interruptCount(), 2); // one per job in flight, both meeting the first generation
        QCOMPARE(rig.fake.activeJobs(rig.server.nowMs()), 1);
    }

    void healthIsTheProgressRoute()
    {
        A1111FakeOptions options;
        options.execMs = 200;
        Rig rig(options);
        HarnessOptions h;
        h.requests = 3;
        h.sampleHealth = true;
        const HarnessResult run = runAdapter(rig.adapter, h);
        QCOMPARE(run.okCount(), 3);
        bool sawBusy = false;
        for (const WorkerSample& s : run.samples) {
            QCOMPARE(s.idle + s.running, 1);
            sawBusy = sawBusy || s.running == 1;
        }
        QVERIFY(sawBusy);
    }

    void servedByName() { QVERIFY(makeFakePlatform("a1111")); }
};

QTEST_GUILESS_MAIN(TestA1111Fake)
#include "tst_a1111fake.moc"
