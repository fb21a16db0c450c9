// SPDX-License-Identifier: Apache-2.0
// Every JSON example in docs/*.md (but protocols.md) and the README must be accepted by the config validator, so
// that what a user copies from the documentation runs. A block may hold a whole configuration,
// one or more provider objects, workload steps, or a fragment of a provider ("pricing": {...});
// each is wrapped into the smallest configuration around it and validated.
#include "configfixture.h"

#include <QDir>
#include <QFileInfo>
#include <QTest>

#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

using nlohmann::json;
using namespace t2i;

namespace {

struct Example {
    QString label; // "providers.md:35 #2 (fal)"
    json document; // the configuration to validate
};

json minimalConfig()
{
    return { { "version", 1 }, { "providers", { { { "id", "p" }, { "type", "emulated" }, { "profile", "steady" } } } },
        { "variants", { { { "id", "v" }, { "model", "sdxl" } } } },
        { "workload", { { "steps", { { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 1 } } } } } } };
}

// Reads back-to-back JSON values ("{...}\n{...}" or "{...}, {...}"); false when the text is not that.
bool parseValues(const std::string& text, std::vector<json>& out)
{
    std::size_t i = 0;
    while (true) {
        while (i < text.size() && (std::isspace(static_cast<unsigned char>(text[i])) || text[i] == ','))
            ++i;
        if (i == text.size())
            return !out.empty();
        // nlohmann reads one value from a stream and stops after it; the stream position says where.
        std::istringstream in(text.substr(i));
        json value;
        try {
            in >> value;
        } catch (const json::exception&) {
            return false;
        }
        out.push_back(std::move(value));
        const auto consumed = in.tellg();
        if (consumed < 0)
            return true; // the value ran to the end of the text
        i += static_cast<std::size_t>(consumed);
    }
}

// The configuration that holds one example value, and what kind of example it is.
std::pair<json, std::string> wrap(const json& value)
{
    json config = minimalConfig();
    if (value.contains("version"))
        return { value, "config" };
    if (value.contains("type") && value.contains("id")) {
        config["providers"] = json::array({ value });
        return { config, value["type"].get<std::string>() };
    }
    if (value.contains("kind")) {
        config["workload"]["steps"] = json::array({ value });
        return { config, "step " + value["kind"].get<std::string>() };
    }
    // A fragment of a provider, e.g. its "pricing": merged into a RunPod provider.
    json provider = { { "id", "p" }, { "type", "runpod" }, { "endpoint_id", "abc" } };
    provider.update(value);
    config["providers"] = json::array({ provider });
    return { config, "provider fragment" };
}

std::vector<Example> examplesIn(const QString& path, QStringList& unreadable)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString name = QFileInfo(path).fileName();
    std::vector<Example> out;
    const QStringList lines = QString::fromUtf8(file.readAll()).split('\n');
    for (int at = 0; at < lines.size(); ++at) {
        if (lines[at].trimmed() != "```json")
            continue;
        const int start = at + 1;
        std::string block;
        for (++at; at < lines.size() && lines[at].trimmed() != "```"; ++at)
            block += lines[at].toStdString() + "\n";
        std::vector<json> values;
        if (!parseValues(block, values) && !parseValues("{" + block + "}", values = {})) {
            unreadable << QStringLiteral("%1:%2").arg(name).arg(start);
            continue;
        }
        int n = 0;
        for (const json& value : values) {
            if (!value.is_object()) {
                unreadable << QStringLiteral("%1:%2 (not an object)").arg(name).arg(start);
                continue;
            }
            auto [document, kind] = wrap(value);
            out.push_back({ QStringLiteral("%1:%2 #%3 (%4)").arg(name).arg(start).arg(++n).arg(kind.c_str()),
                std::move(document) });
        }
    }
    return out;
}

// The pages whose JSON blocks are configurations. Not protocols.md, whose blocks are what the
// platforms send and answer.
QStringList documentationFiles()
{
    const QDir docs(QStringLiteral(T2I_SOURCE_DIR "/docs"));
    QStringList files;
    for (const QString& f : docs.entryList({ "*.md" }, QDir::Files, QDir::Name))
        if (f != QLatin1String("protocols.md"))
            files << docs.filePath(f);
    files << QStringLiteral(T2I_SOURCE_DIR "/README.md");
    return files;
}

} // namespace

class TestDocExamples : public QObject {
    Q_OBJECT
private slots:
    void everyJsonBlockIsReadable()
    {
        QStringList unreadable;
        for (const QString& f : documentationFiles())
            examplesIn(f, unreadable);
        QVERIFY2(unreadable.isEmpty(), qPrintable("not JSON: " + unreadable.join(", ")));
    }

    void everyProviderTypeHasAnExample()
    {
        QStringList unreadable;
        std::set<std::string> shown;
        for (const Example& e : examplesIn(QStringLiteral(T2I_SOURCE_DIR "/docs/providers.md"), unreadable))
            for (const json& p : e.document["providers"])
                shown.insert(p["type"].get<std::string>());
        QStringList missing;
        for (const std::string& type : specProviderTypes())
            if (!shown.count(type))
                missing << QString::fromStdString(type);
        QVERIFY2(missing.isEmpty(), qPrintable("docs/providers.md has no example for: " + missing.join(", ")));
    }

    void exampleIsAValidConfiguration_data()
    {
        QTest::addColumn<QString>("document");
        QStringList unreadable;
        int rows = 0;
        for (const QString& f : documentationFiles())
            for (const Example& e : examplesIn(f, unreadable)) {
                QTest::newRow(qPrintable(e.label)) << QString::fromStdString(e.document.dump());
                ++rows;
            }
        QVERIFY2(rows > 30, "the documentation's examples were not found");
    }

    void exampleIsAValidConfiguration()
    {
        QFETCH(QString, document);
        const ConfigResult result = validateConfig(json::parse(document.toStdString()), "example.json");
        std::string all;
        for (const ConfigError& e : result.errors)
            all += e.format() + "\n";
        QVERIFY2(result.errors.empty(), all.c_str());
    }
};

QTEST_APPLESS_MAIN(TestDocExamples)
#include "tst_docexamples.moc"
