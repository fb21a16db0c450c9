// SPDX-License-Identifier: Apache-2.0
#include "clicommands.h"

#include "engine/benchmarkrunner.h"
#include "keyringresolver.h"
#include "registry/registry.h"
#include "report/runreport.h"
#include "store/store.h"
#include "transport/httptransport.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <pthread.h>
#include <thread>
#include <unistd.h>

namespace t2i::cli {
namespace {

std::string seconds(double ms)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, ms >= 0 ? "%.0f s" : "?", ms / 1000.0);
    return buffer;
}

// A calm progress line: redrawn in place at most a few times a second on a terminal, one
// plain line every few seconds (and at each phase change) otherwise.
class ProgressPrinter {
public:
    explicit ProgressPrinter(bool quiet)
        : m_terminal(isatty(STDERR_FILENO) != 0)
        , m_quiet(quiet)
    {
    }
    void operator()(const RunnerProgress& p)
    {
        if (m_quiet)
            return;
        const EngineProgress& e = p.engine;
        const std::string head
            = "[" + std::to_string(p.runIndex + 1) + "/" + std::to_string(p.runCount) + "] " + p.runName;
        const std::string body = e.phase + "  " + seconds(e.elapsedMs) + "  sent " + std::to_string(e.sent) + "  ok "
            + std::to_string(e.ok) + "  errors " + std::to_string(e.errors) + "  in flight "
            + std::to_string(e.inFlight) + "  ETA " + seconds(e.etaMs);
        if (m_terminal) {
            const double total = e.elapsedMs + std::max(0.0, e.etaMs);
            const int filled = total > 0 ? int(20.0 * e.elapsedMs / total) : 0;
            std::fprintf(stderr, "\r\033[K%s [%s%s] %s", head.c_str(), std::string(std::size_t(filled), '#').c_str(),
                std::string(std::size_t(20 - filled), '.').c_str(), body.c_str());
            if (head != m_lastHead && !m_lastHead.empty())
                std::fprintf(stderr, "\n");
        } else if (e.phase != m_lastPhase || e.elapsedMs - m_lastPrintMs >= 5000) {
            std::fprintf(stderr, "%s: %s\n", head.c_str(), body.c_str());
            m_lastPrintMs = e.elapsedMs;
        }
        m_lastHead = head;
        m_lastPhase = e.phase;
    }
    void finish()
    {
        if (m_terminal && !m_quiet && !m_lastHead.empty())
            std::fprintf(stderr, "\n");
    }

private:
    bool m_terminal;
    bool m_quiet;
    std::string m_lastHead, m_lastPhase;
    double m_lastPrintMs = -1e9;
};

// Ctrl-C and SIGTERM cancel the run (its in-flight jobs are cancelled on the platform and what
// finished is kept). The signals are blocked in every thread and taken by one waiting thread.
class SignalWatcher {
public:
    explicit SignalWatcher(BenchmarkRunner& runner)
    {
        sigset_t set = signalSet();
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
        m_thread = std::thread([this, &runner, set] {
            int signal = 0;
            while (sigwait(&set, &signal) == 0) {
                if (signal == SIGUSR1)
                    return; // our own wake-up: the run is over
                m_cancelled = true;
                std::fprintf(stderr, "\ncancelling: stopping the schedule and cancelling in-flight jobs...\n");
                runner.cancel();
            }
        });
    }
    ~SignalWatcher()
    {
        pthread_kill(m_thread.native_handle(), SIGUSR1);
        m_thread.join();
    }
    bool cancelled() const { return m_cancelled; }

private:
    static sigset_t signalSet()
    {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGUSR1);
        return set;
    }
    std::thread m_thread;
    std::atomic<bool> m_cancelled { false };
};

} // namespace

int runCommand(const Args& args)
{
    if (args.positional.size() != 1) {
        std::cerr << "t2ibench-cli: run takes one CONFIG file\n";
        return BadUsage;
    }
    const ConfigResult loaded = loadConfig(args.positional.front(), providerCatalog());
    if (!loaded.config) {
        for (const ConfigError& error : loaded.errors)
            std::cerr << error.format() << '\n';
        std::cerr << "t2ibench-cli: the configuration was refused; nothing was run or written\n";
        return BadUsage;
    }
    BenchmarkRunner runner(*loaded.config, args.db, makeAdapter);
    runner.setSecretResolver(keyringSecretResolver()); // api_key_keyring, read in preflight()
    if (const auto problems = runner.preflight(); !problems.empty()) {
        for (const std::string& problem : problems)
            std::cerr << problem << '\n';
        std::cerr << "t2ibench-cli: nothing was run or written\n";
        return BadUsage;
    }
    try {
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::absolute(args.db).parent_path(), ec);
        Store::open(args.db); // fail early, before any platform is started, if the library cannot be opened
    } catch (const StoreError& error) {
        std::cerr << "t2ibench-cli: " << error.what() << '\n';
        return Failure;
    }
    initHttpGlobally(); // before any thread starts (libcurl's rule)
    ProgressPrinter printer(args.json);
    std::vector<RunOutcome> outcomes;
    bool cancelled = false;
    {
        SignalWatcher watcher(runner);
        outcomes = runner.runAll([&printer](const RunnerProgress& p) { printer(p); });
        cancelled = watcher.cancelled();
    }
    printer.finish();

    bool allCompleted = !outcomes.empty();
    for (const RunOutcome& outcome : outcomes)
        allCompleted = allCompleted && outcome.status == RunStatus::Completed;
    if (args.json) {
        nlohmann::json ids = nlohmann::json::array();
        for (const RunOutcome& outcome : outcomes)
            ids.push_back(outcome.runId);
        std::cout << nlohmann::json { { "runs", ids } }.dump() << '\n';
    } else {
        for (const RunOutcome& outcome : outcomes)
            std::cout << outcome.runId << "  " << toString(outcome.status) << "  " << outcome.name
                      << (outcome.message.empty() ? "" : "  (" + outcome.message + ")") << '\n';
    }
    if (cancelled)
        return Cancelled;
    return allCompleted ? Success : Failure;
}

} // namespace t2i::cli
