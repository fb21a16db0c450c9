// SPDX-License-Identifier: Apache-2.0
// The SageMaker adapter through the real engine against a fake SageMaker + S3 that verifies the
// SigV4 signature of every request with its own secret: real-time and async runs complete, every
// failure mode is classified, a bad key is refused the way AWS refuses it (and reported without
// the secret), and a cancelled run sends nothing SageMaker does not have.
#include "adapterharness.h"
#include "engine/benchmarkrunner.h" // secretsFromEnvironment, redact: what the runner does with secrets
#include "fakeserver.h"
#include "registry/registry.h"
#include "sagemaker/sagemakeradapter.h"
#include "sagemakerfake.h"

#include <QtTest>

#include <cstdlib>

using namespace t2i;
using namespace t2itest;
using nlohmann::json;

namespace {

struct Rig {
    explicit Rig(json settings = json::object(), SageMakerFake::Options options = {},
        std::string secret = SageMakerFake::kSecretAccessKey, std::string sessionToken = {})
        : fake(std::move(options))
        , server([this](const FakeRequest& r) { return fake.handle(r); })
    {
        ProviderConfig provider;
        provider.type = "sagemaker";
        provider.settings = { { "type", "sagemaker" }, { "region", "us-east-1" }, { "endpoint_name", "sdxl" },
            { "access_key_env", "T2I_FAKE_AK" }, { "secret_key_env", "T2I_FAKE_SK" },
            { "s3_endpoint", server.baseUrl() }, { "control_endpoint", server.baseUrl() },
            { "s3_input_prefix", "s3://sm-inputs/bench/" } };
        provider.settings.update(settings);
        AdapterContext context(server.baseUrl(), "", 20);
        context.secrets = { { "access_key_env", SageMakerFake::kAccessKeyId }, { "secret_key_env", secret } };
        if (!sessionToken.empty())
            context.secrets["session_token_env"] = sessionToken;
        adapter = makeAdapter(provider, context);
    }
    SageMakerFake fake;
    FakeServer server;
    std::unique_ptr<Adapter> adapter;

    int requestsWith(const std::string& method, const std::string& pathPrefix) const
    {
        int n = 0;
        for (const FakeRequest& r : server.requests())
            n += r.method == method && r.path.starts_with(pathPrefix) ? 1 : 0;
        return n;
    }
};

HarnessOptions requests(int n, int concurrency = 1)
{
    HarnessOptions h;
    h.requests = n;
    h.concurrency = concurrency;
    return h;
}

const json kAsync = { { "mode", "async" } };

} // namespace

