// SPDX-License-Identifier: Apache-2.0
// The Hugging Face Inference Endpoints adapter on canned answers (docs/protocols.md §6): the task
// payload, X-Scale-Up-Timeout, binary and JSON images, 503 while scaling (retried, counted) and the
// management API's state as health.
#include "hfendpoint/hfendpointadapter.h"
#include "registry/registry.h"

#include "adaptertesthelpers.h"
#include "serverlessfixtures.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using namespace adaptertest;
using nlohmann::json;

namespace {

HfEndpointOptions options()
{
    HfEndpointOptions o;
    o.url = "https://abc123.us-east-1.aws.endpoints.huggingface.cloud";
    o.apiKey = "hf_secret";
    return o;
}

} // namespace

class TestHfEndpointAdapter : public QObject {
    Q_OBJECT
private slots:
    void taskPayloadAndHeaders()
    {
        HfEndpointAdapter adapter(options());
        JobState job = newJob();
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(r.method, std::string("POST"));
        QCOMPARE(r.url, std::string("https://abc123.us-east-1.aws.endpoints.huggingface.cloud/"));
        QCOMPARE(headerOf(r, "Authorization"), std::string("Bearer hf_secret"));
        QCOMPARE(headerOf(r, "Accept"), std::string("image/png"));
        QCOMPARE(headerOf(r, "X-Scale-Up-Timeout"), std::string("600"));
        const json body = json::parse(r.body);
        QCOMPARE(body["inputs"].get<std::string>(), std::string("a red fox"));
        const json& p = body["parameters"];
        QCOMPARE(p["width"].get<int>(), 768);
        QCOMPARE(p["height"].get<int>(), 512);
        QCOMPARE(p["num_inference_steps"].get<int>(), 4);
        QCOMPARE(p["guidance_scale"].get<double>(), 3.5);
        QCOMPARE(p["seed"].get<int>(), 45);
        QVERIFY(!p.contains("num_images")); // one image per call in the task spec
    }

    void scaleUpTimeoutHeader_data()
    {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QString>("header");
        QTest::newRow("zero sends no header") << 0.0 << QString();
        QTest::newRow("whole seconds as given") << 120.0 << QString("120");
        QTest::newRow("a fraction rounds up") << 0.5 << QString("1");
    }

    void scaleUpTimeoutHeader()
    {
        QFETCH(double, seconds);
        QFETCH(QString, header);
        HfEndpointOptions o = options();
        o.scaleUpTimeoutS = seconds;
        HfEndpointAdapter adapter(o);
        JobState job = newJob();
        QCOMPARE(QString::fromStdString(headerOf(adapter.submit(job), "X-Scale-Up-Timeout")), header);
    }

