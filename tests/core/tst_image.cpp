// SPDX-License-Identifier: Apache-2.0
// Image checks: what decides whether a delivered image counts as a success.
#include "util/base64.h"
#include "util/image.h"

#include <QtTest>
#include <zlib.h>

using namespace t2i;

namespace {

std::string be32(std::uint32_t v)
{
    return { char(v >> 24), char(v >> 16), char(v >> 8), char(v) };
}

std::string chunk(const std::string& type, const std::string& data)
{
    const uLong crc = crc32(crc32(0, reinterpret_cast<const Bytef*>(type.data()), 4),
        reinterpret_cast<const Bytef*>(data.data()), uInt(data.size()));
    return be32(std::uint32_t(data.size())) + type + data + be32(std::uint32_t(crc));
}

std::string pngWithIdat(int width, int height, const std::string& idat)
{
    const std::string ihdr
        = be32(std::uint32_t(width)) + be32(std::uint32_t(height)) + std::string("\x08\x02\x00\x00\x00", 5);
    return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", "");
}

// The zlib stream of `rows` rows of an RGB image `width` wide.
std::string zlibRows(int width, int rows)
{
    std::string raw;
    for (int y = 0; y < rows; ++y) {
        raw += '\0';
        raw += std::string(std::size_t(width) * 3, char(y));
    }
    std::string packed(compressBound(uLong(raw.size())), '\0');
    uLongf packedSize = uLongf(packed.size());
    compress(reinterpret_cast<Bytef*>(packed.data()), &packedSize, reinterpret_cast<const Bytef*>(raw.data()),
        uLong(raw.size()));
    packed.resize(packedSize);
    return packed;
}

// An RGB PNG of width x height whose IDAT inflates to `rows` rows (rows == height when honest).
std::string makePng(int width, int height, int rows)
{
    return pngWithIdat(width, height, zlibRows(width, rows));
}

} // namespace

class TestImage : public QObject {
    Q_OBJECT
private slots:
    void base64RoundTrip_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("one byte pads twice") << QByteArray("f");
        QTest::newRow("two bytes pad once") << QByteArray("fo");
        QTest::newRow("binary") << QByteArray("\x00\xff\x10\x80\x7f", 5);
    }
    void base64RoundTrip()
    {
        QFETCH(QByteArray, bytes);
        const std::string in(bytes.constData(), std::size_t(bytes.size()));
        const std::string encoded = base64Encode(in);
        QCOMPARE(QByteArray::fromStdString(encoded), bytes.toBase64());
        QCOMPARE(*base64Decode(encoded), in);
    }

    void base64RejectsGarbage()
    {
        QVERIFY(!base64Decode("ab$d"));
        QVERIFY(!base64Decode("a")); // a lone sextet cannot be a byte
        QCOMPARE(*base64Decode("Zm9v\nYmFy"), std::string("foobar")); // line breaks are allowed
    }

    // The decoder reads whole quads fast and falls back to a character at a time at padding, line
    // breaks or garbage: every length, every switch point, against Qt's decoder.
    void base64MatchesQtAtEveryLengthAndBreak()
    {
        QByteArray bytes;
        for (int i = 0; i < 70; ++i)
            bytes.append(char(i * 37 + 11));
        for (int length = 0; length <= bytes.size(); ++length) {
            const QByteArray part = bytes.left(length);
            const std::string encoded = part.toBase64().toStdString();
            QCOMPARE(QByteArray::fromStdString(*base64Decode(encoded)), part);
            for (std::size_t at = 0; at <= encoded.size(); at += 3) {
                std::string broken = encoded;
                broken.insert(at, "\r\n");
                const auto decoded = base64Decode(broken);
                QVERIFY2(decoded, broken.c_str());
                QCOMPARE(QByteArray::fromStdString(*decoded), part);
                if (at < encoded.size() && encoded[at] != '=') {
                    std::string garbage = encoded;
                    garbage[at] = '$';
                    QVERIFY2(!base64Decode(garbage), garbage.c_str());
                }
            }
        }
    }

    void inlineImageForms()
    {
        QCOMPARE(*decodeInlineImage("data:image/png;base64,Zm9v"), std::string("foo"));
        QCOMPARE(*decodeInlineImage("Zm9v"), std::string("foo"));
        QVERIFY(!decodeInlineImage("data:image/png,Zm9v")); // not base64-encoded data URI
        QVERIFY(looksLikeUrl("https://image.runpod.ai/x.png"));
        QVERIFY(!looksLikeUrl("Zm9v"));
    }

    void pngChecks_data()
    {
        QTest::addColumn<QByteArray>("png");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        auto bytes = [](const std::string& s) { return QByteArray(s.data(), qsizetype(s.size())); };
        const std::string good = makePng(64, 48, 48);
        QTest::newRow("honest 64x48 RGB is valid") << bytes(good) << true << 64 << 48;
        QTest::newRow("data shorter than the header says is invalid") << bytes(makePng(64, 48, 40)) << false << 0 << 0;
        std::string badCrc = good;
        badCrc[20] = char(badCrc[20] ^ 1); // inside IHDR
        QTest::newRow("flipped bit fails the CRC") << bytes(badCrc) << false << 0 << 0;
        QTest::newRow("truncated file is invalid") << bytes(good.substr(0, good.size() - 12)) << false << 0 << 0;
        QTest::newRow("not an image") << QByteArray("<html>oops</html>") << false << 0 << 0;
        // The chunk CRCs are right in these: what is wrong is the zlib stream inside IDAT.
        const std::string stream = zlibRows(64, 48);
        QTest::newRow("zlib stream without its Adler-32 trailer is invalid")
            << bytes(pngWithIdat(64, 48, stream.substr(0, stream.size() - 4))) << false << 0 << 0;
        QTest::newRow("bytes after the zlib stream are invalid")
            << bytes(pngWithIdat(64, 48, stream + "junk")) << false << 0 << 0;
        QTest::newRow("a zlib header that is not deflate is invalid")
            << bytes(pngWithIdat(64, 48, "\x79\x9c" + stream.substr(2))) << false << 0 << 0;
        QTest::newRow("raw deflate without the zlib header is invalid")
            << bytes(pngWithIdat(64, 48, stream.substr(2))) << false << 0 << 0;
    }
    void pngChecks()
    {
        QFETCH(QByteArray, png);
        QFETCH(bool, valid);
        QFETCH(int, width);
        QFETCH(int, height);
        const ImageCheck check = checkImage(std::string_view(png.constData(), std::size_t(png.size())));
        QCOMPARE(check.valid, valid);
        if (valid) {
            QCOMPARE(check.format, std::string("png"));
            QCOMPARE(check.width, width);
            QCOMPARE(check.height, height);
        } else {
            QVERIFY(!check.problem.empty());
        }
    }

    void jpegFrameSize()
    {
        // SOI, an SOF0 segment declaring 300x200, EOI: enough to read the size.
        const std::string jpeg = std::string("\xFF\xD8", 2)
            + std::string("\xFF\xC0\x00\x11\x08\x00\xC8\x01\x2C\x03", 10) + std::string(15, '\0')
            + std::string("\xFF\xD9", 2);
        const ImageCheck check = checkImage(jpeg);
        QVERIFY2(check.valid, check.problem.c_str());
        QCOMPARE(check.width, 300);
        QCOMPARE(check.height, 200);
    }

    void sha256KnownVector()
    {
        QCOMPARE(sha256Hex("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }
};

QTEST_APPLESS_MAIN(TestImage)
#include "tst_image.moc"
