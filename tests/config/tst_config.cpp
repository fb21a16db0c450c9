// SPDX-License-Identifier: Apache-2.0
// Reading whole configurations: the spec's example, files, JSON syntax, several errors at once,
// provider types a build lacks, writing back (toJson) and the shipped examples.
// The rule-by-rule table is tst_configrules.cpp; prompt sets and seeds are tst_configprompts.cpp.
#include "configfixture.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using nlohmann::json;
using namespace t2i;

namespace {

const ConfigError* errorAt(const ConfigResult& result, const std::string& path)
{
    for (const ConfigError& e : result.errors)
        if (e.path == path)
            return &e;
    return nullptr;
}

} // namespace

class TestConfig : public QObject {
    Q_OBJECT

private slots:
    void specExampleParses();
    void defaultsApply();
    void nameDefaultsToFileStem();
    void everyErrorIsReported();
    void syntaxErrorGivesLineAndColumn_data();
    void syntaxErrorGivesLineAndColumn();
    void notAnObjectIsRefused();
    void duplicateKeysAreRefused();
    void unreadableFile_data();
    void unreadableFile();
    void typeOutsideTheCatalogIsRefused();
    void validateConfigTakesAParsedDocument();
    void errorFormat();
    void stepKindNames();
    void roundTrip_data();
    void roundTrip();
    void examplesParse_data();
    void examplesParse();
    void quickstartHasWhatTheReadmePromises();
    void promptFileIsCheckedOnLoad();
    void caFileIsReadRelativeToTheConfig_data();
    void caFileIsReadRelativeToTheConfig();
};

void TestConfig::specExampleParses()
{
    const ConfigResult result = parseConfig(test::specExample(), "spec.json", providerCatalog());
    QVERIFY2(result.config, test::describeErrors(result).constData());
    const RunConfig& c = *result.config;
    QCOMPARE(c.version, 1);
    QCOMPARE(c.name, std::string("quickstart"));
    QCOMPARE(c.path, std::string("spec.json"));
    QCOMPARE(c.providers.size(), std::size_t(2));
    QCOMPARE(c.providers[0].id, std::string("steady"));
    QCOMPARE(c.providers[0].type, std::string("emulated"));
    QCOMPARE(c.providers[0].settings.value("profile", ""), std::string("steady"));
    QCOMPARE(c.providers[1].baseUrl, std::string("https://api.runpod.ai/v2"));
    QCOMPARE(c.providers[1].apiKeyEnv, std::string("RUNPOD_API_KEY"));
    QCOMPARE(c.providers[1].settings.value("endpoint_id", ""), std::string("abc123"));
    QVERIFY(!c.providers[1].timeoutS);
    QCOMPARE(c.variants.size(), std::size_t(1));
    QCOMPARE(c.variants[0].model, std::string("sdxl-base-1.0"));
    QCOMPARE(c.variants[0].guidance, 7.5);
    QCOMPARE(c.prompts.set, std::string("default"));
    QCOMPARE(c.prompts.seed, std::int64_t(42));
    QCOMPARE(c.workload.timeoutS, 300.0);
    QCOMPARE(c.workload.warmupRequests, 2);
    const auto& steps = c.workload.steps;
    QCOMPARE(steps.size(), std::size_t(6));
    QVERIFY(steps[0].kind == StepKind::ColdProbe);
    QCOMPARE(steps[0].idleS, 10.0);
    QCOMPARE(steps[0].repeat, 2);
    QCOMPARE(steps[1].concurrency, (std::vector<int> { 1, 2, 4, 8 }));
    QCOMPARE(steps[1].levels(), 4);
    QCOMPARE(*steps[1].durationS, 10.0);
    QVERIFY(!steps[1].requests);
    QCOMPARE(steps[2].rate, 4.0);
    QVERIFY(steps[3].kind == StepKind::Poisson);
    QCOMPARE(*steps[3].requests, 40);
    QCOMPARE(steps[4].rateFrom, 1.0);
    QCOMPARE(steps[4].rateTo, 8.0);
    QCOMPARE(*steps[5].requests, 32);
}