    void binaryImage()
    {
        HfEndpointAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const Action a = adapter.onResponse(job, answer(200, "\x89PNG...", { { "content-type", "image/png" } }));
        QVERIFY(isKind(a, Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(1));
        QCOMPARE(*job.images[0].bytes(), std::string("\x89PNG..."));
        QVERIFY(!job.queueMs.has_value()); // HF reports no timings
        QVERIFY(!job.execMs.has_value());
        QCOMPARE(job.providerStatus, std::string("ok"));
        QVERIFY(!adapter.cancel(job).has_value());
    }

    void customHandlerJson()
    {
        HfEndpointOptions o = options();
        o.responseFormat = "json";
        HfEndpointAdapter adapter(o);
        JobState job = newJob();
        QCOMPARE(headerOf(adapter.submit(job), "Accept"), std::string("application/json"));
        QVERIFY(
            isKind(adapter.onResponse(job, answer(200, hfHandlerJson(), { { "content-type", "application/json" } })),
                Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(1));
        JobState none = newJob();
        const Action a
            = adapter.onResponse(none, answer(200, "{\"result\": 1}", { { "content-type", "application/json" } }));
        QVERIFY(isError(a, ErrorClass::InvalidImage));
        QVERIFY(isError(adapter.onResponse(none, answer(200, "garbage", { { "content-type", "text/plain" } })),
            ErrorClass::InvalidImage));
    }

    void scaleUp503IsRetriedAndCounted()
    {
        HfEndpointOptions o = options();
        o.retry503DelayMs = 1500;
        HfEndpointAdapter adapter(o);
        JobState job = newJob();
        const HttpRequest first = adapter.submit(job);
        Action a = adapter.onResponse(job, answer(503, kHfLoading, { { "content-type", "application/json" } }));
        QVERIFY(isKind(a, Action::Kind::Send));
        QCOMPARE(a.delayMs, 20000.0); // estimated_time is in seconds
        QCOMPARE(a.request.body, first.body); // the same request again
        QCOMPARE(headerOf(a.request, "X-Scale-Up-Timeout"), std::string("600"));
        QCOMPARE(job.polls, 1);
        QCOMPARE(job.providerStatus, std::string("503_scaling_up"));
        a = adapter.onResponse(job, answer(503, kHfScaledToZero, { { "retry-after", "4" } }));
        QVERIFY(isKind(a, Action::Kind::Send));
        QCOMPARE(a.delayMs, 4000.0); // Retry-After when there is no estimate
        a = adapter.onResponse(job, answer(503, "endpoint is initializing"));
        QCOMPARE(a.delayMs, 1500.0); // the configured wait otherwise
        QCOMPARE(job.polls, 3);
        a = adapter.onResponse(job, answer(200, "png", { { "content-type", "image/png" } }));
        QVERIFY(isKind(a, Action::Kind::Done));
        QCOMPARE(job.providerStatus, std::string("ready_after_503"));
        QCOMPARE(job.polls, 3);
    }

    void retryLimitEndsAsTimeout()
    {
        HfEndpointOptions o = options();
        o.max503Retries = 2;
        HfEndpointAdapter adapter(o);
        JobState job = newJob();
        adapter.submit(job);
        QVERIFY(isKind(adapter.onResponse(job, answer(503, kHfLoading)), Action::Kind::Send));
        QVERIFY(isKind(adapter.onResponse(job, answer(503, kHfLoading)), Action::Kind::Send));
        const Action a = adapter.onResponse(job, answer(503, kHfLoading));
        QVERIFY(isError(a, ErrorClass::Timeout));
        QVERIFY2(mentions(a, "after 2 retries") && mentions(a, "currently loading"), a.message.c_str());
    }

    void which503sAreRetried_data()
    {
        QTest::addColumn<QString>("when");
        QTest::addColumn<QString>("body");
        QTest::addColumn<bool>("retried");
        QTest::newRow("scale_up: loading with estimated_time")
            << "scale_up" << QString::fromStdString(kHfLoading) << true;
        QTest::newRow("scale_up: scaled to zero text") << "scale_up" << QString::fromStdString(kHfScaledToZero) << true;
        QTest::newRow("scale_up: a full queue is a server error")
            << "scale_up" << QString::fromStdString(kHfNoReplica) << false;
        QTest::newRow("always: a full queue too") << "always" << QString::fromStdString(kHfNoReplica) << true;
        QTest::newRow("never: not even loading") << "never" << QString::fromStdString(kHfLoading) << false;
    }

    void which503sAreRetried()
    {
        QFETCH(QString, when);
        QFETCH(QString, body);
        QFETCH(bool, retried);
        HfEndpointOptions o = options();
        o.retry503 = when.toStdString();
        HfEndpointAdapter adapter(o);
        JobState job = newJob();
        adapter.submit(job);
        const Action a = adapter.onResponse(job, answer(503, body.toStdString()));
        QCOMPARE(a.kind == Action::Kind::Send, retried);
        if (!retried) {
            QVERIFY(isError(a, ErrorClass::ServerError));
            QCOMPARE(job.polls, 0);
        }
    }

    void errors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("mentioning");
        QTest::newRow("bad payload is a client error") << 400 << QString::fromStdString(kHfBadPayload)
                                                       << int(ErrorClass::ClientError) << "inputs must be a string";
        QTest::newRow("bad token is a client error")
            << 401 << "{\"error\":\"Invalid credentials\"}" << int(ErrorClass::ClientError) << "token needs access";
        QTest::newRow("model exception is a server error")
            << 500 << "{\"error\":\"CUDA error\"}" << int(ErrorClass::ServerError) << "CUDA error";
    }

    void errors()
    {
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(int, error);
        QFETCH(QString, mentioning);
        HfEndpointAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const Action a = adapter.onResponse(job, answer(status, body.toStdString()));
        QCOMPARE(int(a.error), error);
        QVERIFY2(mentions(a, mentioning.toStdString()), a.message.c_str());
        QVERIFY(!mentions(a, "hf_secret"));
    }

    void managementStateAsHealth_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("ready");
        QTest::addColumn<int>("initializing");
        QTest::addColumn<int>("unhealthy");
        QTest::newRow("running with replica counts") << QString::fromStdString(kHfStateRunning) << 2 << 1 << 0;
        QTest::newRow("scaled to zero has no replica") << QString::fromStdString(kHfStateScaledToZero) << 0 << 0 << 0;
        QTest::newRow("initializing without counts is one starting")
            << QString::fromStdString(kHfStateInitializing) << 0 << 1 << 0;
        QTest::newRow("failed is unhealthy") << QString::fromStdString(kHfStateFailed) << 0 << 0 << 1;
    }

