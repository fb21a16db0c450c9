// SPDX-License-Identifier: Apache-2.0
// Reading platform answers (providers/json): every body, JSON or not, gives values an adapter can
// test, and messages that name the field.
#include "json/answertext.h"
#include "json/jsondoc.h"
#include "json/validationerrors.h"

#include <QtTest>

using namespace t2i;

namespace {

// A body whose capacity leaves no room after it, so the reader has to copy it.
std::string tight(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    out.append(text);
    out.shrink_to_fit();
    return out;
}

// A body with room for simdjson's padding, read in place.
std::string roomy(const std::string& text)
{
    std::string out;
    out.reserve(text.size() + 128);
    out.append(text);
    return out;
}

} // namespace

class TestJsonDoc : public QObject {
    Q_OBJECT
private slots:
    void validationErrorsRead_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("one error, the body location dropped")
            << R"({"detail": [{"loc": ["body", "steps"], "msg": "too large", "type": "x"}]})"
            << "steps: too large";
        QTest::newRow("two errors, nested location with an index")
            << R"({"detail": [{"loc": ["body", "images", 0], "msg": "a"}, {"loc": [], "msg": "b"}]})"
            << "images.0: a; b";
        QTest::newRow("an item that is not an object is its text") << R"({"detail": ["plain"]})"
                                                                   << "plain";
        QTest::newRow("not a list reads as nothing") << R"({"detail": "text"})"
                                                     << "";
    }
    void validationErrorsRead()
    {
        QFETCH(QString, body);
        QFETCH(QString, expected);
        const std::string text = body.toStdString();
        const t2i::JsonDoc doc(text);
        QCOMPARE(QString::fromStdString(t2i::validationErrors(doc, t2i::JsonPointer("/detail"))), expected);
    }

    void bodiesThatAreNotJsonAreInvalidWithAReason_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("reason");
        QTest::newRow("an empty body") << ""
                                       << "empty";
        QTest::newRow("only whitespace") << "  \n"
                                         << "whitespace";
        QTest::newRow("plain text") << "oops"
                                    << "starts with 'o'";
        QTest::newRow("an HTML error page") << "<html><body>502 Bad Gateway</body></html>"
                                            << "HTML";
        QTest::newRow("a byte order mark") << QString(QChar(0xFEFF)) + "{}"
                                           << "byte 239";
        QTest::newRow("an object cut short") << "{\"id\": "
                                             << "";
        QTest::newRow("an object cut inside a string") << "{\"id\": \"abc"
                                                       << "not closed";
        QTest::newRow("an array not closed") << "[1, 2"
                                             << "truncated";
        QTest::newRow("a trailing comma") << "{\"a\": 1,}"
                                          << "";
        QTest::newRow("a missing comma") << "[1 2]"
                                         << "";
        QTest::newRow("two documents") << "{\"a\": 1} {\"b\": 2}"
                                       << "more after";
        QTest::newRow("a scalar and garbage") << "42 x"
                                              << "more after";
        QTest::newRow("a misspelt literal") << "{\"a\": nul}"
                                            << "literal";
        QTest::newRow("a number with a leading zero") << "{\"a\": 01}"
                                                      << "";
        QTest::newRow("a number with a bare dot") << "{\"a\": 1.}"
                                                  << "";
        QTest::newRow("a number with a plus") << "[+1]"
                                              << "";
        QTest::newRow("NaN") << "{\"a\": NaN}"
                             << "";
        QTest::newRow("an invalid escape") << "{\"a\": \"\\x41\"}"
                                           << "escape";
        QTest::newRow("a lone surrogate escape") << "{\"a\": \"\\ud800\"}"
                                                 << "escape";
        QTest::newRow("a raw control character") << QString::fromLatin1("{\"a\": \"x\x01y\"}") << "control";
        QTest::newRow("nesting past the limit") << QString(300, '[') + QString(300, ']') << "deeper";
    }
    void bodiesThatAreNotJsonAreInvalidWithAReason()
    {
        QFETCH(QString, body);
        QFETCH(QString, reason);
        for (const std::string& text : { tight(body.toStdString()), roomy(body.toStdString()) }) {
            const JsonDoc doc(text);
            QVERIFY(!doc.valid());
            QVERIFY(!doc.error().empty());
            QVERIFY2(doc.error().find(reason.toStdString()) != std::string::npos, doc.error().c_str());
            QVERIFY(doc.rootType() == JsonType::Absent);
            QVERIFY(!doc.at("/id").present());
            QCOMPARE(doc.string("/id"), std::string());
            QVERIFY(doc.keys("").empty());
        }
    }

    void invalidUtf8IsNotJson()
    {
        const std::string body = std::string("{\"a\": \"") + char(0xC3) + char(0x28) + "\"}";
        const JsonDoc doc(body);
        QVERIFY(!doc.valid());
        QCOMPARE(doc.error(), std::string("invalid UTF-8"));
    }

    void validBodiesOfEveryShape_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("rootType");
        QTest::newRow("an object") << "{\"a\": [1, {\"b\": null}], \"c\": \"d\"}" << int(JsonType::Object);
        QTest::newRow("an array") << " [ ] " << int(JsonType::Array);
        QTest::newRow("a string") << "\"abc\"" << int(JsonType::String);
        QTest::newRow("a number") << "-1.5e3" << int(JsonType::Number);
        QTest::newRow("null") << "null" << int(JsonType::Null);
        QTest::newRow("true with whitespace") << "\n true \n" << int(JsonType::Bool);
        QTest::newRow("nesting at the limit") << QString(255, '[') + QString(255, ']') << int(JsonType::Array);
        QTest::newRow("a huge number is a number") << "[1e400]" << int(JsonType::Array);
    }
    void validBodiesOfEveryShape()
    {
        QFETCH(QString, body);
        QFETCH(int, rootType);
        for (const std::string& text : { tight(body.toStdString()), roomy(body.toStdString()) }) {
            const JsonDoc doc(text);
            QVERIFY2(doc.valid(), doc.error().c_str());
            QCOMPARE(int(doc.rootType()), rootType);
        }
    }

    void eachFieldSaysWhatItIs_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("mismatch");
        QTest::newRow("a missing key") << "/nope" << int(JsonType::Absent) << "nope is missing (expected a string)";
        QTest::newRow("null") << "/status" << int(JsonType::Null) << "status is null (expected a string)";
        QTest::newRow("an empty array") << "/workers" << int(JsonType::Array)
                                        << "workers is an empty array (expected a string)";
        QTest::newRow("a number") << "/delayTime" << int(JsonType::Number)
                                  << "delayTime is the number 1520 (expected a string)";
        QTest::newRow("a number out of range")
            << "/huge" << int(JsonType::Number) << "huge is a number out of range (1e400) (expected a string)";
        QTest::newRow("a nested string") << "/output/images/0/data" << int(JsonType::String)
                                         << "output.images.0.data is the string \"aGk=\" (expected a string)";
        QTest::newRow("an index past the end")
            << "/output/images/5" << int(JsonType::Absent) << "output.images.5 is missing (expected a string)";
        QTest::newRow("a key inside a string")
            << "/id/x" << int(JsonType::Absent) << "id.x is missing (expected a string)";
        QTest::newRow("an index into an object")
            << "/output/0" << int(JsonType::Absent) << "output.0 is missing (expected a string)";
        QTest::newRow("a key with a slash") << "/a~1b" << int(JsonType::Bool) << "a/b is true (expected a string)";
        QTest::newRow("not a pointer") << "status" << int(JsonType::Absent) << "status is missing (expected a string)";
        QTest::newRow("the whole answer")
            << "" << int(JsonType::Object) << "the answer is an object (expected a string)";
    }
    void eachFieldSaysWhatItIs()
    {
        QFETCH(QString, pointer);
        QFETCH(int, type);
        QFETCH(QString, mismatch);
        const std::string body = "{\"id\": \"job-1\", \"status\": null, \"workers\": [], \"delayTime\": 1520, "
                                 "\"huge\": 1e400, \"output\": {\"images\": [{\"data\": \"aGk=\"}]}, \"a/b\": true}";
        const JsonDoc doc(body);
        QVERIFY(doc.valid());
        const JsonValue value = doc.at(JsonPointer(pointer.toStdString()));
        QCOMPARE(int(value.type()), type);
        QCOMPARE(int(doc.type(JsonPointer(pointer.toStdString()))), type);
        QCOMPARE(QString::fromStdString(value.mismatch("a string")), mismatch);
    }

    void typedReadsAnswerOnlyTheirType()
    {
        const std::string body = "{\"s\": \"x\", \"i\": 42, \"f\": 2.5, \"w\": 3.0, \"e\": 1e3, \"neg\": -7, "
                                 "\"big\": 123456789012345678901234567890, \"u\": 18446744073709551615, "
                                 "\"huge\": -1e999, \"t\": true, \"n\": null, \"o\": {\"k\": 1, \"l\": 2}, "
                                 "\"esc\": \"a\\/b\\u00e9\\n\"}";
        const JsonDoc doc(body);
        QVERIFY(doc.valid());
        QCOMPARE(doc.string("/s"), std::string("x"));
        QCOMPARE(doc.string("/i"), std::string()); // not a string
        QVERIFY(!doc.number("/s"));
        QCOMPARE(*doc.number("/i"), 42.0);
        QCOMPARE(*doc.integer("/i"), std::int64_t(42));
        QCOMPARE(*doc.number("/f"), 2.5);
        QVERIFY(!doc.integer("/f"));
        QCOMPARE(*doc.integer("/w"), std::int64_t(3));
        QCOMPARE(*doc.integer("/e"), std::int64_t(1000));
        QCOMPARE(*doc.integer("/neg"), std::int64_t(-7));
        QVERIFY(doc.number("/big")); // finite as a double
        QVERIFY(!doc.integer("/big")); // but no 64-bit integer
        QVERIFY(!doc.integer("/u"));
        QVERIFY(!doc.number("/huge"));
        QCOMPARE(doc.type("/huge"), JsonType::Number);
        QCOMPARE(*doc.boolean("/t"), true);
        QVERIFY(!doc.boolean("/n"));
        QVERIFY(doc.at("/n").isNull());
        QCOMPARE(doc.size("/o"), std::size_t(2));
        QCOMPARE(doc.size("/s"), std::size_t(0));
        QCOMPARE(doc.string("/esc"), std::string("a/b\xC3\xA9\n"));
        QCOMPARE(doc.at("/i").text(), std::string("42"));
        QCOMPARE(doc.at("/t").text(), std::string("true"));
        QCOMPARE(doc.at("/o").text(), std::string());
    }

    void readsComeInAnyOrder()
    {
        const std::string body = "{\"a\": {\"b\": [10, 20, 30]}, \"c\": \"d\"}";
        const JsonDoc doc(body);
        QCOMPARE(doc.string("/c"), std::string("d"));
        QCOMPARE(*doc.integer("/a/b/2"), std::int64_t(30));
        QCOMPARE(doc.string("/c"), std::string("d"));
        QCOMPARE(*doc.integer("/a/b/0"), std::int64_t(10));
        QCOMPARE(doc.size("/a/b"), std::size_t(3));
        QCOMPARE(*doc.integer("/a/b/1"), std::int64_t(20));
    }

    void keysInDocumentOrder()
    {
        const std::string body = "{\"z\": 1, \"a/b\": 2, \"t~\": {}, \"e\\u00e9\": 3}";
        const JsonDoc doc(body);
        const std::vector<std::string> expected { "z", "a/b", "t~", "e\xC3\xA9" };
        QCOMPARE(doc.keys(""), expected);
        QCOMPARE(*doc.integer(JsonPointer() / "a/b"), std::int64_t(2));
        QCOMPARE(doc.type(JsonPointer() / "t~"), JsonType::Object);
        QVERIFY(doc.keys("/z").empty());
    }

    void withStringLendsTheStringInPlace()
    {
        const std::string image(1 << 20, 'A');
        const std::string body = roomy("{\"output\": {\"images\": [\"" + image + "\"]}, \"id\": 7}");
        const JsonDoc doc(body);
        std::size_t length = 0;
        bool insideBody = false;
        QVERIFY(doc.withString("/output/images/0", [&](std::string_view text) {
            length = text.size();
            insideBody = text.data() >= body.data() && text.data() < body.data() + body.size();
        }));
        QCOMPARE(length, image.size());
        Q_UNUSED(insideBody); // unescaped into the parser's buffer or read in place: either is fine
        QVERIFY(!doc.withString("/id", [](std::string_view) { QFAIL("not a string"); }));
        QVERIFY(!doc.withString("/nope", [](std::string_view) { QFAIL("absent"); }));
    }

    void jsonAndTextForMessages()
    {
        const std::string body = "{\"e\": { \"code\" : 5, \"why\": [ 1, \"a b\" ] }, \"s\": \"plain\", \"n\": 2}";
        const JsonDoc doc(body);
        QCOMPARE(*doc.json("/e"), std::string("{\"code\":5,\"why\":[1,\"a b\"]}"));
        QCOMPARE(*doc.json("/n"), std::string("2"));
        QCOMPARE(*doc.json("/s"), std::string("\"plain\""));
        QVERIFY(!doc.json("/nope"));
        QVERIFY(!doc.json("/e", 5)); // longer than asked for
        QCOMPARE(doc.text("/s"), std::string("plain"));
        QCOMPARE(doc.text("/e"), std::string("{\"code\":5,\"why\":[1,\"a b\"]}"));
        QCOMPARE(doc.text("/e", 10), std::string("{\"code\"..."));
        QCOMPARE(doc.text("/nope"), std::string());
    }

    void expandWildcards_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QStringList>("pointers");
        QTest::newRow("each element") << "/data/*/url" << QStringList { "/data/0/url", "/data/2/url" };
        QTest::newRow("the array itself") << "/data" << QStringList { "/data" };
        QTest::newRow("a star on an object is a key") << "/o/*" << QStringList { "/o/*" };
        QTest::newRow("nothing there") << "/none/*/x" << QStringList {};
        QTest::newRow("the root") << "" << QStringList { "" };
        QTest::newRow("not a pointer") << "data" << QStringList {};
    }
    void expandWildcards()
    {
        QFETCH(QString, pattern);
        QFETCH(QStringList, pointers);
        const std::string body
            = "{\"data\": [{\"url\": \"a\"}, {\"b64\": \"b\"}, {\"url\": \"c\"}], \"o\": {\"*\": 1}}";
        const JsonDoc doc(body);
        QStringList got;
        for (const JsonPointer& p : doc.expand(JsonPointer(pattern.toStdString())))
            got << QString::fromStdString(p.str());
        QCOMPARE(got, pointers);
    }

    void pointerNames()
    {
        QCOMPARE(JsonPointer().name(), std::string("the answer"));
        QCOMPARE((JsonPointer("/output") / "images" / 0 / "data").name(), std::string("output.images.0.data"));
        QCOMPARE((JsonPointer() / "a/b~c").str(), std::string("/a~1b~0c"));
        QCOMPARE((JsonPointer() / "a/b~c").name(), std::string("a/b~c"));
    }

    void safeTextIsValidUtf8AndBounded_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("maxBytes");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("ASCII as it is") << QByteArray("hello") << 100 << QByteArray("hello");
        QTest::newRow("valid UTF-8 as it is") << QByteArray("caf\xC3\xA9") << 100 << QByteArray("caf\xC3\xA9");
        QTest::newRow("a stray byte replaced") << QByteArray("a\xFF"
                                                             "b")
                                               << 100
                                               << QByteArray("a\xEF\xBF\xBD"
                                                             "b");
        QTest::newRow("an overlong form replaced")
            << QByteArray("\xC0\xAF") << 100 << QByteArray("\xEF\xBF\xBD\xEF\xBF\xBD");
        QTest::newRow("a surrogate replaced")
            << QByteArray("\xED\xA0\x80") << 100 << QByteArray("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
        QTest::newRow("a truncated sequence replaced")
            << QByteArray("ab\xE2\x82") << 100 << QByteArray("ab\xEF\xBF\xBD\xEF\xBF\xBD");
        QTest::newRow("cut with a mark") << QByteArray("abcdefghij") << 6 << QByteArray("abc...");
        QTest::newRow("cut on a character boundary")
            << QByteArray("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9") << 6 << QByteArray("\xC3\xA9...");
    }
    void safeTextIsValidUtf8AndBounded()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, maxBytes);
        QFETCH(QByteArray, expected);
        const std::string out = safeText(input.toStdString(), std::size_t(maxBytes));
        QCOMPARE(QByteArray::fromStdString(out), expected);
        QVERIFY(isValidUtf8(out));
        QVERIFY(out.size() <= std::size_t(maxBytes) || maxBytes >= input.size());
    }

    void bodyExcerptCutsWithoutAMark()
    {
        QCOMPARE(bodyExcerpt("oops"), std::string("oops"));
        QCOMPARE(bodyExcerpt(std::string(400, 'x')), std::string(300, 'x'));
        const std::string cut = bodyExcerpt(std::string(299, 'x') + "\xC3\xA9", 300);
        QCOMPARE(cut, std::string(299, 'x'));
        QVERIFY(isValidUtf8(bodyExcerpt(std::string("\xFF\xFE", 2))));
    }

    void headerNumbers_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<double>("expected"); // -1: none
        QTest::newRow("whole seconds") << "2" << 2.0;
        QTest::newRow("decimals") << "0.1234" << 0.1234;
        QTest::newRow("empty") << "" << -1.0;
        QTest::newRow("negative") << "-1" << -1.0;
        QTest::newRow("trailing text") << "2s" << -1.0;
        QTest::newRow("an HTTP date") << "Wed, 21 Oct 2015 07:28:00 GMT" << -1.0;
        QTest::newRow("nan") << "nan" << -1.0;
        QTest::newRow("inf") << "inf" << -1.0;
        QTest::newRow("out of range") << "1e999" << -1.0;
    }
    void headerNumbers()
    {
        QFETCH(QString, value);
        QFETCH(double, expected);
        const auto number = headerNumber(value.toStdString());
        if (expected < 0)
            QVERIFY(!number);
        else
            QCOMPARE(*number, expected);
    }
};

QTEST_GUILESS_MAIN(TestJsonDoc)
#include "tst_jsondoc.moc"
