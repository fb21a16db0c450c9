// SPDX-License-Identifier: Apache-2.0
// The Stability adapter through the real engine against the Stability fake, and the fake's
// multipart parser refusing what a real server refuses.
#include "adapterharness.h"
#include "fakeserver.h"
#include "stability/stabilityadapter.h"
#include "stabilityfake.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2itest;
using nlohmann::json;
using t2i::ErrorClass;

namespace {

struct Platform {
    Platform()
        : server([this](const FakeRequest& r) { return fake.handle(r); })
    {
    }
    t2i::StabilityOptions adapterOptions(const std::string& key = StabilityFake::Options {}.apiKey) const
    {
        t2i::StabilityOptions o;
        o.baseUrl = server.baseUrl() + "/v2beta";
        o.apiKey = key;
        return o;
    }
    StabilityFake fake;
    FakeServer server;
};

HarnessOptions sized(int width, int height, int requests = 1)
{
    HarnessOptions options;
    options.requests = requests;
    options.variant.width = width;
    options.variant.height = height;
    return options;
}

std::string formValue(const std::vector<FormPart>& form, const std::string& name)
{
    for (const FormPart& part : form)
        if (part.name == name)
            return part.value;
    return {};
}

FakeRequest post(const std::string& contentType, std::string body)
{
    FakeRequest r;
    r.method = "POST";
    r.path = "/v2beta/stable-image/generate/core";
    r.headers = { { "authorization", "Bearer " + StabilityFake::Options {}.apiKey }, { "accept", "image/*" },
        { "content-type", contentType } };
    r.body = std::move(body);
    return r;
}

} // namespace

class TestStabilityFake : public QObject {
    Q_OBJECT
private slots:
    void imageBodiesRun()
    {
        Platform platform;
        t2i::StabilityAdapter adapter(platform.adapterOptions());
        const HarnessResult result = runAdapter(adapter, sized(1344, 768, 3));
        QCOMPARE(result.okCount(), 3);
        for (const auto& r : result.records) {
            QCOMPARE(r.width, 1344);
            QCOMPARE(r.height, 768);
            QVERIFY(r.jobId.starts_with("req-"));
            QCOMPARE(r.providerStatus, std::string("SUCCESS"));
            QVERIFY(!r.queueMs.has_value() && !r.execMs.has_value()); // Stability reports no timing
        }
        const auto form = platform.fake.lastForm();
        QCOMPARE(formValue(form, "aspect_ratio"), std::string("16:9"));
        QCOMPARE(formValue(form, "output_format"), std::string("png"));
        QVERIFY(!formValue(form, "prompt").empty());
    }

    void jsonAnswersRun()
    {
        Platform platform;
        t2i::StabilityOptions o = platform.adapterOptions();
        o.accept = "json";
        o.engine = "sd3";
        t2i::StabilityAdapter adapter(o);
        const HarnessResult result = runAdapter(adapter, sized(1024, 1024, 2));
        QCOMPARE(result.okCount(), 2);
        QCOMPARE(formValue(platform.fake.lastForm(), "cfg_scale"), std::string("3.5"));
    }

    void aSizeWithoutRatioNeverReachesThePlatform()
    {
        Platform platform;
        t2i::StabilityAdapter adapter(platform.adapterOptions());
        const HarnessResult result = runAdapter(adapter, sized(1024, 768));
        const t2i::RequestRecord& r = result.records.front();
        QCOMPARE(int(r.errorClass), int(ErrorClass::ClientError));
        QVERIFY2(
            r.errorMessage.find("1024x768 has no Stability aspect ratio") != std::string::npos, r.errorMessage.c_str());
        QVERIFY(platform.server.requests().empty());
    }

