// SPDX-License-Identifier: Apache-2.0
// The stable-diffusion.cpp sd-server adapters on canned answers (docs/protocols.md §13): the native async
// job API with its unix-second timestamps, the OpenAI route with sd_cpp_extra_args, and the sdapi
// route through the A1111 adapter without what sd-server lacks.
#include "a1111/a1111adapter.h"
#include "registry/registry.h"
#include "sdcpp/sdcppadapter.h"

#include "sdcppfixtures.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using nlohmann::json;

namespace {

SdCppOptions options(const std::string& mode = "async")
{
    SdCppOptions o;
    o.baseUrl = "http://127.0.0.1:1234";
    o.mode = mode;
    o.pollIntervalMs = 100;
    return o;
}

JobState newJob()
{
    JobState job;
    job.job.prompt = "a red fox";
    job.job.seed = 45;
    job.job.variant.width = 1;
    job.job.variant.height = 1;
    job.job.variant.steps = 4;
    job.job.variant.guidance = 3.5;
    job.job.variant.images = 2;
    return job;
}

HttpResponse answer(int status, std::string body)
{
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

bool isError(const Action& a, ErrorClass e)
{
    return a.kind == Action::Kind::Fail && a.error == e;
}

JobState acceptedJob(SdCppAdapter& adapter)
{
    JobState job = newJob();
    adapter.submit(job);
    adapter.onResponse(job, answer(202, kSdCppAccepted));
    return job;
}

} // namespace

class TestSdCppAdapter : public QObject {
    Q_OBJECT
private slots:
    void submitSendsTheNativeSchema()
    {
        SdCppOptions o = options();
        o.sampler = "euler_a";
        SdCppAdapter adapter(o);
        JobState job = newJob();
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(r.method, std::string("POST"));
        QCOMPARE(r.url, std::string("http://127.0.0.1:1234/sdcpp/v1/img_gen"));
        QVERIFY(r.headers.size() == 1); // Content-Type only: sd-server has no auth
        const json body = json::parse(r.body);
        QCOMPARE(body["prompt"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(body["seed"].get<int>(), 45);
        QCOMPARE(body["batch_count"].get<int>(), 2);
        QCOMPARE(body["sample_params"]["sample_steps"].get<int>(), 4);
        QCOMPARE(body["sample_params"]["guidance"]["txt_cfg"].get<double>(), 3.5);
        QCOMPARE(body["sample_params"]["sample_method"].get<std::string>(), std::string("euler_a"));
        QCOMPARE(body["output_format"].get<std::string>(), std::string("png"));
    }

    void acceptedJobIsPolledAtItsPollUrl()
    {
        SdCppAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const Action a = adapter.onResponse(job, answer(202, kSdCppAccepted));
        QCOMPARE(int(a.kind), int(Action::Kind::Poll));
        QCOMPARE(a.request.url, std::string("http://127.0.0.1:1234/sdcpp/v1/jobs/job_68e5a000_00000007"));
        QCOMPARE(a.delayMs, 100.0);
        QVERIFY(job.accepted);
        QCOMPARE(job.jobId, std::string("job_68e5a000_00000007"));
        QCOMPARE(job.providerStatus, std::string("queued"));
        QVERIFY(!job.queueMs); // started is not reached yet
    }

    void completedJobGivesSecondsAsMilliseconds()
    {
        SdCppAdapter adapter(options());
        JobState job = acceptedJob(adapter);
        QCOMPARE(int(adapter.onResponse(job, answer(200, kSdCppQueued)).kind), int(Action::Kind::Poll));
        QCOMPARE(job.phase, JobPhase::Queued);
        QCOMPARE(int(adapter.onResponse(job, answer(200, kSdCppGenerating)).kind), int(Action::Kind::Poll));
        QCOMPARE(job.phase, JobPhase::Running);
        QCOMPARE(job.providerStatus, std::string("generating"));
        QCOMPARE(*job.queueMs, 3000.0); // known as soon as started is
        QVERIFY(!job.execMs);
        const Action a = adapter.onResponse(job, answer(200, kSdCppCompleted));
        QCOMPARE(int(a.kind), int(Action::Kind::Done));
        QCOMPARE(*job.queueMs, 3000.0); // started - created
        QCOMPARE(*job.execMs, 5000.0); // completed - started
        QCOMPARE(job.images.size(), std::size_t(2));
        QCOMPARE(job.polls, 3);
    }

    void endsAreClassified_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("expected");
        QTest::newRow("failed") << 200 << QString::fromStdString(kSdCppFailed) << int(ErrorClass::PlatformFailure)
                                << "generation_failed: generate_image returned no results";
        QTest::newRow("cancelled") << 200 << QString::fromStdString(kSdCppCancelled) << int(ErrorClass::Cancelled)
                                   << "job cancelled by client";
        QTest::newRow("completed without images") << 200 << QString::fromStdString(kSdCppCompletedNoImages)
                                                  << int(ErrorClass::InvalidImage) << "without an image";
        QTest::newRow("410 expired") << 410 << QString::fromStdString(kSdCppExpired) << int(ErrorClass::ClientError)
                                     << "job expired (sd-server dropped the finished job";
        QTest::newRow("404") << 404 << QString::fromStdString(kSdCppNotFound) << int(ErrorClass::ClientError)
                             << "job not found";
        QTest::newRow("unknown status") << 200 << "{\"status\": \"paused\"}" << int(ErrorClass::ServerError)
                                        << "\"paused\"";
        QTest::newRow("malformed") << 200 << "{\"status\": " << int(ErrorClass::ServerError) << "malformed JSON";
        QTest::newRow("500") << 500 << "{\"error\": \"server_error\", \"message\": \"bad alloc\"}"
                             << int(ErrorClass::ServerError) << "server_error: bad alloc";
    }

    void endsAreClassified()
    {
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(int, error);
        QFETCH(QString, expected);
        SdCppAdapter adapter(options());
        JobState job = acceptedJob(adapter);
        const Action a = adapter.onResponse(job, answer(status, body.toStdString()));
        QVERIFY(isError(a, ErrorClass(error)));
        QVERIFY2(QString::fromStdString(a.message).contains(expected), a.message.c_str());
    }

    void refusedSubmissions()
    {
        SdCppAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const Action a = adapter.onResponse(job, answer(400, kSdCppInvalid));
        QVERIFY(isError(a, ErrorClass::ClientError));
        QVERIFY2(a.message.find("invalid generation parameters") != std::string::npos, a.message.c_str());
        QVERIFY(!adapter.cancel(job)); // no id: nothing to cancel
        QVERIFY(!adapter.retryAfterMs(answer(429, kSdCppQueueFull))); // no Retry-After: the engine backs off
    }

    void cancelNamesTheJob()
    {
        SdCppAdapter adapter(options());
        const JobState job = acceptedJob(adapter);
        const auto cancel = adapter.cancel(job);
        QCOMPARE(cancel->method, std::string("POST"));
        QCOMPARE(cancel->url, std::string("http://127.0.0.1:1234/sdcpp/v1/jobs/job_68e5a000_00000007/cancel"));
        QVERIFY(!adapter.healthRequest()); // sd-server has no queue counts
    }

    void openAIRouteCarriesExtraArgs()
    {
        SdCppOptions o = options("openai");
        o.sampler = "euler";
        SdCppOpenAIAdapter adapter(o);
        JobState job = newJob();
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(r.url, std::string("http://127.0.0.1:1234/v1/images/generations"));
        const json body = json::parse(r.body);
        QCOMPARE(body["n"].get<int>(), 2);
        QCOMPARE(body["size"].get<std::string>(), std::string("1x1"));
        const std::string prompt = body["prompt"].get<std::string>();
        const std::string open = "a red fox<sd_cpp_extra_args>", close = "</sd_cpp_extra_args>";
        QVERIFY2(prompt.starts_with(open) && prompt.ends_with(close), prompt.c_str());
        const json extra = json::parse(prompt.substr(open.size(), prompt.size() - open.size() - close.size()));
        QCOMPARE(extra["seed"].get<int>(), 45);
        QCOMPARE(extra["sample_params"]["sample_steps"].get<int>(), 4);
        QCOMPARE(extra["sample_params"]["guidance"]["txt_cfg"].get<double>(), 3.5);
        QCOMPARE(extra["sample_params"]["sample_method"].get<std::string>(), std::string("euler"));
        QCOMPARE(job.job.prompt, std::string("a red fox")); // the record keeps the user's prompt
        QCOMPARE(int(adapter.onResponse(job, answer(200, kSdCppOpenAIAnswer)).kind), int(Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(1));
        QVERIFY(!job.execMs);
        QVERIFY(!adapter.cancel(job));
        QCOMPARE(adapter.type(), std::string("sdcpp"));
    }

    void registryPicksTheMode_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("url");
        QTest::newRow("default is async") << ""
                                          << "http://127.0.0.1:1234/sdcpp/v1/img_gen";
        QTest::newRow("openai") << "openai"
                                << "http://127.0.0.1:1234/v1/images/generations";
        QTest::newRow("sdapi") << "sdapi"
                               << "http://127.0.0.1:1234/sdapi/v1/txt2img";
    }

    void registryPicksTheMode()
    {
        QFETCH(QString, mode);
        QFETCH(QString, url);
        ProviderConfig provider;
        provider.type = "sdcpp";
        provider.settings = { { "type", "sdcpp" } };
        if (!mode.isEmpty())
            provider.settings["mode"] = mode.toStdString();
        auto adapter = makeAdapter(provider, AdapterContext {});
        QVERIFY(adapter);
        QCOMPARE(adapter->type(), std::string("sdcpp"));
        JobState job = newJob();
        const HttpRequest r = adapter->submit(job);
        QCOMPARE(r.url, url.toStdString());
        if (mode == "sdapi") { // sd-server's sdapi has no interrupt, progress or task ids
            QVERIFY(!adapter->cancel(job));
            QVERIFY(!adapter->healthRequest());
            QVERIFY(!json::parse(r.body).contains("force_task_id"));
        }
    }
};

QTEST_GUILESS_MAIN(TestSdCppAdapter)
#include "tst_sdcppadapter.moc"
