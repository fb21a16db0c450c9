// SPDX-License-Identifier: Apache-2.0
// The generic `http` provider on canned answers: its templates (escaping), its JSON pointers, the
// sync and async flows, cancel, and the config validator's rules for it.
#include "config/configfixture.h"
#include "http/httpadapter.h"
#include "http/httptemplate.h"
#include "registry/registry.h"

#include "httpfixtures.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using nlohmann::json;

namespace {

ProviderConfig providerOf(const std::string& text)
{
    ProviderConfig provider;
    provider.settings = json::parse(text);
    provider.type = "http";
    provider.baseUrl = provider.settings.value("base_url", std::string());
    return provider;
}

HttpAdapter adapterOf(const std::string& providerJson, const std::string& key = "key-123")
{
    const ProviderConfig provider = providerOf(providerJson);
    return HttpAdapter(HttpAdapterOptions::fromConfig(provider, AdapterContext { provider.baseUrl, key, 250 }));
}

JobState newJob(const std::string& prompt = "a red fox")
{
    JobState job;
    job.job.seq = 3;
    job.job.prompt = prompt;
    job.job.seed = 45;
    job.job.variant.model = "sdxl";
    job.job.variant.width = 512;
    job.job.variant.height = 384;
    job.job.variant.steps = 20;
    job.job.variant.guidance = 7.5;
    job.job.variant.images = 2;
    return job;
}

HttpResponse answer(int status, std::string body, std::string contentType = "application/json")
{
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = { { "content-type", std::move(contentType) } };
    return r;
}

std::string header(const HttpRequest& request, const std::string& name)
{
    for (const auto& [n, v] : request.headers)
        if (n == name)
            return v;
    return {};
}

std::vector<std::string> validationErrors(const std::string& providerJson)
{
    json document = t2i::test::specDocument();
    document["providers"] = json::array({ json::parse(providerJson) });
    std::vector<std::string> out;
    for (const ConfigError& e : validateConfig(document, "t.json", providerCatalog()).errors)
        out.push_back(e.format());
    return out;
}

} // namespace

class TestHttpAdapter : public QObject {
    Q_OBJECT
private slots:
    void stringBodyEscapesEveryPrompt_data()
    {
        QTest::addColumn<int>("index");
        const auto prompts = trickyPrompts();
        for (std::size_t i = 0; i < prompts.size(); ++i)
            QTest::newRow(("prompt " + std::to_string(i)).c_str()) << int(i);
    }
    void stringBodyEscapesEveryPrompt()
    {
        QFETCH(int, index);
        const std::string prompt = trickyPrompts()[std::size_t(index)];
        json provider = json::parse(kMinimalProvider);
        provider["body"] = kStringBodyTemplate;
        HttpAdapter adapter = adapterOf(provider.dump());
        const std::string body = adapter.requestBody(newJob(prompt).job);
        const json parsed = json::parse(body, nullptr, false);
        QVERIFY2(!parsed.is_discarded(), body.c_str());
        QCOMPARE(parsed["prompt"].get<std::string>(), prompt); // exactly, whatever it holds
        QCOMPARE(parsed["seed"].get<int>(), 45);
        QCOMPARE(parsed["size"].get<std::string>(), std::string("512x384"));
        QCOMPARE(parsed["cfg"].get<double>(), 7.5);
        QCOMPARE(parsed["n"].get<int>(), 2);
    }

    void jsonBodyKeepsTypes()
    {
        HttpAdapter adapter = adapterOf(kAsyncProvider);
        const json body = json::parse(adapter.requestBody(newJob(kPromptWithPlaceholder).job));
        const json& in = body["input"];
        QCOMPARE(in["text"].get<std::string>(), std::string(kPromptWithPlaceholder)); // a prompt is never re-filled
        QVERIFY(in["seed"].is_number_integer());
        QCOMPARE(in["size"], json::array({ 512, 384 }));
        QVERIFY(in["cfg"].is_number_float());
        QCOMPARE(in["cfg"].get<double>(), 7.5);
        QCOMPARE(in["count"].get<int>(), 2);
        QCOMPARE(in["tag"].get<std::string>(), std::string("run 45/sdxl"));
    }

