// SPDX-License-Identifier: Apache-2.0
// bench_store [N]: how fast the run library takes records, and what it costs the engine.
//
// Pushes N (default 1,000,000) request records through RecordWriter as fast as one thread can
// (far harder than any real run), then inserts the same rows with a bare sqlite3 prepared
// statement in one transaction into an identical schema (timing only the inserts): the same-run
// peer, the ceiling the writer is measured against. Reports records/s for both and their ratio, and for the writer
// what matters to the engine: how long a push() took at worst, how deep the queue got (memory
// is the writer's only backpressure) and the process's peak resident memory.
// Not a test: it prints figures and asserts nothing.

#include "store/recordwriter.h"
#include "store/store.h"

#include <sqlite3.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using namespace t2i;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds, robust where wall time is not: the benchmark machine may be shared.
double cpuSeconds(clockid_t clock)
{
    timespec ts {};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// This thread's context switches: voluntary ones are waits (a contended lock, I/O), the
// involuntary ones are the scheduler taking the core away.
struct Switches {
    long waited = 0, preempted = 0;
};
Switches threadSwitches()
{
    rusage usage {};
    getrusage(RUSAGE_THREAD, &usage);
    return { usage.ru_nvcsw, usage.ru_nivcsw };
}

// Peak resident set size (VmHWM) in MiB: the memory the backlog really took.
double peakRssMiB()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0; // kB
    return 0;
}

// A realistic record: a 36-character job id, a 64-character hash, a few optionals unset.
RequestRecord makeRecord(std::int64_t seq)
{
    static const char* hex = "0123456789abcdef";
    RequestRecord r;
    r.seq = seq;
    r.step = 1;
    r.stepKind = "constant";
    r.offered = 8.0;
    r.jobId = "a1b2c3d4-0000-4000-8000-" + std::to_string(100000000000 + seq);
    r.ok = seq % 50 != 0;
    r.errorClass = r.ok ? ErrorClass::None : ErrorClass::ServerError;
    r.errorMessage = r.ok ? "" : "HTTP 503";
    r.httpStatus = r.ok ? 200 : 503;
    r.providerStatus = r.ok ? "COMPLETED" : "FAILED";
    r.intendedMs = 125.0 * static_cast<double>(seq);
    r.sentMs = r.intendedMs + 0.3;
    r.acceptedMs = r.sentMs + 40.0;
    r.startedMs = seq % 3 ? std::optional<double>(r.sentMs + 400.0) : std::nullopt;
    r.finishedMs = r.sentMs + 3500.0;
    r.doneMs = r.finishedMs;
    r.queueMs = 390.0;
    r.execMs = 3000.0;
    r.cold = seq % 100 ? ColdLabel::Warm : ColdLabel::Cold;
    r.workerId = "wkr-" + std::to_string(seq % 16);
    r.bytes = 1'600'000;
    r.width = 1024;
    r.height = 1024;
    r.imageHash.resize(64);
    for (std::size_t i = 0; i < 64; ++i)
        r.imageHash[i] = hex[(static_cast<std::uint64_t>(seq) * 2654435761u >> (i % 28)) & 15];
    r.images = 1;
    r.pollUncertaintyMs = 250.0;
    r.polls = 14;
    r.seed = seq;
    r.promptIndex = static_cast<int>(seq % 40);
    return r;
}

RunInfo benchRun()
{
    RunInfo run;
    run.id = "bench";
    run.name = "bench/store";
    run.status = RunStatus::Running;
    run.created = "2026-01-01T00:00:00Z";
    return run;
}

struct WriterResult {
    double totalS = 0, pushS = 0, maxPushUs = 0, p9999PushUs = 0, peakRssMiB = 0, writerCpuS = 0;
    Switches pushSwitches;
    std::size_t peakQueued = 0;
    std::int64_t written = 0;
    std::string error;
};

