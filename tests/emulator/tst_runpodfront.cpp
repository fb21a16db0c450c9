// SPDX-License-Identifier: Apache-2.0
// The RunPod front in-process on a free port, driven over real HTTP. Waits are event-loop waits
// (QSignalSpy, QTRY_*), never sleeps, and no assertion is about how long something took.
#include "emulatortestclient.h"
#include "platformdriver.h"
#include "runpodfront.h"

#include <QTest>

#include <sys/resource.h>

using namespace t2i;
using namespace t2i::test;

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

// Each job runs 60 s: long enough to be seen queued or running, cancelled, or timed out on.
PlatformProfile slow()
{
    PlatformProfile p = quick();
    p.maxWorkers = 1;
    p.baseMs = 60000;
    return p;
}

struct Harness {
    explicit Harness(PlatformProfile profile, RunPodFront::Options options = {})
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
    RunPodFront front;
    quint16 port;
    std::vector<JobTruth> truths;
};

QByteArray input(int width, int height, int images = 1)
{
    return QByteArray::fromStdString(nlohmann::json {
        { "input",
            { { "prompt", "a red fox" }, { "width", width }, { "height", height }, { "num_inference_steps", 4 },
                { "num_images", images },
                { "seed", 7 } } } }.dump());
}

QString jsonId(const HttpResult& r)
{
    return QString::fromStdString(r.json.value("id", ""));
}

} // namespace

class TestRunPodFront : public QObject {
    Q_OBJECT
private slots:
    void runThenStatusUntilCompleted_data();
    void runThenStatusUntilCompleted();
    void runsyncHoldsUntilCompleted();
    void runsyncReturnsNonFinalWhenWaitElapses();
    void statusSyncHoldsLikeRunsync();
    void cancelQueuedAndRunningJobs();
    void purgeQueueRemovesQueuedJobs();
    void healthCountersMoveWithThePlatform();
    void authorization_data();
    void authorization();
    void unknownEndpointAndJobAre404();
    void resultsExpireAfterRetention();
    void rateLimitAnswers429WithRetryAfter();
    void concurrentRunsyncLimit();
    void badBodiesAre400_data();
    void badBodiesAre400();
    void outOfMemoryIsAFailedJob();
    void twoThousandConcurrentRunsync_data();
    void twoThousandConcurrentRunsync();
};

void TestRunPodFront::runThenStatusUntilCompleted_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("images");
    QTest::newRow("64x48, one image") << 64 << 48 << 1;
    QTest::newRow("128x64, two images") << 128 << 64 << 2;
    QTest::newRow("1024x1024, one image") << 1024 << 1024 << 1;
}

void TestRunPodFront::runThenStatusUntilCompleted()
{
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, images);
    Harness h(quick());
    QVERIFY(h.port != 0);
    TestClient client(h.port);
    const HttpResult run = client.post("/v2/ep/run", input(width, height, images));
    QCOMPARE(run.status, 200);
    QCOMPARE(run.json.value("status", ""), std::string("IN_QUEUE"));
    const QString id = jsonId(run);
    QVERIFY(id.endsWith("-u1"));
    QVERIFY(!id.startsWith("sync-"));

    HttpResult status;
    QTRY_VERIFY_WITH_TIMEOUT(
        (status = client.get("/v2/ep/status/" + id)).json.value("status", "") == "COMPLETED", 20000);
    QCOMPARE(status.status, 200);
    const JobTruth* truth = h.truth(id.toStdString());
    QVERIFY(truth);
    // The protocol's numbers are the truth's numbers, exactly.
    QCOMPARE(status.json["delayTime"].get<int64_t>(), truth->queueMs);
    QCOMPARE(status.json["executionTime"].get<int64_t>(), truth->execMs);
    QCOMPARE(status.json["workerId"].get<std::string>(), truth->workerId);
    QVERIFY(truth->cold); // the first job on a fresh worker
    QCOMPARE(truth->coldStartMs, 300);
    const auto& output = status.json["output"];
    QCOMPARE(output["seed"].get<int64_t>(), 7);
    QCOMPARE(int(output["images"].size()), images);
    T2I_COMPARE_JSON(output["image_url"], output["images"][0]);
    QSet<QByteArray> distinct;
    for (const auto& image : output["images"]) {
        const QByteArray png = decodeDataUri(image.get<std::string>());
        QCOMPARE(checkPng(png), qMakePair(width, height));
        distinct.insert(png);
    }
    QCOMPARE(int(distinct.size()), images);
}

