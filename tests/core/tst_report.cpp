// SPDX-License-Identifier: Apache-2.0
// show/compare JSON and the export formats.
#include "report/runreport.h"

#include <QtTest>
#include <sstream>

using namespace t2i;
using nlohmann::json;

namespace {
std::vector<RequestRecord> fixture()
{
    std::vector<RequestRecord> records;
    for (int i = 0; i < 20; ++i) {
        RequestRecord r;
        r.seq = i;
        r.step = i < 2 ? -1 : 0;
        r.stepKind = i < 2 ? "warmup" : "closed";
        r.offered = 1;
        r.ok = i != 7;
        r.errorClass = r.ok ? ErrorClass::None : ErrorClass::PlatformFailure;
        r.errorMessage = r.ok ? "" : "CUDA out of memory, \"big\"";
        r.intendedMs = 100.0 * i;
        r.sentMs = r.intendedMs + 0.5;
        r.finishedMs = r.intendedMs + 50 + i;
        r.doneMs = r.finishedMs;
        r.images = r.ok ? 1 : 0;
        r.cold = i == 2 ? ColdLabel::Cold : ColdLabel::Warm;
        if (i % 2 == 0)
            r.queueMs = 10.0; // odd requests: the platform said nothing
        records.push_back(r);
    }
    return records;
}

// A run of `latencies.size()` warm successful requests with these latencies (ms), the last
// `errors` of them failed instead.
std::vector<RequestRecord> runOf(const std::vector<double>& latencies, std::size_t errors = 0)
{
    std::vector<RequestRecord> records;
    for (std::size_t i = 0; i < latencies.size(); ++i) {
        RequestRecord r;
        r.seq = std::int64_t(i);
        r.stepKind = "closed";
        r.offered = 1;
        r.ok = i + errors < latencies.size();
        r.errorClass = r.ok ? ErrorClass::None : ErrorClass::ServerError;
        r.intendedMs = r.sentMs = 10000.0 * double(i);
        r.finishedMs = r.doneMs = r.intendedMs + latencies[i];
        r.images = r.ok ? 1 : 0;
        r.cold = ColdLabel::Warm;
        records.push_back(r);
    }
    return records;
}

RunInfo runInfo(const std::string& id)
{
    RunInfo run;
    run.id = id;
    run.name = "quickstart/steady/sdxl";
    run.status = RunStatus::Completed;
    run.providerId = "steady";
    run.variantId = "sdxl";
    return run;
}
} // namespace

class TestReport : public QObject {
    Q_OBJECT
private slots:
    // A run whose client had no room for some answers says so, with the limit it kept.
    void answersThatWaitedForRoomAreAWarning_data()
    {
        QTest::addColumn<QString>("client"); // environment.client
        QTest::addColumn<QString>("warning"); // "" for none
        QTest::newRow("answers that waited are named with the limit")
            << R"({"answer_memory": {"limit_mib": 4, "peak_mib": 3.8, "paused_answers": 3}})"
            << "3 answers waited for room under answer_memory_mb (4 MiB)";
        QTest::newRow("none waited: no warning") << R"({"answer_memory": {"limit_mib": 256, "paused_answers": 0}})"
                                                 << "";
        QTest::newRow("a run from before answer_memory: no warning") << R"({"cpu_s": 1})"
                                                                     << "";
    }
    void answersThatWaitedForRoomAreAWarning()
    {
        QFETCH(QString, client);
        QFETCH(QString, warning);
        RunInfo run;
        run.environmentJson = json { { "client", json::parse(client.toStdString()) } }.dump();
        const auto notes = measurementNotes(run, summarize(fixture()));
        const auto hit = std::find_if(notes.begin(), notes.end(),
            [](const std::string& note) { return note.find("waited for room") != std::string::npos; });
        if (warning.isEmpty()) {
            QVERIFY(hit == notes.end());
        } else {
            QVERIFY(hit != notes.end());
            QVERIFY2(hit->starts_with(warning.toStdString()), hit->c_str());
        }
    }

