// SPDX-License-Identifier: Apache-2.0
// bench_dashboard [--requests N] [--db FILE]: how long the dashboard takes to compare two big
// runs, and the memory it needs.
//
// Builds (or reuses) a library with two runs of N requests each (default 1,000,000: a closed
// sweep 1..64, a Poisson step, cold starts, a few percent errors, RunPod-like stage times and
// worker ids), then measures, offscreen:
//   1. the lean columnar load of both runs (Store::runColumns, worker samples, the cost model),
//   2. the chart data (core/charts computeComparison: digests, bins, ECDFs, timelines,
//      significance),
//   3. the dashboard itself: ComparisonView::showRuns until ready() (load + compute off the GUI
//      thread), then the first paint of its Latency tab,
// and the process's peak resident memory. Not a test: it prints figures and asserts nothing.

#include "charts/comparisonload.h"
#include "charts/distributions.h"
#include "charts/runcharts.h"
#include "charts/significance.h"
#include "charts/timecharts.h"
#include "compare/comparisonview.h"
#include "cost/runcostfor.h"
#include "store/store.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <time.h>

using namespace t2i;

namespace {

double peakRssMiB()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

double rssMiB()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

// One synthetic run: a realistic mixture, seeded, written through the Store API.
void addRun(Store& store, const std::string& id, const std::string& variant, std::size_t requests, double speed,
    std::uint64_t seed)
{
    RunInfo run;
    run.id = id;
    run.name = "bench/emulated-runpod/" + variant;
    run.status = RunStatus::Completed;
    run.providerId = "emulated-runpod";
    run.providerType = "emulated";
    run.variantId = variant;
    run.configJson = R"({"provider":{"id":"emulated-runpod","type":"emulated","profile":"steady"},)"
                     R"("variant":{"id":")"
        + variant + R"(","width":1024,"height":1024,"steps":30,"images":1}})";
    run.environmentJson = R"({"tool":"t2ibench","version":"0.1.0","host":"bench"})";
    run.created = "2026-01-01T00:00:00Z";
    run.finished = run.created;
    store.createRun(run);
    std::mt19937_64 rng(seed);
    std::lognormal_distribution<double> exec(std::log(900.0 * speed), 0.25);
    std::exponential_distribution<double> queue(1.0 / 40.0);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<RequestRecord> batch;
    batch.reserve(20000);
    double clock = 0;
    // A big run is a fast endpoint at high load: a closed sweep 16..256 (each level's share of
    // requests grows with its concurrency, as a fixed-length level's would), then Poisson at
    // 150 requests/s. About 1.4 hours of run time for 1,000,000 requests.
    const int levels[] = { 16, 32, 64, 128, 256 };
    const std::size_t sweep = requests * 7 / 10;
    std::size_t levelEnd[5];
    for (std::size_t l = 0, sum = 0; l < 5; ++l) {
        sum += static_cast<std::size_t>(levels[l]);
        levelEnd[l] = sweep * sum / 496;
    }
    for (std::size_t i = 0; i < requests; ++i) {
        RequestRecord r;
        r.seq = static_cast<std::int64_t>(i);
        if (i < sweep) {
            r.step = 0;
            r.stepKind = "closed";
            while (i >= levelEnd[r.level])
                ++r.level;
            r.offered = levels[r.level];
        } else {
            r.step = 1;
            r.stepKind = "poisson";
            r.offered = 150;
        }
        const int workers = r.step == 0 ? levels[r.level] : 150;
        const bool cold = unit(rng) < 0.002;
        r.intendedMs = clock;
        r.sentMs = clock + unit(rng) * 0.2;
        r.queueMs = queue(rng) + (cold ? 9000 + 3000 * unit(rng) : 0) + std::max(0, r.level - 2) * 80.0;
        r.startedMs = r.sentMs + *r.queueMs;
        r.execMs = exec(rng);
        r.finishedMs = *r.startedMs + *r.execMs + 30 * unit(rng);
        r.doneMs = r.finishedMs;
        r.ok = unit(rng) > 0.02;
        r.errorClass = r.ok ? ErrorClass::None : ErrorClass::ServerError;
        r.cold = cold ? ColdLabel::Cold : ColdLabel::Warm;
        r.images = r.ok ? 1 : 0;
        r.width = r.height = 1024;
        r.bytes = 1'400'000;
        r.workerId = "w" + std::to_string(i % static_cast<std::size_t>(std::min(workers, 64)));
        r.jobId = "job-" + std::to_string(i);
        batch.push_back(std::move(r));
        clock += (*batch.back().execMs + 40) / workers;
        if (batch.size() == batch.capacity()) {
            store.insertRecords(id, batch);
            batch.clear();
        }
    }
    store.insertRecords(id, batch);
    std::vector<WorkerSample> samples;
    for (double t = 0; t < clock; t += 1000) {
        WorkerSample s;
        s.tMs = t;
        s.running = 16 + static_cast<int>(t / std::max(clock, 1.0) * 48);
        s.idle = 2;
        s.inQueue = static_cast<int>(unit(rng) * 5);
        samples.push_back(s);
    }
    store.insertWorkerSamples(id, samples);
    run.durationMs = clock;
    store.updateRun(run);
}

