// SPDX-License-Identifier: Apache-2.0
// Prompt sets (shipped and user files), the seed policies and the shuffled order.
#include "configfixture.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <set>

using namespace t2i;

namespace {

PromptConfig fromFile(const std::string& file)
{
    PromptConfig p;
    p.set.clear();
    p.file = file;
    return p;
}

PromptConfig ordered(const char* order, std::int64_t seed)
{
    PromptConfig p;
    p.order = order;
    p.seed = seed;
    return p;
}

} // namespace

class TestConfigPrompts : public QObject {
    Q_OBJECT

private slots:
    void namedSets_data();
    void namedSets();
    void availableSets();
    void unknownSetListsTheAvailable();
    void textFile();
    void tsvFileByColumnName();
    void unusableFiles_data();
    void unusableFiles();
    void absoluteFileIgnoresConfigDir();
    void seedPolicies();
    void randomSeedsAreDeterministicAndInRange();
    void sequentialOrder();
    void shuffleIsADeterministicPermutation_data();
    void shuffleIsADeterministicPermutation();
    void shuffleDependsOnSeedAndPass();
};

void TestConfigPrompts::namedSets_data()
{
    QTest::addColumn<QString>("set");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("first");
    QTest::newRow("default holds 64 prompts")
        << "default" << 64 << "The collision of two black holes in the center of a galaxy.";
    QTest::newRow("parti holds all 1632 PartiPrompts") << "parti" << 1632 << "bond";
}

void TestConfigPrompts::namedSets()
{
    QFETCH(QString, set);
    QFETCH(int, count);
    QFETCH(QString, first);
    PromptConfig p;
    p.set = set.toStdString();
    std::string error;
    const auto prompts = loadPrompts(p, "/nonexistent", &error);
    QVERIFY2(prompts, error.c_str());
    QCOMPARE(int(prompts->size()), count);
    QCOMPARE(QString::fromStdString(prompts->front()), first);
    for (const std::string& prompt : *prompts) {
        QVERIFY(!prompt.empty());
        QVERIFY2(prompt.front() != '#' && prompt.find('\t') == std::string::npos, prompt.c_str());
    }
    // The default set is a subset of PartiPrompts, unchanged.
    if (set == "default") {
        PromptConfig parti;
        parti.set = "parti";
        const auto all = loadPrompts(parti, "", nullptr);
        QVERIFY(all);
        const std::set<std::string> known(all->begin(), all->end());
        for (const std::string& prompt : *prompts)
            QVERIFY2(known.count(prompt), prompt.c_str());
        QCOMPARE(std::set<std::string>(prompts->begin(), prompts->end()).size(), prompts->size());
    }
}

void TestConfigPrompts::availableSets()
{
    QCOMPARE(availablePromptSets(), (std::vector<std::string> { "default", "parti" }));
}

void TestConfigPrompts::unknownSetListsTheAvailable()
{
    PromptConfig p;
    p.set = "laion";
    std::string error;
    QVERIFY(!loadPrompts(p, ".", &error));
    QVERIFY2(QString::fromStdString(error).contains("unknown prompt set \"laion\""), error.c_str());
    QVERIFY2(QString::fromStdString(error).contains("default, parti"), error.c_str());
}

void TestConfigPrompts::textFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(test::writeFile(dir.filePath("mine.txt"),
        "\xEF\xBB\xBF# my prompts\n\na red cube\r\n  a blue sphere  \n   # indented comment\nlast line"));
    std::string error;
    const auto prompts = loadPrompts(fromFile("mine.txt"), dir.path().toStdString(), &error);
    QVERIFY2(prompts, error.c_str());
    QCOMPARE(*prompts, (std::vector<std::string> { "a red cube", "a blue sphere", "last line" }));
}

void TestConfigPrompts::tsvFileByColumnName()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(test::writeFile(
        dir.filePath("set.tsv"), "Id\tPrompt\tNote\n1\ta red cube\tx\n2\t\"quoted\" words\t\n\n3\t\ty\n4\ta cat\n"));
    std::string error;
    const auto prompts = loadPrompts(fromFile("set.tsv"), dir.path().toStdString(), &error);
    QVERIFY2(prompts, error.c_str());
    QCOMPARE(*prompts, (std::vector<std::string> { "a red cube", "\"quoted\" words", "a cat" }));
}

void TestConfigPrompts::unusableFiles_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing file") << "absent.txt" << QString() << "No such file or directory";
    QTest::newRow("only comments") << "empty.txt"
                                   << "# nothing\n\n"
                                   << "holds no prompt";
    QTest::newRow("tsv without a Prompt column") << "bad.tsv"
                                                 << "Text\tCategory\na\tb\n"
                                                 << "no \"Prompt\" column";
    QTest::newRow("tsv with only a header") << "head.tsv"
                                            << "Prompt\n"
                                            << "holds no prompt";
}

