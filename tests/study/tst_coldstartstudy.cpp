// SPDX-License-Identifier: Apache-2.0
// The cold_start study's analysis on hand-made records: which requests count as cold and warm,
// the overhead and its interval, and what is said when there is nothing to compare.
#include "study/coldstartstudy.h"

#include <QTest>

using namespace t2i;

namespace {

RequestRecord rec(int step, double latencyMs, ColdLabel cold, bool ok = true)
{
    static std::int64_t seq = 0;
    RequestRecord r;
    r.seq = seq++;
    r.step = step;
    r.ok = ok;
    r.cold = cold;
    r.intendedMs = 1000.0 * double(seq);
    r.sentMs = r.intendedMs;
    r.doneMs = r.intendedMs + latencyMs;
    r.finishedMs = r.doneMs;
    r.queueMs = cold == ColdLabel::Cold ? latencyMs - 400 : 5.0;
    return r;
}

} // namespace

class TestColdStartStudy : public QObject {
    Q_OBJECT

private slots:
    void theOverheadIsTheDifferenceOfMedians()
    {
        std::vector<RequestRecord> records { rec(-1, 3000, ColdLabel::Cold) }; // warm-up: never counted
        for (double ms : { 500.0, 510.0, 490.0, 505.0, 495.0 })
            records.push_back(rec(0, ms, ColdLabel::Warm));
        for (double ms : { 3500.0, 3400.0, 3600.0 })
            records.push_back(rec(1, ms, ColdLabel::Cold));
        const StudyResult r = analyzeColdStart(records);
        const StudyFinding* overhead = r.finding("cold_overhead_s");
        QVERIFY(overhead && overhead->value);
        QCOMPARE(*overhead->value, 3.0); // 3500 - 500
        QVERIFY(overhead->low && overhead->high);
        QVERIFY(*overhead->low <= 3.0 && *overhead->high >= 3.0);
        QCOMPARE(*r.finding("warm_p50_s")->value, 0.5);
        QCOMPARE(r.tables.front().rows[0][1], std::string("5"));
        QCOMPARE(r.tables.front().rows[1][1], std::string("3"));
        QCOMPARE(r.charts.front().series.size(), std::size_t(2));
        QCOMPARE(r.charts.front().series[1].points.back().second, 1.0);
    }

    void probesThatFoundAWarmWorkerAreLeftOutAndSaid_data()
    {
        QTest::addColumn<int>("label"); // the probes' label
        QTest::addColumn<QString>("note");
        QTest::newRow("warm probe") << int(ColdLabel::Warm) << "2 cold probe(s) found a warm worker";
        QTest::newRow("unknown probe") << int(ColdLabel::Unknown) << "2 cold probe(s) found a warm worker";
    }

    void probesThatFoundAWarmWorkerAreLeftOutAndSaid()
    {
        QFETCH(int, label);
        QFETCH(QString, note);
        std::vector<RequestRecord> records;
        for (double ms : { 500.0, 510.0 })
            records.push_back(rec(0, ms, ColdLabel::Warm));
        records.push_back(rec(1, 520, ColdLabel(label)));
        records.push_back(rec(1, 530, ColdLabel(label)));
        const StudyResult r = analyzeColdStart(records);
        QVERIFY(!r.finding("cold_overhead_s")->value);
        QVERIFY(QString::fromStdString(r.answer).contains("No verified cold start"));
        bool said = false;
        for (const std::string& n : r.notes)
            said = said || QString::fromStdString(n).startsWith(note);
        QVERIFY(said);
    }

    void failedRequestsAreLeftOutOfTheDistributions()
    {
        std::vector<RequestRecord> records;
        for (double ms : { 500.0, 510.0 })
            records.push_back(rec(0, ms, ColdLabel::Warm));
        records.push_back(rec(0, 90000, ColdLabel::Warm, false));
        records.push_back(rec(1, 3000, ColdLabel::Cold));
        const StudyResult r = analyzeColdStart(records);
        QCOMPARE(r.tables.front().rows[0][1], std::string("2"));
        QCOMPARE(*r.finding("cold_overhead_s")->value, 2.5);
    }
};

QTEST_GUILESS_MAIN(TestColdStartStudy)
#include "tst_coldstartstudy.moc"
