// SPDX-License-Identifier: Apache-2.0
// The Together adapter through the real engine (libcurl over loopback) against the Together fake:
// what the records say must be what the fake did.
#include "adapterharness.h"
#include "fakeserver.h"
#include "together/togetheradapter.h"
#include "togetherfake.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2itest;
using nlohmann::json;
using t2i::ErrorClass;

namespace {

struct Platform {
    explicit Platform(TogetherFake::Options options = {})
        : fake(options)
        , server([this](const FakeRequest& r) { return fake.handle(r); })
    {
    }
    t2i::TogetherOptions adapterOptions(const std::string& key = TogetherFake::Options {}.apiKey) const
    {
        t2i::TogetherOptions o;
        o.baseUrl = server.baseUrl() + "/v1";
        o.apiKey = key;
        o.model = "black-forest-labs/FLUX.1-schnell";
        return o;
    }
    std::vector<FakeRequest> posts() const
    {
        std::vector<FakeRequest> out;
        for (const FakeRequest& r : server.requests())
            if (r.method == "POST")
                out.push_back(r);
        return out;
    }
    TogetherFake fake;
    FakeServer server;
};

HarnessOptions requestsOnly(int requests)
{
    HarnessOptions options;
    options.requests = requests;
    return options;
}

} // namespace

class TestTogetherFake : public QObject {
    Q_OBJECT
private slots:
    void base64RunLeavesPlatformTimingsUnknown()
    {
        Platform platform;
        t2i::TogetherAdapter adapter(platform.adapterOptions());
        const HarnessResult result = runAdapter(adapter, {});
        QCOMPARE(int(result.result.outcome), int(t2i::EngineOutcome::Completed));
        QCOMPARE(result.okCount(), 4);
        QCOMPARE(platform.fake.generations(), 4);
        for (const auto& r : result.records) {
            QVERIFY2(r.ok, r.errorMessage.c_str());
            QCOMPARE(r.width, 512);
            QCOMPARE(r.height, 512);
            QVERIFY(r.jobId.starts_with("tg-"));
            // Together reports neither: unknown, never 0. Inline images: no download.
            QVERIFY(!r.queueMs.has_value());
            QVERIFY(!r.execMs.has_value());
            QVERIFY(!r.downloadMs.has_value());
        }
        const json body = json::parse(platform.fake.lastBody());
        QCOMPARE(body["steps"].get<int>(), 4);
        QCOMPARE(body["response_format"].get<std::string>(), std::string("base64"));
    }

    void reportedTimingIsRecordedExactly()
    {
        TogetherFake::Options options;
        options.execMs = 37;
        options.reportTimings = true;
        Platform platform(options);
        t2i::TogetherOptions o = platform.adapterOptions();
        o.execSecondsPointer = "/timings/inference";
        t2i::TogetherAdapter adapter(o);
        const HarnessResult result = runAdapter(adapter, requestsOnly(2));
        QCOMPARE(result.okCount(), 2);
        for (const auto& r : result.records)
            QCOMPARE(r.execMs.value_or(-1), 37.0);
    }

    void urlImagesAreDownloadedAndTimedApart()
    {
        Platform platform;
        t2i::TogetherOptions o = platform.adapterOptions();
        o.responseFormat = "url";
        t2i::TogetherAdapter adapter(o);
        HarnessOptions options;
        options.requests = 2;
        options.variant.images = 2;
        const HarnessResult result = runAdapter(adapter, options);
        QCOMPARE(result.okCount(), 2);
        for (const auto& r : result.records) {
            QVERIFY(r.downloadMs.has_value());
            QCOMPARE(r.images, 2);
        }
        int downloads = 0;
        for (const FakeRequest& r : platform.server.requests())
            downloads += r.method == "GET" && r.path.starts_with("/files/") ? 1 : 0;
        QCOMPARE(downloads, 4);
    }

    void failureModes_data()
    {
        QTest::addColumn<int>("failure");
        QTest::addColumn<int>("expected"); // ErrorClass::None: the request still succeeds
        QTest::addColumn<QString>("messagePart");
        using F = TogetherFake::Failure;
        QTest::newRow("429 with retry-after is waited out") << int(F::RateLimited) << int(ErrorClass::None) << "";
        QTest::newRow("500 is a server error")
            << int(F::ServerError) << int(ErrorClass::ServerError) << "Internal server error";
        QTest::newRow("malformed JSON is a server error")
            << int(F::MalformedJson) << int(ErrorClass::ServerError) << "malformed JSON";
        QTest::newRow("content policy is content filtered")
            << int(F::ContentFiltered) << int(ErrorClass::ContentFiltered) << "content_policy_violation";
        QTest::newRow("a wrong-sized image is an invalid image")
            << int(F::WrongSize) << int(ErrorClass::InvalidImage) << "";
        QTest::newRow("a slow download times out") << int(F::SlowDownload) << int(ErrorClass::Timeout) << "";
    }
    void failureModes()
    {
        QFETCH(int, failure);
        QFETCH(int, expected);
        QFETCH(QString, messagePart);
        Platform platform;
        platform.fake.failNext(TogetherFake::Failure(failure));
        t2i::TogetherOptions o = platform.adapterOptions();
        const bool download = TogetherFake::Failure(failure) == TogetherFake::Failure::SlowDownload;
        if (download)
            o.responseFormat = "url";
        t2i::TogetherAdapter adapter(o);
        HarnessOptions options;
        options.requests = 1;
        options.timeoutMs = download ? 1500 : 20000; // the fake holds the file for 5 s
        const HarnessResult result = runAdapter(adapter, options);
        QCOMPARE(result.records.size(), std::size_t(1));
        const t2i::RequestRecord& r = result.records.front();
        QCOMPARE(int(r.errorClass), expected);
        QCOMPARE(r.ok, expected == int(ErrorClass::None));
        QVERIFY2(r.errorMessage.find(messagePart.toStdString()) != std::string::npos, r.errorMessage.c_str());
        if (TogetherFake::Failure(failure) == TogetherFake::Failure::RateLimited) {
            QCOMPARE(r.throttled, 1);
            const auto posts = platform.posts();
            QCOMPARE(posts.size(), std::size_t(2));
            // retry-after: 1 (s) honoured, not the engine's own 50 ms backoff.
            QVERIFY2(posts[1].atMs - posts[0].atMs >= 950, std::to_string(posts[1].atMs - posts[0].atMs).c_str());
        }
    }

    void aWrongKeyIsAClientErrorThatDoesNotEchoTheKey()
    {
        Platform platform;
        t2i::TogetherAdapter adapter(platform.adapterOptions("tg-wrong-secret"));
        const HarnessResult result = runAdapter(adapter, requestsOnly(1));
        const t2i::RequestRecord& r = result.records.front();
        QCOMPARE(int(r.errorClass), int(ErrorClass::ClientError));
        QVERIFY2(r.errorMessage.find("invalid_api_key") != std::string::npos, r.errorMessage.c_str());
        QVERIFY(r.errorMessage.find("tg-wrong-secret") == std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestTogetherFake)
#include "tst_togetherfake.moc"
