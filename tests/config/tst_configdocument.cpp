// SPDX-License-Identifier: Apache-2.0
// ConfigDocument (core/config/configdocument.h): what the setup page edits. Every shipped
// configuration survives open and save unchanged, edits touch only what they name, unknown keys
// stay, and validation gives the CLI's errors at the CLI's paths.
#include "configexamples.h"
#include "jsoncompare.h"

#include "config/configdocument.h"
#include "registry/registry.h"

#include <QTest>

using nlohmann::json;
using namespace t2i;

class TestConfigDocument : public QObject {
    Q_OBJECT
private slots:
    void everyShippedConfigRoundTripsEqual_data();
    void everyShippedConfigRoundTripsEqual();
    void aNewDocumentIsCleanAndValidOnceItHasAProvider();
    void editsChangeOnlyTheKeyTheyNameAndMakeTheDocumentDirty();
    void unknownAndExtensionKeysSurviveEdits();
    void addedAndDuplicatedEntriesGetFreeIds();
    void importAppendsProvidersAndVariantsRenamingTakenIds();
    void validationGivesTheCliErrorsAtTheirPaths();
    void errorsAtTakesAPathAndWhatIsUnderIt();
    void textThatIsNotAnObjectIsRefusedAndKeepsTheDocument_data();
    void textThatIsNotAnObjectIsRefusedAndKeepsTheDocument();
    void everyWorkloadTemplateIsAValidWorkload();
};

void TestConfigDocument::everyShippedConfigRoundTripsEqual_data()
{
    QTest::addColumn<QString>("text");
    const auto examples = test::shippedConfigExamples(QStringLiteral(T2I_SOURCE_DIR));
    QVERIFY2(examples.size() >= 4, "the examples and the docs' whole configurations are found");
    for (const auto& example : examples)
        QTest::newRow(qPrintable(example.label)) << QString::fromStdString(example.text);
}

void TestConfigDocument::everyShippedConfigRoundTripsEqual()
{
    QFETCH(QString, text);
    ConfigDocument doc;
    std::string error;
    QVERIFY2(doc.setText(text.toStdString(), &error), error.c_str());
    QVERIFY(!doc.isDirty());
    const json saved = json::parse(doc.text());
    T2I_COMPARE_JSON(saved, json::parse(text.toStdString()));
    // And a second open and save changes nothing either.
    ConfigDocument again;
    QVERIFY(again.setText(doc.text(), &error));
    QCOMPARE(again.text(), doc.text());
}

void TestConfigDocument::aNewDocumentIsCleanAndValidOnceItHasAProvider()
{
    ConfigDocument doc = ConfigDocument::newDocument();
    QVERIFY(!doc.isDirty()); // nothing to lose yet
    QVERIFY(!doc.validate("new.json", providerCatalog()).empty()); // no provider yet
    const int p = doc.addProvider("emulated");
    QVERIFY(doc.isDirty());
    doc.setProviderValue(p, "profile", "steady");
    const auto errors = doc.validate("new.json", providerCatalog());
    QVERIFY2(errors.empty(), errors.empty() ? "" : errors.front().format().c_str());
    doc.markSaved();
    QVERIFY(!doc.isDirty());
}

void TestConfigDocument::editsChangeOnlyTheKeyTheyNameAndMakeTheDocumentDirty()
{
    ConfigDocument doc;
    QVERIFY(doc.setText(R"({"version": 1, "providers": [{"id": "a", "type": "runpod", "endpoint_id": "x",
        "mode": "run"}], "variants": [{"id": "v", "model": "m"}], "workload": {"steps": []}})",
        nullptr));
    json before = doc.document();
    doc.setProviderValue(0, "mode", "runsync");
    QVERIFY(doc.isDirty());
    before["providers"][0]["mode"] = "runsync";
    T2I_COMPARE_JSON(doc.document(), before);
    doc.setProviderValue(0, "mode", nullptr); // back to the adapter's default: the key goes
    before["providers"][0].erase("mode");
    T2I_COMPARE_JSON(doc.document(), before);
    doc.setVariantValue(0, "steps", 20);
    doc.setValue("prompts", "seed_policy", "random");
    doc.setValue("", "budget_usd", 5);
    T2I_COMPARE_JSON(doc.value("prompts", "seed_policy"), json("random"));
    T2I_COMPARE_JSON(doc.value("", "budget_usd"), json(5));
    T2I_COMPARE_JSON(doc.document()["variants"][0]["steps"], json(20));
    // Setting a value back to what was saved makes it clean again.
    ConfigDocument clean;
    QVERIFY(clean.setText(R"({"version": 1, "name": "a"})", nullptr));
    clean.setValue("", "name", "b");
    QVERIFY(clean.isDirty());
    clean.setValue("", "name", "a");
    QVERIFY(!clean.isDirty());
}