void TestConfig::defaultsApply()
{
    const char* text = R"({"version":1,"providers":[{"id":"e","type":"emulated","profile":"steady"}],
        "variants":[{"id":"v","model":"m"}],"workload":{"steps":[{"kind":"cold_probe","idle_s":1}]}})";
    const ConfigResult result = parseConfig(text, "defaults.json", providerCatalog());
    QVERIFY2(result.config, test::describeErrors(result).constData());
    const RunConfig& c = *result.config;
    QCOMPARE(c.variants[0], VariantConfig({ "v", "m" }));
    QCOMPARE(c.prompts, PromptConfig());
    QCOMPARE(c.workload.timeoutS, 300.0);
    QCOMPARE(c.workload.pollIntervalMs, 250);
    QCOMPARE(c.workload.warmupRequests, 0);
    QCOMPARE(c.workload.healthIntervalS, 1.0);
    QCOMPARE(c.workload.steps[0].repeat, 1);
}

void TestConfig::nameDefaultsToFileStem()
{
    json doc = test::specDocument();
    doc.erase("name");
    const ConfigResult result = parseConfig(doc.dump(), "/some/where/nightly-sweep.json", providerCatalog());
    QVERIFY2(result.config, test::describeErrors(result).constData());
    QCOMPARE(result.config->name, std::string("nightly-sweep"));
}

void TestConfig::everyErrorIsReported()
{
    json doc = test::specDocument();
    doc["version"] = 3;
    doc["providers"][1]["id"] = "steady";
    doc["variants"][0]["width"] = 1020;
    doc["prompts"]["order"] = "random";
    doc["workload"]["steps"][2]["rate"] = -4;
    doc["workload"]["steps"][4]["to"] = 0;
    const ConfigResult result = parseConfig(doc.dump(), "many.json", providerCatalog());
    QVERIFY(!result.config);
    QVERIFY2(result.errors.size() == 6, test::describeErrors(result).constData());
    for (const char* path : { "version", "providers[1].id", "variants[0].width", "prompts.order",
             "workload.steps[2].rate", "workload.steps[4].to" })
        QVERIFY2(errorAt(result, path),
            (std::string("missing ") + path + test::describeErrors(result).toStdString()).c_str());
}

void TestConfig::syntaxErrorGivesLineAndColumn_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("where");
    QTest::newRow("missing comma on line 3") << "{\n  \"version\": 1\n  \"name\": \"x\"\n}"
                                             << "line 3, column 8";
    QTest::newRow("trailing comma on line 2") << "{\n  \"version\": 1,\n}"
                                              << "line 3, column 1";
    QTest::newRow("unterminated string") << "{\"name\": \"abc"
                                         << "line 1, column 14";
    QTest::newRow("empty file") << ""
                                << "line 1, column 1";
    QTest::newRow("columns count characters, not bytes") << "{\"name\": \"\xC3\xA9t\xC3\xA9\" x}"
                                                         << "line 1, column 16";
}

void TestConfig::syntaxErrorGivesLineAndColumn()
{
    QFETCH(QString, text);
    QFETCH(QString, where);
    const ConfigResult result = parseConfig(text.toStdString(), "broken.json", providerCatalog());
    QVERIFY(!result.config);
    QCOMPARE(result.errors.size(), std::size_t(1));
    const QString formatted = QString::fromStdString(result.errors[0].format());
    QVERIFY2(formatted.startsWith("broken.json: invalid JSON at " + where + ": "), qPrintable(formatted));
    QVERIFY2(!formatted.contains("json.exception"), qPrintable(formatted));
}

void TestConfig::notAnObjectIsRefused()
{
    const ConfigResult result = parseConfig("[1, 2]", "list.json", providerCatalog());
    QVERIFY(!result.config);
    QCOMPARE(result.errors.size(), std::size_t(1));
    QVERIFY(QString::fromStdString(result.errors[0].message).contains("must be a JSON object"));
}

void TestConfig::duplicateKeysAreRefused()
{
    std::string text = test::specExample();
    text.replace(text.find("\"mode\": \"run\""), 13, "\"mode\": \"run\", \"mode\": \"runsync\"");
    text.replace(text.find("\"version\": 1"), 12, "\"version\": 1, \"version\": 1");
    const ConfigResult result = parseConfig(text, "dup.json", providerCatalog());
    QVERIFY(!result.config);
    QVERIFY2(result.errors.size() == 2, test::describeErrors(result).constData());
    QVERIFY(errorAt(result, "version"));
    const ConfigError* mode = errorAt(result, "providers[1].mode");
    QVERIFY2(mode, test::describeErrors(result).constData());
    QVERIFY(QString::fromStdString(mode->message).contains("duplicate key"));
}