    void managementStateAsHealth()
    {
        QFETCH(QString, body);
        QFETCH(int, ready);
        QFETCH(int, initializing);
        QFETCH(int, unhealthy);
        HfEndpointOptions o = options();
        o.managementNamespace = "acme";
        o.managementName = "sdxl-bench";
        HfEndpointAdapter adapter(o);
        const auto request = adapter.healthRequest();
        QVERIFY(request.has_value());
        QCOMPARE(request->url, std::string("https://api.endpoints.huggingface.cloud/v2/endpoint/acme/sdxl-bench"));
        QCOMPARE(headerOf(*request, "Authorization"), std::string("Bearer hf_secret"));
        const auto sample = adapter.parseHealth(answer(200, body.toStdString()));
        QVERIFY(sample.has_value());
        QCOMPARE(sample->ready, ready);
        QCOMPARE(sample->initializing, initializing);
        QCOMPARE(sample->unhealthy, unhealthy);
        QVERIFY(!adapter.parseHealth(answer(404, "{}")).has_value());
        QVERIFY(!adapter.parseHealth(answer(200, "{\"status\": 1}")).has_value());
    }

    void noHealthWithoutManagementName()
    {
        HfEndpointAdapter adapter(options());
        QVERIFY(!adapter.healthRequest().has_value());
    }

    void fromConfigAndRegistry()
    {
        ProviderConfig provider;
        provider.type = "hf_endpoint";
        provider.settings
            = json::parse("{\"url\": \"https://e.endpoints.huggingface.cloud/\", \"scale_up_timeout_s\": 90,"
                          " \"response_format\": \"json\", \"extract\": {\"image\": \"/out/0\"},"
                          " \"scale_up_retry\": {\"when\": \"always\", \"max\": 5, \"delay_ms\": 250},"
                          " \"management\": {\"namespace\": \"acme\", \"name\": \"ep\", \"base_url\": \"http://m/\"}}");
        HfEndpointOptions o = HfEndpointOptions::fromConfig(provider, AdapterContext { {}, "hf_x", 50 });
        QCOMPARE(o.url, std::string("https://e.endpoints.huggingface.cloud"));
        QCOMPARE(o.scaleUpTimeoutS, 90.0);
        QCOMPARE(o.responseFormat, std::string("json"));
        QCOMPARE(o.output.imagePointers.size(), std::size_t(1));
        QCOMPARE(o.output.imagePointers[0], std::string("/out/0"));
        QCOMPARE(o.retry503, std::string("always"));
        QCOMPARE(o.max503Retries, 5);
        QCOMPARE(o.retry503DelayMs, 250.0);
        QCOMPARE(o.managementUrl, std::string("http://m"));
        QCOMPARE(o.managementNamespace, std::string("acme"));
        o = HfEndpointOptions::fromConfig(provider, AdapterContext { "http://127.0.0.1:7", "hf_x", 50 });
        QCOMPARE(o.url, std::string("http://127.0.0.1:7"));
        const auto adapter = makeAdapter(provider, AdapterContext { {}, "hf_x", 50 });
        QVERIFY(adapter != nullptr);
        QCOMPARE(adapter->type(), std::string("hf_endpoint"));
    }
};

QTEST_GUILESS_MAIN(TestHfEndpointAdapter)
#include "tst_hfendpointadapter.moc"
