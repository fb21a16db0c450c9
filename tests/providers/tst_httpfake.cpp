// SPDX-License-Identifier: Apache-2.0
// The generic `http` provider through the real engine against a made-up async API (customasyncfake):
// everything the adapter knows about that API comes from the config below, as a user would write it.
#include "adapterharness.h"
#include "customasyncfake.h"
#include "fakeserver.h"
#include "http/httpadapter.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2itest;
using nlohmann::json;
using t2i::ErrorClass;

namespace {

// The async API as a config: submit, poll by uid, cancel; wait in ms, GPU time in seconds.
json asyncConfig(const std::string& baseUrl, bool hrefs = false)
{
    json p = {
        { "id", "custom" },
        { "type", "http" },
        { "base_url", baseUrl },
        { "api_key_env", "CUSTOM_KEY" },
        { "url", "/api/v2/generate" },
        { "headers", { { "X-Api-Key", "{{api_key}}" } } },
        { "body",
            { { "input",
                { { "text", "{{prompt}}" }, { "seed", "{{seed}}" }, { "size", { "{{width}}", "{{height}}" } },
                    { "steps", "{{steps}}" }, { "cfg", "{{guidance}}" }, { "count", "{{images}}" } } } } },
        { "extract",
            { { "job_id", "/task/uid" }, { "status", "/task/phase" }, { "queue_ms", "/task/metrics/wait_ms" },
                { "exec_s", "/task/metrics/gpu_seconds" },
                { "images", hrefs ? "/task/output/pictures/*/href" : "/task/output/pictures/*/png" },
                { "error", "/task/problem" } } },
        { "poll",
            { { "url", "/api/v2/tasks/{{job_id}}" }, { "done_values", { "DONE" } },
                { "failed_values", { "ERROR", "CANCELLED" } } } },
        { "cancel", { { "url", "/api/v2/tasks/{{job_id}}/cancel" }, { "method", "POST" } } },
    };
    return p;
}

t2i::HttpAdapter adapterFor(const json& config, const std::string& key = CustomAsyncFake::Options {}.apiKey)
{
    t2i::ProviderConfig provider;
    provider.type = "http";
    provider.settings = config;
    provider.baseUrl = config.value("base_url", std::string());
    return t2i::HttpAdapter(
        t2i::HttpAdapterOptions::fromConfig(provider, t2i::AdapterContext { provider.baseUrl, key, 20 }));
}

struct Platform {
    explicit Platform(CustomAsyncFake::Options options = {})
        : fake(options)
        , server([this](const FakeRequest& r) { return fake.handle(r); })
    {
    }
    CustomAsyncFake fake;
    FakeServer server;
};

HarnessOptions requestsOnly(int requests)
{
    HarnessOptions options;
    options.requests = requests;
    return options;
}

} // namespace

class TestHttpFake : public QObject {
    Q_OBJECT
private slots:
    void asyncRunRecordsWhatThePlatformReported()
    {
        Platform platform; // 60 ms queued, 120 ms running
        auto adapter = adapterFor(asyncConfig(platform.server.baseUrl()));
        HarnessOptions options;
        options.concurrency = 2;
        const HarnessResult result = runAdapter(adapter, options);
        QCOMPARE(result.okCount(), 4);
        for (const auto& r : result.records) {
            QVERIFY2(r.ok, r.errorMessage.c_str());
            QCOMPARE(r.queueMs.value_or(-1), 60.0); // metrics.wait_ms
            QCOMPARE(r.execMs.value_or(-1), 120.0); // metrics.gpu_seconds x 1000
            QCOMPARE(r.providerStatus, std::string("DONE"));
            QVERIFY(r.jobId.starts_with("t-"));
            QVERIFY(r.polls >= 1);
            QCOMPARE(r.width, 512);
        }
        const json input = *platform.fake.lastInput();
        QCOMPARE(input["size"], json::array({ 512, 512 }));
        QCOMPARE(input["steps"].get<int>(), 4);
        QCOMPARE(input["cfg"].get<double>(), 3.5);
    }

    void hrefsAreDownloaded()
    {
        CustomAsyncFake::Options o;
        o.hrefs = true;
        Platform platform(o);
        auto adapter = adapterFor(asyncConfig(platform.server.baseUrl(), true));
        HarnessOptions options;
        options.requests = 2;
        options.variant.images = 2;
        const HarnessResult result = runAdapter(adapter, options);
        QCOMPARE(result.okCount(), 2);
        for (const auto& r : result.records) {
            QVERIFY(r.downloadMs.has_value());
            QCOMPARE(r.images, 2);
        }
    }

