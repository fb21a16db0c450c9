// SPDX-License-Identifier: Apache-2.0
// The saturation study's analysis (docs/studies.md, "saturation"), fed with hand-made requests and
// utilisation: the mean utilisation over a request, the bins, the knee of the hinge fit and its
// bracket, the answer when there is no knee or too little data, and the emulator's truth file read.

#include "study/saturationstudy.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <functional>

using namespace t2i;

Q_DECLARE_METATYPE(std::function<double(double)>)

namespace {

// Requests at each utilisation level (0..1), `perLevel` each, with latency(u) ms, give or take
// a small alternating wobble; each on a unit of its own whose utilisation is constant.
SaturationInput levels(
    const std::vector<double>& utilizations, int perLevel, const std::function<double(double)>& latency)
{
    SaturationInput in;
    in.latencyName = "execution time";
    in.source = "hand-made";
    int unit = 0;
    for (double u : utilizations)
        for (int i = 0; i < perLevel; ++i) {
            const std::string name = "u" + std::to_string(unit++);
            in.utilization[name] = { { 0.0, u } };
            const double wobble = (i % 2 == 0 ? 1.0 : -1.0) * 0.01 * latency(u) * (i % 3);
            in.requests.push_back({ latency(u) + wobble, 100.0, 200.0, name });
        }
    return in;
}

} // namespace

class TestSaturationStudy : public QObject {
    Q_OBJECT
private slots:
    void meanOverIntervalIntegratesTheSteps_data();
    void meanOverIntervalIntegratesTheSteps();
    void binsByMeanUtilization();
    void kneeIsFoundWhereLatencyBendsUp_data();
    void kneeIsFoundWhereLatencyBendsUp();
    void noKneeWhenLatencyGrowsAtMostLinearly_data();
    void noKneeWhenLatencyGrowsAtMostLinearly();
    void tooFewLevelsSayWhy();
    void requestsWithoutUtilizationAreCounted();
    void truthFileGivesSortedStepsAndJobs();
    void gpuSamplesAreAveragedOverTheGpus();
    void truthPlacesEachRequestOnItsOwnWorker();
};

void TestSaturationStudy::meanOverIntervalIntegratesTheSteps_data()
{
    QTest::addColumn<double>("from");
    QTest::addColumn<double>("to");
    QTest::addColumn<double>("expected");
    // Steps: 0.25 from 0, 1.0 from 100, 0.5 from 300 (and 0.75 at 300 too: the later one holds).
    QTest::newRow("within one step") << 10.0 << 90.0 << 0.25;
    QTest::newRow("across two steps, half each") << 50.0 << 150.0 << 0.625;
    QTest::newRow("across three steps") << 0.0 << 400.0 << (0.25 * 100 + 1.0 * 200 + 0.75 * 100) / 400.0;
    QTest::newRow("before the first step: the first value") << -100.0 << -50.0 << 0.25;
    QTest::newRow("an empty interval: the value at its time") << 200.0 << 200.0 << 1.0;
    QTest::newRow("same-time steps: the one written last") << 300.0 << 350.0 << 0.75;
}

void TestSaturationStudy::meanOverIntervalIntegratesTheSteps()
{
    QFETCH(double, from);
    QFETCH(double, to);
    QFETCH(double, expected);
    const UtilizationSteps steps = { { 0, 0.25 }, { 100, 1.0 }, { 300, 0.5 }, { 300, 0.75 } };
    QVERIFY2(std::abs(meanOverInterval(steps, from, to) - expected) < 1e-12,
        qPrintable(QString::number(meanOverInterval(steps, from, to))));
}

void TestSaturationStudy::binsByMeanUtilization()
{
    const auto bins = saturationBins({ { 0.05, 10 }, { 0.07, 30 }, { 0.55, 5 }, { 1.0, 7 }, { 0.95, 9 } }, 10);
    QCOMPARE(bins.size(), std::size_t { 3 });
    QCOMPARE(bins[0].lowPct, 0.0);
    QCOMPARE(bins[0].n, std::size_t { 2 });
    QCOMPARE(bins[0].p50Ms, 10.0);
    QCOMPARE(bins[0].p95Ms, 30.0);
    QCOMPARE(bins[1].lowPct, 50.0);
    QCOMPARE(bins[2].lowPct, 90.0); // 100% falls in the last bin, with 95%
    QCOMPARE(bins[2].highPct, 100.0);
    QCOMPARE(bins[2].n, std::size_t { 2 });
    QVERIFY(std::abs(bins[2].meanUtilization - 0.975) < 1e-12);
}

void TestSaturationStudy::kneeIsFoundWhereLatencyBendsUp_data()
{
    QTest::addColumn<std::vector<double>>("utilizations");
    QTest::addColumn<std::function<double(double)>>("latency");
    QTest::addColumn<double>("trueKnee");
    const std::vector<double> every10 = { 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95 };
    QTest::newRow("flat, then 4 ms per % past 80%")
        << every10 << std::function<double(double)>([](double u) { return 1000 + 40000 * std::max(0.0, u - 0.8); })
        << 0.8;
    QTest::newRow("gently rising, then steeply past 50%")
        << every10
        << std::function<double(double)>([](double u) { return 800 + 200 * u + 5000 * std::max(0.0, u - 0.5); }) << 0.5;
    // The emulator's cheap-saturating shape at concurrency 4: four levels, slower at 100% only.
    QTest::newRow("a step at full use: the knee between 75% and 100%")
        << std::vector<double> { 0.25, 0.5, 0.75, 1.0 }
        << std::function<double(double)>([](double u) { return u > 0.8 ? 2200.0 : 1000.0; }) << 0.8;
}