WriterResult runWriter(const std::string& path, std::int64_t n)
{
    Store::open(path)->createRun(benchRun());
    WriterResult result;
    std::vector<float> pushUs(static_cast<std::size_t>(n));
    RecordWriter writer(path, "bench");
    const double processCpu0 = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
    const double threadCpu0 = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
    const Switches switches0 = threadSwitches();
    const auto start = Clock::now();
    for (std::int64_t i = 0; i < n; ++i) {
        RequestRecord record = makeRecord(i); // made before timing: the engine has it already
        const auto before = Clock::now();
        writer.push(std::move(record));
        pushUs[static_cast<std::size_t>(i)] = std::chrono::duration<float, std::micro>(Clock::now() - before).count();
    }
    result.pushS = secondsSince(start);
    const Switches switches1 = threadSwitches();
    result.pushSwitches = { switches1.waited - switches0.waited, switches1.preempted - switches0.preempted };
    writer.close();
    result.totalS = secondsSince(start);
    // Everything but this (the producer's) thread: the writer thread's CPU.
    result.writerCpuS
        = (cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - processCpu0) - (cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - threadCpu0);
    result.peakQueued = writer.peakQueued();
    result.written = writer.written();
    result.error = writer.error();
    result.peakRssMiB = peakRssMiB();
    std::sort(pushUs.begin(), pushUs.end());
    if (!pushUs.empty()) {
        result.maxPushUs = pushUs.back();
        result.p9999PushUs = pushUs[std::min(pushUs.size() - 1, pushUs.size() * 9999 / 10000)];
    }
    return result;
}

