// SPDX-License-Identifier: Apache-2.0
// Cold-start labelling from the platform's signals (docs/measurement.md).
#include "engine/coldtracker.h"

#include <QtTest>

using namespace t2i;

namespace {
RequestRecord record(std::string worker, std::optional<double> queueMs, double sentMs = 0)
{
    RequestRecord r;
    r.workerId = std::move(worker);
    r.queueMs = queueMs;
    r.sentMs = sentMs;
    return r;
}
} // namespace

class TestColdTracker : public QObject {
    Q_OBJECT
private slots:
    void workerIds()
    {
        ColdTracker tracker(250);
        QCOMPARE(int(tracker.classify(record("w1", 3000), false)),
            int(ColdLabel::Cold)); // new worker, long wait: it booted for us
        QCOMPARE(int(tracker.classify(record("w1", 3000), false)),
            int(ColdLabel::Warm)); // same worker again: queued behind others
        QCOMPARE(int(tracker.classify(record("w2", 12), false)),
            int(ColdLabel::Warm)); // new worker already idle when we came
        QCOMPARE(int(tracker.classify(record("w3", std::nullopt), false)), int(ColdLabel::Unknown));
        QCOMPARE(
            int(tracker.classify(record("w2", 5000), true)), int(ColdLabel::Cold)); // after a verified scale to zero
    }

    void withoutWorkerIdsHealthSamplesDecide_data()
    {
        QTest::addColumn<double>("initializingAtMs");
        QTest::addColumn<double>("queueMs");
        QTest::addColumn<int>("expected");
        QTest::newRow("short wait is warm") << 100.0 << 20.0 << int(ColdLabel::Warm);
        QTest::newRow("long wait while a worker initialized is cold") << 1500.0 << 4000.0 << int(ColdLabel::Cold);
        QTest::newRow("long wait with no worker initializing is unknown")
            << 9000.0 << 4000.0 << int(ColdLabel::Unknown);
    }
    void withoutWorkerIdsHealthSamplesDecide()
    {
        QFETCH(double, initializingAtMs);
        QFETCH(double, queueMs);
        QFETCH(int, expected);
        ColdTracker tracker(250);
        WorkerSample sample;
        sample.tMs = initializingAtMs;
        sample.initializing = 1;
        tracker.noteHealth(sample);
        QCOMPARE(int(tracker.classify(record("", queueMs, 1000), false)), expected);
    }
};

QTEST_APPLESS_MAIN(TestColdTracker)
#include "tst_coldtracker.moc"
