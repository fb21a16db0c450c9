// SPDX-License-Identifier: Apache-2.0
// The ComfyUI adapter through the real engine against a fake ComfyUI (one GPU, FIFO): the queue and
// execution times in the records are the ones the server reported, downloads are timed apart,
// every failure mode is classified, and a cancelled run leaves nothing queued or running.
#include "adapterharness.h"
#include "comfyui/comfyuiadapter.h"
#include "comfyuifake.h"
#include "fakeserver.h"

#include <QtTest>

using namespace t2i;
using namespace t2itest;
using nlohmann::json;

namespace {

ComfyUIOptions comfyOptions(const std::string& baseUrl)
{
    ComfyUIOptions o;
    o.baseUrl = baseUrl;
    o.workflowLabel = defaultComfyWorkflowPath();
    o.workflow = loadWorkflowFile(o.workflowLabel);
    o.placed = locateSlots(o.workflow, json(), o.workflowLabel);
    o.pollIntervalMs = 20;
    return o;
}

struct Rig {
    explicit Rig(ComfyUIFakeOptions options = {})
        : fake(options)
        , server([this](const FakeRequest& r) { return fake.handle(r); })
        , adapter(comfyOptions(server.baseUrl()))
    {
    }
    ComfyUIFake fake;
    FakeServer server;
    ComfyUIAdapter adapter;

    int requestsTo(const std::string& method, const std::string& path) const
    {
        int n = 0;
        for (const FakeRequest& r : server.requests())
            n += r.method == method && r.path == path ? 1 : 0;
        return n;
    }
};

HarnessOptions oneRequest()
{
    HarnessOptions h;
    h.requests = 1;
    return h;
}

} // namespace

