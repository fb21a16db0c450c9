// SPDX-License-Identifier: Apache-2.0
// Every JSON example in docs/*.md (but protocols.md) and the README must be accepted by the config validator, so
// that what a user copies from the documentation runs. A block may hold a whole configuration,
// one or more provider objects, workload steps, or a fragment of a provider ("pricing": {...});
// each is wrapped into the smallest configuration around it and validated.
#include "configfixture.h"
#include "study/studytypes.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
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
    // A top-level fragment: "studies", "thresholds", "budget_usd", "client" merged into the file.
    if (value.contains("studies") || value.contains("thresholds") || value.contains("budget_usd")
        || value.contains("client")) {
        config.update(value);
        return { config, "top-level fragment" };
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

// ---- The repository stands alone ----------------------------------------------------------
// A clone holds only the repository, so every page a file cites must be in it: no path into the
// folder of reference material kept beside the source tree on the developers' machines, no .md
// that does not exist, and every section of docs/protocols.md cited as "protocols.md" + the
// section sign + N.M must be one of its headings.

// The section sign, built rather than written, so that this file cites no section itself.
const QString kSectionSign = QString(QChar(0x00A7));

// The tree to check: the parent of $T2IBENCH_RESOURCES (ctest sets it to <source>/resources;
// pointing it at another checkout checks that one), else the tree this test was built from.
QString sourceDir()
{
    const QString resources = qEnvironmentVariable("T2IBENCH_RESOURCES");
    if (!resources.isEmpty()) {
        const QDir parent(QDir::cleanPath(resources + QStringLiteral("/..")));
        if (parent.exists(QStringLiteral("CMakeLists.txt")) && parent.exists(QStringLiteral("docs")))
            return parent.path();
    }
    return QDir::cleanPath(QStringLiteral(T2I_SOURCE_DIR));
}

// Build folders, Git's and tools' own (hidden, but .ci), and node_modules are not the source.
bool isSourceFolder(const QFileInfo& dir)
{
    const QString name = dir.fileName();
    return !(name.startsWith(QLatin1Char('.')) && name != QLatin1String(".ci"))
        && !name.startsWith(QLatin1String("build")) && name != QLatin1String("node_modules")
        && !QFileInfo::exists(dir.filePath() + QStringLiteral("/CMakeCache.txt"));
}

// The rows: "." (the top level's own files) and each top-level source folder.
QStringList sourceAreas()
{
    QStringList areas { QStringLiteral(".") };
    const QDir root(sourceDir());
    for (const QFileInfo& d : root.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name))
        if (isSourceFolder(d))
            areas << d.fileName();
    return areas;
}

void collectFiles(const QDir& dir, bool recurse, QStringList& out)
{
    for (const QFileInfo& f : dir.entryInfoList(QDir::Files | QDir::Hidden, QDir::Name))
        out << f.filePath();
    if (recurse)
        for (const QFileInfo& d : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name))
            if (isSourceFolder(d))
                collectFiles(QDir(d.filePath()), true, out);
}

struct SourceLine {
    QString file; // relative to the source tree
    int number = 0;
    QString text; // JSON's \u00a7 escape read as the section sign
};