void TestRunPodFront::runsyncHoldsUntilCompleted()
{
    Harness h(quick());
    TestClient client(h.port);
    const HttpResult r = client.post("/v2/ep/runsync", input(64, 64));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value("status", ""), std::string("COMPLETED"));
    QVERIFY(jsonId(r).startsWith("sync-"));
    QCOMPARE(checkPng(decodeDataUri(r.json["output"]["image_url"].get<std::string>())), qMakePair(64, 64));
    QCOMPARE(r.json["delayTime"].get<int64_t>(), h.truth(jsonId(r).toStdString())->queueMs);
    QCOMPARE(h.front.heldRequests(), 0);
}

void TestRunPodFront::runsyncReturnsNonFinalWhenWaitElapses()
{
    Harness h(slow());
    TestClient client(h.port);
    const HttpResult r = client.post("/v2/ep/runsync?wait=1000", input(64, 64)); // 1000 is RunPod's minimum
    QCOMPARE(r.status, 200);
    const std::string status = r.json.value("status", "");
    QVERIFY2(status == "IN_QUEUE" || status == "IN_PROGRESS", status.c_str());
    QVERIFY(jsonId(r).startsWith("sync-"));
    QVERIFY(!r.json.contains("output"));
    QCOMPARE(h.front.heldRequests(), 0);
    // The job goes on: a client continues with /status, as RunPod's SDKs do.
    QTRY_COMPARE_WITH_TIMEOUT(
        client.get("/v2/ep/status/" + jsonId(r)).json.value("status", ""), std::string("IN_PROGRESS"), 10000);
}

void TestRunPodFront::statusSyncHoldsLikeRunsync()
{
    Harness h(quick());
    TestClient client(h.port);
    const QString id = jsonId(client.post("/v2/ep/run", input(64, 64)));
    const HttpResult r = client.get("/v2/ep/status-sync/" + id + "?wait=60000");
    QCOMPARE(r.json.value("status", ""), std::string("COMPLETED"));
}

void TestRunPodFront::cancelQueuedAndRunningJobs()
{
    Harness h(slow());
    TestClient client(h.port);
    const QString running = jsonId(client.post("/v2/ep/run", input(64, 64)));
    const QString queued = jsonId(client.post("/v2/ep/run", input(64, 64)));
    QTRY_COMPARE_WITH_TIMEOUT(
        client.get("/v2/ep/status/" + running).json.value("status", ""), std::string("IN_PROGRESS"), 10000);
    QCOMPARE(client.get("/v2/ep/status/" + queued).json.value("status", ""), std::string("IN_QUEUE"));

    for (const QString& id : { queued, running }) {
        const HttpResult cancel = client.post("/v2/ep/cancel/" + id, "{}");
        QCOMPARE(cancel.status, 200);
        T2I_COMPARE_JSON(cancel.json, (nlohmann::json { { "id", id.toStdString() }, { "status", "CANCELLED" } }));
        QCOMPARE(client.get("/v2/ep/status/" + id).json.value("status", ""), std::string("CANCELLED"));
        QVERIFY(h.truth(id.toStdString()));
        QCOMPARE(h.truth(id.toStdString())->status, JobStatus::Cancelled);
    }
    QCOMPARE(h.truth(running.toStdString())->workerId, h.driver.workers()[0].id);
    QCOMPARE(h.driver.health().idle, 1); // the cancelled job's worker is free
    QCOMPARE(client.post("/v2/ep/cancel/nope", "{}").status, 404);
}

void TestRunPodFront::purgeQueueRemovesQueuedJobs()
{
    Harness h(slow());
    TestClient client(h.port);
    for (int i = 0; i < 4; ++i)
        client.post("/v2/ep/run", input(64, 64));
    QTRY_COMPARE_WITH_TIMEOUT(h.driver.health().inProgress, 1, 10000);
    const HttpResult purge = client.post("/v2/ep/purge-queue", "{}");
    T2I_COMPARE_JSON(purge.json, (nlohmann::json { { "removed", 3 }, { "status", "completed" } }));
    QCOMPARE(h.driver.health().inQueue, 0);
}