    void failureModes_data()
    {
        QTest::addColumn<int>("failure");
        QTest::addColumn<bool>("jsonAnswer");
        QTest::addColumn<int>("expected");
        QTest::addColumn<QString>("messagePart");
        using F = StabilityFake::Failure;
        QTest::newRow("429 is retried after a backoff") << int(F::RateLimited) << false << int(ErrorClass::None) << "";
        QTest::newRow("500 is a server error")
            << int(F::ServerError) << false << int(ErrorClass::ServerError) << "internal_error";
        QTest::newRow("malformed JSON is a server error")
            << int(F::MalformedJson) << true << int(ErrorClass::ServerError) << "malformed JSON";
        QTest::newRow("finish-reason CONTENT_FILTERED is content filtered")
            << int(F::ContentFiltered) << false << int(ErrorClass::ContentFiltered) << "CONTENT_FILTERED";
        QTest::newRow("finish_reason CONTENT_FILTERED in JSON is content filtered")
            << int(F::ContentFiltered) << true << int(ErrorClass::ContentFiltered) << "CONTENT_FILTERED";
        QTest::newRow("403 content_moderation is content filtered")
            << int(F::Moderated) << false << int(ErrorClass::ContentFiltered) << "content_moderation";
        QTest::newRow("a wrong-sized image is an invalid image")
            << int(F::WrongSize) << false << int(ErrorClass::InvalidImage) << "";
    }
    void failureModes()
    {
        QFETCH(int, failure);
        QFETCH(bool, jsonAnswer);
        QFETCH(int, expected);
        QFETCH(QString, messagePart);
        Platform platform;
        platform.fake.failNext(StabilityFake::Failure(failure));
        t2i::StabilityOptions o = platform.adapterOptions();
        o.accept = jsonAnswer ? "json" : "image";
        t2i::StabilityAdapter adapter(o);
        const HarnessResult result = runAdapter(adapter, sized(1024, 1024));
        const t2i::RequestRecord& r = result.records.front();
        QCOMPARE(int(r.errorClass), expected);
        QCOMPARE(r.ok, expected == int(ErrorClass::None));
        QVERIFY2(r.errorMessage.find(messagePart.toStdString()) != std::string::npos, r.errorMessage.c_str());
        if (StabilityFake::Failure(failure) == StabilityFake::Failure::RateLimited)
            QCOMPARE(r.throttled, 1);
    }

    void aWrongKeyIsAClientError()
    {
        Platform platform;
        t2i::StabilityAdapter adapter(platform.adapterOptions("sk-wrong-secret"));
        const t2i::RequestRecord r = runAdapter(adapter, sized(1024, 1024)).records.front();
        QCOMPARE(int(r.errorClass), int(ErrorClass::ClientError));
        QVERIFY2(r.errorMessage.find("unauthorized") != std::string::npos, r.errorMessage.c_str());
        QVERIFY(r.errorMessage.find("sk-wrong-secret") == std::string::npos);
    }

    void malformedFormsAreRefused_data()
    {
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("why");
        const QString ok = "--B\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nfox\r\n--B--\r\n";
        QTest::newRow("JSON instead of a form") << "application/json"
                                                << "{\"prompt\":\"fox\"}"
                                                << "must be multipart/form-data";
        QTest::newRow("no boundary parameter") << "multipart/form-data" << ok << "boundary";
        QTest::newRow("another boundary than announced")
            << "multipart/form-data; boundary=C" << ok << "does not start with the boundary";
        QTest::newRow("not closed") << "multipart/form-data; boundary=B"
                                    << "--B\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nfox\r\n"
                                    << "not closed";
        QTest::newRow("no Content-Disposition") << "multipart/form-data; boundary=B"
                                                << "--B\r\nX-Other: 1\r\n\r\nfox\r\n--B--\r\n"
                                                << "no Content-Disposition";
        QTest::newRow("a part without a name") << "multipart/form-data; boundary=B"
                                               << "--B\r\nContent-Disposition: form-data\r\n\r\nfox\r\n--B--\r\n"
                                               << "has no name";
        QTest::newRow("LF instead of CRLF") << "multipart/form-data; boundary=B"
                                            << "--B\nContent-Disposition: form-data; name=\"prompt\"\n\nfox\n--B--\n"
                                            << "does not start";
        QTest::newRow("bytes after the end") << "multipart/form-data; boundary=B" << ok + "trailing"
                                             << "after the closing";
    }
    void malformedFormsAreRefused()
    {
        QFETCH(QString, contentType);
        QFETCH(QString, body);
        QFETCH(QString, why);
        StabilityFake fake;
        const FakeResponse response = fake.handle(post(contentType.toStdString(), body.toStdString()));
        QCOMPARE(response.status, 400);
        const json answer = json::parse(response.body);
        QCOMPARE(answer["name"].get<std::string>(), std::string("bad_request"));
        QVERIFY2(
            answer["errors"][0].get<std::string>().find(why.toStdString()) != std::string::npos, response.body.c_str());
    }

    void aWellFormedFormIsAccepted()
    {
        StabilityFake fake;
        const FakeResponse response = fake.handle(post("multipart/form-data; boundary=\"B\"",
            "--B\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nfox\r\n--B--\r\n"));
        QCOMPARE(response.status, 200);
        QCOMPARE(fake.generations(), 1);
    }
};

QTEST_GUILESS_MAIN(TestStabilityFake)
#include "tst_stabilityfake.moc"