    void urlsAndHeadersAreFilledForTheirPlace()
    {
        HttpAdapter adapter = adapterOf(kUrlAndHeaderProvider, "k/1+2");
        JobState job = newJob("a fox & a hen\r\nX-Evil: 1");
        const HttpRequest request = adapter.submit(job);
        QCOMPARE(request.url,
            std::string("https://x.example/g?q=a%20fox%20%26%20a%20hen%0D%0AX-Evil%3A%201&s=45&key=k%2F1%2B2"));
        QCOMPARE(header(request, "Authorization"), std::string("Bearer k/1+2"));
        QCOMPARE(header(request, "X-Prompt"), std::string("a fox & a hen  X-Evil: 1")); // no header injection
        QCOMPARE(request.method, std::string("POST"));
        QVERIFY(request.body.empty());
        QCOMPARE(header(request, "Content-Type"), std::string()); // no body, no content type
    }

    void unknownPlaceholdersAreLeftAsTheyAre()
    {
        TemplateValues values;
        const Job job = newJob().job;
        values.job = &job;
        QCOMPARE(fillText("{{nope}} {{ seed }} {{unclosed", values, TemplateEscape::Json),
            std::string("{{nope}} 45 {{unclosed"));
        QCOMPARE(placeholdersIn("a {{x}} b {{ y }}"), (std::vector<std::string> { "x", "y" }));
    }

    void thePlaceholderListMatchesTheValidator()
    {
        // The validator derives its names from this list: each must be accepted where job ids are.
        for (const std::string& name : httpPlaceholderNames()) {
            json provider = json::parse(kPlaceholderProbeProvider);
            provider["poll"]["url"] = "https://x.example/j/{{" + name + "}}";
            const auto errors = validationErrors(provider.dump());
            QVERIFY2(errors.empty(), (name + ": " + (errors.empty() ? "" : errors.front())).c_str());
        }
    }

