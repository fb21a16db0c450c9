// SPDX-License-Identifier: Apache-2.0
// The OpenAI front in-process on a free port, driven over real HTTP. Waits are event-loop waits
// (QSignalSpy, QTRY_*), never sleeps, and no assertion is about how long something took.
#include "emulatortestclient.h"
#include "openaifront.h"
#include "platformdriver.h"

#include <QTest>
#include <QUrl>

using namespace t2i;
using namespace t2i::test;
using nlohmann::json;

namespace {

// A small, fast, noiseless platform: cold start 300 ms, 150 ms per job, at most 2 workers.
PlatformProfile quick()
{
    PlatformProfile p;
    p.name = "quick";
    p.maxWorkers = 2;
    p.idleTimeoutMs = 1000;
    p.coldBoot = { 200, 0 };
    p.coldLoad = { 100, 0 };
    p.scaleOn = ScaleOn::RequestCount;
    p.baseMs = 150;
    p.msPerMegapixelStep = 0;
    return p;
}

struct Harness {
    explicit Harness(PlatformProfile profile, OpenAIFront::Options options = {})
        : driver(std::move(profile), 42)
        , front(driver, std::move(options))
        , port(front.listen(0))
    {
        QObject::connect(
            &driver, &PlatformDriver::jobFinished, &driver, [this](const JobTruth& truth) { truths.push_back(truth); });
    }
    const JobTruth* truth(const std::string& id) const
    {
        for (const JobTruth& t : truths) {
            if (t.jobId == id)
                return &t;
        }
        return nullptr;
    }
    PlatformDriver driver;
    OpenAIFront front;
    quint16 port;
    std::vector<JobTruth> truths;
};

QByteArray generation(const std::string& size, int n, const std::string& format = {})
{
    json body = { { "model", "gpt-image-1" }, { "prompt", "a red fox in the snow" }, { "n", n }, { "size", size } };
    if (!format.empty())
        body["response_format"] = format;
    return QByteArray::fromStdString(body.dump());
}

const QString kPath = QStringLiteral("/v1/images/generations");

} // namespace

class TestOpenAIFront : public QObject {
    Q_OBJECT
private slots:
    void b64AnswerCarriesTheTruth();
    void urlAnswerServesFilesUntilRetention();
    void authorization_data();
    void authorization();
    void badRequestsAre400_data();
    void badRequestsAre400();
    void rateLimitAnswers429WithBothHeaders();
    void outOfMemoryIs500();
};

void TestOpenAIFront::b64AnswerCarriesTheTruth()
{
    Harness h(quick());
    QVERIFY(h.port != 0);
    TestClient client(h.port);
    const HttpResult r = client.post(kPath, generation("64x48", 2));
    QCOMPARE(r.status, 200);
    QCOMPARE(h.front.heldRequests(), 0);
    const std::string id = r.header("x-request-id").toStdString();
    QVERIFY(id.starts_with("req_"));
    const JobTruth* truth = h.truth(id);
    QVERIFY(truth);
    QCOMPARE(truth->spec.front, std::string("openai"));
    QVERIFY(truth->cold); // the first job of a platform scaled to zero
    // The server's whole time: queue and cold start included.
    QCOMPARE(r.header("openai-processing-ms").toLongLong(), qint64(truth->finishMs - truth->arrivalMs));
    QVERIFY(r.json.at("created").is_number_integer());
    QCOMPARE(int(r.json.at("data").size()), 2);
    for (const json& item : r.json.at("data")) {
        const QByteArray png
            = QByteArray::fromBase64(QByteArray::fromStdString(item.at("b64_json").get<std::string>()));
        QCOMPARE(checkPng(png), qMakePair(64, 48));
    }
    QVERIFY(r.json.at("usage").at("output_tokens").get<int>() >= 2);
    QCOMPARE(r.json.at("usage").at("total_tokens").get<int>(),
        r.json.at("usage").at("input_tokens").get<int>() + r.json.at("usage").at("output_tokens").get<int>());
}

