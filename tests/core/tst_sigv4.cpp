// SPDX-License-Identifier: Apache-2.0
// The SigV4 signer against AWS's published test suite and S3 examples: the canonical request, the
// string to sign and the Authorization header must match the published ones byte for byte.
#include "util/image.h"
#include "util/sigv4.h"

#include "sigv4vectors.h"

#include <QtTest>

using namespace t2i;
using namespace sigv4vectors;

namespace {

std::string headerOf(const sigv4::Headers& headers, const std::string& name)
{
    for (const auto& [key, value] : headers)
        if (key == name)
            return value;
    return {};
}

const sigv4::Scope kSuiteScope { "us-east-1", "service" };
const sigv4::Scope kS3Scope { "us-east-1", "s3" };

} // namespace

class TestSigV4 : public QObject {
    Q_OBJECT
private slots:
    void testSuite_data()
    {
        QTest::addColumn<int>("index");
        for (std::size_t i = 0; i < vectors().size(); ++i)
            QTest::newRow(vectors()[i].name) << int(i);
    }

    void testSuite()
    {
        QFETCH(int, index);
        const Vector& v = vectors()[std::size_t(index)];
        sigv4::Request request;
        request.method = v.method;
        request.path = v.path;
        request.query = v.query;
        request.headers = { { "Host", "example.amazonaws.com" }, { "X-Amz-Date", kDate } };
        request.headers.insert(request.headers.end(), v.headers.begin(), v.headers.end());
        request.payloadHash = sha256Hex(v.body); // the suite's bodies are hashed like any payload
        const sigv4::Signature s = sigv4::sign(request, { kAccessKey, kSecret, {} }, kSuiteScope, kDate);
        QCOMPARE(s.canonicalRequest, v.canonicalRequest);
        QCOMPARE(s.stringToSign, v.stringToSign);
        QCOMPARE(s.authorization, v.authorization);
    }

    // The whole header set for a request, body hashed by the signer: the suite's form-urlencoded POST.
    void signHeadersHashesTheBody()
    {
        const auto headers = sigv4::signHeaders("POST", "https://example.amazonaws.com/",
            { { "Content-Type", "application/x-www-form-urlencoded" } }, "Param1=value1", { kAccessKey, kSecret, {} },
            kSuiteScope, kDate);
        QVERIFY(headers.has_value());
        QCOMPARE(headerOf(*headers, "Host"), std::string("example.amazonaws.com"));
        QCOMPARE(headerOf(*headers, "X-Amz-Date"), kDate);
        QCOMPARE(headerOf(*headers, "Authorization"),
            auth("content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"));
        QVERIFY(headerOf(*headers, "X-Amz-Content-Sha256").empty()); // only S3 wants it
    }

    // Temporary credentials: the token is sent and signed (post-sts-header-before).
    void sessionTokenIsSignedAsAHeader()
    {
        const auto headers = sigv4::signHeaders("POST", "https://example.amazonaws.com/", {}, "",
            { kAccessKey, kSecret, kSessionToken }, kSuiteScope, kDate);
        QVERIFY(headers.has_value());
        QCOMPARE(headerOf(*headers, "X-Amz-Security-Token"), kSessionToken);
        QCOMPARE(headerOf(*headers, "Authorization"),
            auth("host;x-amz-date;x-amz-security-token",
                "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"));
    }

    void s3GetObjectWithRange()
    {
        sigv4::Request request { "GET", "/test.txt", "",
            { { "Host", "examplebucket.s3.amazonaws.com" }, { "Range", "bytes=0-9" },
                { "x-amz-content-sha256", kEmptyHash }, { "x-amz-date", kS3Date } },
            kEmptyHash };
        const sigv4::Signature s = sigv4::sign(request, { kS3AccessKey, kS3Secret, {} }, kS3Scope, kS3Date);
        QCOMPARE(s.canonicalRequest, kS3GetObjectCanonical);
        QCOMPARE(s.stringToSign, kS3GetObjectStringToSign);
        QCOMPARE(s.signature, kS3GetObjectSignature);

        // The same through signHeaders, which adds X-Amz-Content-Sha256 for S3 by itself.
        const auto headers = sigv4::signHeaders("GET", "https://examplebucket.s3.amazonaws.com/test.txt",
            { { "Range", "bytes=0-9" } }, "", { kS3AccessKey, kS3Secret, {} }, kS3Scope, kS3Date);
        QVERIFY(headers.has_value());
        QCOMPARE(headerOf(*headers, "X-Amz-Content-Sha256"), kEmptyHash);
        QVERIFY(headerOf(*headers, "Authorization").ends_with("Signature=" + kS3GetObjectSignature));
    }