void TestSaturationStudy::kneeIsFoundWhereLatencyBendsUp()
{
    QFETCH(std::vector<double>, utilizations);
    QFETCH(std::function<double(double)>, latency);
    QFETCH(double, trueKnee);
    const StudyResult r = analyzeSaturation(levels(utilizations, 8, latency), 10);
    const StudyFinding* knee = r.finding("knee_utilization_pct");
    QVERIFY(knee);
    QVERIFY2(knee->value, r.answer.c_str());
    QVERIFY2(std::abs(*knee->value - 100 * trueKnee) <= 10, knee->text.c_str()); // within one bin
    QVERIFY2(*knee->low <= *knee->value && *knee->value <= *knee->high, knee->text.c_str());
    QVERIFY2(*knee->low <= 100 * trueKnee + 5 && 100 * trueKnee - 5 <= *knee->high, knee->text.c_str());
    QVERIFY2(r.finding("slope_above_ms_per_pct")->value > r.finding("slope_below_ms_per_pct")->value, r.answer.c_str());
    QVERIFY2(r.answer.find("starves past") != std::string::npos, r.answer.c_str());
    QCOMPARE(r.tables.front().rows.size(), utilizations.size());
    QCOMPARE(r.charts.size(), std::size_t { 3 });
    QCOMPARE(r.charts[0].series[0].points.size(), utilizations.size() * 8);
}

void TestSaturationStudy::noKneeWhenLatencyGrowsAtMostLinearly_data()
{
    QTest::addColumn<std::function<double(double)>>("latency");
    QTest::newRow("flat") << std::function<double(double)>([](double) { return 1000.0; });
    QTest::newRow("linear") << std::function<double(double)>([](double u) { return 1000 + 3000 * u; });
    QTest::newRow("falling past half") << std::function<double(double)>(
        [](double u) { return 1000 - 500 * std::max(0.0, u - 0.5); });
}

void TestSaturationStudy::noKneeWhenLatencyGrowsAtMostLinearly()
{
    QFETCH(std::function<double(double)>, latency);
    const StudyResult r = analyzeSaturation(levels({ 0.1, 0.3, 0.5, 0.7, 0.9 }, 6, latency), 10);
    QVERIFY2(!r.finding("knee_utilization_pct")->value, r.finding("knee_utilization_pct")->text.c_str());
    QVERIFY2(r.answer.find("No knee up to 90%") == 0, r.answer.c_str());
}

void TestSaturationStudy::tooFewLevelsSayWhy()
{
    // Two levels, and a third bin with fewer requests than a bin needs.
    SaturationInput in = levels({ 0.2, 0.9 }, 5, [](double u) { return 1000 * (1 + u); });
    in.utilization["lone"] = { { 0.0, 0.5 } };
    in.requests.push_back({ 5000, 0, 10, "lone" });
    const StudyResult r = analyzeSaturation(in, 10);
    QVERIFY(!r.finding("knee_utilization_pct")->value);
    QVERIFY2(r.answer.find("Too few utilisation levels to fit a knee: 2 bin(s)") == 0, r.answer.c_str());
    QCOMPARE(r.tables.front().rows.size(), std::size_t { 3 }); // the table shows every bin
}

void TestSaturationStudy::requestsWithoutUtilizationAreCounted()
{
    SaturationInput in = levels({ 0.2, 0.5, 0.9 }, 4, [](double) { return 1000.0; });
    in.requests.push_back({ 1000, 0, 10, "a worker never sampled" });
    const StudyResult r = analyzeSaturation(in, 10);
    QCOMPARE(*r.finding("requests")->value, 12.0);
    bool noted = false;
    for (const std::string& note : r.notes)
        noted = noted || note.find("1 request(s) had no utilisation sample") == 0;
    QVERIFY(noted);
}