void TestOpenAIFront::urlAnswerServesFilesUntilRetention()
{
    PlatformProfile p = quick();
    p.retentionRunS = 0.5;
    Harness h(p);
    TestClient client(h.port);
    const HttpResult r = client.post(kPath, generation("96x64", 2, "url"));
    QCOMPARE(r.status, 200);
    QCOMPARE(int(r.json.at("data").size()), 2);
    QStringList paths;
    for (const json& item : r.json.at("data")) {
        const QUrl url(QString::fromStdString(item.at("url").get<std::string>()));
        QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(url.port(), int(h.port));
        QVERIFY(url.path().startsWith("/files/"));
        paths << url.path();
    }
    TestClient anonymous(h.port, {}); // like OpenAI's signed URLs: no key needed
    const HttpResult file = anonymous.get(paths.front());
    QCOMPARE(file.status, 200);
    QCOMPARE(file.header("Content-Type"), QByteArray("image/png"));
    QCOMPARE(checkPng(file.body), qMakePair(96, 64));
    QVERIFY(file.body != anonymous.get(paths.back()).body); // each image is its own file
    QCOMPARE(anonymous.get(paths.front().replace(".png", "9.png")).status, 404);
    QTRY_COMPARE_WITH_TIMEOUT(anonymous.get(paths.back()).status, 404, 20000);
}

void TestOpenAIFront::authorization_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::newRow("no header") << QByteArray() << 401;
    QTest::newRow("bare key, no Bearer") << QByteArray("right") << 401;
    QTest::newRow("wrong key") << QByteArray("Bearer wrong") << 401;
    QTest::newRow("right key") << QByteArray("Bearer right") << 200;
}

void TestOpenAIFront::authorization()
{
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    Harness h(quick(), { "right" });
    TestClient client(h.port, authorization);
    const HttpResult r = client.post(kPath, generation("32x32", 1));
    QCOMPARE(r.status, status);
    if (status == 401) {
        QCOMPARE(r.json.at("error").at("type").get<std::string>(), std::string("invalid_request_error"));
        QVERIFY(!r.json.at("error").at("message").get<std::string>().empty());
        QCOMPARE(h.driver.health().inQueue + h.driver.health().inProgress, int64_t(0));
    }
}

void TestOpenAIFront::badRequestsAre400_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param"); // "": null
    QTest::newRow("not JSON") << QByteArray("{nope") << "";
    QTest::newRow("a JSON array") << QByteArray("[1]") << "";
    QTest::newRow("missing prompt") << QByteArray("{\"size\": \"64x64\"}") << "prompt";
    QTest::newRow("size without height") << generation("64x", 1) << "size";
    QTest::newRow("size out of range") << generation("100000x64", 1) << "size";
    QTest::newRow("n zero") << generation("64x64", 0) << "n";
    QTest::newRow("n eleven") << generation("64x64", 11) << "n";
    QTest::newRow("unknown response_format") << generation("64x64", 1, "png") << "response_format";
}

void TestOpenAIFront::badRequestsAre400()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    Harness h(quick());
    TestClient client(h.port);
    const HttpResult r = client.post(kPath, body);
    QCOMPARE(r.status, 400);
    const json& error = r.json.at("error");
    QCOMPARE(error.at("type").get<std::string>(), std::string("invalid_request_error"));
    QCOMPARE(QString::fromStdString(error.at("param").is_null() ? "" : error.at("param").get<std::string>()), param);
    QVERIFY(error.contains("code"));
    QCOMPARE(h.front.heldRequests(), 0);
    QCOMPARE(h.driver.health().inQueue, int64_t(0));
}

void TestOpenAIFront::rateLimitAnswers429WithBothHeaders()
{
    PlatformProfile p = quick();
    p.rateLimits["runsync"] = { 1, 0 };
    p.retryAfterS = 1.5;
    Harness h(p);
    TestClient client(h.port);
    QCOMPARE(client.post(kPath, generation("32x32", 1)).status, 200);
    const HttpResult limited = client.post(kPath, generation("32x32", 1));
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.json.at("error").at("code").get<std::string>(), std::string("rate_limit_exceeded"));
    QCOMPARE(limited.header("retry-after"), QByteArray("2")); // whole seconds, rounded up
    QCOMPARE(limited.header("retry-after-ms"), QByteArray("1500"));
}

void TestOpenAIFront::outOfMemoryIs500()
{
    PlatformProfile p = quick();
    p.gpuMemoryGb = 24;
    p.memoryBaseGb = 8;
    p.memoryGbPerMegapixel = 4;
    Harness h(p);
    TestClient client(h.port);
    const HttpResult r = client.post(kPath, generation("2048x2048", 1));
    QCOMPARE(r.status, 500);
    QCOMPARE(r.json.at("error").at("type").get<std::string>(), std::string("server_error"));
    QVERIFY(QString::fromStdString(r.json.at("error").at("message").get<std::string>()).contains("CUDA out of memory"));
    const JobTruth* truth = h.truth(r.header("x-request-id").toStdString());
    QVERIFY(truth);
    QVERIFY(truth->status == JobStatus::Failed);
    QCOMPARE(h.front.heldRequests(), 0);
}

QTEST_GUILESS_MAIN(TestOpenAIFront)
#include "tst_openaifront.moc"
