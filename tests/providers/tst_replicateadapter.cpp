// SPDX-License-Identifier: Apache-2.0
// The Replicate adapter on canned prediction objects shaped like Replicate's (docs/protocols.md §2).
#include "adaptertesthelpers.h"
#include "registry/registry.h"
#include "replicate/isotime.h"
#include "replicate/replicateadapter.h"

#include "replicatefixtures.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using nlohmann::json;

namespace {

using adaptertest::answer;
using adaptertest::headerOf;

ReplicateOptions options(const std::string& model, const std::string& deployment = {}, const std::string& version = {})
{
    ReplicateOptions o;
    o.baseUrl = "http://127.0.0.1:9/v1";
    o.apiKey = "r8_test";
    o.model = model;
    o.deployment = deployment;
    o.version = version;
    o.pollIntervalMs = 100;
    return o;
}

JobState newJob()
{
    JobState job;
    job.job.prompt = "a red fox";
    job.job.seed = 45;
    job.job.variant.width = 768;
    job.job.variant.height = 512;
    job.job.variant.steps = 4;
    job.job.variant.guidance = 3.5;
    job.job.variant.images = 2;
    return job;
}

} // namespace

class TestReplicateAdapter : public QObject {
    Q_OBJECT
private slots:
    void createRoutes_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("deployment");
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("url");
        QTest::newRow("model") << "black-forest-labs/flux-schnell"
                               << ""
                               << ""
                               << "http://127.0.0.1:9/v1/models/black-forest-labs/flux-schnell/predictions";
        QTest::newRow("deployment") << ""
                                    << "acme/sdxl-prod"
                                    << ""
                                    << "http://127.0.0.1:9/v1/deployments/acme/sdxl-prod/predictions";
        QTest::newRow("version") << ""
                                 << ""
                                 << "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
                                 << "http://127.0.0.1:9/v1/predictions";
    }
    void createRoutes()
    {
        QFETCH(QString, model);
        QFETCH(QString, deployment);
        QFETCH(QString, version);
        QFETCH(QString, url);
        ReplicateAdapter adapter(options(model.toStdString(), deployment.toStdString(), version.toStdString()));
        JobState job = newJob();
        const HttpRequest request = adapter.submit(job);
        QCOMPARE(request.method, std::string("POST"));
        QCOMPARE(QString::fromStdString(request.url), url);
        QCOMPARE(headerOf(request, "Authorization"), std::string("Bearer r8_test"));
        QVERIFY(headerOf(request, "Prefer").empty());
        const json body = json::parse(request.body);
        QCOMPARE(QString::fromStdString(body.value("version", "")), version);
        const json& input = body.at("input");
        QCOMPARE(input.at("prompt").get<std::string>(), std::string("a red fox"));
        QCOMPARE(input.at("width").get<int>(), 768);
        QCOMPARE(input.at("height").get<int>(), 512);
        QCOMPARE(input.at("num_inference_steps").get<int>(), 4);
        QCOMPARE(input.at("guidance_scale").get<double>(), 3.5);
        QCOMPARE(input.at("seed").get<int>(), 45);
        QCOMPARE(input.at("num_outputs").get<int>(), 2);
    }

    void preferWaitHeaderAndAFinalFirstAnswer()
    {
        ReplicateOptions o = options("owner/name");
        o.waitS = 30;
        ReplicateAdapter adapter(o);
        JobState job = newJob();
        QCOMPARE(headerOf(adapter.submit(job), "Prefer"), std::string("wait=30"));
        const Action action = adapter.onResponse(job, answer(201, kSucceeded));
        QVERIFY(action.kind == Action::Kind::Done);
        QCOMPARE(job.polls, 0);
        QCOMPARE(int(job.imageUrls.size()), 2);
    }

    void startingProcessingSucceededWithExactTimings()
    {
        ReplicateAdapter adapter(options("owner/name"));
        JobState job = newJob();
        adapter.submit(job);
        Action action = adapter.onResponse(job, answer(201, kStarting));
        QVERIFY(action.kind == Action::Kind::Poll);
        QCOMPARE(job.phase, JobPhase::Queued); // "starting": booting or queued, not running yet
        QCOMPARE(job.jobId, std::string("gm3q"));
        QVERIFY(job.accepted);
        QCOMPARE(action.delayMs, 100.0);
        QCOMPARE(action.request.method, std::string("GET"));
        QCOMPARE(action.request.url, std::string("https://api.replicate.com/v1/predictions/gm3q")); // urls.get
        QVERIFY(!job.queueMs && !job.execMs); // unknown yet, never 0
        action = adapter.onResponse(job, answer(200, kProcessing));
        QVERIFY(action.kind == Action::Kind::Poll);
        QCOMPARE(job.providerStatus, std::string("processing"));
        QCOMPARE(*job.queueMs, 2333.333);
        QVERIFY(!job.execMs);
        action = adapter.onResponse(job, answer(200, kSucceeded));
        QVERIFY(action.kind == Action::Kind::Done);
        QCOMPARE(job.polls, 2);
        QCOMPARE(*job.queueMs, 2333.333);
        QCOMPARE(*job.execMs, 777.0);
        QCOMPARE(job.imageUrls.at(1), std::string("https://replicate.delivery/xezq/abc/out-1.webp"));
        QVERIFY(job.images.empty());
        const json scratch = json::parse(job.scratch);
        QCOMPARE(scratch.at("metrics").at("total_time").get<double>(), 3.111);
        const auto cancel = adapter.cancel(job);
        QVERIFY(cancel);
        QCOMPARE(cancel->method, std::string("POST"));
        QCOMPARE(cancel->url, std::string("https://api.replicate.com/v1/predictions/gm3q/cancel"));
    }

    void dataUriOutputIsDecodedInline()
    {
        ReplicateAdapter adapter(options("owner/name"));
        JobState job = newJob();
        QVERIFY(adapter.onResponse(job, answer(201, kSucceededInline)).kind == Action::Kind::Done);
        QCOMPARE(int(job.images.size()), 1);
        QVERIFY(job.images[0].bytes()->starts_with("\x89PNG"));
        QVERIFY(job.imageUrls.empty());
        QCOMPARE(*job.queueMs, 250.0);
        QCOMPARE(*job.execMs, 650.0);
    }

    void cancelWithoutUrlsUsesTheRoute()
    {
        ReplicateAdapter adapter(options("owner/name"));
        JobState job = newJob();
        QVERIFY(!adapter.cancel(job)); // no id yet
        job.jobId = "abc";
        QCOMPARE(adapter.cancel(job)->url, std::string("http://127.0.0.1:9/v1/predictions/abc/cancel"));
    }

    void failures_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("part");
        QTest::newRow("failed") << 200 << QString::fromStdString(kFailed) << int(ErrorClass::OutOfMemory)
                                << "CUDA out of memory";
        QTest::newRow("canceled") << 200 << QString::fromStdString(kCanceled) << int(ErrorClass::Cancelled)
                                  << "canceled";
        QTest::newRow("aborted") << 200 << QString::fromStdString(kAborted) << int(ErrorClass::Cancelled) << "aborted";
        QTest::newRow("data removed") << 200 << QString::fromStdString(kRemoved) << int(ErrorClass::InvalidImage)
                                      << "data_removed";
        QTest::newRow("404") << 404 << QString::fromStdString(kNotFound) << int(ErrorClass::ClientError)
                             << "could not be found";
        QTest::newRow("422") << 422 << QString::fromStdString(kInvalid) << int(ErrorClass::ClientError)
                             << "input.width";
        QTest::newRow("500 text") << 500 << "upstream error" << int(ErrorClass::ServerError) << "upstream";
        QTest::newRow("malformed JSON") << 201 << "{\"id\": " << int(ErrorClass::ServerError) << "malformed";
        QTest::newRow("no id") << 201 << "{\"status\":\"starting\"}" << int(ErrorClass::ServerError) << "id";
        QTest::newRow("unknown status") << 200 << "{\"id\":\"x\",\"status\":\"dreaming\"}"
                                        << int(ErrorClass::ServerError) << "dreaming";
    }
    void failures()
    {
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(int, error);
        QFETCH(QString, part);
        ReplicateAdapter adapter(options("owner/name"));
        JobState job = newJob();
        const Action action = adapter.onResponse(job, answer(status, body.toStdString()));
        QVERIFY(action.kind == Action::Kind::Fail);
        QCOMPARE(int(action.error), error);
        QVERIFY2(QString::fromStdString(action.message).contains(part), action.message.c_str());
    }

    void throttleHonoursRetryAfter()
    {
        ReplicateAdapter adapter(options("owner/name"));
        QCOMPARE(*adapter.retryAfterMs(answer(429, kThrottled, { { "retry-after", "7" } })), 7000.0);
        QVERIFY(!adapter.retryAfterMs(answer(429, kThrottled)));
        JobState job = newJob();
        QCOMPARE(int(adapter.onResponse(job, answer(429, kThrottled)).error), int(ErrorClass::Throttled));
    }

    void isoParser_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qlonglong>("micros"); // -1: rejected
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << 0LL;
        QTest::newRow("microseconds") << "2026-05-01T10:00:00.123456Z" << 1777629600123456LL;
        QTest::newRow("milliseconds, +00:00") << "2026-05-01T10:00:00.123+00:00" << 1777629600123000LL;
        QTest::newRow("nanoseconds truncated") << "2026-05-01T10:00:00.123456789Z" << 1777629600123456LL;
        QTest::newRow("+02:00") << "2026-05-01T12:00:00+02:00" << 1777629600000000LL;
        QTest::newRow("-0130") << "2026-05-01T08:30:00-0130" << 1777629600000000LL;
        QTest::newRow("space, no zone") << "2026-05-01 10:00:00" << 1777629600000000LL;
        QTest::newRow("leap day") << "2024-02-29T00:00:00Z" << 1709164800000000LL;
        QTest::newRow("not a leap day") << "2023-02-29T00:00:00Z" << -1LL;
        QTest::newRow("month 13") << "2026-13-01T00:00:00Z" << -1LL;
        QTest::newRow("empty fraction") << "2026-05-01T10:00:00.Z" << -1LL;
        QTest::newRow("trailing junk") << "2026-05-01T10:00:00Zx" << -1LL;
        QTest::newRow("date only") << "2026-05-01" << -1LL;
        QTest::newRow("empty") << "" << -1LL;
    }
    void isoParser()
    {
        QFETCH(QString, text);
        QFETCH(qlonglong, micros);
        const auto parsed = parseIsoMicros(text.toStdString());
        QCOMPARE(parsed ? qlonglong(*parsed) : -1LL, micros);
    }

    void registryMakesIt()
    {
        ProviderConfig provider;
        provider.type = "emulated";
        provider.settings = { { "protocol", "replicate" } };
        AdapterContext context;
        context.baseUrl = "http://127.0.0.1:1/v1/";
        const auto adapter = makeAdapter(provider, context);
        QVERIFY(adapter);
        QCOMPARE(adapter->type(), std::string("replicate"));
        JobState job = newJob();
        QCOMPARE(adapter->submit(job).url, std::string("http://127.0.0.1:1/v1/models/t2ibench/emulated/predictions"));
        QVERIFY(isKnownProviderType("replicate"));
    }
};

QTEST_GUILESS_MAIN(TestReplicateAdapter)
#include "tst_replicateadapter.moc"
