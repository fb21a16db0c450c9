// SPDX-License-Identifier: Apache-2.0
// The study result's JSON round trip and bounds, and the parameters' resolution: defaults, the
// configuration's object, --param, and every refusal naming what was wrong and where.
#include "study/studyresult.h"
#include "study/studysummary.h"
#include "study/studytypes.h"

#include <QFile>
#include <QTest>

#include <set>

using namespace t2i;
using nlohmann::json;

class TestStudyResult : public QObject {
    Q_OBJECT

private:
    static StudyResult sample()
    {
        StudyResult r;
        r.kind = "cold_start";
        r.answer = "A cold start adds 3.5 s.";
        r.findings.push_back(makeFinding("cold_overhead_s", "Overhead", 3.5, "s", 3.1, 3.9));
        r.findings.push_back(makeFinding("max_replicas", "Max replicas", std::nullopt, "workers"));
        r.tables.push_back({ "Levels", { "rate", "p95" }, { { "1", "2.0 s" }, { "2", "2.5 s" } } });
        r.charts.push_back({ "p95 by rate", "rate", "p95 (s)", "scatter", { { "p95", { { 1, 2 }, { 2, 2.5 } } } } });
        r.notes.push_back("one probe was left out");
        return r;
    }

private slots:
    void aResultSurvivesJson()
    {
        const StudyResult r = sample();
        const StudyResult back = studyResultFromJson(json::parse(toJson(r).dump()));
        QVERIFY(toJson(back) == toJson(r));
        QCOMPARE(back.finding("cold_overhead_s")->text, std::string("3.50 s (3.10-3.90)"));
        QVERIFY(!back.finding("max_replicas")->value);
        QCOMPARE(back.finding("max_replicas")->text, std::string("not measured"));
        QCOMPARE(back.charts.front().style, std::string("scatter"));
    }

