// SPDX-License-Identifier: Apache-2.0
// Worker lifetimes rebuilt from what a platform reports (each job's worker id and timings, the
// health route's worker counts), and the run cost billed per worker from them. Every expected
// figure is worked out in the comments; the idle timeout is 5 s and samples come every 100 ms.
#include "cost/runcost.h"
#include "cost/workerlifetimes.h"
#include "costfixtures.h"

#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace t2i;
using costfixtures::healthOf;
using costfixtures::SeenWorker;
using costfixtures::workerJob;

namespace {

constexpr double idleMs = 5000;

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 + 1e-9 * std::abs(b);
}

#define VERIFY_NEAR(a, b)                                                                                              \
    QVERIFY2(                                                                                                          \
        near((a), (b)), qPrintable(QString("%1 = %2, expected %3").arg(#a).arg((a), 0, 'g', 17).arg((b), 0, 'g', 17)))

const WorkerLife* byId(const std::vector<WorkerLife>& lives, const std::string& id)
{
    const auto it = std::find_if(lives.begin(), lives.end(), [&](const WorkerLife& l) { return l.workerId == id; });
    return it == lives.end() ? nullptr : &*it;
}

const WorkerLife* firstJobless(const std::vector<WorkerLife>& lives)
{
    const auto it = std::find_if(lives.begin(), lives.end(), [](const WorkerLife& l) { return l.jobless; });
    return it == lives.end() ? nullptr : &*it;
}

// w1 boots at 1030 and is ready at 3030, when the job sent at 0 starts (it waited 3030 ms);
// it runs 500 ms and the worker idles out at 3530 + 5000 = 8530. The samples see it booting
// first at 1100 (none at 1000): its boot start is taken as 1050.
SeenWorker w1()
{
    return { 1030, 3030, 8530, { { 3030, 3530 } } };
}
// A second worker boots at 1240 (seen at 1300: taken as 1250), is ready at 3340 (seen at 3400:
// taken as 3350) and, with no job, stops at 8340.
SeenWorker jobless()
{
    return { 1240, 3340, 8340, {} };
}

Price a100()
{
    Price p;
    p.unit = PriceUnit::PerSecond;
    p.amountUsd = 0.00076;
    p.label = "catalog:runpod.flex.A100-80GB";
    p.read = "2026-07-01";
    return p;
}

} // namespace

class TestWorkerLifetimes : public QObject {
    Q_OBJECT

private slots:
    void coldWorkerBootSeenInSamples();
    void joblessWorkerSeenOnlyInSamples();
    void warmFirstJobTakesTheWorkerThatWasReady();
    void alwaysOnWorkerKeepsAllItsJobs();
    void withoutSamplesTheBootIsTheExtraWait();
    void concurrentJobsShareTheBusyTime();
    void runCostBillsEachWorkerOnce();
    void keepWarmIsProratedOverTheRun();
    void marginalWarmCostSharesAWorkerRunningJobsAtOnce();
};

void TestWorkerLifetimes::coldWorkerBootSeenInSamples()
{
    const std::vector records { workerJob("w1", 0, 3030, 500) };
    const auto lives = reconstructWorkers(records, healthOf({ w1() }, 100, 10000), { idleMs, 0 });
    QCOMPARE(lives.size(), std::size_t { 1 });
    const WorkerLife& l = lives.front();
    QCOMPARE(l.workerId, std::string("w1"));
    VERIFY_NEAR(l.bootStartMs, 1050.0);
    VERIFY_NEAR(l.readyMs, 3030.0); // the job waited for it: ready when the job started
    VERIFY_NEAR(l.stopMs, 8530.0);
    VERIFY_NEAR(l.busyOkMs, 500.0);
    QVERIFY(l.bootMeasured);
    QVERIFY(!l.jobless && !l.alwaysOn && !l.preExisting);
}

void TestWorkerLifetimes::joblessWorkerSeenOnlyInSamples()
{
    const std::vector records { workerJob("w1", 0, 3030, 500) };
    const auto lives = reconstructWorkers(records, healthOf({ w1(), jobless() }, 100, 10000), { idleMs, 0 });
    QCOMPARE(lives.size(), std::size_t { 2 });
    // The ready count rose at 3400 with no job's start to explain it: a worker became ready
    // with nothing to do (taken at 3350); the two boots seen (1050, 1250) go in order to the
    // two readies (3030, 3350).
    const WorkerLife* j = firstJobless(lives);
    QVERIFY(j);
    QVERIFY(j->workerId.empty());
    VERIFY_NEAR(j->bootStartMs, 1250.0);
    VERIFY_NEAR(j->readyMs, 3350.0);
    VERIFY_NEAR(j->stopMs, 8350.0); // no job within the idle timeout: ready + 5000
    VERIFY_NEAR(byId(lives, "w1")->bootStartMs, 1050.0);
}

void TestWorkerLifetimes::warmFirstJobTakesTheWorkerThatWasReady()
{
    // The second worker gets a job at 6000 that starts at once (no wait): it ran on the worker
    // that became ready at 3350, which now stops 5 s after that job: 6400 + 5000 = 11400.
    SeenWorker w2 = jobless();
    w2.stopMs = 11400;
    w2.running = { { 6000, 6400 } };
    const std::vector records { workerJob("w1", 0, 3030, 500), workerJob("w2", 6000, 0, 400) };
    const auto lives = reconstructWorkers(records, healthOf({ w1(), w2 }, 100, 12000), { idleMs, 0 });
    QCOMPARE(lives.size(), std::size_t { 2 });
    const WorkerLife* l = byId(lives, "w2");
    QVERIFY(l);
    VERIFY_NEAR(l->bootStartMs, 1250.0);
    VERIFY_NEAR(l->readyMs, 3350.0);
    VERIFY_NEAR(l->stopMs, 11400.0);
    VERIFY_NEAR(l->busyOkMs, 400.0);
    QVERIFY(!l->jobless);
}

void TestWorkerLifetimes::alwaysOnWorkerKeepsAllItsJobs()
{
    // One min worker, alive from the start; its two jobs are 18.5 s apart (more than the idle
    // timeout), yet an always-on worker never stops: one life, billed as keep-warm.
    const std::vector records { workerJob("a0", 1000, 0, 500), workerJob("a0", 20000, 0, 500) };
    const SeenWorker a0 { -1, -1, 1e9, { { 1000, 1500 }, { 20000, 20500 } } };
    const auto lives = reconstructWorkers(records, healthOf({ a0 }, 100, 30000), { idleMs, 1 });
    QCOMPARE(lives.size(), std::size_t { 1 });
    QVERIFY(lives.front().alwaysOn);
    QVERIFY(lives.front().preExisting);
    VERIFY_NEAR(lives.front().busyOkMs, 1000.0);
}

void TestWorkerLifetimes::withoutSamplesTheBootIsTheExtraWait()
{
    // No health route: the first job waited 3000 ms where later jobs wait 100 ms (the median),
    // so the boot is taken as 2900 ms: from 100 to 3000. Last job ends 4200: stop at 9200.
    const std::vector records { workerJob("w1", 0, 3000, 500), workerJob("w1", 3600, 100, 500) };
    const auto lives = reconstructWorkers(records, {}, { idleMs, 0 });
    QCOMPARE(lives.size(), std::size_t { 1 });
    VERIFY_NEAR(lives.front().bootStartMs, 100.0);
    VERIFY_NEAR(lives.front().stopMs, 9200.0);
    VERIFY_NEAR(lives.front().busyOkMs, 1000.0);
    QVERIFY(!lives.front().bootMeasured);
}

void TestWorkerLifetimes::concurrentJobsShareTheBusyTime()
{
    // On one worker, an ok job runs 1000..2000 and a failed one 1500..2500: 500 ms ok alone,
    // 500 ms shared (250 each), 500 ms failed alone: 750 ms each.
    const std::vector records { workerJob("c", 0, 1000, 1000), workerJob("c", 500, 1000, 1000, false) };
    const auto lives = reconstructWorkers(records, {}, { idleMs, 0 });
    QCOMPARE(lives.size(), std::size_t { 1 });
    VERIFY_NEAR(lives.front().busyOkMs, 750.0);
    VERIFY_NEAR(lives.front().busyFailedMs, 750.0);
    VERIFY_NEAR(lives.front().stopMs, 7500.0);
}

void TestWorkerLifetimes::runCostBillsEachWorkerOnce()
{
    const std::vector records { workerJob("w1", 0, 3030, 500) };
    const auto samples = healthOf({ w1(), jobless() }, 100, 10000);
    CostOptions o;
    o.idleTimeoutS = 5;
    const CostBreakdown c = computeRunCost(records, samples, a100(), o);
    QCOMPARE(int(c.method), int(CostMethod::WorkerLifetimes));
    // w1: 1050..8530 = 7.48 s, billed 8 s: boot 1.98, busy 0.5, idle 5.52 (tail and rounding).
    // jobless: 1250..8350 = 7.1 s, billed 8 s: boot 2.1, idle 5.9.
    QCOMPARE(c.workers, 2);
    QCOMPARE(c.joblessWorkers, 1);
    VERIFY_NEAR(c.billedWorkerS, 16.0);
    VERIFY_NEAR(c.compute, 0.5 * 0.00076);
    VERIFY_NEAR(c.coldStart, (1.98 + 2.1) * 0.00076);
    VERIFY_NEAR(c.idle, (5.52 + 5.9) * 0.00076);
    VERIFY_NEAR(c.total, 16 * 0.00076); // 0.01216: each life rounded up once, nothing twice
    VERIFY_NEAR(c.coldBootS, 1.98 + 2.1);
    QCOMPARE(c.images, 1);
    VERIFY_NEAR(c.perImage, 0.01216);
    // Replicate-style: booting not billed, each life runs from ready: 5.5 s -> 6, 5 s -> 5.
    o.coldStartBilled = false;
    const CostBreakdown unbilled = computeRunCost(records, samples, a100(), o);
    VERIFY_NEAR(unbilled.coldStart, 0.0);
    VERIFY_NEAR(unbilled.total, 11 * 0.00076);
}

void TestWorkerLifetimes::keepWarmIsProratedOverTheRun()
{
    const std::vector records { workerJob("a0", 1000, 0, 500), workerJob("a0", 20000, 0, 500) };
    const SeenWorker a0 { -1, -1, 1e9, { { 1000, 1500 }, { 20000, 20500 } } };
    CostOptions o;
    o.idleTimeoutS = 5;
    o.keepWarmWorkers = 1;
    o.runDurationS = 30.25;
    const CostBreakdown c = computeRunCost(records, healthOf({ a0 }, 100, 30000), a100(), o);
    // 1 worker x 30.25 s x 0.00076, not rounded: an always-on worker bills continuously.
    VERIFY_NEAR(c.keepWarm, 30.25 * 0.00076);
    VERIFY_NEAR(c.keepWarmS, 30.25);
    VERIFY_NEAR(c.compute, 0.0); // its jobs ran on time already paid for
    QCOMPARE(c.workers, 0);
    VERIFY_NEAR(c.total, c.keepWarm);
}

void TestWorkerLifetimes::marginalWarmCostSharesAWorkerRunningJobsAtOnce()
{
    // A worker that runs 4 jobs at once (the emulator's cheap-saturating profile): four warm
    // jobs sent together, each queued 100 ms and executing 1 s, side by side on worker "q".
    std::vector<RequestRecord> records;
    for (int i = 0; i < 4; ++i)
        records.push_back(workerJob("q", 0, 100, 1000));
    CostOptions o;
    o.idleTimeoutS = 5;
    const CostBreakdown c = computeRunCost(records, {}, a100(), o);
    QCOMPARE(int(c.method), int(CostMethod::WorkerLifetimes));
    // The worker was busy 1 s for all four: compute 1 s x 0.00076.
    VERIFY_NEAR(c.compute, 0.00076);
    // Execution alone would say 4 x 1 s x 0.00076 / 4 images = 0.00076 an image; busy time /
    // summed execution = 1 / 4, so one warm image costs 0.00019 at the margin.
    VERIFY_NEAR(c.marginalWarmPerImage, 0.00019);
    // One job alone on its worker keeps the whole of its execution.
    const std::vector single { workerJob("s", 0, 100, 1000) };
    VERIFY_NEAR(computeRunCost(single, {}, a100(), o).marginalWarmPerImage, 0.00076);
}

QTEST_APPLESS_MAIN(TestWorkerLifetimes)
#include "tst_workerlifetimes.moc"
