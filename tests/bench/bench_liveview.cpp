// SPDX-License-Identifier: Apache-2.0
// bench_liveview [--rate N] [--seconds S] [--db FILE]: how much the live view costs the GUI
// thread while a launch streams N completed requests a second (default 200 for 20 s).
//
// Starts the real LivePage, shown offscreen at 1400x900, on a launch of `t2ibench-cli run
// --events` against the emulator's "instant" profile (always warm, no service time) with an
// open-loop constant step of N requests/s (and no client-side request budget: RunPod's /run
// allows 100/s), so N requests complete each second. Meanwhile a 5 ms
// QTimer records how late each of its ticks comes: the longest lateness is the longest time
// the GUI thread was busy (parsing events, updating snapshots, replacing series, painting).
// Then the same timer alone, with nothing running, for as long, as the peer. Not a test: it
// prints figures and asserts nothing.

#include "run/livepage.h"
#include "run/liverunmodel.h"
#include "run/runprocess.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <time.h>
#include <vector>

using namespace t2i;

namespace {

double threadCpuMs()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

struct Lateness {
    std::vector<double> lateMs; // per tick: how much later than 5 ms after the previous one
    std::vector<double> atMs; // when each tick came, since the heartbeat began
    // The GUI thread's own CPU time between two ticks: the work it did, without the time the
    // machine gave to other processes (the CLI and the emulator share its 2 cores).
    std::vector<double> cpuMs;
    double percentile(double p) const
    {
        if (lateMs.empty())
            return 0;
        std::vector<double> sorted = lateMs;
        std::sort(sorted.begin(), sorted.end());
        return sorted[std::min(sorted.size() - 1, std::size_t(p * double(sorted.size())))];
    }
    double worstCpu() const { return cpuMs.empty() ? 0 : *std::max_element(cpuMs.begin(), cpuMs.end()); }
    double worst() const { return lateMs.empty() ? 0 : *std::max_element(lateMs.begin(), lateMs.end()); }
    // "LATE ms at T s" for the n worst ticks, worst first.
    std::string worstTicks(std::size_t n) const
    {
        std::vector<std::size_t> order(lateMs.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return lateMs[a] > lateMs[b]; });
        std::string text;
        char buffer[64];
        for (std::size_t i = 0; i < std::min(n, order.size()); ++i) {
            std::snprintf(
                buffer, sizeof buffer, "%s%.1f ms at %.2f s", i ? ", " : "", lateMs[order[i]], atMs[order[i]] / 1000.0);
            text += buffer;
        }
        return text;
    }
};

// Ticks a 5 ms timer until `done` says stop, recording each tick's lateness.
Lateness heartbeat(const std::function<bool()>& done)
{
    Lateness result;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    double lastCpu = threadCpuMs();
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    QEventLoop loop;
    QObject::connect(&timer, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        result.lateMs.push_back(std::max(0.0, double(now - last) / 1e6 - 5.0));
        result.atMs.push_back(double(now) / 1e6);
        const double cpu = threadCpuMs();
        result.cpuMs.push_back(cpu - lastCpu);
        lastCpu = cpu;
        last = now;
        if (done())
            loop.quit();
    });
    timer.start(5);
    loop.exec();
    return result;
}

std::string config(int rate, int seconds)
{
    const nlohmann::json c = {
        { "version", 1 },
        { "name", "liveview" },
        { "providers",
            { { { "id", "instant" }, { "type", "emulated" }, { "profile", "instant" }, { "seed", 1 },
                // RunPod's documented /run budget (100/s) would hold the client below the rate.
                { "rate_limits", false } } } },
        { "variants",
            { { { "id", "v256" }, { "model", "sdxl" }, { "precision", "fp16" }, { "width", 256 }, { "height", 256 },
                { "steps", 20 }, { "guidance", 7.0 }, { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 42 } } },
        { "workload",
            { { "timeout_s", 60 }, { "poll_interval_ms", 50 }, { "warmup_requests", 0 }, { "health_interval_s", 1 },
                { "steps", { { { "kind", "constant" }, { "rate", rate }, { "duration_s", seconds } } } } } },
    };
    return c.dump(2);
}

} // namespace

int main(int argc, char** argv)
{
    int rate = 200, seconds = 20;
    QString db;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--rate"))
            rate = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--seconds"))
            seconds = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--db"))
            db = QString::fromLocal8Bit(argv[i + 1]);
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTemporaryDir dir;
    if (db.isEmpty())
        db = dir.filePath("liveview.db");
    const QString configPath = dir.filePath("liveview.json");
    QFile file(configPath);
    if (!file.open(QIODevice::WriteOnly))
        return 1;
    file.write(QByteArray::fromStdString(config(rate, seconds)));
    file.close();

    ui::LivePage page;
    page.resize(1400, 900);
    page.show();
    int updates = 0;
    qint64 requests = 0;
    QObject::connect(page.model(), &ui::LiveRunModel::snapshotChanged, [&] { ++updates; });
    QElapsedTimer wall;
    qint64 firstBatchMs = -1, lastBatchMs = -1; // when request lines arrived: the streaming period
    QObject::connect(page.process(), &ui::RunProcess::requestsFinished, [&](int, const QList<ui::LiveRequest>& items) {
        requests += items.size();
        lastBatchMs = wall.elapsed();
        if (firstBatchMs < 0)
            firstBatchMs = lastBatchMs;
    });
    int exitCode = -2;
    QObject::connect(&page, &ui::LivePage::launchFinished, [&](int code) { exitCode = code; });
    wall.start();
    if (!page.start(configPath, {}, {}, std::nullopt, db))
        return 1;
    const Lateness live = heartbeat([&] { return exitCode != -2; });
    const double liveS = double(wall.elapsed()) / 1000.0;
    if (exitCode != 0) {
        std::fprintf(stderr, "bench_liveview: the launch ended with %d: %s\n", exitCode,
            qPrintable(page.process()->errorText()));
        return 1;
    }
    QElapsedTimer idleClock;
    idleClock.start();
    const Lateness idle = heartbeat([&] { return idleClock.elapsed() >= qint64(liveS * 1000); });

    const double streamingS = double(lastBatchMs - firstBatchMs) / 1000.0;
    std::printf("liveview: %lld requests streamed over %.1f s (%.0f/s asked, %.0f/s received); launch %.1f s "
                "(emulator start and run end included), %d page updates\n",
        static_cast<long long>(requests), streamingS, double(rate),
        streamingS > 0 ? double(requests) / streamingS : 0.0, liveS, updates);
    std::printf("liveview: GUI-thread lateness of a 5 ms timer while live: max %.1f ms, p99 %.1f ms, p50 %.2f ms "
                "(%zu ticks)\n",
        live.worst(), live.percentile(0.99), live.percentile(0.50), live.lateMs.size());
    std::printf("liveview: the worst ticks while live: %s\n", live.worstTicks(5).c_str());
    std::printf("liveview: the GUI thread's longest busy stretch (its own CPU time between two ticks): %.1f ms "
                "live, %.1f ms idle\n",
        live.worstCpu(), idle.worstCpu());
    std::printf("liveview: peer, the same timer with nothing running: max %.1f ms, p99 %.1f ms, p50 %.2f ms (%zu "
                "ticks)\n",
        idle.worst(), idle.percentile(0.99), idle.percentile(0.50), idle.lateMs.size());
    return 0;
}
