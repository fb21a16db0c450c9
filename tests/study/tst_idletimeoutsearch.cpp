// SPDX-License-Identifier: Apache-2.0
// The idle_timeout study's pure parts: the search over gaps with a fake platform (a known
// timeout, a fixed overhead between the gap asked and the gap measured, probes that say
// nothing), and the reading of one probe run's records.
#include "study/idletimeoutstudy.h"

#include <QtTest>

#include <cmath>

using namespace t2i;

namespace {

// A platform that keeps an idle worker for timeoutS: the gap measured is the gap asked plus
// overheadS; the probes listed in unknownAt (1-based) give no label.
struct FakePlatform {
    double timeoutS = 1.5;
    double overheadS = 0.04;
    QList<int> unknownAt;
    int made = 0;
    std::optional<IdleProbe> operator()(double askedS)
    {
        IdleProbe p;
        p.askedS = askedS;
        p.measuredS = askedS + overheadS;
        ++made;
        p.label = unknownAt.contains(made) ? ColdLabel::Unknown
            : *p.measuredS > timeoutS      ? ColdLabel::Cold
                                           : ColdLabel::Warm;
        return p;
    }
};

RequestRecord record(int step, double sentMs, double finishedMs, const std::string& worker, ColdLabel cold)
{
    RequestRecord r;
    r.step = step;
    r.ok = true;
    r.sentMs = sentMs;
    r.intendedMs = sentMs;
    r.finishedMs = finishedMs;
    r.doneMs = finishedMs;
    r.workerId = worker;
    r.cold = cold;
    return r;
}

} // namespace

Q_DECLARE_METATYPE(IdleSearch::Outcome)

class TestIdleTimeoutSearch : public QObject {
    Q_OBJECT
private slots:
    void searchFindsTheBracket_data()
    {
        QTest::addColumn<double>("timeoutS");
        QTest::addColumn<double>("minIdleS");
        QTest::addColumn<double>("maxIdleS");
        QTest::addColumn<QList<int>>("unknownAt");
        QTest::addColumn<IdleSearch::Outcome>("outcome");
        QTest::addColumn<int>("probes");
        using O = IdleSearch::Outcome;
        // 0.25 0.5 1 warm, 2 cold, then bisection of [1.04, 2.04] down to 5%.
        QTest::newRow("a 1.5 s timeout from 0.25 s is bracketed to 5%")
            << 1.5 << 0.25 << 60.0 << QList<int> {} << O::Bracketed << 8;
        QTest::newRow("a first probe that is already cold brackets from zero")
            << 0.5 << 2.0 << 60.0 << QList<int> {} << O::Bracketed << 8;
        QTest::newRow("a timeout past max_idle_s is no scale to zero")
            << 100.0 << 5.0 << 30.0 << QList<int> {} << O::NoScaleToZero << 4;
        QTest::newRow("an unknown probe is made again and the search goes on")
            << 1.5 << 0.25 << 60.0 << QList<int> { 2 } << O::Bracketed << 9;
        QTest::newRow("an unknown probe twice ends the search inconclusive")
            << 1.5 << 0.25 << 60.0 << QList<int> { 2, 3 } << O::Inconclusive << 3;
        QTest::newRow("an unknown repeat after the bracket keeps the bracket, inconclusive")
            << 1.5 << 0.25 << 60.0 << QList<int> { 5, 6 } << O::Inconclusive << 6;
    }
    void searchFindsTheBracket()
    {
        QFETCH(double, timeoutS);
        QFETCH(double, minIdleS);
        QFETCH(double, maxIdleS);
        QFETCH(QList<int>, unknownAt);
        QFETCH(IdleSearch::Outcome, outcome);
        QFETCH(int, probes);
        FakePlatform platform { timeoutS, 0.04, unknownAt };
        IdleSearchSettings settings;
        settings.minIdleS = minIdleS;
        settings.maxIdleS = maxIdleS;
        const IdleSearch search = searchIdleTimeout(settings, std::ref(platform));
        QCOMPARE(int(search.outcome), int(outcome));
        QCOMPARE(int(search.probes.size()), probes);
        if (outcome == IdleSearch::Outcome::NoScaleToZero) {
            QVERIFY(!search.answerS());
            QCOMPARE(search.probes.back().askedS, maxIdleS); // the last probe is at max_idle_s exactly
            const StudyResult r = idleTimeoutResult(search, settings);
            QVERIFY2(r.answer.find("No scale to zero within max_idle_s") != std::string::npos, r.answer.c_str());
            return;
        }
        if (outcome == IdleSearch::Outcome::Inconclusive && !search.firstColdS)
            return;
        QVERIFY(search.answerS());
        QVERIFY(search.lastWarmS.value_or(0) <= timeoutS);
        QVERIFY(*search.firstColdS > timeoutS);
        if (outcome == IdleSearch::Outcome::Bracketed) {
            const double lo = search.lastWarmS.value_or(0), hi = *search.firstColdS;
            QVERIFY2((hi - lo) / hi <= settings.precision, qPrintable(QString("[%1, %2]").arg(lo).arg(hi)));
            QVERIFY(std::abs(*search.answerS() - timeoutS) <= 0.05 * timeoutS);
        }
    }

