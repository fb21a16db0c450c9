// SPDX-License-Identifier: Apache-2.0
// The platform model with explicit time: no clock, no sleeps, every number exact.
#include "platformmodel.h"
#include "truthlog.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace t2i;

namespace {

// A platform without noise: boot 1 s, no model load, 500 ms per job, one worker at most.
PlatformProfile flat()
{
    PlatformProfile p;
    p.name = "flat";
    p.minWorkers = 0;
    p.maxWorkers = 1;
    p.idleTimeoutMs = 5000;
    p.coldBoot = { 1000, 0 };
    p.coldLoad = { 2000, 0 };
    p.scaleOn = ScaleOn::QueueDelay;
    p.queueDelayMs = 4000;
    p.reactionDelayMs = 0;
    p.baseMs = 500;
    p.msPerMegapixelStep = 0;
    p.noiseSigma = 0;
    p.pricePerS = 0.001;
    return p;
}

JobSpec small()
{
    JobSpec s;
    s.width = 64;
    s.height = 64;
    s.steps = 4;
    return s;
}

// Runs the model until nothing is left to happen before `until` and returns what finished.
std::vector<JobTruth> runUntil(PlatformModel& model, int64_t until)
{
    model.advanceTo(until);
    return model.takeFinished();
}

} // namespace

class TestPlatformModel : public QObject {
    Q_OBJECT
private slots:
    void coldStartThenWarmReuse();
    void scaleToZeroAfterIdleTimeout();
    void autoscalerReactionAndMaxWorkers_data();
    void autoscalerReactionAndMaxWorkers();
    void queueDelayScalerAddsWorkersForOverdueJobs();
    void gpuMemoryLimit_data();
    void gpuMemoryLimit();
    void failureRateOneFailsEveryJob();
    void executionTimeoutEndsInTimedOut();
    void saturationSlowsTheJobsPastTheThreshold();
    void ledgerSumsRoundedUpLifetimes_data();
    void ledgerSumsRoundedUpLifetimes();
    void shutdownBillsEachWorkerToItsNaturalStop_data();
    void shutdownBillsEachWorkerToItsNaturalStop();
    void minWorkersBillTheTimeInUse();
    void minWorkersAreWarmAtTimeZero();
    void cancelQueuedAndRunningJobs();
    void purgeQueueCancelsOnlyQueuedJobs();
    void timeScaleStretchesEveryDuration();
    void sameSeedSameArrivalsSameTruth();
    void nextEventIsTheEarliestDueEvent();
};

void TestPlatformModel::coldStartThenWarmReuse()
{
    PlatformModel model(flat(), 1);
    model.submit(small(), 0);
    QCOMPARE(model.health().initializing, 1);
    auto done = runUntil(model, 3999);
    QCOMPARE(done.size(), size_t { 1 });
    const JobTruth cold = done[0];
    QCOMPARE(cold.status, JobStatus::Completed);
    QCOMPARE(cold.arrivalMs, 0);
    QCOMPARE(cold.startMs, 3000); // boot 1000 + load 2000
    QCOMPARE(cold.queueMs, 3000); // RunPod's delayTime includes the cold start
    QCOMPARE(cold.coldStartMs, 3000);
    QCOMPARE(cold.execMs, 500);
    QCOMPARE(cold.finishMs, 3500);
    QVERIFY(cold.cold);
    QCOMPARE(cold.billedS, 3.5);
    QCOMPARE(cold.costUsd, 3.5 * 0.001);

    model.submit(small(), 4000);
    done = runUntil(model, 5000);
    QCOMPARE(done.size(), size_t { 1 });
    QCOMPARE(done[0].workerId, cold.workerId);
    QVERIFY(!done[0].cold);
    QCOMPARE(done[0].queueMs, 0);
    QCOMPARE(done[0].coldStartMs, 0);
    QCOMPARE(done[0].billedS, 0.5);
}