void TestConfigPrompts::unusableFiles()
{
    QFETCH(QString, name);
    QFETCH(QString, content);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    if (!content.isNull())
        QVERIFY(test::writeFile(dir.filePath(name), content.toStdString()));
    std::string error;
    QVERIFY(!loadPrompts(fromFile(name.toStdString()), dir.path().toStdString(), &error));
    QVERIFY2(QString::fromStdString(error).contains(message), error.c_str());
    QVERIFY2(QString::fromStdString(error).contains(name), error.c_str());
    QVERIFY(!loadPrompts(fromFile(name.toStdString()), dir.path().toStdString(), nullptr));
}

void TestConfigPrompts::absoluteFileIgnoresConfigDir()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(test::writeFile(dir.filePath("abs.txt"), "one\ntwo\n"));
    const auto prompts = loadPrompts(fromFile(dir.filePath("abs.txt").toStdString()), "/elsewhere", nullptr);
    QVERIFY(prompts);
    QCOMPARE(prompts->size(), std::size_t(2));
}

void TestConfigPrompts::seedPolicies()
{
    PromptConfig p;
    p.seed = 42;
    p.seedPolicy = SeedPolicy::Fixed;
    for (std::int64_t seq : { 0, 1, 99 })
        QCOMPARE(seedFor(p, seq), std::int64_t(42));
    p.seedPolicy = SeedPolicy::Increment;
    QCOMPARE(seedFor(p, 0), std::int64_t(42));
    QCOMPARE(seedFor(p, 7), std::int64_t(49));
    QVERIFY(PromptConfig().seedPolicy == SeedPolicy::Increment);
}

void TestConfigPrompts::randomSeedsAreDeterministicAndInRange()
{
    PromptConfig p;
    p.seed = 42;
    p.seedPolicy = SeedPolicy::Random;
    PromptConfig other = p;
    other.seed = 43;
    std::set<std::int64_t> seen;
    int sameAsOther = 0;
    for (std::int64_t seq = 0; seq < 1000; ++seq) {
        const std::int64_t s = seedFor(p, seq);
        QCOMPARE(seedFor(p, seq), s);
        QVERIFY(s >= 0 && s <= 4294967294LL);
        seen.insert(s);
        sameAsOther += seedFor(other, seq) == s;
    }
    QCOMPARE(seen.size(), std::size_t(1000));
    QCOMPARE(sameAsOther, 0);
}

void TestConfigPrompts::sequentialOrder()
{
    const PromptConfig p = ordered("sequential", 42);
    QCOMPARE(promptIndexFor(p, 0, 5), 0);
    QCOMPARE(promptIndexFor(p, 4, 5), 4);
    QCOMPARE(promptIndexFor(p, 5, 5), 0);
    QCOMPARE(promptIndexFor(p, 12, 5), 2);
    QCOMPARE(promptIndexFor(p, 3, 0), -1);
}

void TestConfigPrompts::shuffleIsADeterministicPermutation_data()
{
    QTest::addColumn<int>("count");
    for (int count : { 1, 2, 3, 7, 64, 100, 1632 })
        QTest::newRow(qPrintable(QString("%1 prompts").arg(count))) << count;
}

void TestConfigPrompts::shuffleIsADeterministicPermutation()
{
    QFETCH(int, count);
    const PromptConfig p = ordered("shuffle", 42);
    const std::size_t n = std::size_t(count);
    for (std::int64_t pass = 0; pass < 3; ++pass) {
        std::vector<int> indices;
        for (std::int64_t i = 0; i < count; ++i) {
            const int index = promptIndexFor(p, pass * count + i, n);
            QCOMPARE(promptIndexFor(p, pass * count + i, n), index);
            indices.push_back(index);
        }
        std::vector<int> sorted = indices;
        std::sort(sorted.begin(), sorted.end());
        for (int i = 0; i < count; ++i)
            QCOMPARE(sorted[std::size_t(i)], i);
        if (count >= 64) {
            int inPlace = 0;
            for (int i = 0; i < count; ++i)
                inPlace += indices[std::size_t(i)] == i;
            QVERIFY2(inPlace < count / 2 + 1, "a shuffle should move most prompts");
        }
    }
}

void TestConfigPrompts::shuffleDependsOnSeedAndPass()
{
    const auto order = [](std::int64_t seed, std::int64_t pass) {
        std::vector<int> out;
        for (std::int64_t i = 0; i < 64; ++i)
            out.push_back(promptIndexFor(ordered("shuffle", seed), pass * 64 + i, 64));
        return out;
    };
    QCOMPARE(order(42, 0), order(42, 0));
    QVERIFY(order(42, 0) != order(43, 0));
    QVERIFY(order(42, 0) != order(42, 1));
}

QTEST_APPLESS_MAIN(TestConfigPrompts)
#include "tst_configprompts.moc"
