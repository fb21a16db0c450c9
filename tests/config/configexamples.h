// SPDX-License-Identifier: Apache-2.0
#pragma once

// The whole configurations the project ships as examples: every examples/*.json and every
// ```json block of docs/*.md (and the README) that is a whole file (it has "version"). What the
// setup page must open and save unchanged (tst_configdocument, tst_setuppage).

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace t2i::test {

struct ConfigExample {
    QString label; // "examples/quickstart.json", "docs/configuration.md:27"
    std::string text; // the file or block as written
};

inline std::vector<ConfigExample> shippedConfigExamples(const QString& sourceDir)
{
    std::vector<ConfigExample> out;
    const QDir examples(sourceDir + QStringLiteral("/examples"));
    for (const QString& name : examples.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name)) {
        QFile file(examples.filePath(name));
        if (file.open(QIODevice::ReadOnly))
            out.push_back({ QStringLiteral("examples/") + name, file.readAll().toStdString() });
    }
    QStringList pages;
    const QDir docs(sourceDir + QStringLiteral("/docs"));
    for (const QString& name : docs.entryList({ QStringLiteral("*.md") }, QDir::Files, QDir::Name))
        pages << docs.filePath(name);
    pages << sourceDir + QStringLiteral("/README.md");
    for (const QString& page : pages) {
        QFile file(page);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
        for (int at = 0; at < lines.size(); ++at) {
            if (lines[at].trimmed() != QLatin1String("```json"))
                continue;
            const int start = at + 1;
            std::string block;
            for (++at; at < lines.size() && lines[at].trimmed() != QLatin1String("```"); ++at)
                block += lines[at].toStdString() + "\n";
            const nlohmann::json value = nlohmann::json::parse(block, nullptr, false);
            if (value.is_object() && value.contains("version") && value.contains("providers"))
                out.push_back(
                    { QDir(sourceDir).relativeFilePath(page) + QLatin1Char(':') + QString::number(start), block });
        }
    }
    return out;
}

} // namespace t2i::test