    void aStoppedProbeStopsTheSearch()
    {
        int made = 0;
        const IdleSearch search = searchIdleTimeout({}, [&](double) -> std::optional<IdleProbe> {
            if (++made > 2)
                return std::nullopt;
            IdleProbe p;
            p.measuredS = 1;
            p.label = ColdLabel::Warm;
            return p;
        });
        QCOMPARE(int(search.outcome), int(IdleSearch::Outcome::Stopped));
        QCOMPARE(int(search.probes.size()), 2);
    }

    void theResultGivesTheBracketAndEveryProbe()
    {
        FakePlatform platform;
        IdleSearchSettings settings;
        settings.minIdleS = 0.25;
        const IdleSearch search = searchIdleTimeout(settings, std::ref(platform));
        const StudyResult r = idleTimeoutResult(search, settings);
        const StudyFinding* f = r.finding("idle_timeout_s");
        QVERIFY(f && f->value && f->low && f->high);
        QCOMPARE(*f->low, *search.lastWarmS);
        QCOMPARE(*f->high, *search.firstColdS);
        QCOMPARE(r.tables.front().rows.size(), search.probes.size());
        QCOMPARE(r.charts.front().series.front().points.size(), search.probes.size());
        QCOMPARE(r.charts.front().style, std::string("step"));
    }

    void aProbeIsReadFromItsRecords_data()
    {
        QTest::addColumn<QString>("probeWorker");
        QTest::addColumn<int>("recordLabel");
        QTest::addColumn<bool>("probeOk");
        QTest::addColumn<int>("label");
        QTest::addColumn<QString>("evidence");
        const int cold = int(ColdLabel::Cold), warm = int(ColdLabel::Warm), unknown = int(ColdLabel::Unknown);
        QTest::newRow("a new worker labelled cold is cold") << "w2" << cold << true << cold << "new worker";
        QTest::newRow("the warm-up's worker labelled warm is warm")
            << "w1" << warm << true << warm << "same worker as the warm-up";
        QTest::newRow("the warm-up's worker labelled cold is unknown: the signals disagree")
            << "w1" << cold << true << unknown << "same worker";
        QTest::newRow("a failed probe is unknown") << "w2" << cold << false << unknown << "the probe failed";
    }
    void aProbeIsReadFromItsRecords()
    {
        QFETCH(QString, probeWorker);
        QFETCH(int, recordLabel);
        QFETCH(bool, probeOk);
        QFETCH(int, label);
        QFETCH(QString, evidence);
        RequestRecord warmup = record(-1, 0, 3000, "w1", ColdLabel::Cold);
        warmup.detectionLagMs = 200; // the platform finished at 2800
        RequestRecord probe = record(0, 4300, 6000, probeWorker.toStdString(), ColdLabel(recordLabel));
        probe.queueMs = 900;
        probe.ok = probeOk;
        probe.errorMessage = "boom";
        WorkerSample health;
        health.tMs = 4100;
        const IdleProbe p = readIdleProbe(1.2, { warmup, probe }, { health });
        QCOMPARE(int(p.label), label);
        QVERIFY2(QString::fromStdString(p.evidence).contains(evidence), p.evidence.c_str());
        if (probeOk) {
            QVERIFY(p.measuredS);
            QCOMPARE(*p.measuredS, 1.5); // 4300 - (3000 - 200)
            QVERIFY2(p.evidence.find("health 0 worker(s)") != std::string::npos, p.evidence.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestIdleTimeoutSearch)
#include "tst_idletimeoutsearch.moc"
