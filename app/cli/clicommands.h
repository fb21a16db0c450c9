// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace t2i::cli {

// Exit codes (shared/spec/cli.md).
enum Exit { Success = 0, Failure = 1, BadUsage = 2, Cancelled = 130 };

// The parsed command line: the command, its positional arguments and its --flags.
struct Args {
    std::string command;
    std::vector<std::string> positional;
    std::string db;
    bool json = false;
    std::string format;
    std::string out;
};

std::string defaultDatabasePath(); // $XDG_DATA_HOME/t2ibench/library.db
int runCommand(const Args& args); // t2ibench-cli run
int runsCommand(const Args& args);
int showCommand(const Args& args);
int compareCommand(const Args& args);
int exportCommand(const Args& args);

} // namespace t2i::cli