// Every line of the area's text files (a file with a NUL byte, or over 4 MB, is not text).
std::vector<SourceLine> linesOf(const QString& area)
{
    const QDir root(sourceDir());
    QStringList files;
    collectFiles(QDir(root.filePath(area)), area != QLatin1String("."), files);
    std::vector<SourceLine> lines;
    for (const QString& path : files) {
        QFile file(path);
        if (file.size() > 4 * 1024 * 1024 || !file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = file.readAll();
        if (bytes.contains('\0'))
            continue;
        const QString relative = root.relativeFilePath(path);
        const QStringList text = QString::fromUtf8(bytes).split(QLatin1Char('\n'));
        for (int i = 0; i < text.size(); ++i)
            lines.push_back({ relative, i + 1,
                QString(text[i]).replace(QStringLiteral("\\u00a7"), kSectionSign, Qt::CaseInsensitive) });
    }
    return lines;
}

// Each finding on a line of its own (a failure message would be cut short).
void report(const QStringList& found)
{
    for (const QString& line : found)
        qWarning().noquote() << line;
}

QString where(const SourceLine& line, const QString& what)
{
    return QStringLiteral("  %1:%2: %3").arg(line.file).arg(line.number).arg(what);
}

// A .md the line names that exists neither beside the file, nor at the top, nor in docs/. A name
// right after a URL or a repository ("github.com/owner/repo pricing.md") is that project's file.
QStringList missingPages(const SourceLine& line)
{
    static const QRegularExpression page(QStringLiteral(R"((?<![\w.*/-])((?:\.{1,2}/)*\w[\w./-]*\.md)(?!\w))"));
    static const QRegularExpression afterUrl(QStringLiteral(R"((?:://|github\.com/)\S+\s+$)"));
    const QDir root(sourceDir());
    const QDir here(QFileInfo(root.filePath(line.file)).path());
    QStringList missing;
    for (auto it = page.globalMatch(line.text); it.hasNext();) {
        const auto m = it.next();
        if (afterUrl.match(line.text.left(m.capturedStart())).hasMatch())
            continue;
        const QString name = m.captured(1);
        if (!QFileInfo::exists(root.filePath(name)) && !QFileInfo::exists(here.filePath(name))
            && !QFileInfo::exists(root.filePath(QStringLiteral("docs/") + name)))
            missing << name;
    }
    return missing;
}

// The sections of docs/protocols.md: "## 5. AWS SageMaker" is 5, "### 5.2 Real-time" is 5.2.
std::set<QString> protocolSections()
{
    std::set<QString> sections;
    QFile file(sourceDir() + QStringLiteral("/docs/protocols.md"));
    if (!file.open(QIODevice::ReadOnly))
        return sections;
    static const QRegularExpression heading(QStringLiteral(R"(^#{2,4} (\d+(?:\.\d+)?)\.? )"));
    for (const QString& line : QString::fromUtf8(file.readAll()).split(QLatin1Char('\n')))
        if (const auto m = heading.match(line); m.hasMatch())
            sections.insert(m.captured(1));
    return sections;
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
        for (const std::string& type : knownProviderTypes())
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

    void citesOnlyWhatTheRepositoryHolds_data()
    {
        QTest::addColumn<QString>("area");
        for (const QString& area : sourceAreas())
            QTest::newRow(qPrintable(area)) << area;
    }

    // No file cites the folder beside the source tree (its protocol reference, CLI and config
    // contracts, design notes, data) or a page the repository does not have.
    void citesOnlyWhatTheRepositoryHolds()
    {
        QFETCH(QString, area);
        // That folder's name as a path: followed by one of its parts, or reached through "..".
        static const QRegularExpression outside(
            QStringLiteral(R"((?:^|[^\w.-])(?:\.\./)*shared/(?:reference|spec|DESIGN|data|hooks)\b|\.\./shared\b)"));
        QStringList found;
        for (const SourceLine& line : linesOf(area)) {
            if (outside.match(line.text).hasMatch())
                found << where(line, line.text.trimmed());
            // docs/protocols.md names the files of the platforms' own repositories as its sources.
            else if (line.file != QLatin1String("docs/protocols.md"))
                for (const QString& page : missingPages(line))
                    found << where(line, page + QStringLiteral(" is not in the repository"));
        }
        report(found);
        QVERIFY2(found.isEmpty(),
            qPrintable(QStringLiteral("%1 line(s), listed above, cite what a clone does not have; cite docs/ "
                                      "instead (protocols.md, cli.md, configuration.md, design.md)")
                           .arg(found.size())));
    }

    void protocolSectionsExist_data() { citesOnlyWhatTheRepositoryHolds_data(); }

    // Every section cited is docs/protocols.md's, named as such on its line, and is one of its
    // headings. A section of another document is allowed after "RFC <number>".
    void protocolSectionsExist()
    {
        QFETCH(QString, area);
        const std::set<QString> sections = protocolSections();
        static const QRegularExpression cited(kSectionSign + QStringLiteral(R"((\d+(?:\.\d+)?))"));
        static const QRegularExpression rfc(QStringLiteral(R"(RFC \d+ $)"));
        QStringList found;
        if (sections.size() < 50)
            found << QStringLiteral("  docs/protocols.md is missing, or has lost its numbered section headings");
        for (const SourceLine& line : linesOf(area)) {
            if (line.file == QLatin1String("docs/protocols.md"))
                continue;
            for (auto it = cited.globalMatch(line.text); it.hasNext();) {
                const auto m = it.next();
                const QString before = line.text.left(m.capturedStart());
                const QString section = m.captured(1);
                if (before.contains(QLatin1String("protocols.md"))) {
                    if (!sections.count(section))
                        found << where(line, QStringLiteral("docs/protocols.md has no section %1").arg(section));
                } else if (!rfc.match(before).hasMatch()) {
                    found << where(line,
                        QStringLiteral("section %1 of which document? write docs/protocols.md %2%1")
                            .arg(section, kSectionSign));
                }
            }
        }
        report(found);
        QVERIFY2(found.isEmpty(),
            qPrintable(QStringLiteral("%1 section citation(s) to fix, listed above").arg(found.size())));
    }

    void exampleIsAValidConfiguration()
    {
        QFETCH(QString, document);
        const ConfigResult result
            = validateConfig(json::parse(document.toStdString()), "example.json", providerCatalog());
        std::string all;
        for (const ConfigError& e : result.errors)
            all += e.format() + "\n";
        // A "studies" object's parameters are checked by each study when it runs: check them here.
        if (result.config)
            for (const auto& [kind, params] : result.config->studies.items()) {
                const StudyType* type = findStudyType(kind);
                if (!type) {
                    all += "studies." + kind + ": no such study\n";
                    continue;
                }
                std::vector<std::string> errors;
                resolveStudyParams(*type, params, {}, errors);
                for (const std::string& e : errors)
                    if (e.find(": required") == std::string::npos) // a fragment need not give every one
                        all += e + "\n";
            }
        QVERIFY2(all.empty(), all.c_str());
    }
};

QTEST_APPLESS_MAIN(TestDocExamples)
#include "tst_docexamples.moc"
