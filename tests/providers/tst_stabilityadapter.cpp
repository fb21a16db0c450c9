// SPDX-License-Identifier: Apache-2.0
// The Stability AI v2beta adapter on canned answers (docs/protocols.md §10), and its multipart body read
// back by the fake's own, independent, multipart parser.
#include "config/configfixture.h"
#include "registry/registry.h"
#include "stability/multipart.h"
#include "stability/stabilityadapter.h"
#include "stabilityfake.h"
#include "util/base64.h"

#include "stabilityfixtures.h"

#include <QtTest>
#include <nlohmann/json.hpp>

#include <map>

using namespace t2i;
using nlohmann::json;

namespace {

StabilityOptions options(const std::string& engine = "core")
{
    StabilityOptions o;
    o.baseUrl = "http://127.0.0.1:9/v2beta";
    o.apiKey = "sk-stab-test";
    o.engine = engine;
    return o;
}

JobState newJob(int width = 1344, int height = 768)
{
    JobState job;
    job.job.seq = 3;
    job.job.prompt = "a red fox";
    job.job.seed = 45;
    job.job.variant.model = "sd3.5-large";
    job.job.variant.width = width;
    job.job.variant.height = height;
    job.job.variant.guidance = 4.5;
    job.job.variant.images = 1;
    return job;
}

std::string header(const HttpRequest& request, const std::string& name)
{
    for (const auto& [n, v] : request.headers)
        if (n == name)
            return v;
    return {};
}

// The form as a server reads it: parsed by the fake's parser from the request's own Content-Type.
std::map<std::string, std::string> formOf(const HttpRequest& request)
{
    std::string why;
    const auto parts = t2itest::parseMultipartForm(header(request, "Content-Type"), request.body, &why);
    if (!parts)
        qFatal("the multipart body does not parse: %s", why.c_str());
    std::map<std::string, std::string> fields;
    for (const auto& part : *parts)
        fields[part.name] = part.value;
    return fields;
}

HttpResponse answer(int status, std::string contentType, std::string body, HttpHeaders extra = {})
{
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = { { "content-type", std::move(contentType) } };
    r.headers.insert(r.headers.end(), extra.begin(), extra.end());
    return r;
}

} // namespace

class TestStabilityAdapter : public QObject {
    Q_OBJECT
private slots:
    void submitIsAMultipartFormToTheEnginesRoute()
    {
        StabilityAdapter adapter(options());
        JobState job = newJob();
        const HttpRequest request = adapter.submit(job);
        QCOMPARE(request.method, std::string("POST"));
        QCOMPARE(request.url, std::string("http://127.0.0.1:9/v2beta/stable-image/generate/core"));
        QCOMPARE(header(request, "Authorization"), std::string("Bearer sk-stab-test"));
        QCOMPARE(header(request, "Accept"), std::string("image/*"));
        QVERIFY(header(request, "Content-Type").starts_with("multipart/form-data; boundary="));
        const auto form = formOf(request);
        QCOMPARE(form.at("prompt"), std::string("a red fox"));
        QCOMPARE(form.at("aspect_ratio"), std::string("16:9"));
        QCOMPARE(form.at("seed"), std::string("45"));
        QCOMPARE(form.at("output_format"), std::string("png"));
        // sd3's fields only on sd3.
        QVERIFY(!form.count("cfg_scale"));
        QVERIFY(!form.count("model"));
    }

    void sd3SendsModelAndCfgScale()
    {
        StabilityOptions o = options("sd3");
        o.accept = "json";
        StabilityAdapter adapter(o);
        JobState job = newJob(1024, 1024);
        const HttpRequest request = adapter.submit(job);
        QCOMPARE(request.url, std::string("http://127.0.0.1:9/v2beta/stable-image/generate/sd3"));
        QCOMPARE(header(request, "Accept"), std::string("application/json"));
        const auto form = formOf(request);
        QCOMPARE(form.at("model"), std::string("sd3.5-large")); // the variant's, an sd3 model
        QCOMPARE(form.at("cfg_scale"), std::string("4.5"));
        QCOMPARE(form.at("aspect_ratio"), std::string("1:1"));
        // A configured model wins; a variant model that is not sd3 is not sent.
        o.model = "sd3.5-large-turbo";
        JobState other = newJob(1024, 1024);
        QCOMPARE(formOf(StabilityAdapter(o).submit(other)).at("model"), std::string("sd3.5-large-turbo"));
        o.model.clear();
        other.job.variant.model = "flux-dev";
        QVERIFY(!formOf(StabilityAdapter(o).submit(other)).count("model"));
    }

