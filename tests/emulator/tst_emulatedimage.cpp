// SPDX-License-Identifier: Apache-2.0
// The emulator's images (docs/emulator.md, "Images"): valid files of the profile's format, of
// realistic size, a distinct file per image, the same bytes whether sent raw or as base64.
// Decoded for real: PNG and JPEG by QImage, WebP by libwebp (Qt's WebP plugin may be absent).
#include "emulatedimage.h"

#include <QBuffer>
#include <QImage>
#include <QImageReader>
#include <QTest>

#include <nlohmann/json.hpp>
#include <webp/decode.h>

using namespace t2i;

namespace {

ImageSettings settingsOf(const QString& format, int quality = 90, double bytesPerMegapixel = 0)
{
    ImageSettings s;
    s.format = format == "jpeg" ? ImageFormat::Jpeg : format == "webp" ? ImageFormat::Webp : ImageFormat::Png;
    s.quality = quality;
    s.bytesPerMegapixel = bytesPerMegapixel;
    return s;
}

JobTruth job(int width, int height, int images, const std::string& id = "job-1", int64_t seed = 7)
{
    JobTruth t;
    t.jobId = id;
    t.seed = seed;
    t.status = JobStatus::Completed;
    t.spec.width = width;
    t.spec.height = height;
    t.spec.images = images;
    t.spec.promptHash = images::promptHash("a red fox in the snow");
    return t;
}

// {width, height} of a decoded image; {-1, -1} if it does not decode.
QSize decodedSize(const std::string& bytes, const QString& format)
{
    if (format == "webp") {
        if (bytes.size() < 12 || bytes.compare(0, 4, "RIFF") != 0 || bytes.compare(8, 4, "WEBP") != 0)
            return { -1, -1 };
        // The RIFF size covers the whole file after its first 8 bytes.
        const auto riff = uint32_t(uint8_t(bytes[4])) | uint32_t(uint8_t(bytes[5])) << 8
            | uint32_t(uint8_t(bytes[6])) << 16 | uint32_t(uint8_t(bytes[7])) << 24;
        if (riff + 8 != bytes.size())
            return { -1, -1 };
        int width = 0, height = 0;
        uint8_t* rgb = WebPDecodeRGB(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), &width, &height);
        if (!rgb)
            return { -1, -1 };
        WebPFree(rgb);
        return { width, height };
    }
    QByteArray data = QByteArray::fromStdString(bytes);
    QBuffer buffer(&data);
    QImageReader reader(&buffer, format.toLatin1());
    const QImage image = reader.read();
    return image.isNull() ? QSize(-1, -1) : image.size();
}

} // namespace

class TestEmulatedImage : public QObject {
    Q_OBJECT
private slots:
    void imagesDecodeAtTheirSize_data();
    void imagesDecodeAtTheirSize();
    void sizesAreRealistic_data();
    void sizesAreRealistic();
    void bytesPerMegapixelIsExact_data();
    void bytesPerMegapixelIsExact();
    void eachImageIsItsOwnFile();
    void base64IsOfTheSameBytes_data();
    void base64IsOfTheSameBytes();
    void splicingPutsEachImageWhereItsPlaceholderIs();
    void fileNamesRoundTrip();
    void jobBytesCountsCompletedJobsOnly();
};

void TestEmulatedImage::imagesDecodeAtTheirSize_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    for (const char* format : { "png", "jpeg", "webp" }) {
        QTest::addRow("%s 1024x1024", format) << format << 1024 << 1024;
        QTest::addRow("%s 96x64", format) << format << 96 << 64;
        QTest::addRow("%s 7x3", format) << format << 7 << 3;
    }
}

void TestEmulatedImage::imagesDecodeAtTheirSize()
{
    QFETCH(QString, format);
    QFETCH(int, width);
    QFETCH(int, height);
    const std::string bytes = images::bytes(settingsOf(format), images::ofJob(job(width, height, 1), 0));
    QCOMPARE(decodedSize(bytes, format), QSize(width, height));
}

// docs/emulator.md gives the sizes measured; these are the ranges real platforms deliver.
void TestEmulatedImage::sizesAreRealistic_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("quality");
    QTest::addColumn<qint64>("least");
    QTest::addColumn<qint64>("most");
    QTest::newRow("SDXL PNG 1024x1024: 1.2-1.8 MB") << "png" << 90 << qint64(1'200'000) << qint64(1'800'000);
    QTest::newRow("JPEG q90 1024x1024: 100-400 KB") << "jpeg" << 90 << qint64(100'000) << qint64(400'000);
    QTest::newRow("WebP q90 1024x1024: 100-400 KB") << "webp" << 90 << qint64(100'000) << qint64(400'000);
}

void TestEmulatedImage::sizesAreRealistic()
{
    QFETCH(QString, format);
    QFETCH(int, quality);
    QFETCH(qint64, least);
    QFETCH(qint64, most);
    const ImageSettings settings = settingsOf(format, quality);
    for (int look = 0; look < images::kLooks; ++look) {
        const images::Image image { 1024, 1024, uint64_t(look), "look" };
        const auto size = qint64(images::bytes(settings, image).size());
        QVERIFY2(size >= least && size <= most, qPrintable(QString::number(size)));
        QCOMPARE(images::size(settings, image), size);
    }
}

