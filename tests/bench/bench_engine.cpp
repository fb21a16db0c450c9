// SPDX-License-Identifier: Apache-2.0
// The load engine measured on its own: drives the real RunEngine + RunPod adapter against a
// running emulator and prints one JSON line with its request rate, CPU time per request and
// open-loop send-time error. tests/bench/run-benchmarks runs it beside wrk on the same endpoint.
//
//   bench_engine --url http://127.0.0.1:PORT/v2 --closed 64 --seconds 5
//   bench_engine --url http://127.0.0.1:PORT/v2 --rate 1000 --seconds 5
//   bench_engine --url http://127.0.0.1:PORT/v2 --closed 64 --poll --seconds 5
//   bench_engine --url http://127.0.0.1:PORT/v2 --closed 8 --size 1024 --seconds 5
// --size: the images asked for are SIZE x SIZE (default 64); 1024 makes every answer carry an
// image of real size (the emulator's PNG of about 1.5 MB, twice, as base64).
// --images-every N (with --size): only every Nth job asks for SIZE x SIZE, the rest for 64x64: image
// answers of real size arriving among a stream of small ones. The big ones then fail the image
// check's size comparison (the run's variant is 64x64) after being checked like any other.
// --poll submits with /run and polls /status back to back (1 ms interval) on jobs that never
// finish (the "running" profile of tests/bench/scale): it measures what one status poll costs.
#include "engine/runengine.h"
#include "runpod/runpodadapter.h"
#include "stats/summary.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <sys/resource.h>

using namespace t2i;

namespace {
double cpuSeconds(int who = RUSAGE_SELF)
{
    rusage usage {};
    getrusage(who, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}
double peakRssMib()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}
// Every Nth job asks for a bigger image than the variant (--images-every).
class MixedSizes : public Adapter {
public:
    MixedSizes(Adapter& inner, int every, int size)
        : m_inner(inner)
        , m_every(every)
        , m_size(size)
    {
    }
    std::string type() const override { return m_inner.type(); }
    HttpRequest submit(JobState& job) override
    {
        if (job.job.seq % m_every == 0)
            job.job.variant.width = job.job.variant.height = m_size;
        return m_inner.submit(job);
    }
    Action onResponse(JobState& job, const HttpResponse& response) override
    {
        return m_inner.onResponse(job, response);
    }
    std::optional<HttpRequest> cancel(const JobState& job) const override { return m_inner.cancel(job); }
    RateLimits defaultRateLimits() const override { return m_inner.defaultRateLimits(); }

private:
    Adapter& m_inner;
    int m_every;
    int m_size;
};
} // namespace