void TestPlatformModel::scaleToZeroAfterIdleTimeout()
{
    PlatformModel model(flat(), 1);
    model.submit(small(), 0);
    runUntil(model, 3500); // finishes at 3500, idle from then on
    QCOMPARE(model.health().idle, 1);
    model.advanceTo(3500 + 5000 - 1);
    QCOMPARE(model.health().idle, 1);
    model.advanceTo(3500 + 5000);
    QCOMPARE(model.health().idle, 0);
    QCOMPARE(model.workers()[0].state, WorkerState::Stopped);
    QCOMPARE(model.workers()[0].stopMs, 8500);

    model.submit(small(), 9000);
    const auto done = runUntil(model, 20000);
    QCOMPARE(done.size(), size_t { 1 });
    QVERIFY(done[0].cold);
    QCOMPARE(done[0].coldStartMs, 3000);
    QCOMPARE(model.workers().size(), size_t { 2 });
    QCOMPARE(done[0].workerId, model.workers()[1].id);
    QVERIFY(done[0].workerId != model.workers()[0].id);
}

void TestPlatformModel::autoscalerReactionAndMaxWorkers_data()
{
    QTest::addColumn<int>("reactionMs");
    QTest::addColumn<int>("maxWorkers");
    QTest::addColumn<int>("jobs");
    QTest::newRow("request count: 5 jobs, reaction 700 ms, max 3") << 700 << 3 << 5;
    QTest::newRow("request count: 2 jobs, no reaction delay, max 10") << 0 << 10 << 2;
    QTest::newRow("request count: 12 jobs, reaction 2 s, max 4") << 2000 << 4 << 12;
}

void TestPlatformModel::autoscalerReactionAndMaxWorkers()
{
    QFETCH(int, reactionMs);
    QFETCH(int, maxWorkers);
    QFETCH(int, jobs);
    PlatformProfile p = flat();
    p.scaleOn = ScaleOn::RequestCount;
    p.requestsPerWorker = 1;
    p.reactionDelayMs = reactionMs;
    p.maxWorkers = maxWorkers;
    p.coldLoad = { 0, 0 };
    PlatformModel model(p, 7);
    for (int i = 0; i < jobs; ++i)
        model.submit(small(), 0);
    model.advanceTo(reactionMs - 1);
    QCOMPARE(model.workers().size(), size_t(reactionMs > 0 ? 0 : std::min(jobs, maxWorkers)));
    model.advanceTo(reactionMs);
    const auto workers = model.workers();
    QCOMPARE(int(workers.size()), std::min(jobs, maxWorkers)); // ceil((inQueue + inProgress) / 1), capped
    for (const WorkerView& w : workers) {
        QCOMPARE(w.bootStartMs, reactionMs);
        QCOMPARE(w.readyMs, reactionMs + 1000);
    }
    const auto done = runUntil(model, 100000);
    QCOMPARE(int(done.size()), jobs);
    QCOMPARE(done[0].startMs, reactionMs + 1000);
    QCOMPARE(done[0].coldStartMs, 1000); // the reaction delay is queueing, not cold start
    QCOMPARE(done[0].queueMs, reactionMs + 1000);
    int colds = 0;
    for (const JobTruth& t : done)
        colds += t.cold;
    QCOMPARE(colds, std::min(jobs, maxWorkers)); // one cold job per new worker
    QVERIFY(int(model.workers().size()) <= maxWorkers);
}

void TestPlatformModel::queueDelayScalerAddsWorkersForOverdueJobs()
{
    PlatformProfile p = flat();
    p.minWorkers = 1;
    p.maxWorkers = 3;
    p.baseMs = 10000;
    p.queueDelayMs = 2000;
    p.reactionDelayMs = 500;
    p.coldLoad = { 0, 0 };
    PlatformModel model(p, 3);
    for (int i = 0; i < 3; ++i)
        model.submit(small(), 0);
    model.advanceTo(2499);
    QCOMPARE(model.workers().size(), size_t { 1 }); // overdue at 2000, acted on at 2500
    model.advanceTo(2500);
    QCOMPARE(model.workers().size(), size_t { 3 });
    const auto done = runUntil(model, 100000);
    QCOMPARE(done.size(), size_t { 3 });
    QVERIFY(!done[0].cold); // the always-on worker
    QCOMPARE(done[0].queueMs, 0);
    for (size_t i = 1; i < 3; ++i) {
        QCOMPARE(done[i].startMs, 3500);
        QVERIFY(done[i].cold);
        QCOMPARE(done[i].coldStartMs, 1000);
    }
}

