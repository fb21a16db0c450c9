// SPDX-License-Identifier: Apache-2.0
// The provider docs against the provider types' descriptors (providers/<type>/): every type of the
// catalog is documented in docs/providers.md, and configuration.md's "Provider types" table
// names exactly each type's keys, its required ones in bold. The docs are read from the source
// tree, so a key added to a descriptor without its documentation fails here.
#include "configfixture.h"

#include <QFile>
#include <QRegularExpression>
#include <QtTest>

#include <map>
#include <set>

using namespace t2i;

namespace {

struct DocumentedType {
    std::set<std::string> keys;
    std::set<std::string> required; // written **`key`**
};

QString readDoc(const char* name)
{
    QFile file(QStringLiteral(T2I_SOURCE_DIR "/docs/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// The rows of configuration.md's "Provider types and their own keys" table: | `type` | keys | rules |.
std::map<std::string, DocumentedType> keysTable()
{
    const QString text = readDoc("configuration.md");
    const qsizetype start = text.indexOf(QStringLiteral("### Provider types and their own keys"));
    if (start < 0)
        return {};
    const qsizetype end = text.indexOf(QStringLiteral("\n#"), start + 1);
    const QStringList lines = text.mid(start, end < 0 ? -1 : end - start).split('\n');
    static const QRegularExpression row(QStringLiteral("^\\| `([a-z0-9_]+)` \\| ([^|]*) \\|"));
    static const QRegularExpression key(QStringLiteral("(\\*\\*)?`([a-z0-9_]+)`(\\*\\*)?"));
    std::map<std::string, DocumentedType> table;
    for (const QString& line : lines) {
        const QRegularExpressionMatch m = row.match(line);
        if (!m.hasMatch())
            continue;
        DocumentedType& type = table[m.captured(1).toStdString()];
        for (auto it = key.globalMatch(m.captured(2)); it.hasNext();) {
            const QRegularExpressionMatch k = it.next();
            const std::string name = k.captured(2).toStdString();
            type.keys.insert(name);
            if (!k.captured(1).isEmpty() && !k.captured(3).isEmpty())
                type.required.insert(name);
        }
    }
    return table;
}

QString listed(const std::set<std::string>& names)
{
    QStringList out;
    for (const std::string& n : names)
        out << QString::fromStdString(n);
    return out.join(", ");
}

std::set<std::string> minus(const std::set<std::string>& a, const std::set<std::string>& b)
{
    std::set<std::string> out;
    for (const std::string& x : a)
        if (!b.count(x))
            out.insert(x);
    return out;
}

} // namespace

class TestProviderDocs : public QObject {
    Q_OBJECT

private slots:
    void providersPageDocumentsEveryType_data()
    {
        QTest::addColumn<QString>("type");
        for (const ProviderDescriptor* d : providerCatalog())
            QTest::newRow(d->type.c_str()) << QString::fromStdString(d->type);
    }

    void providersPageDocumentsEveryType()
    {
        QFETCH(QString, type);
        const QString text = readDoc("providers.md");
        QVERIFY2(!text.isEmpty(), "docs/providers.md cannot be read");
        QVERIFY2(text.contains("\n| `" + type + "` |"), qPrintable("no row for " + type + " in the types table"));
        QVERIFY2(text.contains("\n## " + type + "\n"), qPrintable("no section \"## " + type + "\""));
    }

    void keysTableNamesTheCatalogsTypes()
    {
        const auto table = keysTable();
        QVERIFY2(!table.empty(), "configuration.md's \"Provider types and their own keys\" table was not found");
        std::set<std::string> documented;
        for (const auto& [type, keys] : table)
            documented.insert(type);
        std::set<std::string> known;
        for (const ProviderDescriptor* d : providerCatalog())
            known.insert(d->type);
        QVERIFY2(documented == known,
            qPrintable("undocumented: " + listed(minus(known, documented))
                + "; documented, not in the catalog: " + listed(minus(documented, known))));
    }

    void keysTableMatchesTheDescriptor_data() { providersPageDocumentsEveryType_data(); }

    void keysTableMatchesTheDescriptor()
    {
        QFETCH(QString, type);
        const auto table = keysTable();
        const auto row = table.find(type.toStdString());
        QVERIFY2(row != table.end(), qPrintable("configuration.md has no row for " + type));
        const ProviderDescriptor* d = findProviderDescriptor(type.toStdString());
        std::set<std::string> keys, required;
        for (const SettingSpec& spec : d->settings) {
            keys.insert(spec.key);
            if (spec.required)
                required.insert(spec.key);
        }
        // A common key the type requires is named in its row too, in bold.
        for (const SettingSpec& spec : d->requiredCommon) {
            keys.insert(spec.key);
            required.insert(spec.key);
        }
        const DocumentedType& documented = row->second;
        QVERIFY2(documented.keys == keys,
            qPrintable("undocumented keys: " + listed(minus(keys, documented.keys))
                + "; documented keys the type does not take: " + listed(minus(documented.keys, keys))));
        QVERIFY2(documented.required == required,
            qPrintable("required but not in bold: " + listed(minus(required, documented.required))
                + "; in bold but not required: " + listed(minus(documented.required, required))));
    }
};

QTEST_APPLESS_MAIN(TestProviderDocs)
#include "tst_providerdocs.moc"
