// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace t2i {
class Store;
struct RunReport;
} // namespace t2i

namespace t2i::cli {

// Exit codes (docs/cli.md).
// ThresholdsBreached (k6's code): every run finished, and one missed a threshold of its configuration.
enum Exit { Success = 0, Failure = 1, BadUsage = 2, ThresholdsBreached = 99, Cancelled = 130 };

// The parsed command line: the command, its positional arguments and its --flags.
struct Args {
    std::string command;
    std::vector<std::string> positional;
    std::string db;
    bool json = false;
    std::string format;
    std::string out;
    // cost: the traffic profile of the projection, as given (checked by the command)
    std::string volume; // --volume N: images per month
    std::string shape; // --shape steady|diurnal|bursty
    std::string p95Ms; // --p95-ms X
    std::string dedicated; // --dedicated REF|USD_PER_HOUR: the dedicated instance compared against
    std::string budgetUsd; // run: --budget-usd X, the most each run may spend (overrides budget_usd)
    // run: the live stream and the filters (clievents.cpp)
    bool events = false; // --events: JSON lines on stdout instead of the progress line
    bool cancelOnStdinClose = false; // --cancel-on-stdin-close: a parent that goes away cancels the run
    std::string providers; // --providers ID,...: only these providers of the configuration
    std::string variants; // --variants ID,...
    std::string provider; // check, study: --provider ID
    std::string variant; // study: --variant ID
    std::string kind; // study: --kind KIND
    bool summary = false; // studies: --summary, the newest finding of each study kind side by side
    std::vector<std::string> params; // study: --param KEY=VALUE, each as typed
    std::string studies; // report: --study ID,... (ids or unique prefixes): a report of studies
};

std::string defaultDatabasePath(); // $XDG_DATA_HOME/t2ibench/library.db
// The library at path for a command that only reads it: never created (only `run` makes a new
// library). nullptr after printing why not, with the exit code in exitCode: BadUsage when there
// is no library at path (a mistyped --db), Failure when it cannot be read.
std::unique_ptr<Store> openLibrary(const std::string& path, int& exitCode);
// A run's report (summary and cost) by id or unique prefix, or nullopt after printing why not.
std::optional<RunReport> loadReport(const Store& store, const std::string& idOrPrefix);
int runCommand(const Args& args); // t2ibench-cli run
int runsCommand(const Args& args);
int showCommand(const Args& args);
int compareCommand(const Args& args);
int exportCommand(const Args& args);
int costCommand(const Args& args); // clicost.cpp
int reportCommand(const Args& args); // clireport.cpp: needs Qt (offscreen)
int checkCommand(const Args& args); // clicheck.cpp: one request to one provider
int studyCommand(const Args& args); // clistudy.cpp: one study of a configuration
int studiesCommand(const Args& args); // clistudy.cpp: the studies in the library

} // namespace t2i::cli