    void theBodyIsDeterministicAndItsBoundaryNeverInTheContent()
    {
        StabilityAdapter adapter(options());
        JobState a = newJob();
        JobState b = newJob();
        QCOMPARE(adapter.submit(a).body, adapter.submit(b).body); // same job, same bytes: no random boundary
        // A prompt that holds the boundary gets another one, and still reads back intact.
        JobState tricky = newJob();
        tricky.job.prompt
            = "line one\r\n--t2ibench-form-boundary\r\nContent-Disposition: form-data; name=\"seed\"\r\n\r\n7";
        const HttpRequest request = adapter.submit(tricky);
        QVERIFY(header(request, "Content-Type").ends_with("boundary=t2ibench-form-boundary-1"));
        const auto form = formOf(request);
        QCOMPARE(form.at("prompt"), tricky.job.prompt);
        QCOMPARE(form.at("seed"), std::string("45"));
    }

    void multipartBytesFollowRfc7578()
    {
        const MultipartBody form
            = buildMultipart({ { "prompt", "hi", {}, {} }, { "image", "\x89PNG", "in.png", "image/png" } }, "B");
        QCOMPARE(form.contentType(), std::string("multipart/form-data; boundary=B"));
        QCOMPARE(form.body,
            std::string("--B\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nhi\r\n"
                        "--B\r\nContent-Disposition: form-data; name=\"image\"; filename=\"in.png\"\r\nContent-Type: "
                        "image/png\r\n\r\n\x89PNG\r\n"
                        "--B--\r\n"));
    }