int main(int argc, char** argv)
{
    std::string url;
    int closed = 0;
    double rate = 0, seconds = 5;
    int size = 64;
    int imagesEvery = 0;
    bool poll = false;
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--poll") {
            poll = true;
            for (int j = i; j + 1 < argc; ++j)
                argv[j] = argv[j + 1];
            --argc;
        }
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--url")
            url = argv[i + 1];
        else if (flag == "--closed")
            closed = std::atoi(argv[i + 1]);
        else if (flag == "--rate")
            rate = std::atof(argv[i + 1]);
        else if (flag == "--seconds")
            seconds = std::atof(argv[i + 1]);
        else if (flag == "--size")
            size = std::atoi(argv[i + 1]);
        else if (flag == "--images-every")
            imagesEvery = std::atoi(argv[i + 1]);
    }
    if (url.empty() || (closed <= 0 && rate <= 0) || size <= 0) {
        std::cerr << "usage: bench_engine --url BASE --closed N | --rate R [--poll] [--size PIXELS [--images-every N]] "
                     "[--seconds S]\n";
        return 2;
    }
    initHttpGlobally();
    RunPodOptions options;
    options.baseUrl = url;
    options.endpointId = "bench";
    options.apiKey = "bench";
    options.mode = poll ? "run" : "runsync"; // runsync: one HTTP exchange per request, as wrk sends
    options.pollIntervalMs = 1;
    RunPodAdapter runpod(options);
    MixedSizes mixed(runpod, std::max(1, imagesEvery), size);
    Adapter& adapter = imagesEvery > 0 ? static_cast<Adapter&>(mixed) : runpod;

    EngineSettings settings;
    WorkloadStep step;
    step.durationS = seconds;
    if (closed > 0) {
        step.kind = StepKind::Closed;
        step.concurrency = { closed };
    } else {
        step.kind = StepKind::Constant;
        step.rate = rate;
    }
    settings.workload.steps = { step };
    settings.workload.healthIntervalS = 3600; // one sample at the start; the bench measures requests only
    settings.variant.width = imagesEvery > 0 ? 64 : size;
    settings.variant.height = settings.variant.width;
    settings.prompts = { "a benchmark" };
    settings.timeoutMs = poll ? seconds * 1000.0 : 30000; // polled jobs never finish: they end here

    std::vector<RequestRecord> records;
    records.reserve(std::size_t(std::max(1.0, rate) * seconds * 2 + 100000));
    EngineCallbacks callbacks;
    callbacks.record = [&records](RequestRecord r) { records.push_back(std::move(r)); };
    std::int64_t polls = 0;
    callbacks.progress = [&polls](const EngineProgress& p) { polls = p.polls; };
    RunEngine engine(adapter, settings, callbacks);
    // The engine runs on this thread; the image checks on a thread of their own: the process's
    // CPU is both, this thread's is what carrying the answers costs the engine.
    const double cpuBefore = cpuSeconds(), threadBefore = cpuSeconds(RUSAGE_THREAD);
    const EngineResult result = engine.run();
    const double cpu = cpuSeconds() - cpuBefore, engineCpu = cpuSeconds(RUSAGE_THREAD) - threadBefore;

    std::size_t ok = 0;
    std::vector<double> lag;
    double bytes = 0;
    for (const RequestRecord& r : records) {
        ok += r.ok;
        bytes += double(r.bytes);
        lag.push_back(r.sendLagMs());
    }
    const Distribution lagMs = describe(lag);
    const double bytesPerRequest = records.empty() ? 0 : bytes / double(records.size());
    const double wall = result.durationMs / 1000.0;
    if (poll) {
        nlohmann::json out { { "mode", "poll" }, { "concurrency", closed }, { "polls", polls }, { "wall_s", wall },
            { "polls_per_s", double(polls) / wall }, { "cpu_s", cpu },
            { "cpu_us_per_poll", polls ? cpu / double(polls) * 1e6 : 0 } };
        std::cout << out.dump() << std::endl;
        return polls > 0 ? 0 : 1;
    }
    nlohmann::json out { { "mode", closed > 0 ? "closed" : "open" }, { "concurrency", closed }, { "rate", rate },
        { "requests", records.size() }, { "ok", ok }, { "wall_s", wall }, { "bytes_per_request", bytesPerRequest },
        { "requests_per_s", double(records.size()) / wall }, { "cpu_s", cpu },
        { "cpu_us_per_request", records.empty() ? 0 : cpu / double(records.size()) * 1e6 },
        { "engine_thread_cpu_us_per_request", records.empty() ? 0 : engineCpu / double(records.size()) * 1e6 },
        { "send_lag_ms", { { "p50", lagMs.p50 }, { "p99", lagMs.p99 }, { "max", lagMs.max } } },
        { "answer_memory_peak_mib", double(result.answerMemoryPeakBytes) / (1 << 20) },
        { "answers_paused", result.answersPaused },
        { "image_backlog_peak_mib", double(result.imageBacklogPeakBytes) / (1 << 20) },
        { "images_spilled", result.imagesSpilled }, { "peak_rss_mib", peakRssMib() } };
    std::cout << out.dump() << std::endl;
    return ok == records.size() || imagesEvery > 0 ? 0 : 1;
}