class TestComfyUIFake : public QObject {
    Q_OBJECT
private slots:
    void timesAreTheOnesTheServerReported()
    {
        ComfyUIFakeOptions options;
        options.execMs = 150;
        options.viewDelayMs = 40;
        Rig rig(options);
        HarnessOptions h;
        h.requests = 4;
        h.concurrency = 2; // two prompts at once on one GPU: the second waits
        h.variant.images = 2;
        const HarnessResult run = runAdapter(rig.adapter, h);
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Completed));
        QCOMPARE(run.okCount(), 4);
        int waited = 0;
        for (const RequestRecord& r : run.records) {
            const auto reported = rig.fake.reportedFor(r.jobId);
            QVERIFY2(reported, r.jobId.c_str());
            QCOMPARE(reported->outcome, std::string("success"));
            QCOMPARE(*r.queueMs, double(reported->startTime - reported->createTime));
            QCOMPARE(*r.execMs, double(reported->endTime - reported->startTime));
            QVERIFY(r.downloadMs); // two /view downloads, each held 40 ms by the server
            QVERIFY2(*r.downloadMs >= 2 * 40.0, qPrintable(QString::number(*r.downloadMs)));
            QCOMPARE(r.images, 2);
            QCOMPARE(*r.width, 512);
            QCOMPARE(r.providerStatus, std::string("success"));
            waited += *r.queueMs > 0 ? 1 : 0;
        }
        QVERIFY(waited > 0);
        QCOMPARE(rig.fake.activeJobs(rig.server.nowMs()), 0);

        // The workflow the server got carries the variant's fields.
        for (const FakeRequest& r : rig.server.requests()) {
            if (r.path != "/prompt")
                continue;
            const json prompt = json::parse(r.body)["prompt"];
            QCOMPARE(prompt["3"]["inputs"]["steps"].get<int>(), h.variant.steps);
            QCOMPARE(prompt["3"]["inputs"]["cfg"].get<double>(), h.variant.guidance);
            QCOMPARE(prompt["5"]["inputs"]["batch_size"].get<int>(), 2);
            QVERIFY(h.prompts.front() == prompt["6"]["inputs"]["text"]
                || h.prompts.back() == prompt["6"]["inputs"]["text"]);
        }
    }

    void olderServerLeavesQueueTimeUnknown()
    {
        ComfyUIFakeOptions options;
        options.reportCreateTime = false;
        Rig rig(options);
        const HarnessResult run = runAdapter(rig.adapter, oneRequest());
        QCOMPARE(run.okCount(), 1);
        const RequestRecord& r = run.records.front();
        QVERIFY(!r.queueMs); // the client's own view is not passed off as the server's
        const auto reported = rig.fake.reportedFor(r.jobId);
        QCOMPARE(*r.execMs, double(reported->endTime - reported->startTime));
    }

    void outOfMemoryExecutionErrorIsOom()
    {
        Rig rig;
        rig.fake.failNextExecution("torch.OutOfMemoryError", "CUDA out of memory. Tried to allocate 2.00 GiB");
        const HarnessResult run = runAdapter(rig.adapter, oneRequest());
        const RequestRecord& r = run.records.front();
        QCOMPARE(int(r.errorClass), int(ErrorClass::OutOfMemory));
        QVERIFY2(r.errorMessage.find("node 3 (KSampler) failed: torch.OutOfMemoryError") != std::string::npos,
            r.errorMessage.c_str());
        const auto reported = rig.fake.reportedFor(r.jobId);
        QCOMPARE(reported->outcome, std::string("error"));
        QCOMPARE(*r.execMs, double(reported->endTime - reported->startTime)); // known on failure too
        QCOMPARE(r.providerStatus, std::string("error"));
    }

    void failureModesAreClassified_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("expected");
        QTest::newRow("500 on /prompt") << "/prompt" << 500 << "500 Internal Server Error"
                                        << int(ErrorClass::ServerError) << "HTTP 500";
        // Twice: the engine's first health sample may take the first /queue answer.
        QTest::newRow("500 on /queue") << "/queue" << 500 << "500 Internal Server Error" << int(ErrorClass::ServerError)
                                       << "HTTP 500";
        QTest::newRow("malformed /history")
            << "/history" << 200 << "<html>proxy</html>" << int(ErrorClass::ServerError) << "malformed JSON";
        QTest::newRow("/view 404") << "/view" << 404 << "404: Not Found" << int(ErrorClass::ClientError)
                                   << "image download failed";
    }

    void failureModesAreClassified()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(int, error);
        QFETCH(QString, expected);
        Rig rig;
        for (int i = 0; i < (path == "/queue" ? 2 : 1); ++i)
            rig.fake.overrideNext(path.toStdString(), FakeResponse::bytes(status, body.toStdString(), "text/html"));
        const HarnessResult run = runAdapter(rig.adapter, oneRequest());
        const RequestRecord& r = run.records.front();
        QCOMPARE(int(r.errorClass), error);
        QVERIFY2(QString::fromStdString(r.errorMessage).contains(expected), r.errorMessage.c_str());
    }

    void refusedWorkflowNamesTheNode()
    {
        Rig rig;
        HarnessOptions h = oneRequest();
        h.variant.width = 8; // below EmptyLatentImage's minimum of 16
        const HarnessResult run = runAdapter(rig.adapter, h);
        const RequestRecord& r = run.records.front();
        QCOMPARE(int(r.errorClass), int(ErrorClass::ClientError));
        QCOMPARE(r.httpStatus, 400);
        QVERIFY2(r.errorMessage.find("node 5 (EmptyLatentImage): Value 8 smaller than min of 16 [width]")
                != std::string::npos,
            r.errorMessage.c_str());
        QCOMPARE(rig.fake.activeJobs(rig.server.nowMs()), 0);
    }

    void droppedHistoryIsAServerError()
    {
        ComfyUIFakeOptions options;
        options.maxHistory = 0; // every entry dropped as it is written (a history clear, --max-history)
        Rig rig(options);
        const HarnessResult run = runAdapter(rig.adapter, oneRequest());
        const RequestRecord& r = run.records.front();
        QCOMPARE(int(r.errorClass), int(ErrorClass::ServerError));
        QVERIFY2(r.errorMessage.find("is empty") != std::string::npos, r.errorMessage.c_str());
    }

    void cancelLeavesNothingQueuedOrRunning()
    {
        ComfyUIFakeOptions options;
        options.execMs = 10000; // far longer than the test: the cancel meets one running, two pending
        Rig rig(options);
        HarnessOptions h;
        h.requests = 3;
        h.concurrency = 3;
        // Cancel once every prompt has been seen on /queue a few times (so the adapter knows which
        // one runs): the first runs, the other two wait.
        h.cancelWhen
            = [&rig](const EngineProgress& p) { return p.inFlight == 3 && rig.requestsTo("GET", "/queue") >= 9; };
        const HarnessResult run = runAdapter(rig.adapter, h);
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Cancelled));
        QCOMPARE(int(run.records.size()), 3);
        for (const RequestRecord& r : run.records)
            QCOMPARE(int(r.errorClass), int(ErrorClass::Cancelled));
        QCOMPARE(rig.fake.interruptedCount(), 1); // the running one: POST /interrupt
        QCOMPARE(rig.fake.deletedCount(), 2); // the pending ones: POST /queue {"delete"}
        // The interrupted prompt stops at its sampler's next step check.
        QTRY_COMPARE_WITH_TIMEOUT(rig.fake.activeJobs(rig.server.nowMs()), 0, 5000);
    }

    void healthSamplesTheQueue()
    {
        ComfyUIFakeOptions options;
        options.execMs = 200;
        Rig rig(options);
        HarnessOptions h;
        h.requests = 4;
        h.concurrency = 2;
        h.sampleHealth = true;
        const HarnessResult run = runAdapter(rig.adapter, h);
        QCOMPARE(run.okCount(), 4);
        QVERIFY(!run.samples.empty());
        bool sawBusy = false;
        for (const WorkerSample& s : run.samples) {
            QCOMPARE(s.idle + s.running, 1); // one GPU
            sawBusy = sawBusy || s.running == 1;
        }
        QVERIFY(sawBusy);
    }

    void servedByName() { QVERIFY(makeFakePlatform("comfyui")); }
};

QTEST_GUILESS_MAIN(TestComfyUIFake)
#include "tst_comfyuifake.moc"