void check(int rc, sqlite3* db, const char* what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "bench_store: %s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

struct BareResult {
    double wallS = 0, cpuS = 0;
};

// The ceiling: one prepared INSERT of the same columns, bound the same way, one transaction.
BareResult runBare(const std::string& path, std::int64_t n)
{
    Store::open(path)->createRun(benchRun()); // the identical schema, created by the store
    sqlite3* db = nullptr;
    check(sqlite3_open(path.c_str(), &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", nullptr,
              nullptr, nullptr),
        db, "pragmas");
    const char* sql
        = "INSERT INTO requests (run_id, seq, step, step_kind, level, offered, job_id, ok, error_class, error_message, "
          "http_status, provider_status, intended_ms, sent_ms, accepted_ms, started_ms, finished_ms, downloaded_ms, "
          "done_ms, latency_ms, queue_ms, exec_ms, download_ms, cold, worker_id, bytes, width, height, image_hash, "
          "images, poll_uncertainty_ms, polls, throttled, seed, prompt_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt* st = nullptr;
    check(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), db, "prepare");
    const auto text = [&](int i, const std::string& s) {
        if (s.empty())
            sqlite3_bind_null(st, i);
        else
            sqlite3_bind_text(st, i, s.c_str(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    };
    const auto real
        = [&](int i, std::optional<double> v) { v ? sqlite3_bind_double(st, i, *v) : sqlite3_bind_null(st, i); };
    // Rows are made in untimed chunks, so the figure is sqlite's alone (the writer's producer
    // makes its records on another thread, in parallel with the inserts).
    constexpr std::int64_t kChunk = 10'000;
    std::vector<RequestRecord> chunk;
    Clock::duration timed {};
    double cpu = 0;
    auto start = Clock::now();
    double cpuStart = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
    check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
    for (std::int64_t i = 0; i < n; ++i) {
        if (i % kChunk == 0) {
            timed += Clock::now() - start;
            cpu += cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - cpuStart;
            chunk.clear();
            for (std::int64_t j = i; j < std::min(n, i + kChunk); ++j)
                chunk.push_back(makeRecord(j));
            start = Clock::now();
            cpuStart = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
        }
        const RequestRecord& r = chunk[static_cast<std::size_t>(i % kChunk)];
        int c = 1;
        text(c++, "bench");
        sqlite3_bind_int64(st, c++, r.seq);
        sqlite3_bind_int(st, c++, r.step);
        text(c++, r.stepKind);
        sqlite3_bind_int(st, c++, r.level);
        sqlite3_bind_double(st, c++, r.offered);
        text(c++, r.jobId);
        sqlite3_bind_int(st, c++, r.ok);
        text(c++, std::string(toString(r.errorClass)));
        text(c++, r.errorMessage);
        sqlite3_bind_int(st, c++, r.httpStatus);
        text(c++, r.providerStatus);
        for (const std::optional<double> v :
            { std::optional<double>(r.intendedMs), std::optional<double>(r.sentMs), r.acceptedMs, r.startedMs,
                std::optional<double>(r.finishedMs), r.downloadedMs, std::optional<double>(r.doneMs),
                std::optional<double>(r.latencyMs()), r.queueMs, r.execMs, r.downloadMs })
            real(c++, v);
        text(c++, std::string(toString(r.cold)));
        text(c++, r.workerId);
        sqlite3_bind_int64(st, c++, r.bytes);
        sqlite3_bind_int(st, c++, *r.width);
        sqlite3_bind_int(st, c++, *r.height);
        text(c++, r.imageHash);
        sqlite3_bind_int(st, c++, r.images);
        sqlite3_bind_double(st, c++, r.pollUncertaintyMs);
        sqlite3_bind_int(st, c++, r.polls);
        sqlite3_bind_int(st, c++, r.throttled);
        sqlite3_bind_int64(st, c++, r.seed);
        sqlite3_bind_int(st, c++, r.promptIndex);
        check(sqlite3_step(st), db, "insert");
        sqlite3_reset(st);
    }
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    const BareResult result { std::chrono::duration<double>(timed + (Clock::now() - start)).count(),
        cpu + cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - cpuStart };
    sqlite3_finalize(st);
    sqlite3_close(db);
    return result;
}

} // namespace

int main(int argc, char** argv)
{
    const std::int64_t n = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
    std::string pattern = (std::filesystem::temp_directory_path() / "bench_store-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
        std::perror("bench_store: mkdtemp");
        return 1;
    }
    const std::filesystem::path dir = pattern;
    std::printf("bench_store: %lld records, %u hardware threads, sqlite %s, db in %s\n", static_cast<long long>(n),
        std::thread::hardware_concurrency(), sqlite3_libversion(), dir.c_str());

    const double rssBefore = peakRssMiB();
    const WriterResult w = runWriter((dir / "writer.db").string(), n);
    if (!w.error.empty() || w.written != n) {
        std::fprintf(stderr, "bench_store: writer wrote %lld of %lld: %s\n", static_cast<long long>(w.written),
            static_cast<long long>(n), w.error.c_str());
        return 1;
    }
    const double writerRate = static_cast<double>(n) / w.totalS;
    const double perRecordUs = 1e6 / static_cast<double>(n);
    std::printf("RecordWriter : %.2f s wall, %.0f records/s; writer thread CPU %.2f s = %.2f us/record\n", w.totalS,
        writerRate, w.writerCpuS, w.writerCpuS * perRecordUs);
    std::printf("  engine side: push loop %.2f s = %.0f pushes/s; push p99.99 %.1f us, max %.1f us; producer thread\n"
                "               waited %ld times (lock or I/O), was preempted %ld times\n",
        w.pushS, static_cast<double>(n) / w.pushS, w.p9999PushUs, w.maxPushUs, w.pushSwitches.waited,
        w.pushSwitches.preempted);
    std::printf("  backlog    : peak %zu records pushed but not yet committed; peak RSS %.0f MiB (%.0f MiB before)\n",
        w.peakQueued, w.peakRssMiB, rssBefore);

    const BareResult bare = runBare((dir / "bare.db").string(), n);
    const double bareRate = static_cast<double>(n) / bare.wallS;
    std::printf(
        "bare sqlite3 : %.2f s wall, %.0f rows/s; CPU %.2f s = %.2f us/row (one prepared INSERT, one transaction,\n"
        "               same schema and pragmas, row making not timed)\n",
        bare.wallS, bareRate, bare.cpuS, bare.cpuS * perRecordUs);
    std::printf(
        "ratio        : %.2f by wall-clock rate, %.2f by CPU per row (RecordWriter / bare sqlite3; 1 = as fast)\n",
        writerRate / bareRate, bare.cpuS / w.writerCpuS);

    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    return 0;
}
