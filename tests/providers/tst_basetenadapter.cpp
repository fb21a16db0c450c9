// SPDX-License-Identifier: Apache-2.0
// The Baseten adapter on canned answers (docs/protocols.md §7): Api-Key auth, sync predict with the SDXL
// Truss's output, async predict with status polling and Baseten's own timestamps, the webhook
// body fetched from the user's receiver, cancel and the async queue status.
#include "baseten/basetenadapter.h"
#include "registry/registry.h"

#include "adaptertesthelpers.h"
#include "serverlessfixtures.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using namespace adaptertest;
using nlohmann::json;

namespace {

BasetenOptions options(const std::string& mode = "sync")
{
    BasetenOptions o;
    o.baseUrl = "https://model-abc1234.api.baseten.co";
    o.modelId = "abc1234";
    o.apiKey = "bt_secret";
    o.mode = mode;
    o.resultUrl = "https://hooks.example/results/{request_id}";
    o.pollIntervalMs = 100;
    return o;
}

// Submit, then accept: the job is polling /async_request/9876abcd.
JobState acceptedJob(BasetenAdapter& adapter)
{
    JobState job = newJob();
    adapter.submit(job);
    adapter.onResponse(job, answer(201, kBasetenAccepted));
    return job;
}

} // namespace

class TestBasetenAdapter : public QObject {
    Q_OBJECT
private slots:
    void syncPredict()
    {
        BasetenAdapter adapter(options());
        JobState job = newJob();
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(r.method, std::string("POST"));
        QCOMPARE(r.url, std::string("https://model-abc1234.api.baseten.co/environments/production/predict"));
        QCOMPARE(headerOf(r, "Authorization"), std::string("Api-Key bt_secret"));
        const json body = json::parse(r.body);
        QVERIFY(!body.contains("model_input")); // sync: the Truss's input itself, no envelope
        QCOMPARE(body["prompt"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(body["width"].get<int>(), 768);
        QCOMPARE(body["num_inference_steps"].get<int>(), 4);
        QCOMPARE(body["guidance_scale"].get<double>(), 3.5);
        QCOMPARE(body["seed"].get<int>(), 45);
        const Action a = adapter.onResponse(job, answer(200, basetenTrussResult()));
        QVERIFY(isKind(a, Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(1));
        QCOMPARE(job.execMs.value_or(-1), 2437.5); // the Truss's "time", seconds
        QVERIFY(!job.queueMs.has_value());
        QVERIFY(!adapter.cancel(job).has_value()); // sync calls cannot be cancelled
    }

    void routes_data()
    {
        QTest::addColumn<QString>("environment");
        QTest::addColumn<QString>("deployment");
        QTest::addColumn<QString>("path");
        QTest::newRow("production") << "production"
                                    << ""
                                    << "/environments/production/predict";
        QTest::newRow("named environment") << "staging"
                                           << ""
                                           << "/environments/staging/predict";
        QTest::newRow("deployment id wins") << "production"
                                            << "q48rmd3"
                                            << "/deployment/q48rmd3/predict";
    }

    void routes()
    {
        QFETCH(QString, environment);
        QFETCH(QString, deployment);
        QFETCH(QString, path);
        BasetenOptions o = options();
        o.environment = environment.toStdString();
        o.deploymentId = deployment.toStdString();
        BasetenAdapter adapter(o);
        JobState job = newJob();
        QCOMPARE(QString::fromStdString(adapter.submit(job).url), "https://model-abc1234.api.baseten.co" + path);
    }

    void asyncFlowWithPlatformTimestamps()
    {
        BasetenOptions o = options("async");
        o.webhookEndpoint = "https://hooks.example/baseten";
        o.priority = 1;
        o.maxTimeInQueueS = 600;
        BasetenAdapter adapter(o);
        JobState job = newJob();
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(r.url, std::string("https://model-abc1234.api.baseten.co/environments/production/async_predict"));
        const json body = json::parse(r.body);
        QCOMPARE(body["model_input"]["prompt"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(body["webhook_endpoint"].get<std::string>(), std::string("https://hooks.example/baseten"));
        QCOMPARE(body["priority"].get<int>(), 1);
        QCOMPARE(body["max_time_in_queue_seconds"].get<int>(), 600);

        Action a = adapter.onResponse(job, answer(201, kBasetenAccepted));
        QVERIFY(isKind(a, Action::Kind::Poll));
        QVERIFY(job.accepted);
        QCOMPARE(job.jobId, std::string("9876abcd"));
        QCOMPARE(a.request.url, std::string("https://model-abc1234.api.baseten.co/async_request/9876abcd"));
        QCOMPARE(headerOf(a.request, "Authorization"), std::string("Api-Key bt_secret"));
        QCOMPARE(a.delayMs, 100.0);
        a = adapter.onResponse(job, answer(200, kBasetenQueued));
        QVERIFY(isKind(a, Action::Kind::Poll));
        QCOMPARE(job.providerStatus, std::string("QUEUED"));
        a = adapter.onResponse(job, answer(200, kBasetenInProgress));
        QVERIFY(isKind(a, Action::Kind::Poll));
        a = adapter.onResponse(job, answer(200, kBasetenInProgress)); // seen twice: the start stays put
        a = adapter.onResponse(job, answer(200, kBasetenSucceeded));
        QVERIFY(isKind(a, Action::Kind::Send));
        QCOMPARE(job.polls, 3);
        QCOMPARE(job.queueMs.value_or(-1), 1250.5); // status_at(IN_PROGRESS) - created_at
        QCOMPARE(job.execMs.value_or(-1), 2749.5); // status_at(SUCCEEDED) - status_at(IN_PROGRESS)
        QCOMPARE(a.request.method, std::string("GET"));
        QCOMPARE(a.request.url, std::string("https://hooks.example/results/9876abcd"));
        QCOMPARE(headerOf(a.request, "Authorization"), std::string()); // Baseten's key stays with Baseten
        QCOMPARE(a.delayMs, 0.0);

        a = adapter.onResponse(job, answer(404, "not yet"));
        QVERIFY(isKind(a, Action::Kind::Poll)); // the webhook has not landed yet
        QCOMPARE(job.polls, 4);
        a = adapter.onResponse(job, answer(200, basetenWebhookBody()));
        QVERIFY(isKind(a, Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(1));
        QCOMPARE(job.execMs.value_or(-1), 2749.5); // Baseten's timestamps win over the Truss's "time"
        QCOMPARE(job.providerStatus, std::string("SUCCEEDED"));
    }

    void asyncWithoutInProgressLeavesTimesUnknown()
    {
        BasetenAdapter adapter(options("async"));
        JobState job = acceptedJob(adapter);
        adapter.onResponse(job, answer(200, kBasetenQueued));
        adapter.onResponse(job, answer(200, kBasetenSucceeded));
        QVERIFY(!job.queueMs.has_value());
        QVERIFY(!job.execMs.has_value());
        QVERIFY(isKind(adapter.onResponse(job, answer(200, basetenWebhookBody())), Action::Kind::Done));
        QCOMPARE(job.execMs.value_or(-1), 2437.5); // then only the Truss's own time is known
    }

    void asyncEndStates_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("mentioning");
        QTest::newRow("FAILED out of memory is oom")
            << QString::fromStdString(kBasetenFailed) << int(ErrorClass::OutOfMemory) << "CUDA out of memory";
        QTest::newRow("EXPIRED is a timeout")
            << QString::fromStdString(kBasetenExpired) << int(ErrorClass::Timeout) << "max_time_in_queue_seconds";
        QTest::newRow("CANCELED is cancelled")
            << QString::fromStdString(kBasetenCanceled) << int(ErrorClass::Cancelled) << "CANCELED";
        QTest::newRow("WEBHOOK_FAILED is a platform failure")
            << QString::fromStdString(kBasetenWebhookFailed) << int(ErrorClass::PlatformFailure)
            << "connection refused";
        QTest::newRow("an unknown status is a server error")
            << "{\"status\": \"PAUSED\"}" << int(ErrorClass::ServerError) << "PAUSED";
        QTest::newRow("malformed JSON is a server error")
            << "{\"status\": " << int(ErrorClass::ServerError) << "malformed";
    }

    void asyncEndStates()
    {
        QFETCH(QString, body);
        QFETCH(int, error);
        QFETCH(QString, mentioning);
        BasetenAdapter adapter(options("async"));
        JobState job = acceptedJob(adapter);
        const Action a = adapter.onResponse(job, answer(200, body.toStdString()));
        QCOMPARE(int(a.kind), int(Action::Kind::Fail));
        QCOMPARE(int(a.error), error);
        QVERIFY2(mentions(a, mentioning.toStdString()), a.message.c_str());
    }

    void asyncWithoutResultUrlSaysWhy()
    {
        BasetenOptions o = options("async");
        o.resultUrl.clear();
        BasetenAdapter adapter(o);
        JobState job = acceptedJob(adapter);
        const Action a = adapter.onResponse(job, answer(200, kBasetenSucceeded));
        QVERIFY(isError(a, ErrorClass::ClientError));
        QVERIFY2(mentions(a, "async.result_url"), a.message.c_str());
    }

    void cancelOnlyAsync()
    {
        BasetenAdapter async(options("async"));
        JobState fresh = newJob();
        async.submit(fresh);
        QVERIFY(!async.cancel(fresh).has_value()); // no request id yet
        JobState job = acceptedJob(async);
        const auto cancel = async.cancel(job);
        QVERIFY(cancel.has_value());
        QCOMPARE(cancel->method, std::string("DELETE"));
        QCOMPARE(cancel->url, std::string("https://model-abc1234.api.baseten.co/async_request/9876abcd"));
        QCOMPARE(headerOf(*cancel, "Authorization"), std::string("Api-Key bt_secret"));
    }

    void httpErrors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("mentioning");
        QTest::newRow("bad key is a client error")
            << 401 << "{\"error\": \"Invalid API key\"}" << int(ErrorClass::ClientError) << "Api-Key";
        QTest::newRow("unknown environment is a client error")
            << 404 << "{\"error\": \"not found\"}" << int(ErrorClass::ClientError) << "unknown model";
        QTest::newRow("Truss exception is a server error")
            << 500 << "{\"error\": \"Traceback: ValueError\"}" << int(ErrorClass::ServerError) << "ValueError";
        QTest::newRow("Truss error body is a platform failure")
            << 200 << "{\"status\": \"error\", \"error\": \"NSFW prompt\"}" << int(ErrorClass::PlatformFailure)
            << "NSFW";
        QTest::newRow("output without image is an invalid image")
            << 200 << "{\"status\": \"success\"}" << int(ErrorClass::InvalidImage) << "extract.image";
    }

    void httpErrors()
    {
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(int, error);
        QFETCH(QString, mentioning);
        BasetenAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const Action a = adapter.onResponse(job, answer(status, body.toStdString()));
        QCOMPARE(int(a.error), error);
        QVERIFY2(mentions(a, mentioning.toStdString()), a.message.c_str());
        QVERIFY(!mentions(a, "bt_secret"));
    }

    void queueStatusAsHealth()
    {
        BasetenAdapter sync(options());
        QVERIFY(!sync.healthRequest().has_value());
        BasetenOptions o = options("async");
        BasetenAdapter off(o);
        QVERIFY(!off.healthRequest().has_value()); // opt-in: the route is [UNCONFIRMED]
        o.sampleQueue = true;
        BasetenAdapter adapter(o);
        const auto request = adapter.healthRequest();
        QVERIFY(request.has_value());
        QCOMPARE(request->url,
            std::string("https://model-abc1234.api.baseten.co/environments/production/async_queue_status"));
        const auto sample = adapter.parseHealth(answer(200, kBasetenQueueStatus));
        QVERIFY(sample.has_value());
        QCOMPARE(sample->inQueue, 7);
        QCOMPARE(sample->inProgress, 2);
        QVERIFY(!adapter.parseHealth(answer(429, "{}")).has_value());
    }

    void fromConfigAndRegistry()
    {
        ProviderConfig provider;
        provider.type = "baseten";
        provider.settings = json::parse(
            "{\"model_id\": \"abc1234\", \"environment\": \"staging\", \"mode\": \"async\","
            " \"body_template\": {\"prompt\": \"{{prompt}}\"}, \"extract\": {\"image\": \"/img\", \"exec_s\": \"\"},"
            " \"async\": {\"result_url\": \"http://hook/r/{request_id}\", \"webhook_endpoint\": \"https://hook/in\","
            " \"output_pointer\": \"/payload\", \"priority\": 2, \"max_time_in_queue_seconds\": 60, \"queue_status\": "
            "true}}");
        BasetenOptions o = BasetenOptions::fromConfig(provider, AdapterContext { {}, "k", 40 });
        QCOMPARE(o.baseUrl, std::string("https://model-abc1234.api.baseten.co"));
        QCOMPARE(o.environment, std::string("staging"));
        QCOMPARE(o.mode, std::string("async"));
        QCOMPARE(o.bodyTemplate.size(), std::size_t(1));
        QCOMPARE(o.output.imagePointers[0], std::string("/img"));
        QCOMPARE(o.output.execSecondsPointer, std::string());
        QCOMPARE(o.resultUrl, std::string("http://hook/r/{request_id}"));
        QCOMPARE(o.webhookEndpoint, std::string("https://hook/in"));
        QCOMPARE(o.outputPointer, std::string("/payload"));
        QCOMPARE(o.priority.value_or(-1), 2);
        QCOMPARE(o.maxTimeInQueueS.value_or(-1), 60);
        QVERIFY(o.sampleQueue);
        QCOMPARE(o.pollIntervalMs, 40);
        o = BasetenOptions::fromConfig(provider, AdapterContext { "http://127.0.0.1:3/", "k", 40 });
        QCOMPARE(o.baseUrl, std::string("http://127.0.0.1:3"));
        const auto adapter = makeAdapter(provider, AdapterContext { {}, "k", 40 });
        QVERIFY(adapter != nullptr);
        QCOMPARE(adapter->type(), std::string("baseten"));
    }
};

QTEST_GUILESS_MAIN(TestBasetenAdapter)
#include "tst_basetenadapter.moc"
