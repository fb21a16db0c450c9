// SPDX-License-Identifier: Apache-2.0
// The fal front in-process on a free port, driven over real HTTP. Waits are event-loop waits
// (QSignalSpy, QTest::qWait between polls), never sleeps, and no assertion is about how long something took.
#include "emulatortestclient.h"
#include "falfront.h"
#include "faljson.h"
#include "platformdriver.h"

#include <QNetworkReply>
#include <QSignalSpy>
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
    explicit Harness(PlatformProfile profile, FalFront::Options options = {})
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
    FalFront front;
    quint16 port;
    std::vector<JobTruth> truths;
};

QByteArray input(int width, int height, int images)
{
    return QByteArray::fromStdString(json { { "prompt", "a red fox" },
        { "image_size", { { "width", width }, { "height", height } } },
        { "num_images", images } }.dump());
}

QString pathOf(const json& url)
{
    return QUrl(QString::fromStdString(url.get<std::string>())).path();
}

// Polls the status URL until COMPLETED; returns the last answer.
HttpResult settle(TestClient& client, const QString& statusPath)
{
    HttpResult status;
    for (int i = 0; i < 400; ++i) {
        status = client.get(statusPath);
        if (status.json.value("status", "") == "COMPLETED")
            return status;
        QTest::qWait(25);
    }
    return status;
}

HttpResult put(quint16 port, const QString& path)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
    request.setRawHeader("Authorization", "Key test-key");
    std::unique_ptr<QNetworkReply> reply(manager.put(request, QByteArray()));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(30000);
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.json = json::parse(result.body.toStdString(), nullptr, false);
    return result;
}

} // namespace

class TestFalFront : public QObject {
    Q_OBJECT
private slots:
    void queueFlowCarriesTheTruth();
    void syncRouteAnswersTheResult();
    void cancel();
    void authorizationAndValidation();
    void routes();
};

void TestFalFront::queueFlowCarriesTheTruth()
{
    Harness h(quick());
    QVERIFY(h.port != 0);
    TestClient client(h.port, "Key test-key");
    const HttpResult submitted = client.post("/fal-ai/flux/dev", input(96, 64, 2));
    QCOMPARE(submitted.status, 200);
    const json& s = submitted.json;
    const std::string id = s.at("request_id").get<std::string>();
    QCOMPARE(s.at("status").get<std::string>(), std::string("IN_QUEUE"));
    QCOMPARE(s.at("queue_position").get<int>(), 0);
    // Status, result and cancel on the app id only: the sub-path is dropped (docs/protocols.md §3.1).
    const QString root = QString::fromStdString("/fal-ai/flux/requests/" + id);
    QCOMPARE(pathOf(s.at("status_url")), root + "/status");
    QCOMPARE(pathOf(s.at("response_url")), root);
    QCOMPARE(pathOf(s.at("cancel_url")), root + "/cancel");

    const HttpResult early = client.get(root + "/status");
    QCOMPARE(early.status, 202);
    QCOMPARE(client.get(root).status, 400); // no result yet

    const HttpResult done = settle(client, root + "/status");
    QCOMPARE(done.status, 200);
    const JobTruth* t = h.truth(id);
    QVERIFY(t != nullptr);
    QCOMPARE(t->spec.front, std::string("fal"));
    // Exactly the truth: exec_ms / 1000 as a double.
    QCOMPARE(done.json.at("metrics").at("inference_time").get<double>(), double(t->execMs) / 1000.0);
    QVERIFY(!done.json.contains("error"));

    const HttpResult result = client.get(root);
    QCOMPARE(result.status, 200);
    const json& images = result.json.at("images");
    QCOMPARE(images.size(), std::size_t(2));
    QCOMPARE(result.json.at("timings").at("inference").get<double>(), double(t->execMs) / 1000.0);
    QCOMPARE(result.json.at("seed").get<int64_t>(), t->seed);
    for (const json& image : images) {
        QCOMPARE(image.at("width").get<int>(), 96);
        QCOMPARE(image.at("content_type").get<std::string>(), std::string("image/png"));
        TestClient anonymous(h.port, QByteArray()); // files need no key
        const HttpResult png = anonymous.get(pathOf(image.at("url")));
        QCOMPARE(png.status, 200);
        QCOMPARE(checkPng(png.body), qMakePair(96, 64));
    }
    QCOMPARE(client.get(QString::fromStdString("/files/" + id + "-2.png")).status, 404);
}

void TestFalFront::syncRouteAnswersTheResult()
{
    Harness h(quick());
    TestClient client(h.port, "Key test-key");
    const HttpResult result = client.post("/sync/fal-ai/fast-sdxl", input(64, 64, 1));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json.at("images").size(), std::size_t(1));
    QCOMPARE(h.truths.size(), std::size_t(1));
    QCOMPARE(result.json.at("timings").at("inference").get<double>(), double(h.truths[0].execMs) / 1000.0);
    QCOMPARE(h.front.heldRequests(), 0);
}