void TestEmulatedImage::bytesPerMegapixelIsExact_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<double>("bytesPerMegapixel");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("PNG 1.6 MB per megapixel at 1024x1024") << "png" << 1.6e6 << 1024 << 1024 << qint64(1'677'722);
    QTest::newRow("PNG 1 MB per megapixel at 512x512") << "png" << 1e6 << 512 << 512 << qint64(262'144);
    QTest::newRow("JPEG 300 KB per megapixel at 1024x1024") << "jpeg" << 3e5 << 1024 << 1024 << qint64(314'573);
    QTest::newRow("JPEG 150 KB per megapixel at 1024x768") << "jpeg" << 1.5e5 << 1024 << 768 << qint64(117'965);
    // RIFF sizes are even: an odd target is rounded up.
    QTest::newRow("WebP 200 KB per megapixel at 1024x1024") << "webp" << 2e5 << 1024 << 1024 << qint64(209'716);
    QTest::newRow("WebP, odd target") << "webp" << 200'001.0 << 1000 << 1000 << qint64(200'002);
}

void TestEmulatedImage::bytesPerMegapixelIsExact()
{
    QFETCH(QString, format);
    QFETCH(double, bytesPerMegapixel);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(qint64, expected);
    const ImageSettings settings = settingsOf(format, 90, bytesPerMegapixel);
    const JobTruth t = job(width, height, 2);
    for (int i = 0; i < 2; ++i) {
        const std::string bytes = images::bytes(settings, images::ofJob(t, i));
        QCOMPARE(qint64(bytes.size()), expected);
        QCOMPARE(decodedSize(bytes, format), QSize(width, height));
    }
    QCOMPARE(qint64(images::jobBytes(settings, t)), 2 * expected);
}

void TestEmulatedImage::eachImageIsItsOwnFile()
{
    const ImageSettings settings = settingsOf("png");
    const JobTruth t = job(256, 256, 2);
    const std::string first = images::bytes(settings, images::ofJob(t, 0));
    const std::string second = images::bytes(settings, images::ofJob(t, 1));
    QVERIFY(first != second);
    QVERIFY(first != images::bytes(settings, images::ofJob(job(256, 256, 1, "job-2"), 0)));
    // Deterministic: the same job and image give the same bytes every time.
    QVERIFY(first == images::bytes(settings, images::ofJob(t, 0)));
    QVERIFY(images::ofJob(t, 0).tag.find("job=job-1 image=0 seed=7") != std::string::npos);
}

void TestEmulatedImage::base64IsOfTheSameBytes_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<double>("bytesPerMegapixel");
    for (const char* format : { "png", "jpeg", "webp" }) {
        QTest::addRow("%s", format) << format << 0.0;
        QTest::addRow("%s, exact size", format) << format << 123'457.0;
    }
}

void TestEmulatedImage::base64IsOfTheSameBytes()
{
    QFETCH(QString, format);
    QFETCH(double, bytesPerMegapixel);
    const ImageSettings settings = settingsOf(format, 80, bytesPerMegapixel);
    const images::Image image = images::ofJob(job(320, 240, 1), 0);
    const QByteArray raw = QByteArray::fromStdString(images::bytes(settings, image));
    QCOMPARE(QByteArray::fromStdString(images::base64(settings, image)), raw.toBase64());
}

void TestEmulatedImage::splicingPutsEachImageWhereItsPlaceholderIs()
{
    const ImageSettings settings = settingsOf("jpeg");
    const JobTruth t = job(64, 64, 2);
    const nlohmann::json body = { { "first", images::placeholder(0) },
        { "all", { images::placeholder(0), images::placeholder(1) } }, { "seed", 7 } };
    const images::Spliced spliced = images::dumpWithImages(body, settings, t, images::dataUriPrefix(settings.format));
    const nlohmann::json parsed = nlohmann::json::parse(spliced.text);
    const std::string uri0 = "data:image/jpeg;base64," + images::base64(settings, images::ofJob(t, 0));
    const std::string uri1 = "data:image/jpeg;base64," + images::base64(settings, images::ofJob(t, 1));
    QCOMPARE(parsed["first"].get<std::string>(), uri0);
    QCOMPARE(parsed["all"][0].get<std::string>(), uri0);
    QCOMPARE(parsed["all"][1].get<std::string>(), uri1);
    QCOMPARE(parsed["seed"].get<int>(), 7);
    QCOMPARE(spliced.images, int64_t(2)); // image 0 twice in the text, counted once
    QCOMPARE(spliced.imageBytes, images::jobBytes(settings, t));
}

void TestEmulatedImage::fileNamesRoundTrip()
{
    const JobTruth t = job(64, 64, 12, "sync-0b1d-4c2e-u1");
    std::string id;
    int index = -1;
    const std::string name = images::fileName(t, 11, ImageFormat::Jpeg);
    QCOMPARE(name, std::string("sync-0b1d-4c2e-u1-11.jpg"));
    QVERIFY(images::parseFileName(name, ImageFormat::Jpeg, id, index));
    QCOMPARE(id, t.jobId);
    QCOMPARE(index, 11);
    QVERIFY(!images::parseFileName(name, ImageFormat::Png, id, index)); // another format's name
    QVERIFY(!images::parseFileName("abc-x.jpg", ImageFormat::Jpeg, id, index));
    QVERIFY(!images::parseFileName("-1.jpg", ImageFormat::Jpeg, id, index));
}

void TestEmulatedImage::jobBytesCountsCompletedJobsOnly()
{
    const ImageSettings settings = settingsOf("webp");
    JobTruth t = job(128, 128, 3);
    int64_t total = 0; // each image has its look, and looks differ in size
    for (int i = 0; i < 3; ++i)
        total += int64_t(images::bytes(settings, images::ofJob(t, i)).size());
    QCOMPARE(images::jobBytes(settings, t), total);
    t.status = JobStatus::Failed;
    QCOMPARE(images::jobBytes(settings, t), int64_t(0));
}

QTEST_GUILESS_MAIN(TestEmulatedImage)
#include "tst_emulatedimage.moc"
