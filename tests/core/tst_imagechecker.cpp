// SPDX-License-Identifier: Apache-2.0
// The image-check thread: verdicts on images as platforms deliver them (bytes or base64 text),
// and the backlog that waits for it, held in memory up to its budget and in a temporary file past it.
#include "engine/imagechecker.h"
#include "util/base64.h"
#include "util/image.h"

#include <QBuffer>
#include <QImage>
#include <QRandomGenerator>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>

using namespace t2i;

namespace {

// A real PNG of noise (it does not deflate away, like a real image), written by Qt.
std::string noisePng(int width, int height, quint32 seed)
{
    QImage image(width, height, QImage::Format_RGB32);
    QRandomGenerator random(seed);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, random.generate() | 0xff000000u);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return { bytes.constData(), std::size_t(bytes.size()) };
}

DeliveredImage raw(std::string bytes)
{
    return { std::move(bytes), false };
}

DeliveredImage encoded(const std::string& bytes)
{
    return { base64Encode(bytes), true };
}

// Every verdict of `count` posted jobs, waited for with a generous safety net (not a timing check).
std::vector<ImageChecker::Verdict> verdicts(ImageChecker& checker, std::size_t count)
{
    std::vector<ImageChecker::Verdict> all;
    const QDeadlineTimer deadline(30000);
    while (!deadline.hasExpired()) {
        auto v = checker.take();
        all.insert(all.end(), v.begin(), v.end());
        if (all.size() >= count)
            break;
        QTest::qWait(5);
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
    return all;
}

} // namespace

class TestImageChecker : public QObject {
    Q_OBJECT
private slots:
    void verdictOnEachImage_data()
    {
        QTest::addColumn<int>("askedWidth");
        QTest::addColumn<int>("images");
        QTest::addColumn<bool>("base64");
        QTest::addColumn<bool>("ok");
        QTest::newRow("bytes of the right size are ok") << 64 << 2 << false << true;
        QTest::newRow("base64 of the right size is decoded and ok") << 64 << 2 << true << true;
        QTest::newRow("wrong size is refused") << 32 << 1 << false << false;
        QTest::newRow("wrong size in base64 is refused") << 32 << 1 << true << false;
        QTest::newRow("no image is refused") << 64 << 0 << false << false;
    }
    void verdictOnEachImage()
    {
        QFETCH(int, askedWidth);
        QFETCH(int, images);
        QFETCH(bool, base64);
        QFETCH(bool, ok);
        const std::string png = noisePng(64, 48, 1);
        const std::vector<DeliveredImage> delivered(std::size_t(images), base64 ? encoded(png) : raw(png));
        const auto verdict = ImageChecker::check(7, delivered, askedWidth, 48);
        QCOMPARE(verdict.ok, ok);
        QCOMPARE(verdict.images, images);
        QCOMPARE(verdict.problem.empty(), ok);
        if (images > 0) {
            QCOMPARE(verdict.hash, sha256Hex(png)); // of the image, not of its base64
            QCOMPARE(verdict.width, 64);
        }
    }

    // takeInlineImage only glances at the text; the check reads all of it.
    void base64BrokenInTheMiddleIsAnInvalidImage()
    {
        std::string text = base64Encode(noisePng(64, 48, 2));
        text[text.size() / 2] = '!';
        JobState job;
        QVERIFY(job.takeInlineImage("data:image/png;base64," + text));
        const auto verdict = ImageChecker::check(1, job.images, 64, 48);
        QVERIFY(!verdict.ok);
        QCOMPARE(verdict.problem, std::string("image 1: its base64 text does not decode"));
    }

