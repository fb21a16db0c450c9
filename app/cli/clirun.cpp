// SPDX-License-Identifier: Apache-2.0
#include "clicommands.h"
#include "clievents.h"
#include "clisignals.h"

#include "engine/benchmarkrunner.h"
#include "keyringresolver.h"
#include "registry/registry.h"
#include "report/runreport.h"
#include "store/store.h"
#include "transport/httptransport.h"

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
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

// "  committed $0.42 of $1.00" with a budget (docs/cost.md, "Budget"), else nothing.
std::string budgetText(const EngineProgress& e)
{
    if (e.budgetUsd <= 0 || e.committedUsd < 0)
        return {};
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "  committed $%.4g of $%.4g", e.committedUsd, e.budgetUsd);
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
            + std::to_string(e.inFlight) + "  ETA " + seconds(e.etaMs) + budgetText(e);
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

// --budget-usd's value: a finite number > 0, the whole text.
std::optional<double> budgetFlag(const std::string& text)
{
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value) || value <= 0)
        return std::nullopt;
    return value;
}

} // namespace

int runCommand(const Args& args)
{
    if (args.positional.size() != 1) {
        std::cerr << "t2ibench-cli: run takes one CONFIG file\n";
        return BadUsage;
    }
    ConfigResult loaded = loadConfig(args.positional.front(), providerCatalog());
    if (!loaded.config) {
        for (const ConfigError& error : loaded.errors)
            std::cerr << error.format() << '\n';
        std::cerr << "t2ibench-cli: the configuration was refused; nothing was run or written\n";
        return BadUsage;
    }
    if (!args.budgetUsd.empty()) { // overrides the configuration's budget_usd, for each of its runs
        const auto budget = budgetFlag(args.budgetUsd);
        if (!budget) {
            std::cerr << "t2ibench-cli: --budget-usd must be a number > 0 (USD), not \"" << args.budgetUsd << "\"\n";
            return BadUsage;
        }
        loaded.config->budgetUsd = *budget;
    }
    if (const std::string unknown = filterRuns(*loaded.config, args.providers, args.variants); !unknown.empty()) {
        std::cerr << "t2ibench-cli: " << unknown << "; nothing was run or written\n";
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
    ProgressPrinter printer(args.json || args.events);
    std::vector<RunOutcome> outcomes;
    bool cancelled = false;
    std::unique_ptr<EventStream> events;
    {
        SignalWatcher watcher([&runner] { runner.cancel(); });
        // Both after the watcher: their threads inherit its blocked signals.
        std::optional<StdinWatcher> stdinWatcher;
        if (args.cancelOnStdinClose)
            stdinWatcher.emplace([&runner] { runner.cancel(); });
        if (args.events) {
            events = std::make_unique<EventStream>(stdout);
            events->plan(runner.plannedRuns(), loaded.config->budgetUsd);
            runner.setObserver(events->observer());
        }
        outcomes = runner.runAll([&](const RunnerProgress& p) { events ? events->progress(p) : printer(p); });
        cancelled = watcher.cancelled() || (stdinWatcher && stdinWatcher->cancelled());
    }
    printer.finish();
    const auto exitCode = [&](int code) {
        if (events)
            events->done(code); // the stream's last line
        return code;
    };

    // A run its budget stopped ended as asked: it counts as done, like a completed one.
    bool allCompleted = !outcomes.empty();
    for (const RunOutcome& outcome : outcomes)
        allCompleted = allCompleted && (outcome.status == RunStatus::Completed || outcome.status == RunStatus::Stopped);
    if (events) {
        // stdout carries the events only; run_end has said what each run became.
    } else if (args.json) {
        nlohmann::json ids = nlohmann::json::array();
        for (const RunOutcome& outcome : outcomes)
            ids.push_back(outcome.runId);
        std::cout << nlohmann::json { { "runs", ids } }.dump() << '\n';
    } else {
        for (const RunOutcome& outcome : outcomes)
            std::cout << outcome.runId << "  " << toString(outcome.status) << "  " << outcome.name
                      << (outcome.message.empty() ? "" : "  (" + outcome.message + ")") << '\n';
    }
    // Which thresholds each run missed, and by how much (its verdict is stored with it too).
    bool breached = false;
    for (const RunOutcome& outcome : outcomes)
        for (const ThresholdVerdict& verdict : outcome.thresholds)
            if (!verdict.passed) {
                breached = true;
                std::cerr << "t2ibench-cli: " << outcome.runId << ": threshold " << thresholdText(verdict) << '\n';
            }
    if (cancelled)
        return exitCode(Cancelled);
    if (!allCompleted)
        return exitCode(Failure);
    return exitCode(breached ? ThresholdsBreached : Success);
}

} // namespace t2i::cli
