// SPDX-License-Identifier: Apache-2.0
// The Together AI adapter on canned answers shaped like Together's (docs/protocols.md §8).
#include "config/configfixture.h"
#include "registry/registry.h"
#include "together/togetheradapter.h"

#include "togetherfixtures.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using nlohmann::json;

namespace {

TogetherOptions options()
{
    TogetherOptions o;
    o.baseUrl = "http://127.0.0.1:9/v1";
    o.apiKey = "tg-test";
    o.model = "black-forest-labs/FLUX.1-schnell";
    return o;
}

JobState newJob(int images = 1)
{
    JobState job;
    job.job.seq = 3;
    job.job.prompt = "a red fox";
    job.job.seed = 45;
    job.job.variant.model = "flux-schnell";
    job.job.variant.width = 1024;
    job.job.variant.height = 768;
    job.job.variant.steps = 4;
    job.job.variant.guidance = 3.5;
    job.job.variant.images = images;
    return job;
}

HttpResponse answer(int status, std::string body, HttpHeaders headers = { { "content-type", "application/json" } })
{
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

bool hasHeader(const HttpRequest& request, const std::string& name, const std::string& value)
{
    return std::find(request.headers.begin(), request.headers.end(), HttpHeaders::value_type { name, value })
        != request.headers.end();
}

} // namespace

class TestTogetherAdapter : public QObject {
    Q_OBJECT
private slots:
    void submitSendsTogethersFieldNames()
    {
        TogetherAdapter adapter(options());
        JobState job = newJob(2);
        const HttpRequest request = adapter.submit(job);
        QCOMPARE(request.method, std::string("POST"));
        QCOMPARE(request.url, std::string("http://127.0.0.1:9/v1/images/generations"));
        QVERIFY(hasHeader(request, "Authorization", "Bearer tg-test"));
        QVERIFY(hasHeader(request, "Content-Type", "application/json"));
        const json body = json::parse(request.body);
        QCOMPARE(body["model"].get<std::string>(), std::string("black-forest-labs/FLUX.1-schnell"));
        QCOMPARE(body["prompt"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(body["width"].get<int>(), 1024);
        QCOMPARE(body["height"].get<int>(), 768);
        QCOMPARE(body["steps"].get<int>(), 4);
        QCOMPARE(body["n"].get<int>(), 2);
        QCOMPARE(body["seed"].get<std::int64_t>(), std::int64_t(45));
        QCOMPARE(body["response_format"].get<std::string>(), std::string("base64"));
        // Not Together's names, and not sent unless asked for.
        for (const char* absent : { "num_inference_steps", "size", "guidance_scale", "output_format", "num_images" })
            QVERIFY2(!body.contains(absent), absent);
    }

    void optionalFieldsAreSentWhenConfigured()
    {
        TogetherOptions o = options();
        o.model.clear();
        o.responseFormat = "url";
        o.outputFormat = "png";
        o.sendGuidance = true;
        TogetherAdapter adapter(o);
        const json body = json::parse(adapter.requestBody(newJob().job));
        QCOMPARE(body["model"].get<std::string>(), std::string("flux-schnell")); // the variant's
        QCOMPARE(body["response_format"].get<std::string>(), std::string("url"));
        QCOMPARE(body["output_format"].get<std::string>(), std::string("png"));
        QCOMPARE(body["guidance_scale"].get<double>(), 3.5);
    }

    void configKeysAndBaseUrlOverride()
    {
        ProviderConfig provider;
        provider.type = "together";
        provider.settings = json::parse(kTogetherConfig);
        const TogetherOptions o
            = TogetherOptions::fromConfig(provider, AdapterContext { "http://127.0.0.1:5/v1//", "k", 100 });
        QCOMPARE(o.baseUrl, std::string("http://127.0.0.1:5/v1"));
        QCOMPARE(o.apiKey, std::string("k"));
        QCOMPARE(o.model, std::string("m/x"));
        QCOMPARE(o.responseFormat, std::string("url"));
        QCOMPARE(o.outputFormat, std::string("jpeg"));
        QVERIFY(o.sendGuidance);
        QCOMPARE(o.execSecondsPointer, std::string("/timings/inference"));
        QCOMPARE(o.filteredCodes, std::vector<std::string> { "nsfw_detected" });
        const TogetherOptions defaults = TogetherOptions::fromConfig(provider, AdapterContext {});
        QCOMPARE(defaults.baseUrl, std::string("https://api.together.xyz/v1"));
        auto made = makeAdapter(provider, AdapterContext { "http://127.0.0.1:5/v1", "k", 100 });
        QVERIFY(made);
        QCOMPARE(made->type(), std::string("together"));
    }

    void base64AnswerIsDecodedAndTimingsStayUnknown()
    {
        TogetherAdapter adapter(options());
        JobState job = newJob(2);
        adapter.submit(job);
        const Action action = adapter.onResponse(job, answer(200, togetherB64Answer(2)));
        QCOMPARE(int(action.kind), int(Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(2));
        QVERIFY(job.imageUrls.empty());
        QVERIFY(job.images[0].bytes()->starts_with("\x89PNG"));
        QCOMPARE(job.jobId, std::string("91a3c0f9e2b04c1d-SJC"));
        QVERIFY(job.accepted);
        // Together reports no timing: unknown, never 0.
        QVERIFY(!job.queueMs.has_value());
        QVERIFY(!job.execMs.has_value());
    }

    void urlAnswerIsDownloadedApart()
    {
        TogetherOptions o = options();
        o.responseFormat = "url";
        TogetherAdapter adapter(o);
        JobState job = newJob();
        const Action action = adapter.onResponse(job, answer(200, kTogetherUrlAnswer));
        QCOMPARE(int(action.kind), int(Action::Kind::Done));
        QCOMPARE(job.imageUrls,
            std::vector<std::string> { "https://api.together.ai/imgproxy/abc/format:jpeg/aHR0cHM6Ly9.jpeg" });
        QVERIFY(job.images.empty());
    }

    void configuredTimingPointerIsReadInSeconds()
    {
        TogetherOptions o = options();
        o.execSecondsPointer = "/timings/inference";
        TogetherAdapter adapter(o);
        JobState job = newJob();
        QCOMPARE(int(adapter.onResponse(job, answer(200, kTogetherTimedAnswer)).kind), int(Action::Kind::Done));
        QVERIFY(job.execMs.has_value());
        QCOMPARE(*job.execMs, 628.4);
        // Absent from an answer: unknown, not 0.
        JobState other = newJob();
        adapter.onResponse(other, answer(200, togetherB64Answer(1)));
        QVERIFY(!other.execMs.has_value());
    }

    void failuresAreClassified_data()
    {
        QTest::addColumn<int>("index");
        const auto rows = togetherFailureRows();
        for (std::size_t i = 0; i < rows.size(); ++i)
            QTest::newRow(rows[i].name) << int(i);
    }
    void failuresAreClassified()
    {
        QFETCH(int, index);
        const TogetherFailureRow row = togetherFailureRows()[std::size_t(index)];
        TogetherAdapter adapter(options());
        JobState job = newJob();
        const Action action = adapter.onResponse(job, answer(row.status, row.body));
        QCOMPARE(int(action.kind), int(Action::Kind::Fail));
        QCOMPARE(int(action.error), int(row.expected));
        QVERIFY2(action.message.find(row.messagePart) != std::string::npos, action.message.c_str());
        QVERIFY(action.message.find("tg-test") == std::string::npos);
    }

    void filteredCodesAreConfigurable()
    {
        TogetherOptions o = options();
        o.filteredCodes = { "nsfw_detected" };
        TogetherAdapter adapter(o);
        JobState job = newJob();
        const Action configured = adapter.onResponse(job, answer(422, kTogetherNsfwError));
        QCOMPARE(int(configured.error), int(ErrorClass::ContentFiltered));
        // The default codes no longer apply once replaced.
        const Action other = adapter.onResponse(job, answer(400, kTogetherPolicyError));
        QCOMPARE(int(other.error), int(ErrorClass::ClientError));
    }

    void noAnswerAtAll()
    {
        TogetherAdapter adapter(options());
        JobState job = newJob();
        HttpResponse refused;
        refused.transportError = "Couldn't connect to server";
        QCOMPARE(int(adapter.onResponse(job, refused).error), int(ErrorClass::Transport));
        HttpResponse late;
        late.timedOut = true;
        late.transportError = "Operation timed out";
        QCOMPARE(int(adapter.onResponse(job, late).error), int(ErrorClass::Timeout));
    }

    void retryAfterIsHonoured()
    {
        TogetherAdapter adapter(options());
        const auto wait
            = adapter.retryAfterMs(answer(429, "{}", { { "retry-after", "2" }, { "x-ratelimit-reset", "2" } }));
        QVERIFY(wait.has_value());
        QCOMPARE(*wait, 2000.0);
        QVERIFY(!adapter.cancel(newJob()).has_value()); // no cancel route
    }
    void configValidation_data()
    {
        QTest::addColumn<int>("index");
        const auto rows = togetherConfigRows();
        for (std::size_t i = 0; i < rows.size(); ++i)
            QTest::newRow(rows[i].second.empty() ? "accepted" : rows[i].second.c_str()) << int(i);
    }
    void configValidation()
    {
        QFETCH(int, index);
        const auto row = togetherConfigRows()[std::size_t(index)];
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

QTEST_GUILESS_MAIN(TestTogetherAdapter)
#include "tst_togetheradapter.moc"