void TestSaturationStudy::truthFileGivesSortedStepsAndJobs()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("truth.jsonl").toStdString();
    {
        std::ofstream out(path);
        // As the emulator writes it: steps in batches, not in time order; a job line between.
        out << R"({"utilization": {"t_ms": 300, "worker_id": "w1", "running": 0, "concurrency": 4}})" << '\n'
            << R"({"job_id": "a-u1", "start_ms": 100, "finish_ms": 300, "worker_id": "w1", "status": "COMPLETED"})"
            << '\n'
            << R"({"utilization": {"t_ms": 100, "worker_id": "w1", "running": 1, "concurrency": 4}})" << '\n'
            << R"({"utilization": {"t_ms": 200, "worker_id": "w1", "running": 2, "concurrency": 4}})" << '\n'
            << R"({"job_id": "q-u1", "start_ms": 50, "finish_ms": 50, "worker_id": "", "status": "CANCELLED"})" << '\n'
            << R"({"ledger": {"billed_s": 1}})" << '\n';
    }
    const TruthUtilization truth = readTruthUtilization(path);
    QCOMPARE(truth.workers.size(), std::size_t { 1 });
    const UtilizationSteps expected = { { 100, 0.25 }, { 200, 0.5 }, { 300, 0.0 } };
    QCOMPARE(truth.workers.at("w1"), expected);
    QCOMPARE(truth.jobs.size(), std::size_t { 1 }); // the job that never reached a worker has no interval
    QCOMPARE(truth.jobs.at("a-u1").startMs, 100.0);
    QCOMPARE(truth.jobs.at("a-u1").finishMs, 300.0);
    QCOMPARE(truth.jobs.at("a-u1").workerId, std::string("w1"));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, readTruthUtilization(dir.filePath("missing").toStdString()));
}

namespace {

RequestRecord request(int step, double startedMs, double finishedMs, std::optional<double> execMs, bool ok = true,
    ColdLabel cold = ColdLabel::Warm, const std::string& jobId = {})
{
    RequestRecord r;
    r.step = step;
    r.ok = ok;
    r.cold = cold;
    r.jobId = jobId;
    r.intendedMs = r.sentMs = startedMs - 10;
    r.startedMs = startedMs;
    r.finishedMs = r.doneMs = finishedMs;
    r.execMs = execMs;
    return r;
}

} // namespace

void TestSaturationStudy::gpuSamplesAreAveragedOverTheGpus()
{
    StudyProbe probe;
    // Two GPUs sampled at 0 and 1000 ms: 20% and 40% (mean 30%), then 80% and 100% (mean 90%).
    probe.gpuSamples = { { 0, 0, 20.0, {}, {} }, { 0, 1, 40.0, {}, {} }, { 1000, 0, 80.0, {}, {} },
        { 1000, 1, 100.0, {}, {} }, { 1500, 1, std::nullopt, 1.0, 2.0 } };
    probe.records = { request(-1, 0, 100, 100), // the warm-up: left out
        request(0, 500, 1500, 1000), // half at 30%, half at 90%
        request(0, 1200, 1400, std::nullopt), // no execution time: the whole run falls back to latency
        request(0, 100, 200, 100, false), // failed
        request(1, 100, 900, 800, true, ColdLabel::Cold) };
    std::vector<std::string> notes;
    const SaturationInput in = saturationInput(probe, nullptr, notes);
    QCOMPARE(in.latencyName, std::string("latency"));
    const UtilizationSteps expected = { { 0, 0.3 }, { 1000, 0.9 } };
    QCOMPARE(in.utilization.size(), std::size_t { 1 });
    QCOMPARE(in.utilization.at("").size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        QCOMPARE(in.utilization.at("")[i].first, expected[i].first);
        QVERIFY(std::abs(in.utilization.at("")[i].second - expected[i].second) < 1e-12);
    }
    QCOMPARE(in.requests.size(), std::size_t { 2 });
    QCOMPARE(in.requests[0].latencyMs, 1010.0); // end to end: from the intended send
    QCOMPARE(in.requests[0].startMs, 500.0);
    QCOMPARE(in.requests[0].endMs, 1500.0);
    QVERIFY(std::abs(meanOverInterval(in.utilization.at(""), 500, 1500) - 0.6) < 1e-12);
    QCOMPARE(notes.size(), std::size_t { 2 }); // one cold, one failed
}

void TestSaturationStudy::truthPlacesEachRequestOnItsOwnWorker()
{
    TruthUtilization truth;
    truth.workers["w1"] = { { 0, 0.25 }, { 100, 0.5 } };
    truth.workers["w2"] = { { 0, 1.0 } };
    truth.jobs["a"] = { 1000, 1400, "w1" };
    truth.jobs["b"] = { 1100, 1900, "w2" };
    StudyProbe probe;
    probe.records
        = { request(0, 5, 400, 400, true, ColdLabel::Warm, "a"), request(0, 5, 800, 800, true, ColdLabel::Warm, "b"),
              request(0, 5, 800, 800, true, ColdLabel::Warm, "not in the truth") };
    std::vector<std::string> notes;
    const SaturationInput in = saturationInput(probe, &truth, notes);
    QCOMPARE(in.latencyName, std::string("execution time"));
    QCOMPARE(in.requests.size(), std::size_t { 2 });
    QCOMPARE(in.requests[0].unit, std::string("w1"));
    QCOMPARE(in.requests[0].startMs, 1000.0); // on the emulator's clock, from the truth
    QCOMPARE(in.requests[0].endMs, 1400.0);
    QCOMPARE(in.requests[0].latencyMs, 400.0);
    QCOMPARE(in.requests[1].unit, std::string("w2"));
    QCOMPARE(notes.size(), std::size_t { 1 });
    QVERIFY2(notes[0].find("1 request(s) were not found in the truth file") == 0, notes[0].c_str());
}

QTEST_GUILESS_MAIN(TestSaturationStudy)
#include "tst_saturationstudy.moc"