void TestConfig::unreadableFile_data()
{
    QTest::addColumn<QString>("which");
    QTest::newRow("missing file") << "missing";
    QTest::newRow("a directory") << "directory";
    QTest::newRow("no read permission") << "unreadable";
}

void TestConfig::unreadableFile()
{
    QFETCH(QString, which);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString path = dir.filePath("absent.json");
    QString expected = "No such file or directory";
    if (which == "directory") {
        path = dir.path();
        expected = "Is a directory";
    } else if (which == "unreadable") {
        if (geteuid() == 0)
            QSKIP("root reads every file");
        path = dir.filePath("locked.json");
        QVERIFY(test::writeFile(path, test::specExample()));
        QVERIFY(QFile::setPermissions(path, QFileDevice::WriteOwner));
        expected = "Permission denied";
    }
    const ConfigResult result = loadConfig(path.toStdString(), providerCatalog());
    QVERIFY(!result.config);
    QCOMPARE(result.errors.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(result.errors[0].file), path);
    QVERIFY2(QString::fromStdString(result.errors[0].format()).contains(expected), result.errors[0].format().c_str());
}

void TestConfig::typeOutsideTheCatalogIsRefused()
{
    json doc = test::specDocument();
    doc["providers"][1] = { { "id", "flux" }, { "type", "fal" }, { "app", "fal-ai/flux/dev" } };
    // A program that knows fewer types gives a smaller catalog: the others are unknown to it.
    const ProviderCatalog few = { findProviderDescriptor("emulated"), findProviderDescriptor("runpod") };
    const ConfigResult refused = parseConfig(doc.dump(), "fal.json", few);
    QVERIFY(!refused.config);
    QCOMPARE(refused.errors.size(), std::size_t(1));
    QCOMPARE(refused.errors[0].format(),
        std::string("fal.json: providers[1].type: unknown type \"fal\" (known: \"emulated\", \"runpod\")"));
    // The registry's catalog holds every type of this build.
    QVERIFY(parseConfig(doc.dump(), "fal.json", providerCatalog()).config);
    // A type the smaller catalog has still passes.
    QVERIFY(parseConfig(test::specExample(), "spec.json", few).config);
}

void TestConfig::validateConfigTakesAParsedDocument()
{
    const ProviderCatalog emulatedOnly = { findProviderDescriptor("emulated") };
    const ConfigResult result = validateConfig(test::specDocument(), "doc.json", emulatedOnly);
    QVERIFY(!result.config);
    QCOMPARE(result.errors.size(), std::size_t(1));
    QCOMPARE(result.errors[0].path, std::string("providers[1].type"));
    QVERIFY(validateConfig(test::specDocument(), "doc.json", providerCatalog()).config);
}

void TestConfig::errorFormat()
{
    QCOMPARE((ConfigError { "a.json", "workload.steps[2].rate", "must be a positive number" }.format()),
        std::string("a.json: workload.steps[2].rate: must be a positive number"));
    QCOMPARE((ConfigError { "a.json", "", "invalid JSON" }.format()), std::string("a.json: invalid JSON"));
}

void TestConfig::stepKindNames()
{
    QCOMPARE(toString(StepKind::Closed), std::string_view("closed"));
    QCOMPARE(toString(StepKind::Constant), std::string_view("constant"));
    QCOMPARE(toString(StepKind::Poisson), std::string_view("poisson"));
    QCOMPARE(toString(StepKind::Ramp), std::string_view("ramp"));
    QCOMPARE(toString(StepKind::Burst), std::string_view("burst"));
    QCOMPARE(toString(StepKind::ColdProbe), std::string_view("cold_probe"));
    QCOMPARE(toString(SeedPolicy::Random), std::string_view("random"));
}

