// SPDX-License-Identifier: Apache-2.0
// The AUTOMATIC1111 / Forge adapter on canned answers shaped like the WebUI API's (docs/protocols.md §12):
// the txt2img body, X-Process-Time as execution time, the grid A1111 puts first, error classes,
// HTTP Basic for --api-auth, interrupt, and /progress as health.
#include "a1111/a1111adapter.h"
#include "adaptertesthelpers.h"
#include "registry/registry.h"
#include "util/base64.h"

#include "a1111fixtures.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using nlohmann::json;

namespace {

using adaptertest::answer;
using adaptertest::headerOf;

A1111Options options()
{
    A1111Options o;
    o.baseUrl = "http://127.0.0.1:7860";
    o.sampler = "DPM++ 2M";
    return o;
}

JobState newJob(int images = 1)
{
    JobState job;
    job.job.prompt = "a red fox";
    job.job.seed = 45;
    job.job.variant.width = 1;
    job.job.variant.height = 1;
    job.job.variant.steps = 4;
    job.job.variant.guidance = 3.5;
    job.job.variant.images = images;
    return job;
}

bool isError(const Action& a, ErrorClass e)
{
    return a.kind == Action::Kind::Fail && a.error == e;
}

} // namespace

class TestA1111Adapter : public QObject {
    Q_OBJECT
private slots:
    void submitSendsEveryVariantField()
    {
        A1111Adapter adapter(options());
        JobState job = newJob(2);
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(r.method, std::string("POST"));
        QCOMPARE(r.url, std::string("http://127.0.0.1:7860/sdapi/v1/txt2img"));
        QCOMPARE(headerOf(r, "Authorization"), std::string());
        const json body = json::parse(r.body);
        QCOMPARE(body["prompt"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(body["seed"].get<int>(), 45);
        QCOMPARE(body["steps"].get<int>(), 4); // always sent: the API's own default is 50
        QCOMPARE(body["cfg_scale"].get<double>(), 3.5);
        QCOMPARE(body["width"].get<int>(), 1);
        QCOMPARE(body["batch_size"].get<int>(), 2);
        QCOMPARE(body["n_iter"].get<int>(), 1);
        QCOMPARE(body["sampler_name"].get<std::string>(), std::string("DPM++ 2M"));
        QCOMPARE(body["send_images"].get<bool>(), true);
        QCOMPARE(body["save_images"].get<bool>(), false);
        QCOMPARE(body["force_task_id"].get<std::string>(), job.jobId);
        QVERIFY(job.jobId.starts_with("task(t2ibench-"));
        JobState next = newJob();
        adapter.submit(next);
        QVERIFY(next.jobId != job.jobId);

        A1111Options plain = options();
        plain.sampler.clear();
        plain.sendTaskId = false;
        JobState bare = newJob();
        const json bareBody = json::parse(A1111Adapter(plain).submit(bare).body);
        QVERIFY(!bareBody.contains("sampler_name")); // the server's default
        QVERIFY(!bareBody.contains("force_task_id"));
        QVERIFY(bare.jobId.empty());
    }

    void apiAuthIsHttpBasic()
    {
        A1111Options o = options();
        o.apiKey = "bench:s3cret";
        JobState job = newJob();
        QCOMPARE(headerOf(A1111Adapter(o).submit(job), "Authorization"), "Basic " + base64Encode("bench:s3cret"));
        o.apiKey = "proxy-token";
        QCOMPARE(headerOf(A1111Adapter(o).submit(job), "Authorization"), std::string("Bearer proxy-token"));
    }

    void processTimeIsExecutionTime_data()
    {
        QTest::addColumn<QString>("header");
        QTest::addColumn<double>("execMs");
        QTest::newRow("4 decimals") << "1.2345" << 1234.5; // no binary noise from x1000
        QTest::newRow("python short float") << "0.6" << 600.0;
        QTest::newRow("whole seconds") << "12.0" << 12000.0;
    }

    void processTimeIsExecutionTime()
    {
        QFETCH(QString, header);
        QFETCH(double, execMs);
        A1111Adapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const Action a
            = adapter.onResponse(job, answer(200, kA1111OneImage, { { "x-process-time", header.toStdString() } }));
        QCOMPARE(int(a.kind), int(Action::Kind::Done));
        QCOMPARE(*job.execMs, execMs);
        QVERIFY(!job.queueMs); // the server has no queue API: its lock wait is inside X-Process-Time
        QCOMPARE(job.images.size(), std::size_t(1));
        QVERIFY(job.imageUrls.empty());
        QCOMPARE(job.providerStatus, std::string("completed"));
    }

    void withoutTheHeaderExecutionTimeIsUnknown()
    {
        A1111Adapter adapter(options(), "sdcpp");
        JobState job = newJob();
        adapter.submit(job);
        QCOMPARE(int(adapter.onResponse(job, answer(200, kA1111OneImage)).kind), int(Action::Kind::Done));
        QVERIFY(!job.execMs);
        QCOMPARE(adapter.type(), std::string("sdcpp"));
    }

    void theGridIsSkipped()
    {
        A1111Adapter adapter(options());
        JobState job = newJob(2);
        adapter.submit(job);
        QCOMPARE(int(adapter.onResponse(job, answer(200, kA1111TwoImagesWithGrid)).kind), int(Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(2));
        QCOMPARE(*job.images[0].bytes(), *base64Decode(kA1111TinyPng));
    }

    void errorsAreClassified_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("expected");
        QTest::newRow("422 validation") << 422 << QString::fromStdString(kA1111Validation)
                                        << int(ErrorClass::ClientError) << "steps: value is not a valid integer";
        QTest::newRow("500 out of memory") << 500 << QString::fromStdString(kA1111OutOfMemory)
                                           << int(ErrorClass::OutOfMemory) << "OutOfMemoryError (CUDA out of memory";
        QTest::newRow("500 other") << 500 << QString::fromStdString(kA1111RuntimeError) << int(ErrorClass::ServerError)
                                   << "RuntimeError (Sizes of tensors must match)";
        QTest::newRow("404 without --api")
            << 404 << QString::fromStdString(kA1111NotFound) << int(ErrorClass::ClientError)
            << "Not Found (is the server started with --api?)";
        QTest::newRow("401 --api-auth") << 401 << QString::fromStdString(kA1111BadAuth) << int(ErrorClass::ClientError)
                                        << "Incorrect username or password (--api-auth";
        QTest::newRow("200 malformed") << 200 << "<html>Gateway</html>" << int(ErrorClass::ServerError)
                                       << "malformed JSON";
        QTest::newRow("200 without images")
            << 200 << QString::fromStdString(kA1111NoImages) << int(ErrorClass::InvalidImage) << "without images";
        QTest::newRow("200 not base64") << 200 << QString::fromStdString(kA1111NotBase64)
                                        << int(ErrorClass::InvalidImage) << "not base64";
    }

    void errorsAreClassified()
    {
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(int, error);
        QFETCH(QString, expected);
        A1111Adapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const Action a = adapter.onResponse(job, answer(status, body.toStdString(), { { "x-process-time", "0.8" } }));
        QVERIFY(isError(a, ErrorClass(error)));
        QVERIFY2(QString::fromStdString(a.message).contains(expected), a.message.c_str());
        QCOMPARE(*job.execMs, 800.0); // the server's time is known on errors too
    }

    void transportErrors()
    {
        A1111Adapter adapter(options());
        JobState job = newJob();
        HttpResponse down;
        down.transportError = "Connection refused";
        QVERIFY(isError(adapter.onResponse(job, down), ErrorClass::Transport));
        down.timedOut = true;
        QVERIFY(isError(adapter.onResponse(job, down), ErrorClass::Timeout));
    }

    void cancelInterruptsAndHealthIsProgress()
    {
        A1111Adapter adapter(options());
        const JobState job = newJob();
        const auto cancel = adapter.cancel(job);
        QCOMPARE(cancel->method, std::string("POST"));
        QCOMPARE(cancel->url, std::string("http://127.0.0.1:7860/sdapi/v1/interrupt"));
        QCOMPARE(adapter.healthRequest()->url,
            std::string("http://127.0.0.1:7860/sdapi/v1/progress?skip_current_image=true"));
        auto sample = adapter.parseHealth(answer(200, kA1111ProgressRunning));
        QCOMPARE(sample->running, 1);
        QCOMPARE(sample->inProgress, 1);
        QCOMPARE(sample->idle, 0);
        sample = adapter.parseHealth(answer(200, kA1111ProgressIdle));
        QCOMPARE(sample->idle, 1);
        QCOMPARE(sample->running, 0);
        QVERIFY(!adapter.parseHealth(answer(404, kA1111NotFound)));

        A1111Options sdapi = options();
        sdapi.hasInterrupt = false;
        sdapi.hasProgress = false;
        QVERIFY(!A1111Adapter(sdapi).cancel(job));
        QVERIFY(!A1111Adapter(sdapi).healthRequest());
    }

    void registryMakesIt()
    {
        ProviderConfig provider;
        provider.type = "a1111";
        provider.settings = { { "type", "a1111" }, { "sampler", "Euler a" } };
        const A1111Options o
            = A1111Options::fromConfig(provider, AdapterContext { "http://lambda-gpu:7861/", "u:p", 250 });
        QCOMPARE(o.baseUrl, std::string("http://lambda-gpu:7861"));
        QCOMPARE(o.sampler, std::string("Euler a"));
        QCOMPARE(o.apiKey, std::string("u:p"));
        QCOMPARE(A1111Options::fromConfig(provider, AdapterContext {}).baseUrl, std::string("http://127.0.0.1:7860"));
        QCOMPARE(makeAdapter(provider, AdapterContext {})->type(), std::string("a1111"));
    }
};

QTEST_GUILESS_MAIN(TestA1111Adapter)
#include "tst_a1111adapter.moc"