template <typename F> double millis(F&& work)
{
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// CPU time of the calling thread, ms: what a step costs whatever else the machine is doing.
double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

double processCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

// Each step of the pipeline on one run, one thread: wall and CPU time.
void stepsMode(const std::string& db, const std::string& id)
{
    auto store = Store::open(db);
    std::string line;
    auto step = [&](const char* name, auto&& work) {
        const double cpu = threadCpuMs();
        const double wall = millis(work);
        char text[120];
        std::snprintf(
            text, sizeof text, "%s%s %.0f ms (CPU %.0f)", line.empty() ? "" : ", ", name, wall, threadCpuMs() - cpu);
        line += text;
    };
    RunColumns columns;
    step("chart columns", [&] { columns = store->runColumns(id, false); });
    std::vector<WorkerSample> samples;
    step("samples", [&] { samples = store->workerSamples(id); });
    const auto info = *store->findRun(id);
    charts::RunDigest digest;
    step("digest", [&] { digest = charts::digestRun(columns); });
    step("timeline", [&] { (void)charts::timeline(columns); });
    step("counters", [&] { (void)charts::timeSeries(columns, samples); });
    step("ECDF+box", [&] {
        for (const auto& sample : digest.latency) {
            (void)charts::ecdf(sample);
            (void)charts::boxStats(sample);
        }
    });
    step("Mann-Whitney", [&] { (void)charts::mannWhitney(digest.latency[0], digest.latency[0]); });
    step("p50+p95 difference CIs", [&] {
        (void)charts::quantileDifferenceCi(digest.latency[0], digest.latency[0], 0.5);
        (void)charts::quantileDifferenceCi(digest.latency[0], digest.latency[0], 0.95);
    });
    step("cost columns", [&] { store->addCostColumns(id, columns); });
    std::vector<RequestRecord> records;
    step("records for the cost model", [&] {
        records.reserve(columns.size());
        for (std::size_t i = 0; i < columns.size(); ++i)
            records.push_back(columns.record(i));
    });
    std::string why;
    step("cost model", [&] { (void)costOfRun(info, records, samples, &why); });
    std::printf("one run, one thread: %s\n", line.c_str());
}

// The core pipeline alone, as the view runs it off the GUI thread.
void coreMode(const std::string& db, const std::vector<std::string>& ids)
{
    const double cpu0 = processCpuMs();
    std::vector<charts::RunInput> inputs;
    const double loadMs = millis([&] { inputs = charts::loadRuns(db, ids); });
    const double loadedRss = rssMiB();
    charts::ComparisonData data;
    const double chartsMs = millis([&] { data = charts::computeCharts(inputs); });
    const double costsMs = millis([&] { charts::addCosts(data, inputs); });
    std::printf("core:      load %.0f ms, chart data %.0f ms (the first paint can start: %.0f ms), costs %.0f ms; "
                "CPU %.0f ms in all; RSS %.0f MiB loaded, peak %.0f MiB\n",
        loadMs, chartsMs, loadMs + chartsMs, costsMs, processCpuMs() - cpu0, loadedRss, peakRssMiB());
}

// The dashboard: showRuns() until chartsShown() and the first paint, then ready() with costs.
int viewMode(const std::string& db, const std::vector<std::string>& ids)
{
    ui::ComparisonView view;
    view.resize(1400, 900);
    view.show();
    view.setDatabase(QString::fromStdString(db));
    QEventLoop loop;
    QObject::connect(&view, &ui::ComparisonView::ready, &loop, &QEventLoop::quit);
    QObject::connect(&view, &ui::ComparisonView::errorOccurred, &loop, [&](const QString& message) {
        std::fprintf(stderr, "error: %s\n", qPrintable(message));
        loop.quit();
    });
    QElapsedTimer timer;
    timer.start();
    // The GUI thread's longest stall while the work runs: a 10 ms timer that reports its lateness.
    qint64 last = 0, worstGap = 0;
    QTimer heartbeat;
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = timer.elapsed();
        worstGap = std::max(worstGap, now - last);
        last = now;
    });
    heartbeat.start(10);
    qint64 shownMs = -1, paintedMs = -1;
    QPixmap shot;
    QObject::connect(&view, &ui::ComparisonView::chartsShown, [&] {
        shownMs = timer.elapsed();
        shot = view.grab(); // the first paint of the Latency tab's four charts
        paintedMs = timer.elapsed();
    });
    const double cpu0 = processCpuMs();
    view.showRuns({ QString::fromStdString(ids[0]), QString::fromStdString(ids[1]) });
    loop.exec();
    const qint64 readyMs = timer.elapsed();
    heartbeat.stop();
    std::printf("dashboard: charts shown %lld ms, first paint done %lld ms, costs shown %lld ms after showRuns; "
                "CPU %.0f ms; longest GUI-thread stall %lld ms; peak RSS %.0f MiB\n",
        static_cast<long long>(shownMs), static_cast<long long>(paintedMs), static_cast<long long>(readyMs),
        processCpuMs() - cpu0, static_cast<long long>(worstGap), peakRssMiB());
    return shot.isNull() ? 1 : 0;
}

} // namespace

