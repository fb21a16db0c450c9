// SPDX-License-Identifier: Apache-2.0
// The OpenAI Images API adapter on canned responses shaped like OpenAI's (docs/protocols.md §9, §14).
#include "adaptertesthelpers.h"
#include "openai/openaiadapter.h"
#include "registry/registry.h"
#include "util/base64.h"

#include "openaifixtures.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using nlohmann::json;

namespace {

using adaptertest::answer;

OpenAIAdapter makeAdapter(const std::string& model = "gpt-image-1", const std::string& format = {})
{
    OpenAIOptions options;
    options.baseUrl = "http://127.0.0.1:9/v1";
    options.apiKey = "sk-test";
    options.model = model;
    options.responseFormat = format;
    return OpenAIAdapter(options);
}

JobState newJob(int images = 1)
{
    JobState job;
    job.job.seq = 3;
    job.job.prompt = "a red fox";
    job.job.seed = 45;
    job.job.variant.model = "sdxl-base-1.0";
    job.job.variant.width = 1536;
    job.job.variant.height = 1024;
    job.job.variant.images = images;
    return job;
}

} // namespace

class TestOpenAIAdapter : public QObject {
    Q_OBJECT
private slots:
    void submitBuildsTheImagesRequest()
    {
        auto adapter = makeAdapter();
        JobState job = newJob(2);
        const HttpRequest request = adapter.submit(job);
        QCOMPARE(request.method, std::string("POST"));
        QCOMPARE(request.url, std::string("http://127.0.0.1:9/v1/images/generations"));
        QVERIFY(std::find(request.headers.begin(), request.headers.end(),
                    HttpHeaders::value_type { "Authorization", "Bearer sk-test" })
            != request.headers.end());
        const json body = json::parse(request.body);
        QCOMPARE(body["model"].get<std::string>(), std::string("gpt-image-1"));
        QCOMPARE(body["prompt"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(body["n"].get<int>(), 2);
        QCOMPARE(body["size"].get<std::string>(), std::string("1536x1024"));
        // The API has none of these; GPT image models refuse response_format unless asked for.
        for (const char* absent : { "seed", "steps", "num_inference_steps", "guidance_scale", "response_format" })
            QVERIFY2(!body.contains(absent), absent);
    }

    void responseFormatPerModelFamily_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("configured");
        QTest::addColumn<QString>("sent"); // "" : not sent
        QTest::newRow("gpt-image-1, nothing configured: not sent") << "gpt-image-1"
                                                                   << ""
                                                                   << "";
        QTest::newRow("dall-e-3, nothing configured: b64_json") << "dall-e-3"
                                                                << ""
                                                                << "b64_json";
        QTest::newRow("dall-e-2 configured url") << "dall-e-2"
                                                 << "url"
                                                 << "url";
        QTest::newRow("compatible server configured url") << "sd-1.5-ggml"
                                                          << "url"
                                                          << "url";
    }
    void responseFormatPerModelFamily()
    {
        QFETCH(QString, model);
        QFETCH(QString, configured);
        QFETCH(QString, sent);
        const json body
            = json::parse(makeAdapter(model.toStdString(), configured.toStdString()).requestBody(newJob().job));
        QCOMPARE(QString::fromStdString(body.value("response_format", "")), sent);
    }

    void modelDefaultsToTheVariantsAndBaseUrlToOpenAI()
    {
        ProviderConfig provider;
        provider.type = "openai";
        provider.settings = json::object();
        const OpenAIOptions options = OpenAIOptions::fromConfig(provider, AdapterContext { "", "k", 250 });
        QCOMPARE(options.baseUrl, std::string("https://api.openai.com/v1"));
        OpenAIAdapter adapter(options);
        QCOMPARE(
            json::parse(adapter.requestBody(newJob().job))["model"].get<std::string>(), std::string("sdxl-base-1.0"));
        provider.settings = { { "model", "dall-e-3" }, { "response_format", "url" } };
        const OpenAIOptions set = OpenAIOptions::fromConfig(provider, AdapterContext { "http://h:8080/v1/", "k", 250 });
        QCOMPARE(set.baseUrl, std::string("http://h:8080/v1"));
        QCOMPARE(set.model, std::string("dall-e-3"));
        QCOMPARE(set.responseFormat, std::string("url"));
    }

    void registryMakesBothTypesAndTheEmulatedProtocol()
    {
        ProviderConfig provider;
        provider.settings = json::object();
        provider.type = "openai";
        QCOMPARE(makeAdapter(provider, AdapterContext {})->type(), std::string("openai"));
        provider.type = "openai_compatible";
        QVERIFY(!makeAdapter(provider, AdapterContext {})); // no base_url: nothing to talk to
        QCOMPARE(makeAdapter(provider, AdapterContext { "http://127.0.0.1:8080/v1", "", 250 })->type(),
            std::string("openai_compatible"));
        provider.type = "emulated";
        provider.settings = { { "protocol", "openai" } };
        QCOMPARE(
            makeAdapter(provider, AdapterContext { "http://127.0.0.1:1/v1", "", 250 })->type(), std::string("openai"));
        QVERIFY(isKnownProviderType("openai") && isKnownProviderType("openai_compatible"));
    }

    void b64AnswerIsFinalWithProcessingTimeAndUsage()
    {
        auto adapter = makeAdapter();
        JobState job = newJob(2);
        adapter.submit(job);
        const Action a = adapter.onResponse(
            job, answer(200, b64Answer(2), { { "openai-processing-ms", "8123" }, { "x-request-id", "req_abc" } }));
        QVERIFY(a.kind == Action::Kind::Done);
        QCOMPARE(job.images.size(), std::size_t(2));
        QCOMPARE(*job.images[0].bytes(), *base64Decode(kOpenAITinyPng));
        QVERIFY(job.imageUrls.empty());
        QCOMPARE(*job.execMs, 8123.0);
        QVERIFY(!job.queueMs); // the API never says: unknown, never 0
        QCOMPARE(job.jobId, std::string("req_abc"));
        QVERIFY(job.accepted);
        QCOMPARE(job.polls, 0);
        QCOMPARE(json::parse(job.scratch)["output_tokens"].get<int>(), 1056);
    }

    void urlAnswerLeavesTheDownloadToTheEngine()
    {
        auto adapter = makeAdapter("dall-e-2", "url");
        JobState job = newJob(2);
        const Action a = adapter.onResponse(job, answer(200, kUrlAnswer));
        QVERIFY(a.kind == Action::Kind::Done);
        QVERIFY(job.images.empty());
        QCOMPARE(job.imageUrls.size(), std::size_t(2));
        QCOMPARE(job.imageUrls[1], std::string("http://127.0.0.1:8080/generated-images/b643.png"));
        QVERIFY(!job.execMs); // no openai-processing-ms (LocalAI): unknown, never 0
        QVERIFY(!job.queueMs);
        QVERIFY(job.jobId.empty());
        QVERIFY(job.scratch.empty()); // no usage: nothing for the cost model
    }

    void failures_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("errorClass");
        QTest::addColumn<QString>("messagePart");
        for (const OpenAIFailureRow& row : openAIFailureRows())
            QTest::newRow(row.name) << row.status << QString::fromStdString(row.body) << int(row.error)
                                    << QString(row.messagePart);
    }
    void failures()
    {
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(int, errorClass);
        QFETCH(QString, messagePart);
        auto adapter = makeAdapter();
        JobState job = newJob();
        const Action a = adapter.onResponse(job, answer(status, body.toStdString(), { { "x-request-id", "req_e" } }));
        QVERIFY(a.kind == Action::Kind::Fail);
        QCOMPARE(int(a.error), errorClass);
        QVERIFY2(QString::fromStdString(a.message).contains(messagePart), a.message.c_str());
        QCOMPARE(job.jobId, std::string("req_e"));
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

    void noCancelNoHealth()
    {
        auto adapter = makeAdapter();
        JobState job = newJob();
        job.jobId = "req_1";
        QVERIFY(!adapter.cancel(job));
        QVERIFY(!adapter.healthRequest());
    }

    void retryAfterPrefersMilliseconds_data()
    {
        QTest::addColumn<QString>("ms");
        QTest::addColumn<QString>("seconds");
        QTest::addColumn<double>("expected"); // < 0: not said
        QTest::newRow("both: retry-after-ms wins") << "1250"
                                                   << "2" << 1250.0;
        QTest::newRow("seconds only") << ""
                                      << "3" << 3000.0;
        QTest::newRow("milliseconds only") << "20"
                                           << "" << 20.0;
        QTest::newRow("bad ms falls back to seconds") << "soon"
                                                      << "1" << 1000.0;
        QTest::newRow("neither") << ""
                                 << "" << -1.0;
    }
    void retryAfterPrefersMilliseconds()
    {
        QFETCH(QString, ms);
        QFETCH(QString, seconds);
        QFETCH(double, expected);
        HttpResponse r;
        r.status = 429;
        if (!ms.isEmpty())
            r.headers.emplace_back("retry-after-ms", ms.toStdString());
        if (!seconds.isEmpty())
            r.headers.emplace_back("retry-after", seconds.toStdString());
        const auto wait = makeAdapter().retryAfterMs(r);
        if (expected < 0)
            QVERIFY(!wait);
        else
            QCOMPARE(*wait, expected);
    }
};

QTEST_APPLESS_MAIN(TestOpenAIAdapter)
#include "tst_openaiadapter.moc"
