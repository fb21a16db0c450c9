// SPDX-License-Identifier: Apache-2.0
// t2ibench-cli study (run one study of a configuration) and studies (list them, or print one).
#include "clicommands.h"
#include "clisignals.h"

#include "keyringresolver.h"
#include "registry/registry.h"
#include "store/store.h"
#include "study/studyrunner.h"
#include "study/studysummary.h"
#include "study/studytext.h"
#include "transport/httptransport.h"

#include <filesystem>
#include <iostream>

namespace t2i::cli {

namespace {

std::optional<StudyResult> resultOf(const StudyInfo& info)
{
    if (info.resultJson.empty())
        return std::nullopt;
    try {
        return studyResultFromJson(nlohmann::json::parse(info.resultJson));
    } catch (const std::exception&) {
        return std::nullopt; // a result this build cannot read is shown as none
    }
}

nlohmann::json studyJson(const StudyInfo& info)
{
    nlohmann::json runs = nlohmann::json::array();
    for (const StudyRunRef& run : info.runs)
        runs.push_back({ { "run_id", run.runId }, { "role", run.role } });
    const auto result = resultOf(info);
    return { { "id", info.id }, { "kind", info.kind }, { "status", std::string(toString(info.status)) },
        { "config", info.configName }, { "provider", info.providerId }, { "variant", info.variantId },
        { "created", info.created }, { "finished", info.finished }, { "message", info.message },
        { "params", nlohmann::json::parse(info.paramsJson.empty() ? "{}" : info.paramsJson, nullptr, false) },
        { "result", result ? toJson(*result) : nlohmann::json(nullptr) }, { "runs", std::move(runs) } };
}

int exitFor(StudyStatus status)
{
    switch (status) {
    case StudyStatus::Completed:
        return Success;
    case StudyStatus::Cancelled:
        return Cancelled;
    default:
        return Failure;
    }
}

} // namespace

int studyCommand(const Args& args)
{
    if (args.positional.size() != 1 || args.kind.empty()) {
        std::cerr << "t2ibench-cli: study takes one CONFIG and --kind KIND\n";
        return BadUsage;
    }
    ConfigResult loaded = loadConfig(args.positional.front(), providerCatalog());
    if (!loaded.config) {
        for (const ConfigError& error : loaded.errors)
            std::cerr << error.format() << '\n';
        std::cerr << "t2ibench-cli: the configuration was refused; nothing was run or written\n";
        return BadUsage;
    }
    StudyRunner runner(*loaded.config, args.db, makeAdapter);
    runner.setSecretResolver(keyringSecretResolver());
    runner.setProviderCatalog(providerCatalog());
    StudyRequest request { args.kind, args.provider, args.variant, {} };
    for (const std::string& pair : args.params) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos || eq == 0) {
            std::cerr << "t2ibench-cli: --param needs KEY=VALUE, not \"" << pair << "\"\n";
            return BadUsage;
        }
        request.params.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
    }
    if (const auto problems = runner.prepare(request); !problems.empty()) {
        for (const std::string& problem : problems)
            std::cerr << args.positional.front() << ": " << problem << '\n';
        std::cerr << "t2ibench-cli: nothing was run or written\n";
        return BadUsage;
    }
    try {
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::absolute(args.db).parent_path(), ec);
        Store::open(args.db);
    } catch (const StoreError& error) {
        std::cerr << "t2ibench-cli: " << error.what() << '\n';
        return Failure;
    }
    initHttpGlobally();
    StudyOutcome outcome;
    {
        SignalWatcher watcher([&runner] { runner.cancel(); });
        outcome = runner.run([](const std::string& line) { std::cerr << "study: " << line << '\n'; });
    }
    auto store = Store::open(args.db);
    const auto info = store->findStudy(outcome.studyId);
    if (!info) {
        std::cerr << "t2ibench-cli: the study " << outcome.studyId << " is not in the library\n";
        return Failure;
    }
    if (args.json)
        std::cout << studyJson(*info).dump(2) << '\n';
    else
        std::cout << formatStudyText(*info, outcome.result);
    if (outcome.status == StudyStatus::Failed)
        std::cerr << "t2ibench-cli: the study failed: " << outcome.message << '\n';
    return exitFor(outcome.status);
}

int studiesCommand(const Args& args)
{
    if (args.positional.size() > 1) {
        std::cerr << "t2ibench-cli: studies takes at most one STUDY\n";
        return BadUsage;
    }
    int failed = Failure;
    auto store = openLibrary(args.db, failed);
    if (!store)
        return failed;
    if (args.positional.size() == 1) {
        const auto info = store->findStudy(args.positional.front());
        if (!info) {
            std::cerr << "t2ibench-cli: no study (or more than one) matches \"" << args.positional.front() << "\"\n";
            return Failure;
        }
        const auto result = resultOf(*info);
        if (args.json)
            std::cout << studyJson(*info).dump(2) << '\n';
        else
            std::cout << formatStudyText(*info, result ? *result : StudyResult {});
        return Success;
    }
    const auto studies = store->listStudies();
    if (args.summary) {
        std::vector<StudyWithResult> read;
        for (const StudyInfo& info : studies)
            if (const auto result = resultOf(info))
                read.push_back({ info, *result });
        const StudyTable table = summarizeStudies(read);
        if (args.json) {
            nlohmann::json rows = nlohmann::json::array();
            for (const auto& row : table.rows) {
                nlohmann::json line = nlohmann::json::object();
                for (std::size_t c = 0; c < table.columns.size(); ++c)
                    line[table.columns[c]] = row[c];
                rows.push_back(std::move(line));
            }
            std::cout << rows.dump(2) << '\n';
        } else if (table.rows.empty()) {
            std::cout << "no completed studies in " << args.db << '\n';
        } else {
            std::cout << table.title << '\n' << formatTextTable(table);
        }
        return Success;
    }
    if (args.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const StudyInfo& info : studies)
            list.push_back(studyJson(info));
        std::cout << list.dump(2) << '\n';
    } else if (studies.empty()) {
        std::cout << "no studies in " << args.db << '\n';
    } else {
        for (const StudyInfo& info : studies) {
            const auto result = resultOf(info);
            std::cout << formatStudyLine(info, result ? &*result : nullptr) << '\n';
        }
    }
    return Success;
}

} // namespace t2i::cli
