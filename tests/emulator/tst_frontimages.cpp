// SPDX-License-Identifier: Apache-2.0
// Every front delivers the images the platform defines for a job (images::bytes of the job's
// truth), whether inline (RunPod's data URIs, OpenAI's b64_json) or as /files/ URLs (OpenAI,
// Replicate, fal), in the profile's format; the truth's image_bytes and the ledger's egress are
// what was served. All four fronts share one platform, in-process, over real HTTP.
#include "emulatedimage.h"
#include "emulatortestclient.h"
#include "falfront.h"
#include "openaifront.h"
#include "platformdriver.h"
#include "replicatefront.h"
#include "runpodfront.h"
#include "truthlog.h"

#include <QTest>
#include <QUrl>

using namespace t2i;
using namespace t2i::test;
using nlohmann::json;

namespace {

PlatformProfile quick(ImageFormat format)
{
    PlatformProfile p;
    p.name = "quick";
    p.maxWorkers = 4;
    p.idleTimeoutMs = 1000;
    p.coldBoot = { 50, 0 };
    p.coldLoad = { 50, 0 };
    p.scaleOn = ScaleOn::RequestCount;
    p.baseMs = 50;
    p.msPerMegapixelStep = 0;
    p.images.format = format;
    p.images.quality = 90;
    return p;
}

struct Harness {
    explicit Harness(PlatformProfile profile)
        : driver(std::move(profile), 42)
        , runpod(driver, {})
        , openai(driver, {})
        , replicate(driver, {})
        , fal(driver, {})
        , runpodPort(runpod.listen(0))
        , openaiPort(openai.listen(0))
        , replicatePort(replicate.listen(0))
        , falPort(fal.listen(0))
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
    RunPodFront runpod;
    OpenAIFront openai;
    ReplicateFront replicate;
    FalFront fal;
    quint16 runpodPort, openaiPort, replicatePort, falPort;
    std::vector<JobTruth> truths;
};

const char* const kPrompt = "a lighthouse at dusk, oil painting";

QString pathOf(const json& url)
{
    return QUrl(QString::fromStdString(url.get<std::string>())).path();
}

// What a served image must be: the bytes the platform defines for image i of the job.
QByteArray expected(const Harness& h, const JobTruth& truth, int i)
{
    return QByteArray::fromStdString(images::bytes(h.driver.profile().images, images::ofJob(truth, i)));
}

} // namespace

class TestFrontImages : public QObject {
    Q_OBJECT
private slots:
    void everyFrontServesTheJobsImages_data();
    void everyFrontServesTheJobsImages();
};

void TestFrontImages::everyFrontServesTheJobsImages_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("mime");
    QTest::addColumn<QString>("extension");
    QTest::newRow("png") << int(ImageFormat::Png) << QByteArray("image/png") << "png";
    QTest::newRow("jpeg") << int(ImageFormat::Jpeg) << QByteArray("image/jpeg") << "jpg";
    QTest::newRow("webp") << int(ImageFormat::Webp) << QByteArray("image/webp") << "webp";
}