void TestPlatformModel::gpuMemoryLimit_data()
{
    QTest::addColumn<int>("side");
    QTest::addColumn<int>("images");
    QTest::addColumn<bool>("fits");
    // 24 GB, 8 GB base, 4 GB per megapixel
    QTest::newRow("1024x1024, 1 image fits in 24 GB") << 1024 << 1 << true;
    QTest::newRow("2048x2048 needs 24.8 GB: out of memory") << 2048 << 1 << false;
    QTest::newRow("1024x1024, 4 images needs 24.8 GB: out of memory") << 1024 << 4 << false;
}

void TestPlatformModel::gpuMemoryLimit()
{
    QFETCH(int, side);
    QFETCH(int, images);
    QFETCH(bool, fits);
    PlatformProfile p = flat();
    p.gpuMemoryGb = 24;
    p.memoryBaseGb = 8;
    p.memoryGbPerMegapixel = 4;
    PlatformModel model(p, 1);
    JobSpec spec = small();
    spec.width = spec.height = side;
    spec.images = images;
    model.submit(spec, 0);
    const auto done = runUntil(model, 100000);
    QCOMPARE(done.size(), size_t { 1 });
    QCOMPARE(done[0].status, fits ? JobStatus::Completed : JobStatus::Failed);
    QCOMPARE(QString::fromStdString(done[0].error).contains("CUDA out of memory"), !fits);
    QCOMPARE(model.health().failed, fits ? 0 : 1);
}

void TestPlatformModel::failureRateOneFailsEveryJob()
{
    PlatformProfile p = flat();
    p.failureRate = 1.0;
    p.failureError = "RuntimeError: injected";
    PlatformModel model(p, 5);
    for (int i = 0; i < 10; ++i)
        model.submit(small(), i * 100);
    const auto done = runUntil(model, 100000);
    QCOMPARE(done.size(), size_t { 10 });
    for (const JobTruth& t : done) {
        QCOMPARE(t.status, JobStatus::Failed);
        QCOMPARE(t.error, std::string("RuntimeError: injected"));
        QVERIFY(t.execMs <= 500);
    }
    QCOMPARE(model.health().failed, 10);
    QCOMPARE(model.health().completed, 0);
}

void TestPlatformModel::executionTimeoutEndsInTimedOut()
{
    PlatformModel model(flat(), 1);
    JobSpec spec = small();
    spec.executionTimeoutMs = 200; // the service takes 500
    model.submit(spec, 0);
    const auto done = runUntil(model, 100000);
    QCOMPARE(done[0].status, JobStatus::TimedOut);
    QCOMPARE(done[0].execMs, 200);
}

void TestPlatformModel::saturationSlowsTheJobsPastTheThreshold()
{
    PlatformProfile p = flat();
    p.minWorkers = 1;
    p.workerConcurrency = 4;
    p.saturationThreshold = 0.8;
    p.saturationFactor = 2;
    PlatformModel model(p, 1);
    for (int i = 0; i < 4; ++i)
        model.submit(small(), 0);
    const auto done = runUntil(model, 100000);
    QCOMPARE(done.size(), size_t { 4 });
    // Utilisation 1/4, 2/4, 3/4 stays at or under 0.8; the fourth job makes it 4/4.
    QCOMPARE(done[0].execMs, 500);
    QCOMPARE(done[1].execMs, 500);
    QCOMPARE(done[2].execMs, 500);
    QCOMPARE(done[3].execMs, 1000);
    QCOMPARE(done[3].workerId, done[0].workerId);
}

void TestPlatformModel::ledgerSumsRoundedUpLifetimes_data()
{
    QTest::addColumn<int>("minWorkers");
    QTest::addColumn<qint64>("expectedBilledS");
    QTest::addColumn<double>("expectedKeepWarmS");
    // Worker 0 boots 0..3000, runs 3000..3500, idles to 8500 and stops: ceil(8.5 s) = 9 s.
    // The second job at 20000 boots a new worker: 20000..23500, idle to 28500: ceil(8.5) = 9 s.
    QTest::newRow("scale to zero: two lifetimes with idle tails") << 0 << qint64 { 18 } << 0.0;
    // An always-on worker takes both jobs and is billed (prorated) for all 40 s; nothing else starts.
    QTest::newRow("one min worker billed for the whole run") << 1 << qint64 { 0 } << 40.0;
}

