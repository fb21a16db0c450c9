// SPDX-License-Identifier: Apache-2.0
// The RunPod adapter on canned responses shaped like RunPod's (docs/protocols.md §1).
#include "runpod/runpodadapter.h"
#include "util/base64.h"

#include "runpodfixtures.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using nlohmann::json;

namespace {

HttpResponse response(int status, const json& body)
{
    HttpResponse r;
    r.status = status;
    r.body = body.dump();
    return r;
}

RunPodAdapter makeAdapter(const std::string& mode = "run")
{
    RunPodOptions options;
    options.baseUrl = "http://127.0.0.1:9/v2";
    options.endpointId = "abc123";
    options.apiKey = "sk-test";
    options.mode = mode;
    options.pollIntervalMs = 100;
    return RunPodAdapter(options);
}

JobState newJob()
{
    JobState job;
    job.job.seq = 3;
    job.job.prompt = "a red fox";
    job.job.seed = 45;
    job.job.variant.width = 512;
    job.job.variant.height = 768;
    job.job.variant.steps = 20;
    return job;
}

} // namespace

class TestRunPodAdapter : public QObject {
    Q_OBJECT
private slots:
    void submitBuildsWorkerSdxlInput_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("url");
        QTest::newRow("run mode posts to /run") << "run"
                                                << "http://127.0.0.1:9/v2/abc123/run";
        QTest::newRow("runsync mode posts to /runsync with wait") << "runsync"
                                                                  << "http://127.0.0.1:9/v2/abc123/runsync?wait=90000";
    }
    void submitBuildsWorkerSdxlInput()
    {
        QFETCH(QString, mode);
        QFETCH(QString, url);
        auto adapter = makeAdapter(mode.toStdString());
        JobState job = newJob();
        const HttpRequest request = adapter.submit(job);
        QCOMPARE(request.method, std::string("POST"));
        QCOMPARE(QString::fromStdString(request.url), url);
        QVERIFY(std::find(request.headers.begin(), request.headers.end(),
                    HttpHeaders::value_type { "Authorization", "Bearer sk-test" })
            != request.headers.end());
        const json body = json::parse(request.body);
        QCOMPARE(body["input"]["prompt"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(body["input"]["width"].get<int>(), 512);
        QCOMPARE(body["input"]["height"].get<int>(), 768);
        QCOMPARE(body["input"]["num_inference_steps"].get<int>(), 20);
        QCOMPARE(body["input"]["seed"].get<int>(), 45);
    }

    void queuedThenCompletedReadsTimingsInMs()
    {
        auto adapter = makeAdapter();
        JobState job = newJob();
        adapter.submit(job);
        Action a = adapter.onResponse(job, response(200, { { "id", "j-1-u1" }, { "status", "IN_QUEUE" } }));
        QCOMPARE(a.kind, Action::Kind::Poll); // the engine's poll scheduler picks the moment
        QCOMPARE(a.request.url, std::string("http://127.0.0.1:9/v2/abc123/status/j-1-u1"));
        QCOMPARE(a.request.operation, std::string("status")); // counted against RunPod's /status limit
        QCOMPARE(a.delayMs, 100.0);
        QCOMPARE(job.phase, JobPhase::Queued);
        QVERIFY(job.accepted);
        QVERIFY(!job.queueMs); // not reported yet: unknown, never 0

        a = adapter.onResponse(job,
            response(200,
                { { "id", "j-1-u1" }, { "status", "IN_PROGRESS" }, { "delayTime", 1520 }, { "workerId", "w-7" } }));
        QCOMPARE(a.kind, Action::Kind::Poll);
        QCOMPARE(*job.queueMs, 1520.0);
        QCOMPARE(job.phase, JobPhase::Running);

        a = adapter.onResponse(job,
            response(200,
                { { "id", "j-1-u1" }, { "status", "COMPLETED" }, { "delayTime", 1520 }, { "executionTime", 3986 },
                    { "workerId", "w-7" },
                    { "output", { { "image_url", "data:image/png;base64," + kTinyPngBase64 } } } }));
        QCOMPARE(a.kind, Action::Kind::Done);
        QCOMPARE(*job.execMs, 3986.0);
        QCOMPARE(job.workerId, std::string("w-7"));
        QCOMPARE(job.images.size(), std::size_t(1));
        QCOMPARE(*job.images[0].bytes(), *base64Decode(kTinyPngBase64));
        QCOMPARE(job.polls, 2);
    }

    void imageShapes_data()
    {
        QTest::addColumn<QString>("output");
        QTest::addColumn<int>("inlineImages");
        QTest::addColumn<int>("urls");
        for (const ImageShapeRow& row : imageShapeRows())
            QTest::newRow(row.name) << QString::fromStdString(row.output) << row.inlineImages << row.urls;
    }
    void imageShapes()
    {
        QFETCH(QString, output);
        QFETCH(int, inlineImages);
        QFETCH(int, urls);
        auto adapter = makeAdapter("runsync");
        JobState job = newJob();
        const json body = { { "id", "sync-1-u1" }, { "status", "COMPLETED" }, { "delayTime", 5 },
            { "executionTime", 9 }, { "output", json::parse(output.toStdString()) } };
        const Action a = adapter.onResponse(job, response(200, body));
        QCOMPARE(a.kind, Action::Kind::Done);
        QCOMPARE(int(job.images.size()), inlineImages);
        QCOMPARE(int(job.imageUrls.size()), urls);
        QCOMPARE(job.polls, 0); // a final /runsync answer needed no poll
    }

    void failures_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("errorClass");
        for (const FailureRow& row : failureRows())
            QTest::newRow(row.name) << row.status << QString::fromStdString(row.body) << int(row.error);
    }
    void failures()
    {
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(int, errorClass);
        auto adapter = makeAdapter();
        JobState job = newJob();
        HttpResponse r;
        r.status = status;
        r.body = body.toStdString();
        const Action a = adapter.onResponse(job, r);
        QCOMPARE(a.kind, Action::Kind::Fail);
        QCOMPARE(int(a.error), errorClass);
        QVERIFY(!a.message.empty());
    }

    void transportFailureIsClassified()
    {
        auto adapter = makeAdapter();
        JobState job = newJob();
        HttpResponse r;
        r.transportError = "Couldn't connect to server";
        QVERIFY(adapter.onResponse(job, r).error == ErrorClass::Transport);
        r.timedOut = true;
        QVERIFY(adapter.onResponse(job, r).error == ErrorClass::Timeout);
    }

    void cancelNeedsAJobId()
    {
        auto adapter = makeAdapter();
        JobState job = newJob();
        QVERIFY(!adapter.cancel(job));
        job.jobId = "j-9-u1";
        const auto request = adapter.cancel(job);
        QVERIFY(request);
        QCOMPARE(request->method, std::string("POST"));
        QCOMPARE(request->url, std::string("http://127.0.0.1:9/v2/abc123/cancel/j-9-u1"));
    }

    void jobIdsAreUsedAsRunPodGaveThem_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("inPath");
        QTest::newRow("a /run id with -u1 is used whole") << "run"
                                                          << "6f1b2c3d-4e5f-6789-abcd-ef0123456789-u1"
                                                          << "6f1b2c3d-4e5f-6789-abcd-ef0123456789-u1";
        QTest::newRow("a /run id with -e1 is used whole") << "run"
                                                          << "0a1b2c3d-e1"
                                                          << "0a1b2c3d-e1";
        QTest::newRow("a /runsync id keeps sync- and -u1") << "runsync"
                                                           << "sync-a1b2c3d4-e5f6-u1"
                                                           << "sync-a1b2c3d4-e5f6-u1";
        QTest::newRow("an id with a slash is escaped, not split") << "run"
                                                                  << "a/b c"
                                                                  << "a%2Fb%20c";
    }
    void jobIdsAreUsedAsRunPodGaveThem()
    {
        QFETCH(QString, mode);
        QFETCH(QString, id);
        QFETCH(QString, inPath);
        auto adapter = makeAdapter(mode.toStdString());
        JobState job = newJob();
        adapter.submit(job);
        const Action a
            = adapter.onResponse(job, response(200, { { "id", id.toStdString() }, { "status", "IN_QUEUE" } }));
        QCOMPARE(a.kind, Action::Kind::Poll);
        QCOMPARE(QString::fromStdString(job.jobId), id);
        QCOMPARE(QString::fromStdString(a.request.url), "http://127.0.0.1:9/v2/abc123/status/" + inPath);
        QCOMPARE(QString::fromStdString(adapter.cancel(job)->url), "http://127.0.0.1:9/v2/abc123/cancel/" + inPath);
    }

    void statusSyncIsAskedAgainAtOnceWhileRunPodHoldsIt()
    {
        RunPodOptions options;
        options.baseUrl = "http://127.0.0.1:9/v2";
        options.endpointId = "abc123";
        options.apiKey = "sk-test";
        options.pollIntervalMs = 100;
        options.poll = "status-sync";
        options.statusSyncWaitMs = 5000;
        RunPodAdapter adapter(options);
        JobState job = newJob();
        adapter.submit(job);
        Action a = adapter.onResponse(job, response(200, { { "id", "j-1-e1" }, { "status", "IN_QUEUE" } }));
        QCOMPARE(a.kind, Action::Kind::Poll);
        QCOMPARE(a.request.method, std::string("GET"));
        QCOMPARE(a.request.url, std::string("http://127.0.0.1:9/v2/abc123/status-sync/j-1-e1?wait=5000"));
        QCOMPARE(a.delayMs, 0.0); // no poll interval: the server holds the request instead

        // Held for the whole wait and still running: ask again at once.
        HttpResponse held = response(200, { { "id", "j-1-e1" }, { "status", "IN_PROGRESS" }, { "delayTime", 800 } });
        held.sentMs = 1000;
        held.receivedMs = 6000;
        a = adapter.onResponse(job, held);
        QCOMPARE(a.delayMs, 0.0);
        QCOMPARE(*job.queueMs, 800.0);

        // Answered at once without holding (a server that ignores wait): back to the poll interval.
        HttpResponse early = held;
        early.sentMs = 6000;
        early.receivedMs = 6010;
        a = adapter.onResponse(job, early);
        QCOMPARE(a.delayMs, 100.0);
        QCOMPARE(a.request.url, std::string("http://127.0.0.1:9/v2/abc123/status-sync/j-1-e1?wait=5000"));

        a = adapter.onResponse(job,
            response(200,
                { { "id", "j-1-e1" }, { "status", "COMPLETED" }, { "delayTime", 800 }, { "executionTime", 2100 },
                    { "output", { { "image_url", "data:image/png;base64," + kTinyPngBase64 } } } }));
        QCOMPARE(a.kind, Action::Kind::Done);
        QCOMPARE(*job.execMs, 2100.0);
        QCOMPARE(job.polls, 3);
    }

    void publicEndpointTakesItsOwnInputAndReturnsAUrl()
    {
        RunPodOptions options;
        options.baseUrl = "https://api.runpod.ai/v2";
        options.endpointId = "black-forest-labs-flux-1-dev";
        options.apiKey = "sk-test";
        options.mode = "runsync";
        options.inputFormat = "public";
        options.imageFormat = "png";
        RunPodAdapter adapter(options);
        JobState job = newJob();
        const HttpRequest request = adapter.submit(job);
        QCOMPARE(request.url, std::string("https://api.runpod.ai/v2/black-forest-labs-flux-1-dev/runsync?wait=90000"));
        const json in = json::parse(request.body)["input"];
        QCOMPARE(in["prompt"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(in["guidance"].get<double>(), 7.5);
        QVERIFY2(!in.contains("guidance_scale") && !in.contains("num_images") && !in.contains("precision"),
            in.dump().c_str());
        QCOMPARE(in["num_inference_steps"].get<int>(), 20);
        QCOMPARE(in["image_format"].get<std::string>(), std::string("png"));

        const Action a = adapter.onResponse(job,
            response(200,
                { { "id", "sync-0f1e-u1" }, { "status", "COMPLETED" }, { "delayTime", 17 }, { "executionTime", 3986 },
                    { "workerId", "oqk7ao1uomckye" },
                    { "output",
                        { { "image_url", "https://image.runpod.ai/abc123/output.png" }, { "cost", 0.02097152 } } } }));
        QCOMPARE(a.kind, Action::Kind::Done);
        QCOMPARE(job.imageUrls, std::vector<std::string>({ "https://image.runpod.ai/abc123/output.png" }));
        QCOMPARE(*job.queueMs, 17.0);
        QCOMPARE(*job.execMs, 3986.0);
    }

    void publicEndpointValidationErrorIsAClientError()
    {
        auto adapter = makeAdapter("runsync");
        JobState job = newJob();
        const Action a = adapter.onResponse(job,
            response(
                400, { { "id", "sync-1-u1" }, { "status", "FAILED" }, { "error", "width must be divisible by 64" } }));
        QCOMPARE(a.kind, Action::Kind::Fail);
        QCOMPARE(int(a.error), int(ErrorClass::ClientError));
        QVERIFY2(a.message.find("divisible by 64") != std::string::npos, a.message.c_str());
        QCOMPARE(job.providerStatus, std::string("FAILED"));
    }

    void optionsComeFromTheConfig()
    {
        ProviderConfig provider;
        provider.type = "runpod";
        provider.settings
            = { { "endpoint_id", "black-forest-labs-flux-1-schnell" }, { "mode", "runsync" }, { "poll", "status-sync" },
                  { "status_sync_wait_ms", 2000 }, { "input_format", "public" }, { "image_format", "jpeg" } };
        AdapterContext context;
        context.apiKey = "sk-test";
        const RunPodOptions options = RunPodOptions::fromConfig(provider, context);
        QCOMPARE(options.endpointId, std::string("black-forest-labs-flux-1-schnell"));
        QCOMPARE(options.poll, std::string("status-sync"));
        QCOMPARE(options.statusSyncWaitMs, 2000);
        QCOMPARE(options.inputFormat, std::string("public"));
        QCOMPARE(options.imageFormat, std::string("jpeg"));
        QCOMPARE(options.baseUrl, std::string("https://api.runpod.ai/v2"));
        ProviderConfig bare;
        bare.settings = json::object();
        const RunPodOptions defaults = RunPodOptions::fromConfig(bare, context);
        QCOMPARE(defaults.poll, std::string("status"));
        QCOMPARE(defaults.inputFormat, std::string("worker-sdxl"));
    }

    void healthReadsEveryCounterAndMissingKeysAsZero()
    {
        auto adapter = makeAdapter();
        QCOMPARE(adapter.healthRequest()->url, std::string("http://127.0.0.1:9/v2/abc123/health"));
        const auto full = adapter.parseHealth(response(200,
            { { "jobs",
                  { { "completed", 120 }, { "failed", 1 }, { "inProgress", 2 }, { "inQueue", 5 }, { "retried", 0 } } },
                { "workers", { { "idle", 1 }, { "running", 2 }, { "initializing", 3 } } } }));
        QVERIFY(full);
        QCOMPARE(full->idle, 1);
        QCOMPARE(full->running, 2);
        QCOMPARE(full->initializing, 3);
        QCOMPARE(full->unhealthy, 0);
        QCOMPARE(full->inQueue, 5);
        QCOMPARE(full->completed, 120L);
        QCOMPARE(full->total(), 6);
        QVERIFY(!adapter.parseHealth(response(503, json::object())));
    }

    void retryAfterInSeconds()
    {
        auto adapter = makeAdapter();
        HttpResponse r;
        r.status = 429;
        QVERIFY(!adapter.retryAfterMs(r));
        r.headers = { { "retry-after", "2" } };
        QCOMPARE(*adapter.retryAfterMs(r), 2000.0);
    }
};

QTEST_APPLESS_MAIN(TestRunPodAdapter)
#include "tst_runpodadapter.moc"