class TestSageMakerFake : public QObject {
    Q_OBJECT
private slots:
    void realtimeRunIsSignedAndReportsNoPlatformTimes()
    {
        Rig rig;
        const HarnessResult run = runAdapter(*rig.adapter, requests(4, 2));
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Completed));
        QCOMPARE(run.okCount(), 4);
        QCOMPARE(rig.fake.refusedSignatures(), 0);
        QCOMPARE(rig.fake.invocations(), 4);
        for (const RequestRecord& r : run.records) {
            QVERIFY(!r.queueMs); // SageMaker reports none (docs/protocols.md §5.4): unknown, never 0
            QVERIFY(!r.execMs);
            QVERIFY(!r.downloadMs); // inline base64
            QCOMPARE(r.providerStatus, std::string("Completed"));
            QCOMPARE(*r.width, 512);
            QVERIFY(r.jobId.starts_with("6f1c2a7e-")); // x-amzn-RequestId
        }
    }

    void realtimeBinaryImage()
    {
        Rig rig(json { { "accept", "image/png" } });
        const HarnessResult run = runAdapter(*rig.adapter, requests(2));
        QCOMPARE(run.okCount(), 2);
        QCOMPARE(rig.fake.refusedSignatures(), 0);
    }

    // Async, JSON output: each payload is put in S3 (signed for s3), invoked, polled and fetched.
    void asyncRunWithJsonOutput()
    {
        Rig rig(kAsync);
        const HarnessResult run = runAdapter(*rig.adapter, requests(3, 3));
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Completed));
        QCOMPARE(run.okCount(), 3);
        QCOMPARE(rig.fake.refusedSignatures(), 0);
        QCOMPARE(rig.requestsWith("PUT", "/sm-inputs/bench/"), 3);
        QCOMPARE(rig.requestsWith("POST", "/endpoints/sdxl/async-invocations"), 3);
        QVERIFY(rig.requestsWith("HEAD", "/sm-async/out/") >= 3);
        QVERIFY(rig.requestsWith("HEAD", "/sm-async/failures/") >= 1); // watched while the jobs ran
        QCOMPARE(rig.requestsWith("GET", "/sm-async/out/"), 3);
        for (const RequestRecord& r : run.records) {
            QVERIFY(r.acceptedMs.has_value()); // the 202
            QVERIFY(r.polls >= 1);
            QVERIFY(!r.queueMs);
            QVERIFY(!r.execMs);
            QCOMPARE(r.providerStatus, std::string("Completed"));
        }
        // The payload in S3 is the rendered body, with the job's own prompt and seed.
        int inputs = 0;
        for (const std::string& key : rig.fake.objectKeys()) {
            if (!key.starts_with("sm-inputs/bench/t2ibench-"))
                continue;
            const json payload = json::parse(*rig.fake.object("sm-inputs", key.substr(10)));
            QVERIFY(payload["prompt"].get<std::string>().size() > 5);
            QCOMPARE(payload["width"].get<int>(), 512);
            ++inputs;
        }
        QCOMPARE(inputs, 3);
    }

    // An image output is downloaded by the engine through a presigned URL, timed as download.
    void asyncImageOutputIsDownloadedThroughAPresignedUrl()
    {
        SageMakerFake::Options options;
        options.slowDownloadMs = 300;
        Rig rig({ { "mode", "async" }, { "accept", "image/png" } }, options);
        rig.fake.failNext(SageMakerFake::Failure::SlowDownload);
        const HarnessResult run = runAdapter(*rig.adapter, requests(2));
        QCOMPARE(run.okCount(), 2);
        QCOMPARE(rig.fake.refusedSignatures(), 0); // the presigned GETs verified too
        for (const RequestRecord& r : run.records)
            QVERIFY(r.downloadMs.has_value());
        QVERIFY(*run.bySeq(0)->downloadMs >= 300.0); // the fake held the first download that long
        for (const FakeRequest& r : rig.server.requests())
            if (r.method == "GET" && r.path.starts_with("/sm-async/out/"))
                QVERIFY(!r.queryItem("X-Amz-Signature").empty() && r.header("authorization").empty());
    }

    void failuresAreClassified_data()
    {
        QTest::addColumn<bool>("async");
        QTest::addColumn<int>("failure");
        QTest::addColumn<int>("expected");
        using F = SageMakerFake::Failure;
        QTest::newRow("realtime ModelError, out of memory")
            << false << int(F::ModelError) << int(ErrorClass::OutOfMemory);
        QTest::newRow("realtime container timeout") << false << int(F::ModelTimeout) << int(ErrorClass::Timeout);
        QTest::newRow("realtime ThrottlingException 400") << false << int(F::Throttling) << int(ErrorClass::Throttled);
        QTest::newRow("realtime ServiceUnavailable")
            << false << int(F::ServiceUnavailable) << int(ErrorClass::ServerError);
        QTest::newRow("realtime malformed JSON") << false << int(F::MalformedJson) << int(ErrorClass::ServerError);
        QTest::newRow("realtime wrong size") << false << int(F::WrongSize) << int(ErrorClass::InvalidImage);
        QTest::newRow("async failure object, out of memory")
            << true << int(F::ModelError) << int(ErrorClass::OutOfMemory);
        QTest::newRow("async timed out") << true << int(F::ModelTimeout) << int(ErrorClass::Timeout);
        QTest::newRow("async throttled") << true << int(F::Throttling) << int(ErrorClass::Throttled);
        QTest::newRow("async malformed output") << true << int(F::MalformedJson) << int(ErrorClass::ServerError);
    }

    void failuresAreClassified()
    {
        QFETCH(bool, async);
        QFETCH(int, failure);
        QFETCH(int, expected);
        Rig rig(async ? kAsync : json::object());
        rig.fake.failNext(SageMakerFake::Failure(failure));
        const HarnessResult run = runAdapter(*rig.adapter, requests(2));
        const RequestRecord* first = run.bySeq(0);
        QVERIFY(first && !first->ok);
        QCOMPARE(int(first->errorClass), expected);
        QVERIFY(run.bySeq(1)->ok); // one failure, then the endpoint serves again
    }

    // 429 ModelNotReadyException is honoured by the engine and counted, then the request succeeds.
    void modelNotReadyIsRetriedAndCounted()
    {
        Rig rig;
        rig.fake.failNext(SageMakerFake::Failure::ModelNotReady);
        const HarnessResult run = runAdapter(*rig.adapter, requests(1));
        QCOMPARE(run.okCount(), 1);
        QCOMPARE(run.records.at(0).throttled, 1);
    }

    void badKeysAreRefusedAsAwsDoes_data()
    {
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("token"); // the fake requires "fake-session-token" when set
        QTest::addColumn<QString>("fakeToken");
        QTest::addColumn<QString>("refusal");
        QTest::newRow("wrong secret") << "wrong-secret-0123456789"
                                      << ""
                                      << ""
                                      << "InvalidSignatureException";
        QTest::newRow("missing session token") << SageMakerFake::kSecretAccessKey << ""
                                               << "fake-session-token"
                                               << "UnrecognizedClientException";
    }

    void badKeysAreRefusedAsAwsDoes()
    {
        QFETCH(QString, secret);
        QFETCH(QString, token);
        QFETCH(QString, fakeToken);
        QFETCH(QString, refusal);
        SageMakerFake::Options options;
        options.sessionToken = fakeToken.toStdString();
        Rig rig(json::object(), options, secret.toStdString(), token.toStdString());
        const HarnessResult run = runAdapter(*rig.adapter, requests(1));
        const RequestRecord& r = run.records.at(0);
        QCOMPARE(int(r.errorClass), int(ErrorClass::ClientError));
        QCOMPARE(r.httpStatus, 403);
        QCOMPARE(rig.fake.lastRefusal(), refusal.toStdString());
        QVERIFY2(r.errorMessage.find(refusal.toStdString()) != std::string::npos, r.errorMessage.c_str());
        QVERIFY(r.errorMessage.find("secret_key_env") != std::string::npos); // says what to check
        QVERIFY(r.errorMessage.find(secret.toStdString()) == std::string::npos);
    }

    // With temporary credentials, every request (runtime and S3) carries and signs the token.
    void sessionTokenIsAccepted()
    {
        SageMakerFake::Options options;
        options.sessionToken = "fake-session-token";
        Rig rig(kAsync, options, SageMakerFake::kSecretAccessKey, "fake-session-token");
        const HarnessResult run = runAdapter(*rig.adapter, requests(1));
        QCOMPARE(run.okCount(), 1);
        QCOMPARE(rig.fake.refusedSignatures(), 0);
    }

    // The secrets the runner reads for *_env keys are redacted from every message.
    void runnerRedactsEverySecretItRead()
    {
        ::setenv("T2I_TEST_SM_SECRET", "wrong-secret-0123456789", 1);
        ProviderConfig provider;
        provider.type = "sagemaker";
        provider.settings = { { "secret_key_env", "T2I_TEST_SM_SECRET" }, { "access_key_env", "T2I_TEST_SM_UNSET" },
            { "api_key_env", "IGNORED_HERE" } };
        const auto secrets = secretsFromEnvironment(provider);
        QCOMPARE(int(secrets.size()), 2);
        QCOMPARE(secrets.at("secret_key_env"), std::string("wrong-secret-0123456789"));
        QCOMPARE(secrets.at("access_key_env"), std::string());
        QCOMPARE(
            redact("signed with wrong-secret-0123456789 at 12:00", secrets), std::string("signed with *** at 12:00"));
    }

    void clockSkewIsRefused()
    {
        Rig rig;
        // The adapter signs with the wall clock; a machine 10 minutes off is refused.
        ProviderConfig provider;
        provider.type = "sagemaker";
        provider.settings = { { "region", "us-east-1" }, { "endpoint_name", "sdxl" } };
        AdapterContext context(rig.server.baseUrl(), "", 20);
        context.secrets = { { "access_key_env", SageMakerFake::kAccessKeyId },
            { "secret_key_env", SageMakerFake::kSecretAccessKey } };
        SageMakerOptions o = SageMakerOptions::fromConfig(provider, context);
        o.now = [] { return std::chrono::system_clock::now() - std::chrono::minutes(10); };
        SageMakerAdapter skewed(o);
        const HarnessResult run = runAdapter(skewed, requests(1));
        QCOMPARE(int(run.records.at(0).errorClass), int(ErrorClass::ClientError));
        QVERIFY(run.records.at(0).errorMessage.find("Signature expired") != std::string::npos);
        QVERIFY(run.records.at(0).errorMessage.find("clock") != std::string::npos);
    }

    void unknownEndpointIsAValidationError()
    {
        Rig rig(json { { "endpoint_name", "no-such-endpoint" } });
        const HarnessResult run = runAdapter(*rig.adapter, requests(1));
        QCOMPARE(int(run.records.at(0).errorClass), int(ErrorClass::ClientError));
        QVERIFY(run.records.at(0).errorMessage.find("ValidationError") != std::string::npos);
    }

    void describeEndpointSamplesInstances()
    {
        Rig rig(json { { "describe_endpoint", true } });
        HarnessOptions h = requests(3);
        h.sampleHealth = true;
        const HarnessResult run = runAdapter(*rig.adapter, h);
        QCOMPARE(run.okCount(), 3);
        QVERIFY(!run.samples.empty());
        QCOMPARE(run.samples.front().ready, 1);
        QCOMPARE(rig.fake.refusedSignatures(), 0);
    }

    // SageMaker has no cancel route (docs/protocols.md §5.5): a cancelled run stops polling and sends nothing else.
    void cancelledAsyncRunSendsNoCancel()
    {
        SageMakerFake::Options options;
        options.asyncExecMs = 5000;
        Rig rig(kAsync, options);
        HarnessOptions h = requests(2, 2);
        h.cancelWhen = [](const EngineProgress& p) { return p.sent >= 2 && p.elapsedMs > 300; };
        const HarnessResult run = runAdapter(*rig.adapter, h);
        QCOMPARE(int(run.result.outcome), int(EngineOutcome::Cancelled));
        for (const FakeRequest& r : rig.server.requests())
            QVERIFY2(r.method != "DELETE" && r.path.find("cancel") == std::string::npos, r.path.c_str());
        // What was invoked keeps running on the endpoint: nothing can stop it.
        QVERIFY(rig.fake.asyncJobsRunning(rig.server.nowMs()) > 0);
    }
};

QTEST_GUILESS_MAIN(TestSageMakerFake)
#include "tst_sagemakerfake.moc"
