// SPDX-License-Identifier: Apache-2.0
// The Replicate front in-process on a free port, driven over real HTTP. Waits are event-loop waits
// (QSignalSpy, QTRY_*), never sleeps, and no assertion is about how long something took.
#include "emulatortestclient.h"
#include "platformdriver.h"
#include "replicatefront.h"
#include "replicatejson.h"

#include <QDateTime>
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
    explicit Harness(PlatformProfile profile, ReplicateFront::Options options = {})
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
    ReplicateFront front;
    quint16 port;
    std::vector<JobTruth> truths;
};

QByteArray input(int width, int height, int outputs)
{
    return QByteArray::fromStdString(json {
        { "input",
            { { "prompt", "a red fox" }, { "width", width }, { "height", height }, { "num_outputs", outputs } } } }
                                         .dump());
}

const QString kModel = QStringLiteral("/v1/models/acme/sdxl/predictions");

// ISO timestamp -> ms since the epoch (the front writes milliseconds).
qint64 ms(const json& iso)
{
    return QDateTime::fromString(QString::fromStdString(iso.get<std::string>()), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

// Polls until the prediction is terminal.
json settle(TestClient& client, const std::string& id)
{
    json body;
    for (int i = 0; i < 400; ++i) {
        body = client.get(QString::fromStdString("/v1/predictions/" + id)).json;
        const std::string status = body.value("status", "");
        if (status != "starting" && status != "processing")
            return body;
        QTest::qWait(25);
    }
    return body;
}

} // namespace

class TestReplicateFront : public QObject {
    Q_OBJECT
private slots:
    void createPollAndDownloadCarryTheTruth();
    void otherCreateRoutes();
    void preferWaitFinal();
    void preferWaitNotFinal();
    void cancelAndCancelAfter();
    void authorization_data();
    void authorization();
    void unknownIdAndBadInput();
    void rateLimitAnswers429WithDetail();
    void outputsAreRemovedAfterRetention();
    void headerParsers();
};

void TestReplicateFront::createPollAndDownloadCarryTheTruth()
{
    Harness h(quick());
    QVERIFY(h.port != 0);
    TestClient client(h.port);
    const HttpResult created = client.post(kModel, input(96, 64, 2));
    QCOMPARE(created.status, 201);
    const json& c = created.json;
    QCOMPARE(c.at("status").get<std::string>(), std::string("starting"));
    QCOMPARE(c.at("model").get<std::string>(), std::string("acme/sdxl"));
    QVERIFY(c.at("started_at").is_null() && c.at("output").is_null() && c.at("error").is_null());
    QVERIFY(c.at("metrics").empty());
    const std::string id = c.at("id").get<std::string>();
    QCOMPARE(created.header("Location"), QByteArray::fromStdString(c.at("urls").at("get").get<std::string>()));
    QCOMPARE(QUrl(QString::fromStdString(c.at("urls").at("get").get<std::string>())).path(),
        QString::fromStdString("/v1/predictions/" + id));

    const json done = settle(client, id);
    QCOMPARE(done.at("status").get<std::string>(), std::string("succeeded"));
    const JobTruth* truth = h.truth(id);
    QVERIFY(truth);
    QCOMPARE(truth->spec.front, std::string("replicate"));
    QCOMPARE(ms(done.at("started_at")) - ms(done.at("created_at")), qint64(truth->queueMs));
    QCOMPARE(ms(done.at("completed_at")) - ms(done.at("started_at")), qint64(truth->execMs));
    QCOMPARE(std::llround(done.at("metrics").at("predict_time").get<double>() * 1000),
        static_cast<long long>(truth->execMs));
    QCOMPARE(int(done.at("output").size()), 2);
    TestClient anonymous(h.port, {}); // like replicate.delivery: no key needed
    const HttpResult file = anonymous.get(QUrl(QString::fromStdString(done.at("output")[0].get<std::string>())).path());
    QCOMPARE(file.status, 200);
    QCOMPARE(file.header("Content-Type"), QByteArray("image/png"));
    QCOMPARE(checkPng(file.body), qMakePair(96, 64));
    QVERIFY(
        file.body != anonymous.get(QUrl(QString::fromStdString(done.at("output")[1].get<std::string>())).path()).body);
}

void TestReplicateFront::otherCreateRoutes()
{
    Harness h(quick());
    TestClient client(h.port);
    const HttpResult deployment = client.post("/v1/deployments/acme/prod/predictions", input(32, 32, 1));
    QCOMPARE(deployment.status, 201);
    QCOMPARE(deployment.json.at("deployment").get<std::string>(), std::string("acme/prod"));
    json body = json::parse(input(32, 32, 1).toStdString());
    body["version"] = "acme/sdxl:5c7d5dc6";
    const HttpResult version = client.post("/v1/predictions", QByteArray::fromStdString(body.dump()));
    QCOMPARE(version.status, 201);
    QCOMPARE(version.json.at("version").get<std::string>(), std::string("5c7d5dc6"));
    QCOMPARE(version.json.at("model").get<std::string>(), std::string("acme/sdxl"));
    QCOMPARE(client.post("/v1/predictions", input(32, 32, 1)).status, 422); // no version
}

void TestReplicateFront::preferWaitFinal()
{
    Harness h(quick());
    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(h.port).arg(kModel)));
    request.setRawHeader("Authorization", "Bearer k");
    request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("Prefer", "wait=10");
    QNetworkReply* reply = manager.post(request, input(32, 32, 1));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 15000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
    const json body = json::parse(reply->readAll().toStdString());
    QCOMPARE(body.at("status").get<std::string>(), std::string("succeeded"));
    QCOMPARE(int(body.at("output").size()), 1);
    QCOMPARE(h.front.heldRequests(), 0);
    reply->deleteLater();
}

