// SPDX-License-Identifier: Apache-2.0
// The SageMaker adapter on canned answers shaped like SageMaker Runtime's and S3's
// (docs/protocols.md §5): what it signs, the bodies it sends, how it reads images and errors, and the
// async walk (S3 upload -> InvokeEndpointAsync -> output/failure polling).
#include "adaptertesthelpers.h"
#include "registry/registry.h"
#include "sagemaker/sagemakeradapter.h"
#include "sagemaker/sagemakerpayload.h"
#include "util/base64.h"
#include "util/image.h"
#include "util/sigv4.h"

#include "sagemakerfixtures.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using namespace sagemakerfixtures;
using nlohmann::json;

namespace {

using adaptertest::answer;
using adaptertest::headerOf;

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + "not really the rest of a PNG";

SageMakerOptions options(bool async = false)
{
    SageMakerOptions o;
    o.region = "us-east-1";
    o.endpointName = "sdxl";
    o.async = async;
    o.runtimeBase = "http://127.0.0.1:9/rt";
    o.controlBase = "http://127.0.0.1:9/api";
    o.s3Base = "http://127.0.0.1:9/s3";
    o.s3PathStyle = true;
    o.credentials = { "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "" };
    o.output = sagemaker::defaultOutputSpec();
    o.pollIntervalMs = 100;
    o.s3InputPrefix = async ? "s3://sm-inputs/bench" : "";
    o.now = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1440938160)); };
    return o;
}

JobState newJob()
{
    JobState job;
    job.job.seq = 7;
    job.job.prompt = "a \"quoted\" fox";
    job.job.seed = 45;
    job.job.variant.width = 768;
    job.job.variant.height = 512;
    job.job.variant.steps = 4;
    job.job.variant.guidance = 3.5;
    job.job.variant.images = 1;
    return job;
}

// Signs the request again from what it carries, as AWS does on receipt.
bool signatureVerifies(const HttpRequest& request, const std::string& secret, const std::string& service)
{
    const auto auth = sigv4::parseAuthorization(headerOf(request, "Authorization"));
    const auto url = sigv4::splitUrl(request.url);
    if (!auth || !url || auth->service != service)
        return false;
    sigv4::Request signedPart { request.method, url->path, url->query, {}, sha256Hex(request.body) };
    for (const std::string& name : auth->signedHeaders)
        for (const auto& [key, value] : request.headers)
            if (QString::fromStdString(key).toLower().toStdString() == name)
                signedPart.headers.emplace_back(name, value);
    const auto again = sigv4::sign(signedPart, { auth->accessKeyId, secret, "" }, { auth->region, auth->service },
        headerOf(request, "X-Amz-Date"));
    return again.signature == auth->signature;
}

bool isError(const Action& a, ErrorClass e)
{
    return a.kind == Action::Kind::Fail && a.error == e;
}

} // namespace