    void aMalformedResultIsRefusedNamingTheField_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not an object") << "[]"
                                       << "must be a JSON object";
        QTest::newRow("a row shorter than the columns")
            << R"({"tables": [{"title": "T", "columns": ["a", "b"], "rows": [["1"]]}]})"
            << "a row has 1 cells for 2";
        QTest::newRow("a point that is not a pair")
            << R"({"charts": [{"title": "C", "series": [{"name": "s", "points": [[1]]}]}]})"
            << "a point must be [x, y]";
        QTest::newRow("a value that is text") << R"({"findings": [{"key": "k", "value": "3"}]})"
                                              << "\"value\"";
    }

    void aMalformedResultIsRefusedNamingTheField()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        try {
            studyResultFromJson(json::parse(text.toStdString()));
            QFAIL("accepted");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(expected), e.what());
        }
    }

    void chartPointsAreBounded()
    {
        std::vector<std::pair<double, double>> points;
        for (int i = 0; i < 10001; ++i)
            points.emplace_back(i, i * 2.0);
        const auto bounded = boundedPoints(points);
        QCOMPARE(bounded.size(), kMaxStudyPoints);
        QCOMPARE(bounded.front().first, 0.0);
        QCOMPARE(bounded.back().first, 10000.0);
        QCOMPARE(boundedPoints({ { 1, 1 } }).size(), std::size_t(1));
    }

    void parametersResolve_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QStringList>("commandLine");
        QTest::addColumn<int>("coldSamples");
        QTest::addColumn<QString>("error");
        QTest::newRow("defaults") << "null" << QStringList() << 5 << "";
        QTest::newRow("the config's value") << R"({"cold_samples": 9})" << QStringList() << 9 << "";
        QTest::newRow("--param beats the config")
            << R"({"cold_samples": 9})" << QStringList { "cold_samples", "3" } << 3 << "";
        QTest::newRow("an unknown key names the nearest") << R"({"cold_sample": 9})" << QStringList() << 5
                                                          << "studies.cold_start.cold_sample: unknown parameter of the "
                                                             "cold_start study (did you mean \"cold_samples\"?)";
        QTest::newRow("out of range names the bounds")
            << R"({"cold_samples": 0})" << QStringList() << 5
            << "studies.cold_start.cold_samples: must be an integer from 1 to 1000 (got 0)";
        QTest::newRow("a fraction where an integer is due") << R"({"warm_requests": 2.5})" << QStringList() << 5
                                                            << "studies.cold_start.warm_requests: must be an integer";
        QTest::newRow("a --param that does not parse")
            << "null" << QStringList { "idle_s", "soon" } << 5 << "--param idle_s=soon: must be a number >= 0";
        QTest::newRow("not an object") << "3" << QStringList() << 5 << "studies.cold_start: must be an object";
    }

    void parametersResolve()
    {
        QFETCH(QString, config);
        QFETCH(QStringList, commandLine);
        QFETCH(int, coldSamples);
        QFETCH(QString, error);
        const StudyType* type = findStudyType("cold_start");
        QVERIFY(type);
        std::vector<std::pair<std::string, std::string>> pairs;
        for (int i = 0; i + 1 < commandLine.size(); i += 2)
            pairs.emplace_back(commandLine[i].toStdString(), commandLine[i + 1].toStdString());
        std::vector<std::string> errors;
        const json params = resolveStudyParams(*type, json::parse(config.toStdString()), pairs, errors);
        if (error.isEmpty()) {
            QVERIFY2(errors.empty(), errors.empty() ? "" : errors.front().c_str());
            QCOMPARE(params["cold_samples"].get<int>(), coldSamples);
            QVERIFY(params.contains("idle_s") && params.contains("warm_requests"));
        } else {
            QCOMPARE(errors.size(), std::size_t(1));
            QVERIFY2(QString::fromStdString(errors.front()).startsWith(error), errors.front().c_str());
        }
    }

    // docs/studies.md lists every study and each of its parameters, in a table of its own section.
    void theDocsListEveryStudyAndParameter()
    {
        QFile doc(QStringLiteral(T2I_SOURCE_DIR "/docs/studies.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(doc.readAll());
        QVERIFY(!studyTypes().empty());
        for (const StudyType& t : studyTypes()) {
            const QString heading = QStringLiteral("## %1:").arg(QString::fromStdString(t.kind));
            const qsizetype at = text.indexOf(heading);
            QVERIFY2(at >= 0, qPrintable(heading + " is missing"));
            const qsizetype next = text.indexOf(QStringLiteral("\n## "), at + 1);
            const QString section = text.mid(at, next < 0 ? -1 : next - at);
            for (const StudyParam& p : t.params)
                QVERIFY2(section.contains(QStringLiteral("| `%1` |").arg(QString::fromStdString(p.key))),
                    qPrintable(QString::fromStdString(t.kind + ": parameter " + p.key + " is not in its table")));
        }
    }

    // One row per configuration/provider/variant; each cell the newest completed study's finding;
    // failed studies and columns nobody fills are left out.
    void theSummaryPutsTheNewestFindingsSideBySide()
    {
        const auto study = [](std::string provider, std::string kind, StudyStatus status, std::string key, double v) {
            StudyWithResult s;
            s.info.configName = "demo";
            s.info.providerId = std::move(provider);
            s.info.variantId = "sdxl";
            s.info.kind = std::move(kind);
            s.info.status = status;
            s.result.findings.push_back(makeFinding(std::move(key), "x", v, "s"));
            return s;
        };
        const std::vector<StudyWithResult> newestFirst {
            study("steady", "cold_start", StudyStatus::Completed, "cold_overhead_s", 2.5),
            study("fast", "scaling", StudyStatus::Completed, "max_replicas", 10),
            study("steady", "cold_start", StudyStatus::Completed, "cold_overhead_s", 9.0), // older: loses
            study("fast", "cold_start", StudyStatus::Failed, "cold_overhead_s", 1.0), // failed: ignored
        };
        const StudyTable t = summarizeStudies(newestFirst);
        QCOMPARE(t.columns,
            (std::vector<std::string> { "configuration/provider/variant", "cold-start overhead", "max replicas" }));
        QCOMPARE(t.rows.size(), std::size_t(2));
        QCOMPARE(t.rows[0], (std::vector<std::string> { "demo/steady/sdxl", "2.50 s", "-" }));
        QCOMPARE(t.rows[1], (std::vector<std::string> { "demo/fast/sdxl", "-", "10.00 s" }));
    }

    void kindsAreUniqueAndDescribed()
    {
        std::set<std::string> kinds;
        for (const StudyType& t : studyTypes()) {
            QVERIFY2(kinds.insert(t.kind).second, t.kind.c_str());
            QVERIFY(!t.title.empty() && !t.summary.empty() && t.run);
            for (const StudyParam& p : t.params)
                QVERIFY2(!p.help.empty(), p.key.c_str());
        }
        QVERIFY(!findStudyType("no_such_study"));
    }
};

QTEST_GUILESS_MAIN(TestStudyResult)
#include "tst_studyresult.moc"