    // S3 signs the path as sent: "$" is encoded once in the URL and not again.
    void s3PutObjectEncodesTheKeyOnce()
    {
        const std::string key = "test$file.text";
        QCOMPARE(sigv4::uriEncode(key, true), std::string("test%24file.text"));
        const auto headers
            = sigv4::signHeaders("PUT", "https://examplebucket.s3.amazonaws.com/" + sigv4::uriEncode(key, true),
                { { "Date", "Fri, 24 May 2013 00:00:00 GMT" }, { "x-amz-storage-class", "REDUCED_REDUNDANCY" } },
                "Welcome to Amazon S3.", { kS3AccessKey, kS3Secret, {} }, kS3Scope, kS3Date);
        QVERIFY(headers.has_value());
        QCOMPARE(headerOf(*headers, "X-Amz-Content-Sha256"),
            std::string("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"));
        QCOMPARE(headerOf(*headers, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature="
                + kS3PutObjectSignature);
    }

    void s3PresignedGet()
    {
        const auto url = sigv4::presignUrl("GET", "https://examplebucket.s3.amazonaws.com/test.txt",
            { kS3AccessKey, kS3Secret, {} }, kS3Scope, kS3Date, 86400);
        QVERIFY(url.has_value());
        QCOMPARE(*url, kS3PresignedUrl);
    }

    void presignedUrlCarriesTheSessionToken()
    {
        const auto url = sigv4::presignUrl("GET", "http://127.0.0.1:9000/bucket/out/a.out",
            { kS3AccessKey, kS3Secret, "tok/en+=" }, kS3Scope, kS3Date, 60);
        QVERIFY(url.has_value());
        QVERIFY(url->starts_with("http://127.0.0.1:9000/bucket/out/a.out?X-Amz-Algorithm=AWS4-HMAC-SHA256&"));
        QVERIFY(url->find("&X-Amz-Security-Token=tok%2Fen%2B%3D&X-Amz-Signature=") != std::string::npos);
    }

    void nonS3PathsAreEncodedAgain()
    {
        // A path already percent-encoded on the wire is encoded a second time (all services but S3).
        QCOMPARE(sigv4::canonicalUri("/endpoints/my%20ep/invocations", false),
            std::string("/endpoints/my%2520ep/invocations"));
        QCOMPARE(sigv4::canonicalUri("/bucket/my%20key", true), std::string("/bucket/my%20key"));
        QCOMPARE(sigv4::canonicalUri("", false), std::string("/"));
    }

    void amzDateIsUtc()
    {
        const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1440938160));
        QCOMPARE(sigv4::amzDate(when), kDate);
    }

    void splitUrlKeepsOnlyNonDefaultPorts_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("query");
        QTest::newRow("https default port")
            << "https://Runtime.SageMaker.us-east-1.amazonaws.com:443/endpoints/x/invocations"
            << "runtime.sagemaker.us-east-1.amazonaws.com"
            << "/endpoints/x/invocations"
            << "";
        QTest::newRow("loopback port") << "http://127.0.0.1:8080/b/k?x=1#frag"
                                       << "127.0.0.1:8080"
                                       << "/b/k"
                                       << "x=1";
        QTest::newRow("no path") << "https://s3.amazonaws.com"
                                 << "s3.amazonaws.com"
                                 << "/"
                                 << "";
    }

    void splitUrlKeepsOnlyNonDefaultPorts()
    {
        QFETCH(QString, url);
        QFETCH(QString, host);
        QFETCH(QString, path);
        QFETCH(QString, query);
        const auto parts = sigv4::splitUrl(url.toStdString());
        QVERIFY(parts.has_value());
        QCOMPARE(QString::fromStdString(parts->host), host);
        QCOMPARE(QString::fromStdString(parts->path), path);
        QCOMPARE(QString::fromStdString(parts->query), query);
        QVERIFY(!sigv4::splitUrl("/relative/path").has_value());
    }

    void parseAuthorizationReadsBothSeparators_data()
    {
        QTest::addColumn<QString>("header");
        QTest::newRow("comma space") << QString::fromStdString(
            auth("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
        QTest::newRow("comma (S3 docs)") << "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                                            "aws4_request,SignedHeaders=host;x-amz-date,Signature="
                                            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    }

    void parseAuthorizationReadsBothSeparators()
    {
        QFETCH(QString, header);
        const auto parsed = sigv4::parseAuthorization(header.toStdString());
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->accessKeyId, kAccessKey);
        QCOMPARE(parsed->date, std::string("20150830"));
        QCOMPARE(parsed->region, std::string("us-east-1"));
        QCOMPARE(parsed->service, std::string("service"));
        QCOMPARE(int(parsed->signedHeaders.size()), 2);
        QCOMPARE(parsed->signedHeaders[1], std::string("x-amz-date"));
        QCOMPARE(parsed->signature, std::string("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
    }

    void parseAuthorizationRefusesOtherSchemes()
    {
        QVERIFY(!sigv4::parseAuthorization("Bearer abc").has_value());
        QVERIFY(
            !sigv4::parseAuthorization("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1, Signature=x").has_value());
    }
};

QTEST_GUILESS_MAIN(TestSigV4)
#include "tst_sigv4.moc"
