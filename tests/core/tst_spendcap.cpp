// SPDX-License-Identifier: Apache-2.0
// The engine's budget arithmetic (core/engine/spendcap.h): a job is admitted only while what is
// committed and its own worst case stay within the cap; a finished job's cost by the cost model
// (injected here) replaces its worst case; time-based spend is counted as the clock runs.
#include "engine/spendcap.h"

#include <QtTest>

using namespace t2i;

namespace {

// A cost model that bills each finished job perJobUsd and the clock perSecondUsd (keep-warm).
EngineBudget budget(double capUsd, double worstUsd, double perJobUsd, double perSecondUsd)
{
    EngineBudget b;
    b.capUsd = capUsd;
    b.jobWorstCaseUsd = worstUsd;
    b.spentUsd = [perJobUsd, perSecondUsd](std::span<const RequestRecord> finished, std::span<const WorkerSample>,
                     double nowMs) { return double(finished.size()) * perJobUsd + nowMs / 1000.0 * perSecondUsd; };
    return b;
}

RequestRecord finishedAt(std::int64_t seq, double ms)
{
    RequestRecord r;
    r.seq = seq;
    r.ok = true;
    r.images = 1;
    r.doneMs = ms;
    return r;
}

} // namespace

class TestSpendCap : public QObject {
    Q_OBJECT

private slots:
    void aClosedLoopStopsBeforeTheCap_data()
    {
        QTest::addColumn<double>("cap");
        QTest::addColumn<double>("worst");
        QTest::addColumn<double>("perJob");
        QTest::addColumn<double>("perSecond");
        QTest::addColumn<int>("admitted");
        QTest::newRow("an exact worst case fills the cap: five $0.01 images under $0.055")
            << 0.055 << 0.01 << 0.01 << 0.0 << 5;
        QTest::newRow("a settled job frees its worst case: $0.001 jobs, $0.003 committed each, $0.0085 cap")
            << 0.0085 << 0.003 << 0.001 << 0.0 << 6;
        QTest::newRow("a cap below one job's worst case admits none") << 0.005 << 0.01 << 0.001 << 0.0 << 0;
        QTest::newRow("keep-warm accrues with the clock, a job or not") << 0.0055 << 0.001 << 0.0 << 0.001 << 5;
    }

    void aClosedLoopStopsBeforeTheCap()
    {
        QFETCH(double, cap);
        QFETCH(double, worst);
        QFETCH(double, perJob);
        QFETCH(double, perSecond);
        QFETCH(int, admitted);
        SpendCap spend(budget(cap, worst, perJob, perSecond));
        QVERIFY(spend.active());
        int jobs = 0;
        double now = 0;
        // One job at a time, a second each: admitted, then over for the platform.
        while (jobs < 100 && spend.admit(now)) {
            QVERIFY(spend.committedUsd(now) <= cap + 1e-12);
            now += 1000;
            spend.settle(finishedAt(jobs++, now));
        }
        QCOMPARE(jobs, admitted);
        QVERIFY(spend.committedUsd(now) <= cap + 1e-12);
    }

    void openJobsCountAtTheirWorstCase()
    {
        SpendCap spend(budget(0.025, 0.01, 0.0, 0.0));
        QVERIFY(spend.admit(0));
        QVERIFY(spend.admit(0));
        QVERIFY(!spend.admit(0)); // 0.02 committed + 0.01 would pass 0.025
        QCOMPARE(spend.committedUsd(0), 0.02);
        spend.settle(finishedAt(0, 10)); // it cost nothing by the model
        QVERIFY(spend.admit(10));
        QCOMPARE(spend.committedUsd(10), 0.02);
    }

    void withoutACapNothingIsTracked()
    {
        SpendCap spend(EngineBudget {});
        QVERIFY(!spend.active());
        for (int i = 0; i < 1000; ++i)
            QVERIFY(spend.admit(i));
        QCOMPARE(spend.committedUsd(0), -1.0);
    }
};

QTEST_APPLESS_MAIN(TestSpendCap)
#include "tst_spendcap.moc"
