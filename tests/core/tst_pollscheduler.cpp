// SPDX-License-Identifier: Apache-2.0
// Which waiting job is polled next under a short request budget (docs/measurement.md, "Polling
// under a request budget").
#include "engine/pollscheduler.h"

#include <QtTest>

using namespace t2i;

class TestPollScheduler : public QObject {
    Q_OBJECT
private slots:
    void noJobIsPolledBeforeItsInterval()
    {
        PollScheduler scheduler;
        scheduler.schedule(1, 200, 0, std::nullopt, 0);
        QVERIFY(!scheduler.peek(199));
        QCOMPARE(*scheduler.nextDueMs(), 200.0);
        QCOMPARE(*scheduler.peek(200), std::int64_t(1));
        scheduler.take(1);
        QVERIFY(!scheduler.peek(1000));
        QCOMPARE(scheduler.waiting(), std::size_t(0));
    }

    void runningJobsComeBeforeQueuedOnes()
    {
        PollScheduler scheduler;
        scheduler.schedule(1, 0, 0, std::nullopt, 0); // queued, received first
        scheduler.schedule(7, 0, 50, 20.0, 1); // running since 20 ms, asked at 50
        scheduler.schedule(5, 0, 10, 5.0, 2); // running, asked longer ago: first
        QCOMPARE(*scheduler.peek(100), std::int64_t(5));
        scheduler.take(5);
        QCOMPARE(*scheduler.peek(100), std::int64_t(7));
        scheduler.take(7);
        QCOMPARE(*scheduler.peek(100), std::int64_t(1));
    }

    void queuedJobsGoInTheOrderThePlatformReceivedThem()
    {
        PollScheduler scheduler;
        // Sent in the order 3, 6, 9 but received 9, 3, 6 (a burst reaches the platform in
        // another order than it left): a first-in, first-out queue starts 9 next.
        const std::pair<std::int64_t, double> jobs[] = { { 3, 12.0 }, { 6, 15.0 }, { 9, 4.0 } };
        for (const auto& [seq, receivedMs] : jobs)
            scheduler.schedule(seq, 0, double(100 - seq), std::nullopt, receivedMs);
        QCOMPARE(*scheduler.peek(1), std::int64_t(9)); // not the first sent (3), nor the one asked longest ago
        scheduler.take(9);
        QCOMPARE(*scheduler.peek(1), std::int64_t(3));
    }

    void aRunningJobWaitsUntilItCouldBeDone()
    {
        PollScheduler scheduler;
        for (double exec : { 1000.0, 1200.0, 1100.0, 1050.0, 1300.0 })
            scheduler.noteExecutionMs(exec);
        // Started at 0: none of five executions ended before 1000 ms, so it waits till 800 ms.
        scheduler.schedule(1, 200, 0, 0.0, 0);
        scheduler.schedule(2, 200, 0, std::nullopt, 1); // a queued one is due at its interval
        QCOMPARE(*scheduler.peek(200), std::int64_t(2));
        scheduler.take(2);
        QVERIFY(!scheduler.peek(799));
        QCOMPARE(*scheduler.nextDueMs(), 800.0);
        QCOMPARE(*scheduler.peek(800), std::int64_t(1));
    }

    void rescheduleReplacesTheEarlierEntry()
    {
        PollScheduler scheduler;
        scheduler.schedule(1, 100, 0, std::nullopt, 0);
        scheduler.schedule(1, 500, 300, std::nullopt, 0);
        QVERIFY(!scheduler.peek(200));
        QCOMPARE(*scheduler.peek(500), std::int64_t(1));
        QCOMPARE(scheduler.waiting(), std::size_t(1));
        scheduler.remove(1);
        QVERIFY(!scheduler.peek(1000));
        QVERIFY(!scheduler.nextDueMs());
    }
};

QTEST_APPLESS_MAIN(TestPollScheduler)
#include "tst_pollscheduler.moc"
