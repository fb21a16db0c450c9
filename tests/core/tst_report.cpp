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