    void synchronousUseWithAStringTemplate()
    {
        Platform platform;
        json config = asyncConfig(platform.server.baseUrl());
        config.erase("poll");
        config.erase("cancel");
        config["url"] = "/api/v2/generate?wait=true";
        config["body"] = "{\"input\": {\"text\": \"{{prompt}}\", \"seed\": {{seed}}, \"size\": [{{width}}, "
                         "{{height}}], \"count\": {{images}}}}";
        auto adapter = adapterFor(config);
        HarnessOptions options;
        options.requests = 2;
        const std::string tricky = "a \"quoted\" \\ back\nslash \xe2\x98\x95 {{seed}}";
        options.prompts = { tricky };
        const HarnessResult result = runAdapter(adapter, options);
        for (const auto& r : result.records)
            QVERIFY2(r.ok, r.errorMessage.c_str());
        for (const auto& r : result.records) {
            QCOMPARE(r.queueMs.value_or(-1), 60.0);
            QCOMPARE(r.execMs.value_or(-1), 120.0);
            QCOMPARE(r.polls, 0);
        }
        QCOMPARE(platform.fake.lastInput()->at("text").get<std::string>(), tricky); // byte for byte
    }

    void failureModes_data()
    {
        QTest::addColumn<int>("failure");
        QTest::addColumn<int>("expected");
        QTest::addColumn<QString>("messagePart");
        using F = CustomAsyncFake::Failure;
        QTest::newRow("429 with Retry-After is waited out") << int(F::RateLimited) << int(ErrorClass::None) << "";
        QTest::newRow("503 is a server error")
            << int(F::ServerError) << int(ErrorClass::ServerError) << "upstream unavailable";
        QTest::newRow("a malformed status answer is a server error")
            << int(F::MalformedJson) << int(ErrorClass::ServerError) << "malformed JSON (poll)";
        QTest::newRow("a failed task that ran out of memory is oom")
            << int(F::JobFailed) << int(ErrorClass::OutOfMemory) << "CUDA out of memory";
        QTest::newRow("a wrong-sized image is an invalid image")
            << int(F::WrongSize) << int(ErrorClass::InvalidImage) << "";
        QTest::newRow("a slow download times out") << int(F::SlowDownload) << int(ErrorClass::Timeout) << "";
        QTest::newRow("an expired task is a client error")
            << int(F::Expired) << int(ErrorClass::ClientError) << "unknown or expired";
    }
    void failureModes()
    {
        QFETCH(int, failure);
        QFETCH(int, expected);
        QFETCH(QString, messagePart);
        const bool download = CustomAsyncFake::Failure(failure) == CustomAsyncFake::Failure::SlowDownload;
        CustomAsyncFake::Options o;
        o.hrefs = download;
        Platform platform(o);
        platform.fake.failNext(CustomAsyncFake::Failure(failure));
        auto adapter = adapterFor(asyncConfig(platform.server.baseUrl(), download));
        HarnessOptions options;
        options.requests = 1;
        options.timeoutMs = download ? 1500 : 20000; // the blob is held for 5 s
        const t2i::RequestRecord r = runAdapter(adapter, options).records.front();
        QCOMPARE(int(r.errorClass), expected);
        QCOMPARE(r.ok, expected == int(ErrorClass::None));
        QVERIFY2(r.errorMessage.find(messagePart.toStdString()) != std::string::npos, r.errorMessage.c_str());
        if (CustomAsyncFake::Failure(failure) == CustomAsyncFake::Failure::RateLimited) {
            QCOMPARE(r.throttled, 1);
            std::vector<double> submits;
            for (const FakeRequest& q : platform.server.requests())
                if (q.method == "POST" && q.path == "/api/v2/generate")
                    submits.push_back(q.atMs);
            QCOMPARE(submits.size(), std::size_t(2));
            QVERIFY(submits[1] - submits[0] >= 950); // Retry-After: 1, not the engine's 50 ms backoff
        }
    }

    void cancelledRunLeavesNothingRunning()
    {
        CustomAsyncFake::Options o;
        o.runMs = 30000;
        Platform platform(o);
        auto adapter = adapterFor(asyncConfig(platform.server.baseUrl()));
        HarnessOptions options;
        options.requests = 3;
        options.concurrency = 3;
        options.cancelWhen = [](const t2i::EngineProgress& p) { return p.inFlight == 3 && p.elapsedMs > 150; };
        const HarnessResult result = runAdapter(adapter, options);
        QCOMPARE(int(result.result.outcome), int(t2i::EngineOutcome::Cancelled));
        QCOMPARE(platform.fake.runningTasks(), 0);
        QCOMPARE(platform.fake.cancelledTasks(), 3);
    }

    void aWrongKeyIsAClientErrorThatDoesNotEchoTheKey()
    {
        Platform platform;
        auto adapter = adapterFor(asyncConfig(platform.server.baseUrl()), "custom-wrong-secret");
        const t2i::RequestRecord r = runAdapter(adapter, requestsOnly(1)).records.front();
        QCOMPARE(int(r.errorClass), int(ErrorClass::ClientError));
        QVERIFY2(r.errorMessage.find("X-Api-Key") != std::string::npos, r.errorMessage.c_str());
        QVERIFY(r.errorMessage.find("custom-wrong-secret") == std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestHttpFake)
#include "tst_httpfake.moc"