void TestConfigDocument::unknownAndExtensionKeysSurviveEdits()
{
    ConfigDocument doc;
    QVERIFY(doc.setText(R"({"version": 1, "x-owner": "team-a", "thresholds": {"p95_ms": 9000},
        "providers": [{"id": "a", "type": "emulated", "profile": "steady", "x-note": "keep", "future_key": [1, 2]}],
        "variants": [{"id": "v", "model": "m", "_comment": "hand written"}], "workload": {"steps": []}})",
        nullptr));
    doc.setProviderValue(0, "profile", "fast-scaling");
    doc.duplicateProvider(0);
    doc.setVariantValue(0, "width", 512);
    const json saved = json::parse(doc.text());
    T2I_COMPARE_JSON(saved["x-owner"], json("team-a"));
    T2I_COMPARE_JSON(saved["thresholds"]["p95_ms"], json(9000));
    T2I_COMPARE_JSON(saved["providers"][0]["x-note"], json("keep"));
    T2I_COMPARE_JSON(saved["providers"][0]["future_key"], json({ 1, 2 }));
    T2I_COMPARE_JSON(saved["providers"][1]["future_key"], json({ 1, 2 }));
    T2I_COMPARE_JSON(saved["variants"][0]["_comment"], json("hand written"));
}

void TestConfigDocument::addedAndDuplicatedEntriesGetFreeIds()
{
    ConfigDocument doc = ConfigDocument::newDocument();
    T2I_COMPARE_JSON(doc.provider(doc.addProvider("runpod"))["id"], json("runpod"));
    T2I_COMPARE_JSON(doc.provider(doc.addProvider("runpod"))["id"], json("runpod-2"));
    const int copy = doc.duplicateProvider(0);
    T2I_COMPARE_JSON(doc.provider(copy)["id"], json("runpod-3"));
    T2I_COMPARE_JSON(doc.provider(copy)["type"], json("runpod"));
    doc.removeProvider(1);
    QCOMPARE(doc.providerCount(), 2);
    T2I_COMPARE_JSON(doc.provider(1)["id"], json("runpod-3"));
    T2I_COMPARE_JSON(doc.variant(doc.duplicateVariant(0))["id"], json("sdxl-fp16-2"));
    T2I_COMPARE_JSON(doc.variant(doc.addVariant())["id"], json("variant"));
    doc.removeVariant(0);
    QCOMPARE(doc.variantCount(), 2);
}

void TestConfigDocument::importAppendsProvidersAndVariantsRenamingTakenIds()
{
    ConfigDocument doc;
    QVERIFY(doc.setText(R"({"version": 1, "providers": [{"id": "steady", "type": "emulated", "profile": "steady"}],
        "variants": [{"id": "v", "model": "m"}], "workload": {"steps": []}})",
        nullptr));
    const json other = json::parse(R"({"version": 1, "name": "other",
        "providers": [{"id": "steady", "type": "emulated", "profile": "fast-scaling"},
                      {"id": "rp", "type": "runpod", "endpoint_id": "e"}],
        "variants": [{"id": "w", "model": "m2"}], "workload": {"steps": [{"kind": "burst", "requests": 3}]}})");
    const auto renamed = doc.importFrom(other);
    QVERIFY(renamed == std::vector<std::string> { "providers: steady -> steady-2" });
    QCOMPARE(doc.providerCount(), 3);
    T2I_COMPARE_JSON(doc.provider(1)["profile"], json("fast-scaling"));
    T2I_COMPARE_JSON(doc.provider(1)["id"], json("steady-2"));
    QCOMPARE(doc.variantCount(), 2);
    T2I_COMPARE_JSON(doc.document()["workload"]["steps"], json::array()); // the workload is this document's own
    QVERIFY(!doc.document().contains("name"));
}