void TestFalFront::cancel()
{
    Harness h(quick());
    TestClient client(h.port, "Key test-key");
    const HttpResult submitted = client.post("/fal-ai/fast-sdxl", input(64, 64, 1));
    const std::string id = submitted.json.at("request_id").get<std::string>();
    const QString root = QString::fromStdString("/fal-ai/fast-sdxl/requests/" + id);
    const HttpResult cancelled = put(h.port, root + "/cancel");
    QCOMPARE(cancelled.status, 202);
    QCOMPARE(cancelled.json.at("status").get<std::string>(), std::string("CANCELLATION_REQUESTED"));
    const HttpResult status = client.get(root + "/status");
    QCOMPARE(status.status, 200);
    QCOMPARE(status.json.at("status").get<std::string>(), std::string("COMPLETED"));
    QCOMPARE(status.json.at("error_type").get<std::string>(), std::string("request_cancelled"));
    const HttpResult result = client.get(root);
    QCOMPARE(result.status, 400);
    QCOMPARE(result.header("X-Fal-Error-Type"), QByteArray("request_cancelled"));
    const HttpResult again = put(h.port, root + "/cancel");
    QCOMPARE(again.status, 400);
    QCOMPARE(again.json.at("status").get<std::string>(), std::string("ALREADY_COMPLETED"));
    QCOMPARE(put(h.port, "/fal-ai/fast-sdxl/requests/nope/cancel").status, 404);
}

void TestFalFront::authorizationAndValidation()
{
    Harness h(quick(), FalFront::Options { "secret" });
    QCOMPARE(TestClient(h.port, QByteArray()).post("/fal-ai/fast-sdxl", input(64, 64, 1)).status, 401);
    QCOMPARE(TestClient(h.port, "Bearer secret").post("/fal-ai/fast-sdxl", input(64, 64, 1)).status, 401);
    QCOMPARE(TestClient(h.port, "Key wrong").post("/fal-ai/fast-sdxl", input(64, 64, 1)).status, 401);
    TestClient client(h.port, "Key secret");
    const HttpResult invalid = client.post("/fal-ai/fast-sdxl", "{\"image_size\":\"square\"}");
    QCOMPARE(invalid.status, 422);
    QCOMPARE(invalid.json.at("detail").at(0).at("loc").at(1).get<std::string>(), std::string("prompt"));
    QCOMPARE(invalid.json.at("detail").at(0).at("type").get<std::string>(), std::string("value_error.missing"));
    QCOMPARE(client.post("/fal-ai/fast-sdxl", "{\"prompt\":\"x\",\"num_images\":9}").status, 422);
    QVERIFY(h.truths.empty());
    QCOMPARE(client.get("/fal-ai/fast-sdxl/requests/nope/status").status, 404);
}

void TestFalFront::routes()
{
    using Kind = fal::Route::Kind;
    fal::Route r = fal::route("POST", "/fal-ai/flux-pro/v1.1/ultra");
    QVERIFY(r.kind == Kind::Submit);
    QCOMPARE(r.appId, std::string("fal-ai/flux-pro"));
    QCOMPARE(r.model, std::string("fal-ai/flux-pro/v1.1/ultra"));
    r = fal::route("POST", "/sync/fal-ai/flux/dev");
    QVERIFY(r.kind == Kind::Sync);
    QCOMPARE(r.appId, std::string("fal-ai/flux"));
    r = fal::route("GET", "/fal-ai/flux/requests/abc/status");
    QVERIFY(r.kind == Kind::Status);
    QCOMPARE(r.id, std::string("abc"));
    QVERIFY(fal::route("GET", "/fal-ai/flux/requests/abc").kind == Kind::Result);
    QVERIFY(fal::route("PUT", "/fal-ai/flux/requests/abc/cancel").kind == Kind::Cancel);
    QVERIFY(fal::route("POST", "/fal-ai/flux/requests/abc/cancel").kind == Kind::None);
    QVERIFY(fal::route("POST", "/fal-ai").kind == Kind::None);
    QVERIFY(fal::route("GET", "/files/x-0.png").kind == Kind::File);
    // Named sizes (docs/protocols.md §3.1) and the default landscape_4_3.
    JobSpec spec;
    json detail;
    QVERIFY(fal::parseInput("{\"prompt\":\"x\",\"image_size\":\"portrait_16_9\"}", spec, detail));
    QCOMPARE(spec.width, 576);
    QCOMPARE(spec.height, 1024);
    QVERIFY(fal::parseInput("{\"prompt\":\"x\"}", spec, detail));
    QCOMPARE(spec.width, 1024);
    QCOMPARE(spec.height, 768);
}

QTEST_GUILESS_MAIN(TestFalFront)
#include "tst_falfront.moc"