    void aspectRatioFromSize_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<QString>("ratio"); // "" : none
        QTest::newRow("1024x1024 is 1:1") << 1024 << 1024 << "1:1";
        QTest::newRow("512x512 is 1:1") << 512 << 512 << "1:1";
        QTest::newRow("1344x768 is 16:9") << 1344 << 768 << "16:9";
        QTest::newRow("1920x1080 is 16:9") << 1920 << 1080 << "16:9";
        QTest::newRow("1536x640 is 21:9") << 1536 << 640 << "21:9";
        QTest::newRow("832x1216 is 2:3") << 832 << 1216 << "2:3";
        QTest::newRow("1216x832 is 3:2") << 1216 << 832 << "3:2";
        QTest::newRow("896x1088 is 4:5") << 896 << 1088 << "4:5";
        QTest::newRow("1088x896 is 5:4") << 1088 << 896 << "5:4";
        QTest::newRow("768x1344 is 9:16") << 768 << 1344 << "9:16";
        QTest::newRow("640x1536 is 9:21") << 640 << 1536 << "9:21";
        QTest::newRow("1024x768 (4:3) has none") << 1024 << 768 << "";
        QTest::newRow("2048x512 (4:1) has none") << 2048 << 512 << "";
        QTest::newRow("0x512 has none") << 0 << 512 << "";
    }
    void aspectRatioFromSize()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(QString, ratio);
        std::string why;
        const auto got = stabilityAspectRatio(width, height, &why);
        QCOMPARE(QString::fromStdString(got.value_or("")), ratio);
        QCOMPARE(why.empty(), !ratio.isEmpty());
    }

    void aSizeWithoutRatioIsRefusedBeforeAnythingIsSent()
    {
        StabilityAdapter adapter(options());
        JobState job = newJob(1024, 768);
        const HttpRequest request = adapter.submit(job);
        QVERIFY(request.url.empty()); // the transport answers locally; nothing reaches Stability
        HttpResponse local;
        local.transportError = "URL using bad/illegal format or missing URL";
        const Action action = adapter.onResponse(job, local);
        QCOMPARE(int(action.kind), int(Action::Kind::Fail));
        QCOMPARE(int(action.error), int(ErrorClass::ClientError));
        QVERIFY2(
            action.message.find("1024x768 has no Stability aspect ratio") != std::string::npos, action.message.c_str());
        QVERIFY2(action.message.find("nearest, 5:4, is 6.7% off") != std::string::npos, action.message.c_str());
    }

    void aConfiguredRatioWinsAndSeveralImagesAreRefused()
    {
        StabilityOptions o = options();
        o.aspectRatio = "3:2";
        StabilityAdapter adapter(o);
        JobState job = newJob(1024, 768);
        QCOMPARE(formOf(adapter.submit(job)).at("aspect_ratio"), std::string("3:2"));
        JobState many = newJob();
        many.job.variant.images = 4;
        QVERIFY(adapter.submit(many).url.empty());
        const Action action = adapter.onResponse(many, HttpResponse {});
        QCOMPARE(int(action.error), int(ErrorClass::ClientError));
        QVERIFY2(action.message.find("one image per request") != std::string::npos, action.message.c_str());
    }

    void seedsStayInStabilitysRange()
    {
        StabilityAdapter adapter(options());
        JobState big = newJob();
        big.job.seed = 4294967295LL + 7; // 0..4294967294 only
        QCOMPARE(formOf(adapter.submit(big)).at("seed"), std::string("7"));
    }

    void imageBodyWithHeaders()
    {
        StabilityAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const std::string png = *base64Decode(kStabilityTinyPng);
        const Action action = adapter.onResponse(job,
            answer(200, "image/png", png,
                { { "x-request-id", "req-9" }, { "finish-reason", "SUCCESS" }, { "seed", "45" } }));
        QCOMPARE(int(action.kind), int(Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(1));
        QCOMPARE(*job.images[0].bytes(), png);
        QCOMPARE(job.jobId, std::string("req-9"));
        QCOMPARE(job.providerStatus, std::string("SUCCESS"));
        QVERIFY(!job.queueMs && !job.execMs); // Stability reports no timing
    }

    void filteredImageBodyIsContentFiltered()
    {
        StabilityAdapter adapter(options());
        JobState job = newJob();
        const Action action = adapter.onResponse(job,
            answer(200, "image/png", *base64Decode(kStabilityTinyPng), { { "finish-reason", "CONTENT_FILTERED" } }));
        QCOMPARE(int(action.error), int(ErrorClass::ContentFiltered));
    }

    void jsonAnswerIsDecoded()
    {
        StabilityAdapter adapter(options());
        JobState job = newJob();
        const Action action = adapter.onResponse(job, answer(200, "application/json", stabilityJsonAnswer("SUCCESS")));
        QCOMPARE(int(action.kind), int(Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(1));
        QVERIFY(job.images[0].bytes()->starts_with("\x89PNG"));
    }

    void failuresAreClassified_data()
    {
        QTest::addColumn<int>("index");
        const auto rows = stabilityFailureRows();
        for (std::size_t i = 0; i < rows.size(); ++i)
            QTest::newRow(rows[i].name) << int(i);
    }
    void failuresAreClassified()
    {
        QFETCH(int, index);
        const StabilityFailureRow row = stabilityFailureRows()[std::size_t(index)];
        StabilityAdapter adapter(options());
        JobState job = newJob();
        const Action action = adapter.onResponse(job, answer(row.status, row.contentType, row.body));
        QCOMPARE(int(action.kind), int(Action::Kind::Fail));
        QCOMPARE(int(action.error), int(row.expected));
        QVERIFY2(action.message.find(row.messagePart) != std::string::npos, action.message.c_str());
    }

    void configKeys()
    {
        ProviderConfig provider;
        provider.type = "stability";
        provider.settings = json::parse(kStabilityConfig);
        const StabilityOptions o
            = StabilityOptions::fromConfig(provider, AdapterContext { "http://127.0.0.1:5/v2beta/", "k", 100 });
        QCOMPARE(o.baseUrl, std::string("http://127.0.0.1:5/v2beta"));
        QCOMPARE(o.engine, std::string("sd3"));
        QCOMPARE(o.model, std::string("sd3.5-medium"));
        QCOMPARE(o.accept, std::string("json"));
        QCOMPARE(o.aspectRatio, std::string("9:16"));
        QCOMPARE(StabilityOptions::fromConfig(provider, AdapterContext {}).baseUrl,
            std::string("https://api.stability.ai/v2beta"));
        auto made = makeAdapter(provider, AdapterContext { "http://127.0.0.1:5/v2beta", "k", 100 });
        QVERIFY(made);
        QCOMPARE(made->type(), std::string("stability"));
    }
    void configValidation_data()
    {
        QTest::addColumn<int>("index");
        const auto rows = stabilityConfigRows();
        for (std::size_t i = 0; i < rows.size(); ++i)
            QTest::newRow(rows[i].second.empty() ? "accepted" : rows[i].second.c_str()) << int(i);
    }
    void configValidation()
    {
        QFETCH(int, index);
        const auto row = stabilityConfigRows()[std::size_t(index)];
        json document = t2i::test::specDocument();
        document["providers"] = json::array({ json::parse(row.first) });
        std::string all;
        for (const ConfigError& e : validateConfig(document, "t.json", providerCatalog()).errors)
            all += e.format() + "\n";
        if (row.second.empty())
            QVERIFY2(all.empty(), all.c_str());
        else
            QVERIFY2(all.find(row.second) != std::string::npos, all.c_str());
    }
};

QTEST_GUILESS_MAIN(TestStabilityAdapter)
#include "tst_stabilityadapter.moc"