void TestFrontImages::everyFrontServesTheJobsImages()
{
    QFETCH(int, format);
    QFETCH(QByteArray, mime);
    QFETCH(QString, extension);
    Harness h(quick(ImageFormat(format)));
    QVERIFY(h.runpodPort && h.openaiPort && h.replicatePort && h.falPort);
    std::map<std::string, int64_t> served; // by front: image bytes delivered
    std::map<std::string, int64_t> files; // by front: image bytes delivered as files

    // RunPod: data URIs of the profile's type; image_url is images[0].
    {
        TestClient client(h.runpodPort);
        const json input = { { "input",
            { { "prompt", kPrompt }, { "width", 160 }, { "height", 96 }, { "num_images", 2 }, { "seed", 5 } } } };
        const HttpResult r = client.post("/v2/ep/runsync", QByteArray::fromStdString(input.dump()));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("status", ""), std::string("COMPLETED"));
        const JobTruth* truth = h.truth(r.json.at("id").get<std::string>());
        QVERIFY(truth);
        QCOMPARE(truth->imageFormat, std::string(images::formatName(ImageFormat(format))));
        const std::string prefix = "data:" + mime.toStdString() + ";base64,";
        const json& output = r.json.at("output");
        T2I_COMPARE_JSON(output.at("image_url"), output.at("images")[0]);
        int64_t bytes = 0;
        for (int i = 0; i < 2; ++i) {
            const std::string uri = output.at("images")[size_t(i)].get<std::string>();
            QVERIFY(uri.starts_with(prefix));
            const QByteArray image = QByteArray::fromBase64(QByteArray::fromStdString(uri.substr(prefix.size())));
            QCOMPARE(image, expected(h, *truth, i));
            bytes += image.size();
        }
        QVERIFY(expected(h, *truth, 0) != expected(h, *truth, 1));
        QCOMPARE(truth->imageBytes, bytes);
        QCOMPARE(TruthLog::toJson(*truth)["image_bytes"].get<int64_t>(), bytes);
        served["runpod"] += bytes;
    }

    // OpenAI, inline (b64_json) and as URLs.
    TestClient openai(h.openaiPort);
    TestClient anonymousOpenai(h.openaiPort, {});
    for (const bool url : { false, true }) {
        json body = { { "model", "gpt-image-1" }, { "prompt", kPrompt }, { "n", 2 }, { "size", "128x128" } };
        if (url)
            body["response_format"] = "url";
        const HttpResult r = openai.post("/v1/images/generations", QByteArray::fromStdString(body.dump()));
        QCOMPARE(r.status, 200);
        const JobTruth* truth = h.truth(r.header("x-request-id").toStdString());
        QVERIFY(truth);
        int64_t bytes = 0;
        for (int i = 0; i < 2; ++i) {
            const json& item = r.json.at("data")[size_t(i)];
            QByteArray image;
            if (url) {
                const QString path = pathOf(item.at("url"));
                QVERIFY(path.endsWith("." + extension));
                const HttpResult file = anonymousOpenai.get(path);
                QCOMPARE(file.status, 200);
                QCOMPARE(file.header("Content-Type"), mime);
                image = file.body;
                files["openai"] += image.size();
            } else {
                image = QByteArray::fromBase64(QByteArray::fromStdString(item.at("b64_json").get<std::string>()));
            }
            QCOMPARE(image, expected(h, *truth, i));
            bytes += image.size();
        }
        QCOMPARE(truth->imageBytes, bytes);
        served["openai"] += bytes;
    }

    // Replicate: output URLs.
    {
        TestClient client(h.replicatePort);
        const json input = { { "input", { { "prompt", kPrompt }, { "width", 96 }, { "height", 160 } } } };
        const HttpResult created
            = client.post("/v1/models/acme/sdxl/predictions", QByteArray::fromStdString(input.dump()));
        QCOMPARE(created.status, 201);
        const std::string id = created.json.at("id").get<std::string>();
        HttpResult done;
        QTRY_VERIFY_WITH_TIMEOUT(
            (done = client.get(QString::fromStdString("/v1/predictions/" + id))).json.value("status", "")
                == "succeeded",
            20000);
        const JobTruth* truth = h.truth(id);
        QVERIFY(truth);
        const HttpResult file = TestClient(h.replicatePort, {}).get(pathOf(done.json.at("output")[0]));
        QCOMPARE(file.status, 200);
        QCOMPARE(file.header("Content-Type"), mime);
        QCOMPARE(file.body, expected(h, *truth, 0));
        QCOMPARE(truth->imageBytes, qint64(file.body.size()));
        served["replicate"] += file.body.size();
        files["replicate"] += file.body.size();
    }

    // fal: result URLs, content_type the profile's; the same file twice counts twice.
    {
        TestClient client(h.falPort, "Key test-key");
        const json input = { { "prompt", kPrompt }, { "image_size", { { "width", 128 }, { "height", 64 } } } };
        const HttpResult submitted = client.post("/fal-ai/fast-sdxl", QByteArray::fromStdString(input.dump()));
        QCOMPARE(submitted.status, 200);
        const std::string id = submitted.json.at("request_id").get<std::string>();
        const QString root = pathOf(submitted.json.at("response_url"));
        QTRY_VERIFY_WITH_TIMEOUT(client.get(root + "/status").json.value("status", "") == "COMPLETED", 20000);
        const HttpResult result = client.get(root);
        QCOMPARE(result.status, 200);
        const json& image = result.json.at("images")[0];
        QCOMPARE(QByteArray::fromStdString(image.at("content_type").get<std::string>()), mime);
        const JobTruth* truth = h.truth(id);
        QVERIFY(truth);
        TestClient anonymous(h.falPort, {});
        for (int download = 0; download < 2; ++download) {
            const HttpResult file = anonymous.get(pathOf(image.at("url")));
            QCOMPARE(file.status, 200);
            QCOMPARE(file.header("Content-Type"), mime);
            QCOMPARE(file.body, expected(h, *truth, 0));
            files["fal"] += file.body.size();
        }
        QCOMPARE(truth->imageBytes * 2, files["fal"]);
        served["fal"] += files["fal"];
    }

    const Ledger ledger = h.driver.shutdown();
    for (const auto& [front, bytes] : served) {
        QVERIFY2(ledger.egress.contains(front), front.c_str());
        const Egress& e = ledger.egress.at(front);
        QCOMPARE(e.inlineImageBytes + e.fileImageBytes, bytes);
        QCOMPARE(e.fileImageBytes, files[front]);
        QVERIFY(e.responses > 0);
        QVERIFY(e.responseBytes > bytes); // base64 and JSON around the images
    }
    QCOMPARE(ledger.egress.at("runpod").inlineImages, int64_t(2));
    QCOMPARE(ledger.egress.at("openai").inlineImages, int64_t(2));
    QCOMPARE(ledger.egress.at("openai").fileImages, int64_t(2));
    QCOMPARE(ledger.egress.at("fal").fileImages, int64_t(2));
    const json written = TruthLog::toJson(ledger)["ledger"]["egress"];
    QCOMPARE(written["runpod"]["inline_image_bytes"].get<int64_t>(), served["runpod"]);
    QCOMPARE(written["fal"]["file_images"].get<int64_t>(), int64_t(2));
}

QTEST_GUILESS_MAIN(TestFrontImages)
#include "tst_frontimages.moc"