    void pointersWithWildcards_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("found"); // values joined by ","
        QTest::newRow("whole document") << "" << kPointerDocument;
        QTest::newRow("nested index") << "/a/1/b"
                                      << "2";
        QTest::newRow("wildcard") << "/a/*/b"
                                  << "1,2";
        QTest::newRow("escaped slash") << "/c~1d"
                                       << "3";
        QTest::newRow("escaped tilde") << "/e~0f"
                                       << "4";
        QTest::newRow("missing key") << "/x"
                                     << "";
        QTest::newRow("index out of range") << "/a/5/b"
                                            << "";
        QTest::newRow("leading zero index") << "/a/01/b"
                                            << "";
        QTest::newRow("not a pointer") << "a"
                                       << "";
    }
    void pointersWithWildcards()
    {
        QFETCH(QString, pointer);
        QFETCH(QString, found);
        const json document = json::parse(kPointerDocument);
        std::string joinedValues;
        for (const json* v : resolvePointer(document, pointer.toStdString()))
            joinedValues += (joinedValues.empty() ? "" : ",") + v->dump();
        QCOMPARE(QString::fromStdString(joinedValues), found);
    }

    void baseUrlJoining_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("joined");
        QTest::newRow("no base") << ""
                                 << "https://api.example.com/v1/gen"
                                 << "https://api.example.com/v1/gen";
        QTest::newRow("path on base") << "http://127.0.0.1:9/"
                                      << "/gen"
                                      << "http://127.0.0.1:9/gen";
        QTest::newRow("absolute URL takes the base's origin") << "http://127.0.0.1:9"
                                                              << "https://api.example.com/v1/gen?x=1"
                                                              << "http://127.0.0.1:9/v1/gen?x=1";
        QTest::newRow("base with a path prefix") << "http://10.0.0.5:7860/proxy"
                                                 << "https://api.example.com/v1/gen"
                                                 << "http://10.0.0.5:7860/proxy/v1/gen";
    }
    void baseUrlJoining()
    {
        QFETCH(QString, base);
        QFETCH(QString, url);
        QFETCH(QString, joined);
        QCOMPARE(QString::fromStdString(joinBaseUrl(base.toStdString(), url.toStdString())), joined);
    }

    void asyncFlowPollsUntilDone()
    {
        HttpAdapter adapter = adapterOf(kAsyncProvider);
        JobState job = newJob();
        const HttpRequest submit = adapter.submit(job);
        QCOMPARE(submit.url, std::string("http://127.0.0.1:9/api/v2/generate"));
        QCOMPARE(header(submit, "X-Api-Key"), std::string("key-123"));
        QCOMPARE(header(submit, "Content-Type"), std::string("application/json"));
        QVERIFY(!adapter.cancel(job).has_value()); // no platform id yet

        Action action = adapter.onResponse(job, answer(202, kSubmitted));
        QCOMPARE(int(action.kind), int(Action::Kind::Poll));
        QVERIFY(job.accepted);
        QCOMPARE(job.jobId, std::string("t-7"));
        QCOMPARE(job.providerStatus, std::string("PENDING"));
        QCOMPARE(action.request.method, std::string("GET"));
        QCOMPARE(action.request.url, std::string("http://127.0.0.1:9/api/v2/tasks/t-7"));
        QCOMPARE(header(action.request, "X-Api-Key"), std::string("key-123"));
        QCOMPARE(action.delayMs, 40.0);
        QVERIFY(!job.queueMs.has_value()); // not reported yet: unknown

        action = adapter.onResponse(job, answer(200, kRunning));
        QCOMPARE(int(action.kind), int(Action::Kind::Poll));
        QCOMPARE(job.providerStatus, std::string("RUNNING"));
        QCOMPARE(job.queueMs.value_or(-1), 61.5);
        QVERIFY(!job.execMs.has_value());

        action = adapter.onResponse(job, answer(200, doneAnswer()));
        QCOMPARE(int(action.kind), int(Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(2)); // raw base64 and a data URI
        QCOMPARE(job.execMs.value_or(-1), 1234.5); // seconds read as ms
        QCOMPARE(job.polls, 2);

        const auto cancel = adapter.cancel(job);
        QVERIFY(cancel.has_value());
        QCOMPARE(cancel->method, std::string("POST"));
        QCOMPARE(cancel->url, std::string("http://127.0.0.1:9/api/v2/tasks/t-7/cancel"));
    }

    void asyncFailures()
    {
        HttpAdapter adapter = adapterOf(kAsyncProvider);
        JobState job = newJob();
        adapter.submit(job);
        adapter.onResponse(job, answer(202, kSubmitted));
        Action failed = adapter.onResponse(job, answer(200, kFailedAnswer));
        QCOMPARE(int(failed.error), int(ErrorClass::OutOfMemory));
        QCOMPARE(failed.message, std::string("status ERROR: CUDA out of memory"));

        JobState gone = newJob();
        adapter.submit(gone);
        adapter.onResponse(gone, answer(202, kSubmitted));
        const Action expired = adapter.onResponse(gone, answer(410, kExpiredAnswer));
        QCOMPARE(int(expired.error), int(ErrorClass::ClientError));
        QVERIFY2(expired.message.find("unknown or expired") != std::string::npos, expired.message.c_str());

        JobState noId = newJob();
        adapter.submit(noId);
        const Action lost = adapter.onResponse(noId, answer(202, kSubmittedWithoutId));
        QCOMPARE(int(lost.error), int(ErrorClass::ServerError));
        QVERIFY2(lost.message.find("no job id at /task/uid") != std::string::npos, lost.message.c_str());
    }

    void resultRouteIsFetchedOnceDone()
    {
        json provider = json::parse(kAsyncProvider);
        provider["poll"]["result"] = { { "url", "/api/v2/tasks/{{job_id}}/image.png" } };
        HttpAdapter adapter = adapterOf(provider.dump());
        JobState job = newJob();
        adapter.submit(job);
        adapter.onResponse(job, answer(202, kSubmitted));
        const Action fetch = adapter.onResponse(job, answer(200, kDoneWithoutImage));
        QCOMPARE(int(fetch.kind), int(Action::Kind::Send));
        QCOMPARE(fetch.request.url, std::string("http://127.0.0.1:9/api/v2/tasks/t-7/image.png"));
        QCOMPARE(fetch.delayMs, 0.0);
        const Action done = adapter.onResponse(job, answer(200, "\x89PNG-bytes", "image/png"));
        QCOMPARE(int(done.kind), int(Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(1));
        QCOMPARE(*job.images[0].bytes(), std::string("\x89PNG-bytes"));
    }

    void syncAnswers_data()
    {
        QTest::addColumn<int>("index");
        const auto rows = syncRows();
        for (std::size_t i = 0; i < rows.size(); ++i)
            QTest::newRow(rows[i].name) << int(i);
    }
    void syncAnswers()
    {
        QFETCH(int, index);
        const SyncRow row = syncRows()[std::size_t(index)];
        json provider = json::parse(kSyncProvider);
        provider["extract"] = json::parse(row.extract);
        HttpAdapter adapter = adapterOf(provider.dump());
        JobState job = newJob();
        adapter.submit(job);
        const Action action = adapter.onResponse(job, answer(row.status, row.body, row.contentType));
        QCOMPARE(int(action.kind), int(row.done ? Action::Kind::Done : Action::Kind::Fail));
        QCOMPARE(int(action.error), row.error);
        QVERIFY2(action.message.find(row.messagePart) != std::string::npos, action.message.c_str());
        if (row.done)
            QVERIFY(!job.images.empty() || !job.imageUrls.empty());
    }

    void serverRelativeImagePathsAreOnTheServerAsked()
    {
        json provider = json::parse(kSyncProvider);
        provider["base_url"] = "http://10.0.0.5:8000";
        provider["extract"] = { { "images", "/files" } };
        HttpAdapter adapter = adapterOf(provider.dump());
        JobState job = newJob();
        adapter.submit(job);
        const Action action = adapter.onResponse(job, answer(200, kRelativeFiles));
        QCOMPARE(int(action.kind), int(Action::Kind::Done));
        QCOMPARE(job.imageUrls,
            (std::vector<std::string> { "http://10.0.0.5:8000/out/a.png", "https://cdn.example/b.png" }));
    }

    void syncTimesAreReadOnlyWhenSent()
    {
        HttpAdapter adapter = adapterOf(kSyncTimedProvider);
        JobState job = newJob();
        adapter.submit(job);
        adapter.onResponse(job, answer(200, syncTimedAnswer()));
        QCOMPARE(job.execMs.value_or(-1), 812.0);
        QVERIFY(!job.queueMs.has_value()); // not in the answer: unknown, not 0
    }

    void validatorRules_data()
    {
        QTest::addColumn<int>("index");
        const auto rows = httpValidatorRows();
        for (std::size_t i = 0; i < rows.size(); ++i)
            QTest::newRow(rows[i].name) << int(i);
    }
    void validatorRules()
    {
        QFETCH(int, index);
        const ValidatorRow row = httpValidatorRows()[std::size_t(index)];
        const auto errors = validationErrors(row.provider);
        std::string all;
        for (const std::string& e : errors)
            all += e + "\n";
        if (row.error.empty()) {
            QVERIFY2(errors.empty(), all.c_str());
        } else {
            QVERIFY2(all.find(row.error) != std::string::npos, all.c_str());
            QVERIFY2(all.find("t.json: providers[0]") != std::string::npos, all.c_str()); // says where
        }
    }

    void registryMakesIt()
    {
        const ProviderConfig provider = providerOf(kAsyncProvider);
        auto made = makeAdapter(provider, AdapterContext { provider.baseUrl, "k", 250 });
        QVERIFY(made);
        QCOMPARE(made->type(), std::string("http"));
    }
};

QTEST_GUILESS_MAIN(TestHttpAdapter)
#include "tst_httpadapter.moc"