    void showJsonHasTheSpecKeys()
    {
        const auto records = fixture();
        const json show = showJson(makeReport(runInfo("r1"), records));
        for (const char* key :
            { "id", "name", "status", "provider", "variant", "requests", "ok", "errors", "error_rate", "throughput_ips",
                "latency_ms", "latency_ci95_ms", "cold_starts", "cold_latency_ms", "warm_latency_ms" })
            QVERIFY2(show.contains(key), key);
        for (const char* key : { "p50", "p90", "p95", "p99", "max", "mean" })
            QVERIFY2(show["latency_ms"].contains(key), key);
        QCOMPARE(show["requests"].get<int>(), 18); // warm-up left out
        QCOMPARE(show["errors"].get<int>(), 1);
        QCOMPARE(show["status"].get<std::string>(), std::string("completed"));
        QCOMPARE(show["latency_ci95_ms"]["p50"].size(), std::size_t(2));
        QCOMPARE(show["cold_starts"].get<int>(), 1);
    }

    // docs/measurement.md, "Network phases": show says where the client ran and what each host
    // the run called resolved to; a run recorded before says neither and shows no empty line.
    void showSaysWhereTheClientRanAndWhatHostsResolvedTo_data()
    {
        QTest::addColumn<QString>("environment");
        QTest::addColumn<QStringList>("expected"); // each in the text
        QTest::addColumn<QString>("absent");
        QTest::newRow("host, region and addresses")
            << R"({"client": {"host": "bench-1", "region": "eu-west-1", "cpu_s": 1, "wall_s": 2},
                   "network": {"addresses": {"api.runpod.ai": ["104.18.1.1", "104.18.2.2"]}}})"
            << QStringList { "client: on bench-1 (eu-west-1), 1.0 s CPU",
                   "addresses: api.runpod.ai -> 104.18.1.1 104.18.2.2;" }
            << QString();
        QTest::newRow("no region given") << R"({"client": {"host": "bench-1", "cpu_s": 1, "wall_s": 2}})"
                                         << QStringList { "client: on bench-1, 1.0 s CPU" } << "addresses:";
        QTest::newRow("a run recorded before: no host")
            << R"({"client": {"cpu_s": 1, "wall_s": 2}})" << QStringList { "client: 1.0 s CPU" } << "addresses:";
    }
    void showSaysWhereTheClientRanAndWhatHostsResolvedTo()
    {
        QFETCH(QString, environment);
        QFETCH(QStringList, expected);
        QFETCH(QString, absent);
        RunInfo run = runInfo("r1");
        run.environmentJson = json::parse(environment.toStdString()).dump();
        std::ostringstream text;
        printShow(text, makeReport(run, fixture()));
        for (const QString& part : expected)
            QVERIFY2(text.str().find(part.toStdString()) != std::string::npos, text.str().c_str());
        if (!absent.isEmpty())
            QVERIFY2(text.str().find(absent.toStdString()) == std::string::npos, text.str().c_str());
    }

    void compareJsonHasDifferencesAgainstTheFirst()
    {
        const auto records = fixture();
        const std::vector<RunReport> reports { makeReport(runInfo("a"), records), makeReport(runInfo("b"), records) };
        const json compare = compareJson(reports);
        QCOMPARE(compare["runs"].size(), std::size_t(2));
        QCOMPARE(compare["differences"].size(), std::size_t(1));
        const json first = compare["differences"][0]["metrics"][0];
        QCOMPARE(first["delta"].get<double>(), 0.0);
        QCOMPARE(first["significant"].get<bool>(), false); // identical runs never differ significantly
    }

    // The 95% intervals of the two p50s overlap, yet the interval of the difference excludes 0:
    // the old rule ("the intervals do not overlap") said not significant, the one rule of
    // docs/statistics.md (the dashboard's) says significant.
    void compareJudgesByTheIntervalOfTheDifference()
    {
        std::vector<double> a, b;
        for (int i = 0; i < 100; ++i) {
            a.push_back(1000.0 + 10.0 * i); // p50 1490
            b.push_back(1150.0 + 10.0 * i); // p50 1640
        }
        const auto baseRecords = runOf(a);
        const auto otherRecords = runOf(b);
        const std::vector<RunReport> reports { makeReport(runInfo("a"), baseRecords),
            makeReport(runInfo("b"), otherRecords) };
        const json compare = compareJson(reports);
        const json baseCi = compare["runs"][0]["latency_ci95_ms"]["p50"];
        const json otherCi = compare["runs"][1]["latency_ci95_ms"]["p50"];
        QVERIFY2(otherCi[0].get<double>() <= baseCi[1].get<double>(), "the two runs' intervals must overlap");
        json p50;
        for (const json& m : compare["differences"][0]["metrics"])
            if (m["metric"] == "latency_p50_ms")
                p50 = m;
        QVERIFY(p50.is_object());
        QCOMPARE(p50["delta"].get<double>(), 150.0);
        QVERIFY2(p50.contains("delta_ci95") && p50["delta_ci95"].is_array(), p50.dump().c_str());
        QVERIFY2(p50["delta_ci95"][0].get<double>() > 0, p50.dump().c_str());
        QCOMPARE(p50["significant"].get<bool>(), true);
        // `compare` says the same in words, by the same rule.
        std::ostringstream text;
        printCompare(text, reports);
        QVERIFY2(text.str().find("interval of the difference excludes 0") != std::string::npos, text.str().c_str());
        QVERIFY2(text.str().find("overlap") == std::string::npos, text.str().c_str());
        std::istringstream lines(text.str());
        bool saidSignificant = false;
        for (std::string line; std::getline(lines, line);)
            saidSignificant = saidSignificant
                || (line.find("latency_p50_ms") != std::string::npos && line.find("significant") != std::string::npos
                    && line.find("not significant") == std::string::npos);
        QVERIFY2(saidSignificant, text.str().c_str());
    }

    // Error rates are judged by Newcombe's interval of the difference, as on the dashboard.
    void compareTestsTheErrorRate()
    {
        std::vector<double> latencies(100, 1000.0);
        const auto baseRecords = runOf(latencies);
        const auto otherRecords = runOf(latencies, 12);
        const std::vector<RunReport> reports { makeReport(runInfo("a"), baseRecords),
            makeReport(runInfo("b"), otherRecords) };
        const json compare = compareJson(reports);
        json rate;
        for (const json& m : compare["differences"][0]["metrics"])
            if (m["metric"] == "error_rate")
                rate = m;
        QCOMPARE(rate["delta"].get<double>(), 0.12);
        QVERIFY2(rate.contains("delta_ci95") && rate["delta_ci95"].is_array(), rate.dump().c_str());
        QVERIFY2(rate.contains("significant") && rate["significant"].is_boolean(), rate.dump().c_str());
        QCOMPARE(rate["significant"].get<bool>(), true);
    }

    void csvHasHeaderEveryRowAndEmptyUnknowns()
    {
        const auto records = fixture();
        std::ostringstream out;
        writeCsv(out, records);
        std::istringstream in(out.str());
        std::string header, row0, row1;
        std::getline(in, header);
        std::getline(in, row0);
        std::getline(in, row1);
        QVERIFY(header.starts_with("seq,step,step_kind,level,offered,job_id,status,error_class"));
        for (const char* column : { "intended_ms", "sent_ms", "done_ms", "latency_ms", "queue_ms", "exec_ms",
                 "download_ms", "cold", "worker_id", "bytes", "width", "height", "image_hash", "http_status" })
            QVERIFY2(header.find(column) != std::string::npos, column);
        const auto column = [&header](const std::string& name) {
            std::istringstream h(header);
            std::string cell;
            for (int i = 0; std::getline(h, cell, ','); ++i)
                if (cell == name)
                    return i;
            return -1;
        };
        const auto cellOf = [](const std::string& row, int index) {
            std::istringstream r(row);
            std::string cell;
            for (int i = 0; i <= index; ++i)
                std::getline(r, cell, ',');
            return cell;
        };
        QCOMPARE(cellOf(row0, column("queue_ms")), std::string("10"));
        QCOMPARE(cellOf(row1, column("queue_ms")), std::string("")); // not reported: empty, not 0
        const std::string text = out.str();
        QCOMPARE(std::count(text.begin(), text.end(), '\n'), 21L);
        QVERIFY(text.find("\"CUDA out of memory, \"\"big\"\"\"") != std::string::npos); // quoted per RFC 4180
    }

    void jsonExportUsesNullForUnknowns()
    {
        const auto records = fixture();
        std::ostringstream out;
        writeJson(out, records);
        const json rows = json::parse(out.str());
        QCOMPARE(rows.size(), std::size_t(20));
        QVERIFY(rows[1]["queue_ms"].is_null());
        QCOMPARE(rows[0]["queue_ms"].get<double>(), 10.0);
        QCOMPARE(rows[3]["latency_ms"].get<double>(), 53.0);
        QCOMPARE(rows[7]["error_class"].get<std::string>(), std::string("platform_failure"));
    }
};

QTEST_APPLESS_MAIN(TestReport)
#include "tst_report.moc"