void TestConfig::roundTrip_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("value");
    QTest::newRow("the spec's example") << "/name"
                                        << "\"quickstart\"";
    QTest::newRow("prompts from a file, random seeds, shuffled")
        << "/prompts"
        << R"({"file":"p.txt","seed":7,"seed_policy":"random","order":"shuffle"})";
    QTest::newRow("one concurrency level") << "/workload/steps/1"
                                           << R"({"kind":"closed","concurrency":3,"requests":9})";
    QTest::newRow("fractional values") << "/workload/steps/4"
                                       << R"({"kind":"ramp","from":0.5,"to":2.25,"duration_s":1.5})";
    QTest::newRow("provider timeout and extension keys")
        << "/providers/0"
        << R"({"id":"e","type":"emulated","profile":"steady","timeout_s":12.5,"x-note":"n"})";
    QTest::newRow("a budget") << "/budget_usd"
                              << "0.75";
    QTest::newRow("thresholds") << "/thresholds"
                                << R"({"p95_ms":1500,"error_rate":0,"cost_per_1000_usd":4.5})";
    QTest::newRow("a cold probe that does not wait for zero")
        << "/workload/steps/0"
        << R"({"kind":"cold_probe","idle_s":1.5,"repeat":1,"wait_for_zero_s":0})";
    QTest::newRow("keep-warm pings") << "/workload/keep_warm"
                                     << R"({"interval_s":2.5})";
    QTest::newRow("an over-saturation guard") << "/workload/max_in_flight"
                                              << "40";
    QTest::newRow("the studies' parameters") << "/studies"
                                             << R"({"cold_start":{"cold_samples":3},"capacity":{"p95_ms":2000}})";
    QTest::newRow("an emulated provider's min_workers")
        << "/providers/0"
        << R"({"id":"e","type":"emulated","profile":"steady","min_workers":2})";
}

void TestConfig::roundTrip()
{
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    json doc = test::specDocument();
    doc[json::json_pointer(pointer.toStdString())] = json::parse(value.toStdString());
    const ConfigResult first = parseConfig(doc.dump(), "first.json", providerCatalog());
    QVERIFY2(first.config, test::describeErrors(first).constData());
    const json written = toJson(*first.config);
    const ConfigResult second = parseConfig(written.dump(2), "first.json", providerCatalog());
    QVERIFY2(second.config, (written.dump(2) + test::describeErrors(second).toStdString()).c_str());
    const RunConfig& a = *first.config;
    const RunConfig& b = *second.config;
    QCOMPARE(b.variants, a.variants);
    QCOMPARE(b.prompts, a.prompts);
    QCOMPARE(b.workload, a.workload);
    QCOMPARE(b.name, a.name);
    QCOMPARE(b.budgetUsd, a.budgetUsd);
    QVERIFY(b.thresholds == a.thresholds);
    QCOMPARE(b.providers.size(), a.providers.size());
    for (std::size_t i = 0; i < a.providers.size(); ++i) {
        QCOMPARE(b.providers[i].settings.dump(), a.providers[i].settings.dump());
        QCOMPARE(b.providers[i].timeoutS, a.providers[i].timeoutS);
    }
    QCOMPARE(toJson(b).dump(), written.dump());
    // The pieces stored with each run parse back on their own too.
    json pieces = test::specDocument();
    pieces["variants"] = json::array({ toJson(a.variants[0]) });
    pieces["prompts"] = toJson(a.prompts);
    pieces["workload"] = toJson(a.workload);
    QVERIFY(parseConfig(pieces.dump(), "pieces.json", providerCatalog()).config);
}

void TestConfig::examplesParse_data()
{
    QTest::addColumn<QString>("file");
    const QDir examples(QStringLiteral(T2I_SOURCE_DIR "/examples"));
    const QStringList files = examples.entryList({ "*.json" }, QDir::Files, QDir::Name);
    QVERIFY(
        files.contains("quickstart.json") && files.contains("runpod.json") && files.contains("sweep-open-loop.json"));
    for (const QString& f : files)
        QTest::newRow(qPrintable(f)) << examples.filePath(f);
}

void TestConfig::examplesParse()
{
    QFETCH(QString, file);
    const ConfigResult result = loadConfig(file.toStdString(), providerCatalog());
    QVERIFY2(result.config, test::describeErrors(result).constData());
    QCOMPARE(result.config->name, QFileInfo(file).completeBaseName().toStdString());
}

void TestConfig::quickstartHasWhatTheReadmePromises()
{
    const ConfigResult result
        = loadConfig(T2I_SOURCE_DIR "/examples/quickstart.json", { findProviderDescriptor("emulated") });
    QVERIFY2(result.config, test::describeErrors(result).constData());
    const RunConfig& c = *result.config;
    QCOMPARE(c.providers.size(), std::size_t(3));
    const char* names[] = { "steady", "fast-scaling", "cheap-saturating" };
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(c.providers[i].id, std::string(names[i]));
        QCOMPARE(c.providers[i].settings.value("profile", ""), std::string(names[i]));
    }
    QCOMPARE(c.variants[0], (VariantConfig { "sdxl-fp16", "sdxl-base-1.0", "fp16", 1024, 1024, 30, 7.5, 1 }));
    QCOMPARE(c.workload.steps.size(), std::size_t(3));
    QCOMPARE(c.workload.steps[1].concurrency, (std::vector<int> { 1, 2, 4, 8, 16, 32 }));
    QCOMPARE(c.workload.timeoutS, 120.0);
    QCOMPARE(c.workload.pollIntervalMs, 100);
}