void TestReplicateFront::preferWaitNotFinal()
{
    PlatformProfile p = quick();
    p.coldBoot = { 5000, 0 }; // longer than the wait
    Harness h(p);
    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(h.port).arg(kModel)));
    request.setRawHeader("Authorization", "Bearer k");
    request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("Prefer", "wait=1");
    QNetworkReply* reply = manager.post(request, input(32, 32, 1));
    QTRY_VERIFY(h.front.heldRequests() == 1);
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
    const json body = json::parse(reply->readAll().toStdString());
    QCOMPARE(body.at("status").get<std::string>(), std::string("starting")); // its worker still boots
    QCOMPARE(h.front.heldRequests(), 0);
    reply->deleteLater();
}

void TestReplicateFront::cancelAndCancelAfter()
{
    PlatformProfile p = quick();
    p.coldBoot = { 3000, 0 };
    Harness h(p);
    TestClient client(h.port);
    const std::string id = client.post(kModel, input(32, 32, 1)).json.at("id").get<std::string>();
    const HttpResult canceled = client.post(QString::fromStdString("/v1/predictions/" + id + "/cancel"), {});
    QCOMPARE(canceled.status, 200);
    QCOMPARE(canceled.json.at("status").get<std::string>(), std::string("canceled"));
    QVERIFY(h.truth(id) && h.truth(id)->status == JobStatus::Cancelled);

    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(h.port).arg(kModel)));
    request.setRawHeader("Authorization", "Bearer k");
    request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("Cancel-After", "300ms");
    QNetworkReply* reply = manager.post(request, input(32, 32, 1));
    QTRY_VERIFY(reply->isFinished());
    const json created = json::parse(reply->readAll().toStdString());
    QVERIFY(!created.at("deadline").is_null());
    const std::string late = created.at("id").get<std::string>();
    QTRY_VERIFY_WITH_TIMEOUT(h.truth(late), 5000);
    const json aborted = client.get(QString::fromStdString("/v1/predictions/" + late)).json;
    QCOMPARE(aborted.at("status").get<std::string>(), std::string("aborted"));
    QVERIFY(aborted.at("started_at").is_null());
    reply->deleteLater();
}

void TestReplicateFront::authorization_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::newRow("no header") << QByteArray() << 401;
    QTest::newRow("bare key") << QByteArray("right") << 401;
    QTest::newRow("wrong key") << QByteArray("Bearer wrong") << 401;
    QTest::newRow("right key") << QByteArray("Bearer right") << 201;
    QTest::newRow("older Token scheme") << QByteArray("Token right") << 201;
}

