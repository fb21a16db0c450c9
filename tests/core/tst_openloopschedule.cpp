// SPDX-License-Identifier: Apache-2.0
// The scheduler's timing: the intended send times of every open-loop step kind, and how a
// workload becomes phases. Pure arithmetic on the plan, so exact comparisons are safe.
#include "engine/phaseplan.h"
#include "workload/openloopschedule.h"

#include <QtTest>

using namespace t2i;

namespace {
std::vector<double> drain(OpenLoopSchedule schedule)
{
    std::vector<double> offsets;
    while (auto next = schedule.next())
        offsets.push_back(*next);
    return offsets;
}

WorkloadStep step(StepKind kind)
{
    WorkloadStep s;
    s.kind = kind;
    return s;
}
} // namespace

class TestOpenLoopSchedule : public QObject {
    Q_OBJECT
private slots:
    void constantRateIsEvenlySpaced_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("durationS");
        QTest::addColumn<int>("expectedCount");
        QTest::newRow("4 per second for 2 s sends 8") << 4.0 << 2.0 << 8;
        QTest::newRow("1000 per second for 1 s sends 1000") << 1000.0 << 1.0 << 1000;
        QTest::newRow("0.5 per second for 5 s sends 3") << 0.5 << 5.0 << 3;
    }
    void constantRateIsEvenlySpaced()
    {
        QFETCH(double, rate);
        QFETCH(double, durationS);
        QFETCH(int, expectedCount);
        WorkloadStep s = step(StepKind::Constant);
        s.rate = rate;
        s.durationS = durationS;
        const auto offsets = drain(OpenLoopSchedule(s, 1));
        QCOMPARE(int(offsets.size()), expectedCount);
        for (std::size_t i = 0; i < offsets.size(); ++i)
            QCOMPARE(offsets[i], double(i) * 1000.0 / rate);
    }

    void requestCountLimitsTheStep()
    {
        WorkloadStep s = step(StepKind::Constant);
        s.rate = 10;
        s.requests = 7;
        const auto offsets = drain(OpenLoopSchedule(s, 1));
        QCOMPARE(offsets.size(), std::size_t(7));
        QCOMPARE(offsets.back(), 600.0);
    }

    void poissonIsSeededIncreasingAndHasTheRightMean()
    {
        WorkloadStep s = step(StepKind::Poisson);
        s.rate = 50;
        s.requests = 20000;
        const auto a = drain(OpenLoopSchedule(s, 7));
        const auto b = drain(OpenLoopSchedule(s, 7));
        const auto c = drain(OpenLoopSchedule(s, 8));
        QCOMPARE(a, b); // same seed, same arrivals
        QVERIFY(a != c);
        QCOMPARE(a.front(), 0.0);
        QVERIFY(std::is_sorted(a.begin(), a.end()));
        // Mean gap 20 ms; with 20,000 gaps the sample mean is within 3% with overwhelming probability
        // (standard error 20/sqrt(20000) = 0.14 ms), and the seed is fixed anyway.
        const double meanGap = a.back() / double(a.size() - 1);
        QVERIFY2(std::abs(meanGap - 20.0) < 0.6, qPrintable(QString::number(meanGap)));
    }

    void rampRateGrowsLinearly()
    {
        WorkloadStep s = step(StepKind::Ramp);
        s.rateFrom = 2;
        s.rateTo = 10;
        s.durationS = 10;
        const auto offsets = drain(OpenLoopSchedule(s, 1));
        // N(D) = (a + b) / 2 * D = 60 requests, the last strictly before D.
        QCOMPARE(offsets.size(), std::size_t(60));
        QVERIFY(offsets.back() < 10000.0);
        // N(t) = 2t + 0.4t^2: request 12 goes at t where 0.4t^2 + 2t - 12 = 0 -> t = 3.6125... s
        QVERIFY(std::abs(offsets[12] - 1000.0 * (-2 + std::sqrt(4 + 4 * 0.4 * 12)) / 0.8) < 1e-9);
        // Gaps shrink as the rate grows.
        QVERIFY(offsets[1] - offsets[0] > offsets[59] - offsets[58]);
    }

    void rampGivenAsRequestsLastsAsTheMeanRateNeeds()
    {
        WorkloadStep s = step(StepKind::Ramp);
        s.rateFrom = 1;
        s.rateTo = 3;
        s.requests = 20; // mean rate 2/s -> 10 s
        OpenLoopSchedule schedule(s, 1);
        QCOMPARE(schedule.plannedMs(), 10000.0);
        QCOMPARE(drain(schedule).size(), std::size_t(20));
    }

    void burstSendsEverythingAtOnce()
    {
        WorkloadStep s = step(StepKind::Burst);
        s.requests = 32;
        const auto offsets = drain(OpenLoopSchedule(s, 1));
        QCOMPARE(offsets.size(), std::size_t(32));
        QVERIFY(std::all_of(offsets.begin(), offsets.end(), [](double o) { return o == 0.0; }));
    }

    void workloadBecomesPhases()
    {
        WorkloadConfig workload;
        workload.warmupRequests = 2;
        WorkloadStep probe = step(StepKind::ColdProbe);
        probe.idleS = 4;
        probe.repeat = 2;
        WorkloadStep sweep = step(StepKind::Closed);
        sweep.concurrency = { 1, 4, 16 };
        sweep.durationS = 3;
        WorkloadStep poisson = step(StepKind::Poisson);
        poisson.rate = 8;
        poisson.requests = 40;
        workload.steps = { probe, sweep, poisson };
        const auto phases = planPhases(workload, 42);
        QCOMPARE(phases.size(), std::size_t(6));
        QCOMPARE(phases[0].kindName, std::string("warmup"));
        QCOMPARE(phases[0].step, -1);
        QCOMPARE(*phases[0].maxRequests, std::int64_t(2));
        QVERIFY(phases[1].kind == StepKind::ColdProbe);
        QCOMPARE(phases[1].plannedMs, 8000.0);
        QCOMPARE(phases[3].concurrency, 4);
        QCOMPARE(phases[3].level, 1);
        QCOMPARE(phases[3].offered, 4.0);
        QCOMPARE(*phases[3].durationMs, 3000.0);
        QCOMPARE(phases[5].offered, 8.0);
        QCOMPARE(phases[5].plannedMs, 5000.0);
        QVERIFY(phases[5].schedule);
    }
};

QTEST_APPLESS_MAIN(TestOpenLoopSchedule)
#include "tst_openloopschedule.moc"