class TestSageMakerAdapter : public QObject {
    Q_OBJECT
private slots:
    void realtimeInvokeIsSignedForSageMaker()
    {
        SageMakerAdapter adapter(options());
        JobState job = newJob();
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(r.method, std::string("POST"));
        QCOMPARE(r.url, std::string("http://127.0.0.1:9/rt/endpoints/sdxl/invocations"));
        QCOMPARE(headerOf(r, "Content-Type"), std::string("application/json"));
        QCOMPARE(headerOf(r, "Accept"), std::string("application/json"));
        QCOMPARE(headerOf(r, "Host"), std::string("127.0.0.1:9"));
        QCOMPARE(headerOf(r, "X-Amz-Date"), std::string("20150830T123600Z"));
        QVERIFY(headerOf(r, "X-Amzn-SageMaker-Inference-Id").ends_with("-7"));
        QVERIFY(headerOf(r, "X-Amz-Security-Token").empty());
        QVERIFY(headerOf(r, "X-Amz-Content-Sha256").empty()); // S3 only
        // The service is "sagemaker" (not runtime.sagemaker), and every header sent is signed.
        QVERIFY(headerOf(r, "Authorization")
                    .starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sagemaker/aws4_request, "
                                 "SignedHeaders=accept;content-type;host;x-amz-date;x-amzn-sagemaker-inference-id, "
                                 "Signature="));
        QVERIFY(signatureVerifies(r, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "sagemaker"));
        QVERIFY(!signatureVerifies(r, "another secret", "sagemaker"));
    }

    void sessionTokenIsSentAndSigned()
    {
        SageMakerOptions o = options();
        o.credentials.sessionToken = "FwoGZXIvYXdzEXAMPLETOKEN";
        SageMakerAdapter adapter(o);
        JobState job = newJob();
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(headerOf(r, "X-Amz-Security-Token"), std::string("FwoGZXIvYXdzEXAMPLETOKEN"));
        QVERIFY(headerOf(r, "Authorization").find(";x-amz-security-token;") != std::string::npos);
    }

    void defaultBodyIsTheDiffusersShape()
    {
        SageMakerAdapter adapter(options());
        const json body = json::parse(adapter.requestBody(newJob().job));
        QCOMPARE(body["prompt"].get<std::string>(), std::string("a \"quoted\" fox"));
        QCOMPARE(body["width"].get<int>(), 768);
        QCOMPARE(body["height"].get<int>(), 512);
        QCOMPARE(body["num_inference_steps"].get<int>(), 4);
        QCOMPARE(body["guidance_scale"].get<double>(), 3.5);
        QCOMPARE(body["seed"].get<int>(), 45);
        QCOMPARE(body["num_images_per_prompt"].get<int>(), 1);
    }

    void objectTemplateKeepsTypes()
    {
        SageMakerOptions o = options();
        o.bodyTemplate = { { "text_prompts", json::array({ { { "text", "{{prompt}}" } } }) },
            { "size", "{{width}}x{{height}}" }, { "cfg_scale", "{{guidance}}" }, { "seed", "{{seed}}" } };
        const json body = json::parse(SageMakerAdapter(o).requestBody(newJob().job));
        QCOMPARE(body["text_prompts"][0]["text"].get<std::string>(), std::string("a \"quoted\" fox"));
        QCOMPARE(body["size"].get<std::string>(), std::string("768x512"));
        QCOMPARE(body["cfg_scale"].get<double>(), 3.5);
        QVERIFY(body["seed"].is_number_integer());
    }

    // A text template stays valid JSON whatever the prompt holds: the prompt goes in JSON-escaped.
    void stringTemplateEscapesThePrompt()
    {
        SageMakerOptions o = options();
        o.bodyTemplate = "{\"inputs\": \"{{prompt}}\", \"parameters\": {\"seed\": {{seed}}, \"steps\": {{steps}}}}";
        const std::string text = SageMakerAdapter(o).requestBody(newJob().job);
        const json body = json::parse(text, nullptr, false);
        QVERIFY2(!body.is_discarded(), text.c_str());
        QCOMPARE(body["inputs"].get<std::string>(), std::string("a \"quoted\" fox"));
        QCOMPARE(body["parameters"]["seed"].get<int>(), 45);
        QCOMPARE(body["parameters"]["steps"].get<int>(), 4);
    }

    void realtimeImages_data()
    {
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<QString>("body"); // "PNG" stands for the binary image
        QTest::addColumn<QString>("pointer"); // extract.image ("" = the common shapes)
        const QString b64 = QString::fromStdString(base64Encode(kPng));
        QTest::newRow("binary image/png") << "image/png"
                                          << "PNG"
                                          << "";
        QTest::newRow("binary under a JSON content type") << "application/json"
                                                          << "PNG"
                                                          << "";
        QTest::newRow("diffusers images[]") << "application/json"
                                            << "{\"images\": [\"" + b64 + "\"]}"
                                            << "";
        QTest::newRow("jumpstart generated_images") << "application/json"
                                                    << "{\"generated_images\": [\"" + b64 + "\"], \"prompt\": \"x\"}"
                                                    << "";
        QTest::newRow("stability artifacts[].base64") << "application/json"
                                                      << "{\"artifacts\": [{\"base64\": \"" + b64 + "\", \"seed\": 1}]}"
                                                      << "";
        QTest::newRow("data URI at a configured pointer")
            << "application/json"
            << "{\"output\": {\"png\": \"data:image/png;base64," + b64 + "\"}}"
            << "/output/png";
    }

    void realtimeImages()
    {
        QFETCH(QString, contentType);
        QFETCH(QString, body);
        QFETCH(QString, pointer);
        SageMakerOptions o = options();
        if (!pointer.isEmpty())
            o.output = o.output.withConfig({ { "image", pointer.toStdString() } });
        SageMakerAdapter adapter(o);
        JobState job = newJob();
        adapter.submit(job);
        const Action a = adapter.onResponse(job,
            answer(200, body == "PNG" ? kPng : body.toStdString(),
                { { "content-type", contentType.toStdString() }, { "x-amzn-requestid", "req-1" } }));
        QCOMPARE(int(a.kind), int(Action::Kind::Done));
        QCOMPARE(int(job.images.size()), 1);
        QCOMPARE(*job.images[0].bytes(), kPng);
        QVERIFY(job.accepted);
        QCOMPARE(job.jobId, std::string("req-1"));
        QVERIFY(!job.queueMs); // SageMaker reports no timings (docs/protocols.md §5.4)
        QVERIFY(!job.execMs);
    }

    void containerTimingsAreReadWhereTheConfigSays()
    {
        SageMakerOptions o = options();
        o.output = o.output.withConfig({ { "exec_ms", "/timings/inference_ms" } });
        SageMakerAdapter adapter(o);
        JobState job = newJob();
        adapter.submit(job);
        const std::string body
            = "{\"images\": [\"" + base64Encode(kPng) + "\"], \"timings\": {\"inference_ms\": 1234.5}}";
        QCOMPARE(int(adapter.onResponse(job, answer(200, body, { { "content-type", "application/json" } })).kind),
            int(Action::Kind::Done));
        QCOMPARE(*job.execMs, 1234.5);
    }

    void answersWithoutAnImageAreInvalidImages_data()
    {
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<QString>("body");
        QTest::newRow("JSON without images") << "application/json"
                                             << "{\"status\": \"ok\"}";
        QTest::newRow("neither JSON nor image") << "text/plain"
                                                << "done";
    }

    void malformedJsonIsAServerError()
    {
        SageMakerAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const Action a
            = adapter.onResponse(job, answer(200, "{\"images\": [\"iVBO", { { "content-type", "application/json" } }));
        QVERIFY(isError(a, ErrorClass::ServerError));
        QVERIFY(a.message.find("malformed JSON") != std::string::npos);
    }

    void answersWithoutAnImageAreInvalidImages()
    {
        QFETCH(QString, contentType);
        QFETCH(QString, body);
        SageMakerAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const Action a = adapter.onResponse(
            job, answer(200, body.toStdString(), { { "content-type", contentType.toStdString() } }));
        QVERIFY(isError(a, ErrorClass::InvalidImage));
    }

    void errorsAreClassified_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorType");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("expected");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("ModelError 424") << 424 << "ModelError" << kModelError << int(ErrorClass::PlatformFailure)
                                        << "the container answered 400: height must be a multiple of 8";
        QTest::newRow("ModelError timed out")
            << 424 << "ModelError" << kModelTimeout << int(ErrorClass::Timeout) << "timed out";
        QTest::newRow("ThrottlingException 400")
            << 400 << "ThrottlingException" << kThrottling << int(ErrorClass::Throttled) << "Rate exceeded";
        QTest::newRow("ValidationError 400 with coral suffix")
            << 400 << "ValidationError:http://internal.amazon.com/coral/com.amazon.coral.validate/" << kValidation
            << int(ErrorClass::ClientError) << "HTTP 400 ValidationError: Endpoint sdxl";
        QTest::newRow("InvalidSignatureException 403")
            << 403 << "InvalidSignatureException" << kBadSignature << int(ErrorClass::ClientError) << "secret_key_env";
        QTest::newRow("ServiceUnavailable 503") << 503 << "ServiceUnavailable" << kServiceUnavailable
                                                << int(ErrorClass::ServerError) << "ServiceUnavailable";
        QTest::newRow("InternalFailure 500")
            << 500 << "InternalFailure" << kInternalFailure << int(ErrorClass::ServerError) << "internal error";
        QTest::newRow("InternalDependencyException 530")
            << 530 << "InternalDependencyException" << kDependency << int(ErrorClass::ServerError) << "530";
        QTest::newRow("unnamed 404") << 404 << ""
                                     << "{}" << int(ErrorClass::ClientError) << "HTTP 404";
    }

    void errorsAreClassified()
    {
        QFETCH(int, status);
        QFETCH(QString, errorType);
        QFETCH(QString, body);
        QFETCH(int, expected);
        QFETCH(QString, mentions);
        SageMakerAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        HttpHeaders headers = { { "content-type", "application/json" } };
        if (!errorType.isEmpty())
            headers.emplace_back("x-amzn-errortype", errorType.toStdString());
        const Action a = adapter.onResponse(job, answer(status, body.toStdString(), headers));
        QCOMPARE(int(a.kind), int(Action::Kind::Fail));
        QCOMPARE(int(a.error), expected);
        QVERIFY2(a.message.find(mentions.toStdString()) != std::string::npos, a.message.c_str());
    }

    void transportFailures()
    {
        SageMakerAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        HttpResponse timedOut;
        timedOut.timedOut = true;
        timedOut.transportError = "Operation timed out";
        QVERIFY(isError(adapter.onResponse(job, timedOut), ErrorClass::Timeout));
        HttpResponse refused;
        refused.transportError = "Connection refused";
        QVERIFY(isError(adapter.onResponse(job, refused), ErrorClass::Transport));
    }

    // The whole async walk: upload, invoke, miss, miss, output found (an image: presigned download).
    void asyncUploadsInvokesAndPolls()
    {
        SageMakerAdapter adapter(options(true));
        JobState job = newJob();
        const HttpRequest upload = adapter.submit(job);
        QCOMPARE(upload.method, std::string("PUT"));
        QVERIFY(upload.url.starts_with("http://127.0.0.1:9/s3/sm-inputs/bench/t2ibench-"));
        QVERIFY(upload.url.ends_with("-7.json"));
        QCOMPARE(headerOf(upload, "X-Amz-Content-Sha256"), sha256Hex(upload.body));
        QVERIFY(headerOf(upload, "Authorization").find("/us-east-1/s3/aws4_request") != std::string::npos);
        QVERIFY(signatureVerifies(upload, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "s3"));
        QCOMPARE(json::parse(upload.body)["seed"].get<int>(), 45);

        Action a = adapter.onResponse(job, answer(200, ""));
        QCOMPARE(int(a.kind), int(Action::Kind::Send));
        QCOMPARE(a.delayMs, 0.0);
        QCOMPARE(a.request.url, std::string("http://127.0.0.1:9/rt/endpoints/sdxl/async-invocations"));
        const std::string inputUri = headerOf(a.request, "X-Amzn-SageMaker-InputLocation");
        QVERIFY(inputUri.starts_with("s3://sm-inputs/bench/t2ibench-"));
        QCOMPARE(headerOf(a.request, "X-Amzn-SageMaker-Content-Type"), std::string("application/json"));
        QVERIFY(a.request.body.empty());
        QVERIFY(signatureVerifies(a.request, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "sagemaker"));
        QVERIFY(!job.accepted);

        a = adapter.onResponse(job,
            answer(202, kAsyncAccepted,
                { { "x-amzn-sagemaker-outputlocation", kOutputLocation },
                    { "x-amzn-sagemaker-failurelocation", kFailureLocation } }));
        QVERIFY(job.accepted);
        QCOMPARE(job.jobId, std::string("c2a1e8b4-7d0e-4c4f-9a55-0e3f4f1b2a11"));
        QCOMPARE(job.providerStatus, std::string("InProgress"));
        QCOMPARE(a.request.method, std::string("HEAD"));
        QCOMPARE(
            a.request.url, std::string("http://127.0.0.1:9/s3/sm-async/out/c2a1e8b4-7d0e-4c4f-9a55-0e3f4f1b2a11.out"));
        QCOMPARE(a.delayMs, 100.0);

        a = adapter.onResponse(job, answer(404, "")); // output not there: check the failure at once
        QCOMPARE(a.request.method, std::string("HEAD"));
        QVERIFY(a.request.url.ends_with("/sm-async/failures/c2a1e8b4-7d0e-4c4f-9a55-0e3f4f1b2a11-error.out"));
        QCOMPARE(a.delayMs, 0.0);
        a = adapter.onResponse(job, answer(404, "")); // no failure either: next poll after the interval
        QVERIFY(a.request.url.ends_with(".out") && a.request.url.find("/out/") != std::string::npos);
        QCOMPARE(a.delayMs, 100.0);
        QCOMPARE(job.polls, 2);

        a = adapter.onResponse(job, answer(200, "", { { "content-type", "image/png" } }));
        QCOMPARE(int(a.kind), int(Action::Kind::Done));
        QCOMPARE(job.providerStatus, std::string("Completed"));
        QCOMPARE(int(job.imageUrls.size()), 1);
        const std::string& url = job.imageUrls[0];
        QVERIFY(url.starts_with(
            "http://127.0.0.1:9/s3/sm-async/out/c2a1e8b4-7d0e-4c4f-9a55-0e3f4f1b2a11.out?"
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3"));
        QVERIFY(url.find("&X-Amz-Signature=") != std::string::npos);
    }

    void asyncJsonOutputIsFetchedAndRead()
    {
        SageMakerAdapter adapter(options(true));
        JobState job = newJob();
        adapter.submit(job);
        adapter.onResponse(job, answer(200, ""));
        adapter.onResponse(
            job, answer(202, kAsyncAccepted, { { "x-amzn-sagemaker-outputlocation", kOutputLocation } }));
        Action a = adapter.onResponse(job, answer(200, "", { { "content-type", "application/json" } }));
        QCOMPARE(a.request.method, std::string("GET"));
        QVERIFY(signatureVerifies(a.request, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "s3"));
        a = adapter.onResponse(job,
            answer(200, "{\"images\": [\"" + base64Encode(kPng) + "\"]}", { { "content-type", "application/json" } }));
        QCOMPARE(int(a.kind), int(Action::Kind::Done));
        QCOMPARE(*job.images.at(0).bytes(), kPng);
        QVERIFY(job.imageUrls.empty());
    }

    void asyncFailureObjectFailsTheJob()
    {
        SageMakerAdapter adapter(options(true));
        JobState job = newJob();
        adapter.submit(job);
        adapter.onResponse(job, answer(200, ""));
        adapter.onResponse(job,
            answer(202, kAsyncAccepted,
                { { "x-amzn-sagemaker-outputlocation", kOutputLocation },
                    { "x-amzn-sagemaker-failurelocation", kFailureLocation } }));
        adapter.onResponse(job, answer(404, ""));
        Action a = adapter.onResponse(job, answer(200, "")); // the failure object exists
        QCOMPARE(a.request.method, std::string("GET"));
        QCOMPARE(job.providerStatus, std::string("Failed"));
        a = adapter.onResponse(job, answer(200, kFailureObject, { { "content-type", "text/plain" } }));
        QVERIFY(isError(a, ErrorClass::OutOfMemory)); // the failure object says CUDA out of memory
        QVERIFY2(a.message.find("CUDA out of memory") != std::string::npos, a.message.c_str());
    }

    void s3ErrorsAreClassified_data()
    {
        QTest::addColumn<QString>("step"); // "upload" or "poll"
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("expected");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("upload to a missing bucket")
            << "upload" << 404 << kS3NoSuchBucket << int(ErrorClass::ClientError) << "NoSuchBucket";
        QTest::newRow("upload slowed down")
            << "upload" << 503 << kS3SlowDown << int(ErrorClass::Throttled) << "SlowDown";
        QTest::newRow("poll forbidden") << "poll" << 403 << "" << int(ErrorClass::ClientError) << "s3:ListBucket";
        QTest::newRow("poll 500") << "poll" << 500 << "" << int(ErrorClass::ServerError) << "HTTP 500";
    }

    void s3ErrorsAreClassified()
    {
        QFETCH(QString, step);
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(int, expected);
        QFETCH(QString, mentions);
        SageMakerAdapter adapter(options(true));
        JobState job = newJob();
        adapter.submit(job);
        if (step == "poll") {
            adapter.onResponse(job, answer(200, ""));
            adapter.onResponse(
                job, answer(202, kAsyncAccepted, { { "x-amzn-sagemaker-outputlocation", kOutputLocation } }));
        }
        const Action a = adapter.onResponse(job, answer(status, body.toStdString()));
        QCOMPARE(int(a.error), expected);
        QVERIFY2(a.message.find(mentions.toStdString()) != std::string::npos, a.message.c_str());
    }

    void asyncWithAFixedInputLocationInvokesAtOnce()
    {
        SageMakerOptions o = options(true);
        o.s3InputPrefix.clear();
        o.inputLocation = "s3://sm-inputs/fixed/payload.json";
        SageMakerAdapter adapter(o);
        JobState job = newJob();
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(r.url, std::string("http://127.0.0.1:9/rt/endpoints/sdxl/async-invocations"));
        QCOMPARE(headerOf(r, "X-Amzn-SageMaker-InputLocation"), std::string("s3://sm-inputs/fixed/payload.json"));
    }

    void fromConfigDefaultsAndOverrides()
    {
        ProviderConfig provider;
        provider.type = "sagemaker";
        provider.settings = { { "type", "sagemaker" }, { "region", "eu-west-1" }, { "endpoint_name", "sdxl-inf2" },
            { "mode", "async" }, { "access_key_env", "MY_AK" }, { "secret_key_env", "MY_SK" },
            { "s3_input_prefix", "s3://in/p/" }, { "custom_attributes", "trace=1" }, { "request_ttl_s", 600 },
            { "target_variant", "ignored-for-async" } };
        AdapterContext context({}, {}, 40);
        context.secrets = { { "access_key_env", "AKIAEXAMPLE" }, { "secret_key_env", "s3cr3t" } };
        SageMakerOptions o = SageMakerOptions::fromConfig(provider, context);
        QCOMPARE(o.runtimeBase, std::string("https://runtime.sagemaker.eu-west-1.amazonaws.com"));
        QCOMPARE(o.controlBase, std::string("https://api.sagemaker.eu-west-1.amazonaws.com"));
        QCOMPARE(o.s3Base, std::string("https://s3.eu-west-1.amazonaws.com"));
        QVERIFY(!o.s3PathStyle);
        QVERIFY(o.async);
        QCOMPARE(o.credentials.accessKeyId, std::string("AKIAEXAMPLE"));
        QCOMPARE(o.credentials.secretAccessKey, std::string("s3cr3t"));
        QVERIFY(o.credentials.sessionToken.empty());
        QCOMPARE(o.pollIntervalMs, 40);
        const HttpHeaders expected
            = { { "X-Amzn-SageMaker-Custom-Attributes", "trace=1" }, { "X-Amzn-SageMaker-RequestTTLSeconds", "600" } };
        QVERIFY(o.invokeHeaders == expected);
        // Real S3 is addressed virtual-hosted.
        QCOMPARE(SageMakerAdapter(o).s3Url({ "in", "p/a b.json" }),
            std::string("https://in.s3.eu-west-1.amazonaws.com/p/a%20b.json"));

        provider.settings["s3_endpoint"] = "http://127.0.0.1:9000/";
        o = SageMakerOptions::fromConfig(provider, AdapterContext("http://127.0.0.1:8080/", {}, 40));
        QCOMPARE(o.runtimeBase, std::string("http://127.0.0.1:8080"));
        QVERIFY(o.s3PathStyle); // an S3-compatible server, path-style
        QCOMPARE(SageMakerAdapter(o).s3Url({ "in", "k" }), std::string("http://127.0.0.1:9000/in/k"));
        QCOMPARE(makeAdapter(provider, context)->type(), std::string("sagemaker"));
    }

    void describeEndpointGivesWorkerCounts()
    {
        SageMakerOptions o = options();
        QVERIFY(!SageMakerAdapter(o).healthRequest()); // off unless asked for
        o.describeEndpoint = true;
        SageMakerAdapter adapter(o);
        const auto request = adapter.healthRequest();
        QVERIFY(request.has_value());
        QCOMPARE(request->url, std::string("http://127.0.0.1:9/api/"));
        QCOMPARE(headerOf(*request, "X-Amz-Target"), std::string("SageMaker.DescribeEndpoint"));
        QCOMPARE(headerOf(*request, "Content-Type"), std::string("application/x-amz-json-1.1"));
        QCOMPARE(json::parse(request->body)["EndpointName"].get<std::string>(), std::string("sdxl"));
        QVERIFY(signatureVerifies(*request, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "sagemaker"));
        const auto sample = adapter.parseHealth(answer(200, kDescribeScalingUp));
        QVERIFY(sample.has_value());
        QCOMPARE(sample->ready, 1);
        QCOMPARE(sample->initializing, 2);
        QVERIFY(!adapter.parseHealth(answer(400, "{}")));
    }

    void s3Uris()
    {
        const auto full = parseS3Uri("s3://bucket/a/b.out");
        QVERIFY(full.has_value());
        QCOMPARE(full->bucket, std::string("bucket"));
        QCOMPARE(full->key, std::string("a/b.out"));
        QCOMPARE(full->uri(), std::string("s3://bucket/a/b.out"));
        QCOMPARE(parseS3Uri("s3://bucket")->key, std::string());
        QVERIFY(!parseS3Uri("https://bucket/a"));
        QVERIFY(!parseS3Uri("s3:///key"));
    }
};

QTEST_GUILESS_MAIN(TestSageMakerAdapter)
#include "tst_sagemakeradapter.moc"