void TestReplicateFront::authorization()
{
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    Harness h(quick(), { "right" });
    TestClient client(h.port, authorization);
    const HttpResult r = client.post(kModel, input(32, 32, 1));
    QCOMPARE(r.status, status);
    if (status == 401) {
        QCOMPARE(r.json.at("title").get<std::string>(), std::string("Unauthenticated"));
        QCOMPARE(r.json.at("status").get<int>(), 401);
        QVERIFY(!r.json.at("detail").get<std::string>().empty());
        QCOMPARE(h.driver.health().inQueue + h.driver.health().inProgress, int64_t(0));
    }
}

void TestReplicateFront::unknownIdAndBadInput()
{
    Harness h(quick());
    TestClient client(h.port);
    const HttpResult missing = client.get("/v1/predictions/nope");
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.json.at("status").get<int>(), 404);
    QCOMPARE(client.post("/v1/predictions/nope/cancel", {}).status, 404);
    const HttpResult bad = client.post(kModel, input(100000, 64, 1));
    QCOMPARE(bad.status, 422);
    QVERIFY(QString::fromStdString(bad.json.at("detail").get<std::string>()).contains("input.width"));
    QCOMPARE(client.post(kModel, "{nope").status, 422);
    QCOMPARE(h.driver.health().inQueue, int64_t(0));
}

void TestReplicateFront::rateLimitAnswers429WithDetail()
{
    PlatformProfile p = quick();
    p.rateLimits["run"] = { 1, 0 };
    p.retryAfterS = 1.5;
    Harness h(p);
    TestClient client(h.port);
    QCOMPARE(client.post(kModel, input(32, 32, 1)).status, 201);
    const HttpResult limited = client.post(kModel, input(32, 32, 1));
    QCOMPARE(limited.status, 429);
    QVERIFY(QString::fromStdString(limited.json.at("detail").get<std::string>()).contains("throttled"));
    QCOMPARE(limited.header("Retry-After"), QByteArray("2")); // whole seconds, rounded up
}

void TestReplicateFront::outputsAreRemovedAfterRetention()
{
    PlatformProfile p = quick();
    p.retentionRunS = 0.5;
    Harness h(p);
    TestClient client(h.port);
    const std::string id = client.post(kModel, input(32, 32, 1)).json.at("id").get<std::string>();
    const json done = settle(client, id);
    QCOMPARE(done.at("status").get<std::string>(), std::string("succeeded"));
    const QString path = QUrl(QString::fromStdString(done.at("output")[0].get<std::string>())).path();
    QTRY_COMPARE_WITH_TIMEOUT(client.get(path).status, 404, 5000);
    const json removed = client.get(QString::fromStdString("/v1/predictions/" + id)).json;
    QVERIFY(removed.at("data_removed").get<bool>());
    QVERIFY(removed.at("output").is_null());
    QCOMPARE(removed.at("status").get<std::string>(), std::string("succeeded"));
}

void TestReplicateFront::headerParsers()
{
    QCOMPARE(replicate::preferWaitS("wait").value_or(-1), 60);
    QCOMPARE(replicate::preferWaitS("wait=5").value_or(-1), 5);
    QVERIFY(
        !replicate::preferWaitS("wait=0") && !replicate::preferWaitS("wait=61") && !replicate::preferWaitS("wait=05"));
    QCOMPARE(replicate::durationMs("1h30m").value_or(-1), int64_t(5400000));
    QCOMPARE(replicate::durationMs("1.5s").value_or(-1), int64_t(1500));
    QCOMPARE(replicate::durationMs("250ms").value_or(-1), int64_t(250));
    QCOMPARE(replicate::durationMs("30").value_or(-1), int64_t(30000));
    QVERIFY(!replicate::durationMs("soon") && !replicate::durationMs("") && !replicate::durationMs("5x"));
    QCOMPARE(replicate::isoMs(1777629600123), std::string("2026-05-01T10:00:00.123Z"));
}

QTEST_GUILESS_MAIN(TestReplicateFront)
#include "tst_replicatefront.moc"