void TestConfigDocument::validationGivesTheCliErrorsAtTheirPaths()
{
    const std::string text = R"({"version": 1, "providers": [{"id": "a", "type": "emulated", "profile": "steady"},
        {"id": "b", "type": "runpod"}], "variants": [{"id": "v", "model": "m", "width": 1020}],
        "workload": {"steps": [{"kind": "closed", "concurrency": 1, "requests": 1}]}})";
    ConfigDocument doc;
    QVERIFY(doc.setText(text, nullptr));
    const auto errors = doc.validate("s.json", providerCatalog());
    const auto cli = parseConfig(text, "s.json", providerCatalog()).errors;
    QCOMPARE(errors.size(), cli.size());
    for (std::size_t i = 0; i < errors.size(); ++i)
        QCOMPARE(errors[i].format(), cli[i].format());
    QCOMPARE(errorsAt(errors, "variants[0].width").size(), std::size_t(1));
    QVERIFY(errorsAt(errors, "variants[0].width").front().message.find("multiple of 8") != std::string::npos);
    QVERIFY(!errorsAt(errors, "providers[1]").empty());
    QVERIFY(errorsAt(errors, "providers[0]").empty());
}

void TestConfigDocument::errorsAtTakesAPathAndWhatIsUnderIt()
{
    const std::vector<ConfigError> errors { { "f", "providers[1].mode", "m" }, { "f", "providers[10].id", "i" },
        { "f", "providers[1]", "whole" }, { "f", "providers[1].pricing.ref", "r" } };
    QCOMPARE(errorsAt(errors, "providers[1]").size(), std::size_t(3));
    QCOMPARE(errorsAt(errors, "providers[1].pricing").size(), std::size_t(1));
    QCOMPARE(errorsExactlyAt(errors, "providers[1]").size(), std::size_t(1));
    QCOMPARE(errorsExactlyAt(errors, "providers[1]").front().message, std::string("whole"));
}

void TestConfigDocument::textThatIsNotAnObjectIsRefusedAndKeepsTheDocument_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("says");
    QTest::newRow("broken JSON names the place") << "{\"version\": 1,\n  \"name\" 3}"
                                                 << "line 2";
    QTest::newRow("an array is not a configuration") << "[1, 2]"
                                                     << "not an object";
}

void TestConfigDocument::textThatIsNotAnObjectIsRefusedAndKeepsTheDocument()
{
    QFETCH(QString, text);
    QFETCH(QString, says);
    ConfigDocument doc;
    QVERIFY(doc.setText(R"({"version": 1})", nullptr));
    std::string error;
    QVERIFY(!doc.setText(text.toStdString(), &error));
    QVERIFY2(QString::fromStdString(error).contains(says), error.c_str());
    T2I_COMPARE_JSON(doc.document(), json::parse(R"({"version": 1})"));
}

void TestConfigDocument::everyWorkloadTemplateIsAValidWorkload()
{
    const auto templates = workloadTemplates();
    QStringList names;
    for (const auto& t : templates)
        names << QString::fromStdString(t.name);
    QCOMPARE(
        names, QStringList({ "burst", "cold-start-probe", "concurrency-sweep", "quick-check", "rate-sweep", "soak" }));
    for (const auto& t : templates) {
        ConfigDocument doc = ConfigDocument::newDocument(t.workload);
        doc.setProviderValue(doc.addProvider("emulated"), "profile", "steady");
        const auto errors = doc.validate(t.name + ".json", providerCatalog());
        QVERIFY2(errors.empty(), errors.empty() ? "" : errors.front().format().c_str());
        QVERIFY2(t.workload.contains("_comment"), "each template says what it is for");
    }
}

QTEST_GUILESS_MAIN(TestConfigDocument)
#include "tst_configdocument.moc"