void TestPlatformModel::ledgerSumsRoundedUpLifetimes()
{
    QFETCH(int, minWorkers);
    QFETCH(qint64, expectedBilledS);
    QFETCH(double, expectedKeepWarmS);
    PlatformProfile p = flat();
    p.minWorkers = minWorkers;
    PlatformModel model(p, 1);
    model.submit(small(), 0);
    model.submit(small(), 20000);
    const Ledger ledger = model.shutdown(40000);
    QCOMPARE(ledger.billedS, expectedBilledS);
    QCOMPARE(ledger.keepWarmS, expectedKeepWarmS);
    QCOMPARE(ledger.costUsd, (double(expectedBilledS) + expectedKeepWarmS) * 0.001);
    QCOMPARE(ledger.workersStarted, minWorkers > 0 ? 1 : 2);
    QCOMPARE(ledger.pricePerS, 0.001);
    const auto json = TruthLog::toJson(ledger);
    QCOMPARE(json["ledger"]["billed_s"].get<int64_t>(), expectedBilledS);
    QCOMPARE(json["ledger"]["workers_started"].get<int>(), ledger.workersStarted);
}

void TestPlatformModel::shutdownBillsEachWorkerToItsNaturalStop_data()
{
    QTest::addColumn<qint64>("shutdownMs");
    QTest::addColumn<qint64>("expectedBilledS");
    // The worker boots 0..3000, runs 3000..3500 and would idle until 8500 whenever the client leaves.
    // Booting, it becomes ready at 3000 and stops at 8000 (the queued job went with the client).
    QTest::newRow("while booting: ready, then the idle timeout") << qint64 { 1000 } << qint64 { 8 };
    QTest::newRow("while running: the job's end, then the idle timeout") << qint64 { 3200 } << qint64 { 9 };
    QTest::newRow("while idle: to the end of its idle timeout") << qint64 { 5000 } << qint64 { 9 };
    QTest::newRow("after it stopped: its life as it was") << qint64 { 20000 } << qint64 { 9 };
}

void TestPlatformModel::shutdownBillsEachWorkerToItsNaturalStop()
{
    QFETCH(qint64, shutdownMs);
    QFETCH(qint64, expectedBilledS);
    PlatformModel model(flat(), 1);
    model.submit(small(), 0);
    const Ledger ledger = model.shutdown(shutdownMs);
    QCOMPARE(ledger.billedS, expectedBilledS);
    QCOMPARE(ledger.keepWarmS, 0.0);
}

void TestPlatformModel::minWorkersBillTheTimeInUse()
{
    // With the endpoint in use from 1000 to 21000 ms, a min worker's share is those 20 s
    // (prorated), not the 40 s the emulator ran.
    PlatformProfile p = flat();
    p.minWorkers = 1;
    PlatformModel model(p, 1);
    model.submit(small(), 1000);
    const Ledger ledger = model.shutdown(40000, std::make_pair(int64_t { 1000 }, int64_t { 21000 }));
    QCOMPARE(ledger.keepWarmS, 20.0);
    QCOMPARE(ledger.billedS, int64_t { 0 });
    QCOMPARE(ledger.costUsd, 20.0 * 0.001);
}

void TestPlatformModel::minWorkersAreWarmAtTimeZero()
{
    PlatformProfile p = flat();
    p.minWorkers = 2;
    p.maxWorkers = 2;
    PlatformModel model(p, 1);
    const auto workers = model.workers();
    QCOMPARE(workers.size(), size_t { 2 });
    for (const WorkerView& w : workers) {
        QCOMPARE(w.state, WorkerState::Idle);
        QCOMPARE(w.readyMs, 0);
        QVERIFY(w.alwaysOn);
    }
    model.submit(small(), 0);
    const auto done = runUntil(model, 100000);
    QCOMPARE(done[0].queueMs, 0);
    QVERIFY(!done[0].cold);
    model.advanceTo(1000000);
    QCOMPARE(model.health().idle, 2); // never scaled to zero
}