    void inlineImagesAreKeptEncoded_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("taken");
        QTest::newRow("raw base64 is taken") << "iVBORw0KGgo=" << true;
        QTest::newRow("a base64 data URI is taken without its prefix") << "data:image/png;base64,iVBORw0KGgo=" << true;
        QTest::newRow("a data URI that is not base64 is refused") << "data:image/png,iVBORw0KGgo=" << false;
        QTest::newRow("a data URI with nothing after the comma is refused") << "data:image/png;base64," << false;
        QTest::newRow("an error message is refused") << "CUDA out of memory." << false;
        QTest::newRow("empty text is refused") << "" << false;
    }
    void inlineImagesAreKeptEncoded()
    {
        QFETCH(QString, text);
        QFETCH(bool, taken);
        JobState job;
        QCOMPARE(job.takeInlineImage(text.toStdString()), taken);
        QCOMPARE(job.images.size(), std::size_t(taken ? 1 : 0));
        if (taken) {
            QVERIFY(job.images[0].base64);
            QCOMPARE(job.images[0].data, std::string("iVBORw0KGgo="));
            QCOMPARE(*job.images[0].bytes(), std::string("\x89PNG\r\n\x1a\n"));
        }
    }

    void checkerThreadHandsVerdictsBack()
    {
        std::atomic<int> wakes { 0 };
        ImageChecker checker([&wakes] { ++wakes; });
        for (int i = 0; i < 20; ++i)
            checker.post(i, { encoded(noisePng(16, 16, quint32(i))) }, 16, 16);
        const auto all = verdicts(checker, 20);
        QCOMPARE(all.size(), std::size_t(20));
        QCOMPARE(checker.pending(), std::size_t(0));
        QVERIFY(wakes >= 1);
        QVERIFY(std::all_of(all.begin(), all.end(), [](const auto& v) { return v.ok; }));
        QCOMPARE(checker.backlog().spilledJobs, std::int64_t(0));
    }

    // Past its memory budget the backlog waits in the temporary file, and every image read back
    // gets the verdict it would have had in memory: the same hash, a bad one still bad.
    void backlogPastItsBudgetWaitsInAFile_data()
    {
        QTest::addColumn<int>("budgetJobs"); // how many jobs' images the budget holds
        QTest::newRow("no memory at all: every waiting job goes to the file") << 0;
        QTest::newRow("room for three jobs: the rest go to the file") << 3;
    }
    void backlogPastItsBudgetWaitsInAFile()
    {
        QFETCH(int, budgetJobs);
        std::vector<std::string> pngs;
        for (int i = 0; i < 24; ++i)
            pngs.push_back(noisePng(96, 64, quint32(100 + i)));
        const std::size_t jobBytes = base64Encode(pngs[0]).size() + 64;
        // The checker is held after its first verdict (its wake waits) until the file has taken
        // what is over the budget: without that, it could check the jobs before they are moved.
        std::atomic<bool> release { false };
        ImageChecker checker(
            [&release] {
                while (!release)
                    std::this_thread::yield();
            },
            std::size_t(budgetJobs) * jobBytes);
        for (int i = 0; i < 24; ++i) {
            DeliveredImage image = encoded(pngs[std::size_t(i)]);
            if (i == 5)
                image.data[image.data.size() / 2] = '!'; // broken, and must stay broken after the file
            checker.post(i, { std::move(image) }, 96, 64);
        }
        QTRY_VERIFY_WITH_TIMEOUT(checker.backlog().heldBytes <= std::size_t(budgetJobs) * jobBytes, 30000);
        release = true;
        const auto all = verdicts(checker, 24);
        QCOMPARE(all.size(), std::size_t(24));
        for (int i = 0; i < 24; ++i) {
            const auto& verdict = all[std::size_t(i)];
            QCOMPARE(verdict.seq, std::int64_t(i));
            QCOMPARE(verdict.ok, i != 5);
            if (i != 5)
                QCOMPARE(verdict.hash, sha256Hex(pngs[std::size_t(i)]));
        }
        const ImageChecker::Backlog backlog = checker.backlog();
        // All but the budget's jobs and the first (the checker may have taken it at once).
        QVERIFY2(backlog.spilledJobs >= 24 - budgetJobs - 1, qPrintable(QString::number(backlog.spilledJobs)));
        QVERIFY(backlog.peakSpillFileBytes >= std::size_t(24 - budgetJobs - 1) * (jobBytes - 64));
        QCOMPARE(backlog.spillFailures, std::int64_t(0));
        QCOMPARE(backlog.heldBytes, std::size_t(0));
    }

    // No temporary folder to write to: the images stay in memory and are still checked.
    void aFileThatCannotBeWrittenKeepsImagesInMemory()
    {
        const QByteArray before = qgetenv("TMPDIR");
        qputenv("TMPDIR", "/nonexistent/t2ibench-test");
        {
            std::atomic<bool> release { false }; // holds the checker after one verdict, as above
            ImageChecker checker(
                [&release] {
                    while (!release)
                        std::this_thread::yield();
                },
                0);
            for (int i = 0; i < 4; ++i)
                checker.post(i, { encoded(noisePng(16, 16, quint32(i))) }, 16, 16);
            QTRY_VERIFY_WITH_TIMEOUT(checker.backlog().spillFailures >= 1, 30000);
            release = true;
            const auto all = verdicts(checker, 4);
            QCOMPARE(all.size(), std::size_t(4));
            QVERIFY(std::all_of(all.begin(), all.end(), [](const auto& v) { return v.ok; }));
            QCOMPARE(checker.backlog().spillFailures, std::int64_t(1)); // the file is not tried again
            QCOMPARE(checker.backlog().spilledJobs, std::int64_t(0));
        }
        if (before.isNull())
            qunsetenv("TMPDIR");
        else
            qputenv("TMPDIR", before);
    }
};

QTEST_GUILESS_MAIN(TestImageChecker)
#include "tst_imagechecker.moc"
