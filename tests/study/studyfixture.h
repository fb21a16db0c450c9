// SPDX-License-Identifier: Apache-2.0
// Runs a study in this process, as t2ibench-cli study would: the real StudyRunner, BenchmarkRunner,
// adapters over loopback HTTP and a real SQLite library.
#pragma once

#include "integration/clifixture.h"

#include "registry/registry.h"
#include "store/store.h"
#include "study/studyrunner.h"

#include <QTcpServer>

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace t2itest {

struct StudyRun {
    t2i::StudyOutcome outcome;
    t2i::StudyInfo info; // as the library has it
    std::vector<std::string> prepareErrors;
};

inline StudyRun runStudy(const nlohmann::json& config, const std::string& dir, const std::string& db,
    const std::string& kind, const std::vector<std::pair<std::string, std::string>>& params = {})
{
    StudyRun result;
    // The configuration's folder is where a deploy command runs and a launch command starts.
    const std::string path = dir + "/study.json";
    const t2i::ConfigResult parsed = t2i::parseConfig(config.dump(), path, t2i::providerCatalog());
    if (!parsed.config) {
        result.prepareErrors.push_back("config refused: " + parsed.errors.front().format());
        return result;
    }
    t2i::StudyRunner runner(*parsed.config, db, t2i::makeAdapter);
    result.prepareErrors = runner.prepare({ kind, "", "", params });
    if (!result.prepareErrors.empty())
        return result;
    result.outcome = runner.run([](const std::string& line) { qInfo("study: %s", line.c_str()); });
    if (auto info = t2i::Store::open(db)->findStudy(result.outcome.studyId))
        result.info = *info;
    return result;
}

inline int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// The bytes of a SQLite library with its journal files: where a leaked secret would be.
inline QByteArray libraryBytes(const QString& db)
{
    QByteArray bytes;
    for (const QString& suffix :
        { QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal") }) {
        QFile file(db + suffix);
        if (file.open(QIODevice::ReadOnly))
            bytes += file.readAll();
    }
    return bytes;
}

inline const t2i::StudyTable* tableTitled(const t2i::StudyResult& result, const std::string& prefix)
{
    for (const auto& table : result.tables)
        if (table.title.rfind(prefix, 0) == 0)
            return &table;
    return nullptr;
}

} // namespace t2itest