void TestPlatformModel::cancelQueuedAndRunningJobs()
{
    PlatformProfile p = flat();
    p.minWorkers = 1;
    PlatformModel model(p, 1);
    const JobView running = model.submit(small(), 0);
    const JobView queued = model.submit(small(), 0);
    QCOMPARE(model.job(running.index)->status, JobStatus::InProgress);
    QCOMPARE(model.job(queued.index)->status, JobStatus::InQueue);
    QVERIFY(model.cancel(queued.index, 100));
    QVERIFY(model.cancel(running.index, 200));
    QVERIFY(!model.cancel(running.index, 300)); // already over
    const auto done = model.takeFinished();
    QCOMPARE(done.size(), size_t { 2 });
    QCOMPARE(done[0].status, JobStatus::Cancelled);
    QCOMPARE(done[0].workerId, std::string());
    QCOMPARE(done[0].queueMs, 100);
    QCOMPARE(done[1].status, JobStatus::Cancelled);
    QCOMPARE(done[1].execMs, 200);
    QCOMPARE(model.health().idle, 1); // the worker is free again
    QCOMPARE(model.health().cancelled, 2);
}

void TestPlatformModel::purgeQueueCancelsOnlyQueuedJobs()
{
    PlatformProfile p = flat();
    p.minWorkers = 1;
    PlatformModel model(p, 1);
    for (int i = 0; i < 4; ++i)
        model.submit(small(), 0);
    QCOMPARE(model.purgeQueue(10), 3);
    QCOMPARE(model.health().inQueue, 0);
    QCOMPARE(model.health().inProgress, 1);
    const auto done = runUntil(model, 100000);
    QCOMPARE(done.size(), size_t { 4 });
    QCOMPARE(done.back().status, JobStatus::Completed);
}

void TestPlatformModel::timeScaleStretchesEveryDuration()
{
    PlatformProfile p = flat();
    p.timeScale = 2;
    PlatformModel model(p, 1);
    model.submit(small(), 0);
    const auto done = runUntil(model, 100000);
    QCOMPARE(done[0].coldStartMs, 6000);
    QCOMPARE(done[0].execMs, 1000);
    model.advanceTo(7000 + 10000);
    QCOMPARE(model.workers()[0].stopMs, 7000 + 10000); // idle timeout doubled too
}

void TestPlatformModel::sameSeedSameArrivalsSameTruth()
{
    PlatformProfile p = flat();
    p.noiseSigma = 0.3;
    p.coldBoot = { 1000, 0.4 };
    p.maxWorkers = 3;
    p.scaleOn = ScaleOn::RequestCount;
    p.failureRate = 0.2;
    auto run = [&p](uint64_t seed) {
        PlatformModel model(p, seed);
        for (int i = 0; i < 30; ++i) {
            JobSpec spec = small();
            spec.steps = 1 + i % 7;
            model.submit(spec, i * 137);
        }
        std::string lines;
        for (const JobTruth& t : runUntil(model, 1000000))
            lines += TruthLog::toJson(t).dump() + "\n";
        return lines + TruthLog::toJson(model.shutdown(1000000)).dump();
    };
    QCOMPARE(run(42), run(42));
    QVERIFY(run(42) != run(43));
}

void TestPlatformModel::nextEventIsTheEarliestDueEvent()
{
    PlatformModel model(flat(), 1);
    QVERIFY(!model.nextEventMs());
    model.submit(small(), 0);
    QCOMPARE(*model.nextEventMs(), 3000); // the worker becomes ready
    model.advanceTo(3000);
    QCOMPARE(*model.nextEventMs(), 3500); // the job finishes
    model.advanceTo(3500);
    QCOMPARE(*model.nextEventMs(), 8500); // the idle worker stops
    model.advanceTo(8500);
    QVERIFY(!model.nextEventMs());
}

QTEST_APPLESS_MAIN(TestPlatformModel)
#include "tst_platformmodel.moc"