int main(int argc, char** argv)
{
    std::size_t requests = 1'000'000;
    std::string db = (std::filesystem::temp_directory_path() / "t2ibench-bench-dashboard.db").string();
    std::string mode;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--requests") == 0)
            requests = std::stoul(argv[i + 1]);
        else if (std::strcmp(argv[i], "--db") == 0)
            db = argv[i + 1];
        else if (std::strcmp(argv[i], "--mode") == 0)
            mode = argv[i + 1];
    }
    std::setvbuf(stdout, nullptr, _IONBF, 0); // progress shows as it happens, even into a file
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const std::vector<std::string> ids { "rbench2-a-" + std::to_string(requests),
        "rbench2-b-" + std::to_string(requests) };
    if (mode == "steps") {
        stepsMode(db, ids[0]);
        return 0;
    }
    if (mode == "core") {
        coreMode(db, ids);
        return 0;
    }
    if (mode == "view")
        return viewMode(db, ids);
    {
        auto store = Store::open(db);
        if (store->recordCount(ids[0]) != static_cast<std::int64_t>(requests)
            || store->recordCount(ids[1]) != static_cast<std::int64_t>(requests)) {
            store->deleteRun(ids[0]);
            store->deleteRun(ids[1]);
            std::printf("building %s: 2 runs x %zu requests ...\n", db.c_str(), requests);
            const double ms = millis([&] {
                addRun(*store, ids[0], "sdxl", requests, 1.0, 1);
                addRun(*store, ids[1], "sdxl-turbo", requests, 0.97, 2);
            });
            std::printf("  built in %.1f s\n", ms / 1000);
        }
    }
    std::printf("library: %s (%.0f MiB), 2 runs x %zu requests, %u cores\n", db.c_str(),
        static_cast<double>(std::filesystem::file_size(db)) / 1048576.0, requests, std::thread::hardware_concurrency());
    // Each measurement in a process of its own, so one's memory never counts in another's peak.
    int failures = 0;
    for (const char* each : { "steps", "core", "view" }) {
        const std::string command = std::string("'") + argv[0] + "' --requests " + std::to_string(requests) + " --db '"
            + db + "' --mode " + each + " 2>/dev/null";
        failures += std::system(command.c_str()) != 0 ? 1 : 0;
    }
    return failures;
}
