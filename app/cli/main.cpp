// SPDX-License-Identifier: Apache-2.0
// t2ibench-cli: the headless runner. Parsing here; each command lives in clicommands.cpp.
#include "clicommands.h"

#include <iostream>
#include <map>

namespace {

constexpr const char* kUsage = R"(usage: t2ibench-cli COMMAND [options]

commands:
  run CONFIG [--db FILE] [--json] [--budget-usd X]
      [--providers ID,...] [--variants ID,...] [--events] [--cancel-on-stdin-close]
                                           run every provider x variant of a configuration, or
                                           only the listed providers / variants; --budget-usd: the
                                           most each run may spend; --events: JSON lines on stdout
                                           as the run goes (docs/cli.md)
  check CONFIG --provider ID [--json]      one request to one provider (one image): does it
                                           answer, and what came back, in words
  study CONFIG --kind KIND [--provider ID] [--variant ID] [--param KEY=VALUE]... [--db FILE] [--json]
                                           one study (cold_start, idle_timeout, ...): plans and
                                           makes its runs, prints its answer (docs/studies.md)
  studies [STUDY | --summary] [--db FILE] [--json]
                                           list the studies in the library, print one, or
                                           (--summary) their answers side by side per provider
  runs [--db FILE] [--json]                list the runs in the library
  show RUN [--db FILE] [--json]            one run's summary (RUN: an id or a unique prefix)
  compare RUN RUN... [--db FILE] [--json]  runs side by side, with the significance of differences
  export RUN [--db FILE] --format csv|json [--out FILE]
                                           one row per request, every recorded field
  report RUN... [--db FILE] --out FILE.pdf|FILE.html
                                           the dashboard's comparison report, written headless
  report --study STUDY[,STUDY...] [--db FILE] --out FILE.pdf|FILE.html
                                           a report of studies: each one's answer, findings,
                                           tables, charts, notes and runs
  cost RUN... [--db FILE] [--volume N] [--shape steady|diurnal|bursty] [--p95-ms X]
       [--dedicated REF|USD_PER_HOUR] [--json]
                                           each run's cost breakdown (price and its date) and a
                                           monthly projection: serverless against a dedicated
                                           instance sized for the p95, with the break-even

The library defaults to $XDG_DATA_HOME/t2ibench/library.db (~/.local/share/t2ibench/library.db).
Only `run` creates a library; the other commands refuse one that does not exist (exit 2).
Exit codes: 0 success, 1 failure, 2 bad usage or configuration (no library at --db included),
99 a run missed a threshold of its configuration, 130 cancelled.
)";

int usageError(const std::string& message)
{
    std::cerr << "t2ibench-cli: " << message << "\n\n" << kUsage;
    return t2i::cli::BadUsage;
}

} // namespace

int main(int argc, char** argv)
{
    using namespace t2i::cli;
    Args args;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](std::string& into) {
            if (i + 1 >= argc)
                return false;
            into = argv[++i];
            return true;
        };
        if (arg == "-h" || arg == "--help") {
            std::cout << kUsage;
            return Success;
        } else if (arg == "--version") {
            std::cout << "t2ibench-cli " << T2I_VERSION << '\n';
            return Success;
        } else if (arg == "--json") {
            args.json = true;
        } else if (arg == "--summary") {
            args.summary = true;
        } else if (arg == "--events") {
            args.events = true;
        } else if (arg == "--cancel-on-stdin-close") {
            args.cancelOnStdinClose = true;
        } else if (arg == "--providers") {
            if (!value(args.providers))
                return usageError("--providers needs a comma list of provider ids");
        } else if (arg == "--variants") {
            if (!value(args.variants))
                return usageError("--variants needs a comma list of variant ids");
        } else if (arg == "--db") {
            if (!value(args.db))
                return usageError("--db needs a file");
        } else if (arg == "--format") {
            if (!value(args.format))
                return usageError("--format needs csv or json");
        } else if (arg == "--out") {
            if (!value(args.out))
                return usageError("--out needs a file");
        } else if (arg == "--volume") {
            if (!value(args.volume))
                return usageError("--volume needs a number of images per month");
        } else if (arg == "--shape") {
            if (!value(args.shape))
                return usageError("--shape needs steady, diurnal or bursty");
        } else if (arg == "--p95-ms") {
            if (!value(args.p95Ms))
                return usageError("--p95-ms needs a latency target in ms");
        } else if (arg == "--budget-usd") {
            if (!value(args.budgetUsd))
                return usageError("--budget-usd needs the most each run may spend, in USD");
        } else if (arg == "--dedicated") {
            if (!value(args.dedicated))
                return usageError("--dedicated needs a catalog entry or a price per hour in USD");
        } else if (arg == "--variant") {
            if (!value(args.variant))
                return usageError("--variant needs a variant id");
        } else if (arg == "--kind") {
            if (!value(args.kind))
                return usageError("--kind needs a study: cold_start, idle_timeout, prewarm, scaling, capacity, ...");
        } else if (arg == "--param") {
            std::string pair;
            if (!value(pair))
                return usageError("--param needs KEY=VALUE");
            args.params.push_back(pair);
        } else if (arg == "--study") {
            if (!value(args.studies))
                return usageError("--study needs a comma list of study ids (or unique prefixes)");
        } else if (arg == "--provider") {
            if (!value(args.provider))
                return usageError("--provider needs a provider id");
        } else if (arg.starts_with("--")) {
            return usageError("unknown option " + arg);
        } else if (args.command.empty()) {
            args.command = arg;
        } else {
            args.positional.push_back(arg);
        }
    }
    if (args.db.empty())
        args.db = defaultDatabasePath();
    const std::map<std::string, int (*)(const Args&)> commands { { "run", runCommand }, { "runs", runsCommand },
        { "show", showCommand }, { "compare", compareCommand }, { "export", exportCommand }, { "cost", costCommand },
        { "report", reportCommand }, { "check", checkCommand }, { "study", studyCommand },
        { "studies", studiesCommand } };
    if (args.command.empty())
        return usageError("no command given");
    const auto it = commands.find(args.command);
    if (it == commands.end())
        return usageError("unknown command \"" + args.command + "\"");
    try {
        return it->second(args);
    } catch (const std::exception& e) {
        // The last boundary: whatever a command did not expect is a clear failure, never an abort.
        std::cerr << "t2ibench-cli: " << args.command << ": " << e.what() << '\n';
        return Failure;
    }
}