void TestRunPodFront::healthCountersMoveWithThePlatform()
{
    Harness h(quick());
    TestClient client(h.port);
    HttpResult health = client.get("/v2/ep/health");
    QCOMPARE(health.status, 200);
    for (const char* key : { "completed", "failed", "inProgress", "inQueue", "retried" })
        QCOMPARE(health.json["jobs"][key].get<int>(), 0);
    for (const char* key : { "idle", "running", "initializing", "ready", "throttled", "unhealthy" })
        QCOMPARE(health.json["workers"][key].get<int>(), 0);

    const QString id = jsonId(client.post("/v2/ep/run", input(64, 64)));
    health = client.get("/v2/ep/health");
    QCOMPARE(health.json["jobs"]["inQueue"].get<int>(), 1);
    QCOMPARE(health.json["workers"]["initializing"].get<int>(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(client.get("/v2/ep/health").json["jobs"]["completed"].get<int>(), 1, 20000);
    health = client.get("/v2/ep/health");
    QCOMPARE(health.json["jobs"]["inQueue"].get<int>(), 0);
    QCOMPARE(health.json["workers"]["idle"].get<int>() + health.json["workers"]["initializing"].get<int>()
            + health.json["workers"]["running"].get<int>(),
        int(h.driver.health().idle + h.driver.health().initializing + h.driver.health().running));
    // Scale to zero after the idle timeout.
    QTRY_COMPARE_WITH_TIMEOUT(client.get("/v2/ep/health").json["workers"]["idle"].get<int>(), 0, 20000);
    Q_UNUSED(id);
}

void TestRunPodFront::authorization_data()
{
    QTest::addColumn<QByteArray>("configuredKey");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("httpStatus");
    QTest::newRow("no header, no key configured") << QByteArray() << QByteArray() << 401;
    QTest::newRow("any key when none is configured") << QByteArray() << QByteArray("Bearer anything") << 200;
    QTest::newRow("Bearer with the right key") << QByteArray("s3cret") << QByteArray("Bearer s3cret") << 200;
    QTest::newRow("bare right key, as older RunPod docs send") << QByteArray("s3cret") << QByteArray("s3cret") << 200;
    QTest::newRow("wrong key") << QByteArray("s3cret") << QByteArray("Bearer guess") << 401;
    QTest::newRow("no header with a key configured") << QByteArray("s3cret") << QByteArray() << 401;
}

void TestRunPodFront::authorization()
{
    QFETCH(QByteArray, configuredKey);
    QFETCH(QByteArray, header);
    QFETCH(int, httpStatus);
    Harness h(quick(), { QString(), configuredKey });
    TestClient client(h.port, header);
    const HttpResult r = client.get("/v2/ep/health");
    QCOMPARE(r.status, httpStatus);
    if (httpStatus == 401)
        QVERIFY(r.json.contains("error"));
}

void TestRunPodFront::unknownEndpointAndJobAre404()
{
    Harness h(quick(), { QStringLiteral("mine"), QByteArray() });
    TestClient client(h.port);
    QCOMPARE(client.get("/v2/mine/health").status, 200);
    QCOMPARE(client.get("/v2/theirs/health").status, 404);
    const HttpResult unknown = client.get("/v2/mine/status/00000000-0000-4000-8000-000000000000-u1");
    QCOMPARE(unknown.status, 404);
    QVERIFY(unknown.json.contains("error"));
    QCOMPARE(client.get("/v2/mine/no-such-operation").status, 404);
}

void TestRunPodFront::resultsExpireAfterRetention()
{
    PlatformProfile p = quick();
    p.retentionRunS = 0.5;
    Harness h(p);
    TestClient client(h.port);
    const QString id = jsonId(client.post("/v2/ep/run", input(64, 64)));
    QTRY_VERIFY_WITH_TIMEOUT(h.truth(id.toStdString()), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(client.get("/v2/ep/status/" + id).status, 404, 20000);
}

void TestRunPodFront::rateLimitAnswers429WithRetryAfter()
{
    PlatformProfile p = quick();
    p.rateLimits["health"] = { 3, 0 };
    p.retryAfterS = 2;
    Harness h(p);
    TestClient client(h.port);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(client.get("/v2/ep/health").status, 200);
    const HttpResult limited = client.get("/v2/ep/health");
    QCOMPARE(limited.status, 429);
    T2I_COMPARE_JSON(limited.json, (nlohmann::json { { "error", "rate limit exceeded" } }));
    QCOMPARE(limited.header("Retry-After"), QByteArray("2"));
    QCOMPARE(client.get("/v2/ep/status/x").status, 404); // other operations keep their own budget
}

void TestRunPodFront::concurrentRunsyncLimit()
{
    PlatformProfile p = slow();
    p.rateLimits["runsync"] = { 0, 1 };
    Harness h(p);
    TestClient held(h.port);
    TestClient second(h.port);
    // The first /runsync is parked for up to 60 s; a second one while it is held is over the limit.
    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v2/ep/runsync?wait=60000").arg(h.port)));
    request.setRawHeader("Authorization", "Bearer k");
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    std::unique_ptr<QNetworkReply> parked(manager.post(request, input(64, 64)));
    QTRY_COMPARE_WITH_TIMEOUT(h.front.heldRequests(), 1, 10000);
    QCOMPARE(second.post("/v2/ep/runsync", input(64, 64)).status, 429);
    parked->abort(); // the client hangs up: its slot is given back
    QTRY_COMPARE_WITH_TIMEOUT(h.front.heldRequests(), 0, 10000);
    QCOMPARE(second.post("/v2/ep/runsync?wait=1000", input(64, 64)).status, 200);
}

void TestRunPodFront::badBodiesAre400_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not JSON") << QByteArray("{nope");
    QTest::newRow("a JSON array") << QByteArray("[1]");
    QTest::newRow("no input") << QByteArray(R"({"prompt": "x"})");
    QTest::newRow("input not an object") << QByteArray(R"({"input": "x"})");
    QTest::newRow("width not a number") << QByteArray(R"({"input": {"width": "wide"}})");
    QTest::newRow("width out of range") << QByteArray(R"({"input": {"width": 100000}})");
    QTest::newRow("fractional steps") << QByteArray(R"({"input": {"num_inference_steps": 2.5}})");
}

void TestRunPodFront::badBodiesAre400()
{
    QFETCH(QByteArray, body);
    Harness h(quick());
    TestClient client(h.port);
    for (const char* path : { "/v2/ep/run", "/v2/ep/runsync" }) {
        const HttpResult r = client.post(path, body);
        QCOMPARE(r.status, 400);
        QVERIFY(r.json.contains("error"));
    }
    QCOMPARE(h.front.heldRequests(), 0);
    QCOMPARE(h.driver.health().inQueue, 0);
}

void TestRunPodFront::outOfMemoryIsAFailedJob()
{
    PlatformProfile p = quick();
    p.gpuMemoryGb = 24;
    p.memoryBaseGb = 8;
    p.memoryGbPerMegapixel = 4;
    Harness h(p);
    TestClient client(h.port);
    const HttpResult r = client.post("/v2/ep/runsync", input(2048, 2048));
    QCOMPARE(r.json.value("status", ""), std::string("FAILED"));
    QVERIFY(QString::fromStdString(r.json.value("error", "")).contains("CUDA out of memory"));
    QVERIFY(!r.json.contains("output"));
}

void TestRunPodFront::twoThousandConcurrentRunsync_data()
{
    QTest::addColumn<bool>("holdAll");
    QTest::newRow("instant profile: all answered COMPLETED") << false;
    QTest::newRow("held all at once, then released by purge-queue") << true;
}

void TestRunPodFront::twoThousandConcurrentRunsync()
{
    QFETCH(bool, holdAll);
    constexpr int clients = 2000;
    // Both ends of every connection live in this process.
    rlimit files {};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = std::max<rlim_t>(files.rlim_cur, std::min<rlim_t>(files.rlim_max, 3 * clients));
    setrlimit(RLIMIT_NOFILE, &files);
    getrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur < rlim_t(2 * clients + 100))
        QSKIP("the open-file limit is too low for 2,000 loopback connections in one process");

    PlatformProfile profile = PlatformProfile::load("instant");
    if (holdAll) {
        // No worker ever becomes ready, so every job waits and every /runsync stays parked.
        profile.minWorkers = 0;
        profile.maxWorkers = 1;
        profile.coldBoot = { 3600e3, 0 };
    }
    Harness h(profile);
    RunsyncFlood flood(h.port, clients, input(64, 64));
    if (holdAll) {
        QTRY_COMPARE_WITH_TIMEOUT(h.front.heldRequests(), clients, 120000);
        QCOMPARE(flood.answered(), 0);
        TestClient(h.port).post("/v2/flood/purge-queue", "{}");
    }
    QTRY_COMPARE_WITH_TIMEOUT(flood.answered(), clients, 120000);
    QCOMPARE(flood.count(holdAll ? "CANCELLED" : "COMPLETED"), clients);
    QCOMPARE(int(h.truths.size()), clients);
    QCOMPARE(h.front.heldRequests(), 0);
}

QTEST_GUILESS_MAIN(TestRunPodFront)
#include "tst_runpodfront.moc"
