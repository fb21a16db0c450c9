// SPDX-License-Identifier: Apache-2.0
#include "clicommands.h"

#include "report/runreport.h"
#include "store/store.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace t2i::cli {

std::unique_ptr<Store> openLibrary(const std::string& path, int& exitCode)
{
    try {
        return Store::openExisting(path);
    } catch (const NoLibraryError& error) {
        std::cerr << "t2ibench-cli: " << error.what() << "; nothing was created. Check --db (only `run` creates a "
                  << "library)\n";
        exitCode = BadUsage;
    } catch (const StoreError& error) {
        std::cerr << "t2ibench-cli: " << error.what() << '\n';
        exitCode = Failure;
    }
    return nullptr;
}

std::optional<RunReport> loadReport(const Store& store, const std::string& idOrPrefix)
{
    const auto run = store.findRun(idOrPrefix);
    if (!run) {
        std::cerr << "t2ibench-cli: no run \"" << idOrPrefix << "\" in " << store.path()
                  << " (or the prefix is ambiguous); `t2ibench-cli runs` lists them\n";
        return std::nullopt;
    }
    const auto records = store.records(run->id);
    const auto samples = store.workerSamples(run->id);
    return makeReport(*run, records, samples);
}

std::string defaultDatabasePath()
{
    namespace fs = std::filesystem;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "t2ibench" / "library.db").string();
    const char* home = std::getenv("HOME");
    return (fs::path(home && *home ? home : ".") / ".local" / "share" / "t2ibench" / "library.db").string();
}

int runsCommand(const Args& args)
{
    int failed = Failure;
    auto store = openLibrary(args.db, failed);
    if (!store)
        return failed;
    const auto runs = store->listRuns();
    if (args.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const RunInfo& run : runs)
            list.push_back({ { "id", run.id }, { "name", run.name }, { "status", std::string(toString(run.status)) },
                { "provider", run.providerId }, { "variant", run.variantId }, { "created", run.created } });
        std::cout << list.dump(2) << '\n';
    } else if (runs.empty()) {
        std::cout << "no runs in " << args.db << '\n';
    } else {
        printRuns(std::cout, runs);
    }
    return Success;
}

int showCommand(const Args& args)
{
    if (args.positional.size() != 1) {
        std::cerr << "t2ibench-cli: show takes one RUN\n";
        return BadUsage;
    }
    int failed = Failure;
    auto store = openLibrary(args.db, failed);
    if (!store)
        return failed;
    const auto report = loadReport(*store, args.positional.front());
    if (!report)
        return Failure;
    if (args.json)
        std::cout << showJson(*report).dump(2) << '\n';
    else
        printShow(std::cout, *report);
    return Success;
}

int compareCommand(const Args& args)
{
    if (args.positional.size() < 2) {
        std::cerr << "t2ibench-cli: compare takes two or more RUNs\n";
        return BadUsage;
    }
    int failed = Failure;
    auto store = openLibrary(args.db, failed);
    if (!store)
        return failed;
    std::vector<RunReport> reports;
    for (const std::string& id : args.positional) {
        auto report = loadReport(*store, id);
        if (!report)
            return Failure;
        reports.push_back(std::move(*report));
    }
    if (args.json)
        std::cout << compareJson(reports).dump(2) << '\n';
    else
        printCompare(std::cout, reports);
    return Success;
}

int exportCommand(const Args& args)
{
    if (args.positional.size() != 1 || (args.format != "csv" && args.format != "json")) {
        std::cerr << "t2ibench-cli: export takes one RUN and --format csv|json\n";
        return BadUsage;
    }
    int failed = Failure;
    auto store = openLibrary(args.db, failed);
    if (!store)
        return failed;
    const auto run = store->findRun(args.positional.front());
    if (!run) {
        std::cerr << "t2ibench-cli: no run \"" << args.positional.front() << "\" in " << args.db << '\n';
        return Failure;
    }
    const auto records = store->records(run->id);
    std::ofstream file;
    if (!args.out.empty()) {
        // Written beside the target and renamed, so a failed export never leaves half a file.
        file.open(args.out + ".part", std::ios::binary | std::ios::trunc);
        if (!file) {
            std::cerr << "t2ibench-cli: cannot write " << args.out << '\n';
            return Failure;
        }
    }
    std::ostream& out = args.out.empty() ? std::cout : file;
    if (args.format == "csv")
        writeCsv(out, records);
    else
        writeJson(out, records);
    if (!args.out.empty()) {
        file.close();
        std::error_code ec;
        std::filesystem::rename(args.out + ".part", args.out, ec);
        if (!file || ec) {
            std::cerr << "t2ibench-cli: cannot write " << args.out << '\n';
            return Failure;
        }
    }
    return Success;
}

} // namespace t2i::cli