void TestConfig::promptFileIsCheckedOnLoad()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath("configs/prompts"));
    json doc = test::specDocument();
    doc["prompts"] = { { "file", "prompts/mine.txt" } };
    const QString path = dir.filePath("configs/mine.json");
    QVERIFY(test::writeFile(path, doc.dump(2)));

    // Relative to the config's folder, not to the working directory.
    ConfigResult result = loadConfig(path.toStdString(), providerCatalog());
    QVERIFY(!result.config);
    QCOMPARE(result.errors.size(), std::size_t(1));
    QCOMPARE(result.errors[0].path, std::string("prompts.file"));
    QVERIFY2(
        QString::fromStdString(result.errors[0].message).contains("No such file"), result.errors[0].format().c_str());

    QVERIFY(test::writeFile(dir.filePath("configs/prompts/mine.txt"), "a red cube\n"));
    result = loadConfig(path.toStdString(), providerCatalog());
    QVERIFY2(result.config, test::describeErrors(result).constData());
    QCOMPARE(configDir(*result.config), dir.filePath("configs").toStdString());
}

void TestConfig::caFileIsReadRelativeToTheConfig_data()
{
    // The config is configs/run.json in a fresh folder; {dir} is that folder. file/content: what is
    // written there first ("" content: nothing written).
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error"); // "" when accepted
    const QByteArray pem = "-----BEGIN CERTIFICATE-----\nMIIBwDCCAWagAwIBAgIU\n-----END CERTIFICATE-----\n";
    QTest::newRow("a file next to the config is accepted") << "ca.pem"
                                                           << "configs/ca.pem" << pem << "";
    QTest::newRow("a file in a folder beside it is accepted") << "certs/ca.pem"
                                                              << "configs/certs/ca.pem" << pem << "";
    QTest::newRow("an absolute path is taken as it is") << "{dir}/elsewhere.pem"
                                                        << "elsewhere.pem" << pem << "";
    QTest::newRow("relative to the config's folder, not the working directory")
        << "ca.pem"
        << "ca.pem" << pem << "cannot read \"ca.pem\" ({dir}/configs/ca.pem): no such file";
    QTest::newRow("a folder is refused") << "certs"
                                         << "configs/certs/ca.pem" << pem
                                         << "cannot read \"certs\" ({dir}/configs/certs): not a file";
    QTest::newRow("a file without a PEM certificate is refused")
        << "ca.der"
        << "configs/ca.der" << QByteArray("\x30\x82\x01\xc0", 4)
        << "\"ca.der\" ({dir}/configs/ca.der) holds no PEM certificate";
    QTest::newRow("a private key is no certificate")
        << "key.pem"
        << "configs/key.pem" << QByteArray("-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n")
        << "holds no PEM certificate";
}

void TestConfig::caFileIsReadRelativeToTheConfig()
{
    QFETCH(QString, caFile);
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString base = QDir(dir.path()).canonicalPath();
    QVERIFY(QDir(base).mkpath("configs") && QDir(base).mkpath(QFileInfo(base + "/" + file).path()));
    QVERIFY(test::writeFile(base + "/" + file, content.toStdString()));
    json doc = test::specDocument();
    doc["providers"][1]["ca_file"] = QString(caFile).replace("{dir}", base).toStdString();
    const QString path = base + "/configs/run.json";
    QVERIFY(test::writeFile(path, doc.dump(2)));

    const ConfigResult result = loadConfig(path.toStdString(), providerCatalog());
    if (error.isEmpty()) {
        QVERIFY2(result.config, test::describeErrors(result).constData());
        return;
    }
    QVERIFY(!result.config);
    QCOMPARE(result.errors.size(), std::size_t(1));
    QCOMPARE(result.errors[0].path, std::string("providers[1].ca_file"));
    QVERIFY2(QString::fromStdString(result.errors[0].message).contains(QString(error).replace("{dir}", base)),
        result.errors[0].format().c_str());
}

QTEST_APPLESS_MAIN(TestConfig)
#include "tst_config.moc"
