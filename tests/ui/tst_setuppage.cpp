// SPDX-License-Identifier: Apache-2.0
// The Setup and Launch pages as a user drives them (docs/dashboard.md, "Setup", "Launch"): a
// provider of every type in the catalog created, filled, refused a bad value with the CLI's
// message at the field, saved and read back by the CLI's loader; every shipped configuration
// opened and saved unchanged; an API key stored in a (fake) keyring and never in the file; the
// launch estimate's rows; every item model checked by QAbstractItemModelTester.
#include "../config/configexamples.h"
#include "../config/jsoncompare.h"

#include "config/config.h"
#include "registry/registry.h"
#include "setup/launchpage.h"
#include "setup/providerform.h"
#include "setup/settingfield.h"
#include "setup/settingsform.h"
#include "setup/setuppage.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using nlohmann::json;
using namespace t2i;
using namespace t2i::ui;

namespace {

const QString kSecret = QStringLiteral("sk-t2i-test-secret-0123456789");

// A value a required key of this kind and name takes: what a user would type.
json sampleFor(const SettingSpec& spec)
{
    static const std::map<std::string, json> byKey = { { "profile", "instant" }, { "endpoint_id", "abc123" },
        { "app", "fal-ai/flux/dev" }, { "model", "black-forest-labs/FLUX.1-schnell" }, { "region", "us-east-1" },
        { "endpoint_name", "sdxl-endpoint" }, { "model_id", "abc123" }, { "url", "https://example.test/generate" },
        { "access_key_env", "AWS_ACCESS_KEY_ID" }, { "secret_key_env", "AWS_SECRET_ACCESS_KEY" } };
    if (const auto it = byKey.find(spec.key); it != byKey.end())
        return it->second;
    switch (spec.kind) {
    case SettingKind::Url:
        return "https://example.test/v1";
    case SettingKind::EnvName:
        return "T2I_TEST_KEY";
    case SettingKind::Choice:
        return spec.allowed.empty() ? json("x") : json(spec.allowed.front());
    case SettingKind::Integer:
    case SettingKind::Number:
        return spec.min.value_or(1);
    case SettingKind::Boolean:
        return false;
    case SettingKind::Object:
        return json::object();
    case SettingKind::List:
        return json::array();
    default:
        return "sample";
    }
}

// Sets a field the way a user does: typing, choosing, ticking.
void enter(SettingField* field, const json& value)
{
    QWidget* editor = field->editor();
    if (auto* edit = qobject_cast<QLineEdit*>(editor)) {
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        if (!value.is_null())
            QTest::keyClicks(edit, QString::fromStdString(value.is_string() ? value.get<std::string>() : value.dump()));
    } else if (auto* combo = qobject_cast<QComboBox*>(editor)) {
        const int index = value.is_null() ? 0 : combo->findData(QString::fromStdString(value.get<std::string>()));
        QVERIFY(index >= 0);
        combo->setCurrentIndex(index);
        emit combo->activated(index);
    } else if (auto* spin = qobject_cast<QSpinBox*>(editor)) {
        spin->setValue(value.is_null() ? spin->minimum() : value.get<int>());
    } else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(editor)) {
        dspin->setValue(value.is_null() ? dspin->minimum() : value.get<double>());
    } else if (auto* box = qobject_cast<QCheckBox*>(editor)) {
        box->setCheckState(value.is_null() ? Qt::PartiallyChecked : value.get<bool>() ? Qt::Checked : Qt::Unchecked);
    } else if (auto* text = qobject_cast<QPlainTextEdit*>(editor)) {
        text->setPlainText(value.is_null() ? QString() : QString::fromStdString(value.dump()));
    }
}

// Waits for the debounced validation that follows an edit.
void waitValidated(SetupPage& page)
{
    QSignalSpy validated(&page, &SetupPage::validated);
    QVERIFY(validated.wait(5000));
}

QString errorLines(const std::vector<ConfigError>& errors)
{
    QStringList lines;
    for (const ConfigError& e : errors)
        lines << QString::fromStdString(e.format());
    return lines.join('\n');
}

json readJson(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return nullptr;
    return json::parse(file.readAll().toStdString(), nullptr, false);
}

} // namespace

class TestSetupPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void aProviderOfEachTypeIsCreatedRefusedABadValueAndSaved_data();
    void aProviderOfEachTypeIsCreatedRefusedABadValueAndSaved();
    void anEmulatedProviderSavedHereRunsInTheCli();
    void testConnectionSaysWhatCameBack();
    void everyShippedConfigRoundTripsThroughThePage_data();
    void everyShippedConfigRoundTripsThroughThePage();
    void aKeyStoredInTheKeyringNeverReachesTheFile();
    void withoutAKeyringTheButtonSaysWhy();
    void aSecretInAHandWrittenFileIsNeverSavedAgain();
    void keysTheFormDoesNotKnowAreShownReadOnlyAndKept();
    void unsavedChangesAskBeforeBeingLost();
    void importMergesProvidersAndVariants();
    void aWorkloadTemplateReplacesTheWorkload();
    void listsAndEditsPassTheItemModelTester();
    void theLaunchPageEstimatesEachChosenPair();
    void launchIsBlockedUntilTheFileIsSavedThenAsksForTheChosenRuns();

private:
    QTemporaryDir m_dir;
};

void TestSetupPage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qRegisterMetaType<LaunchRequest>();
}

void TestSetupPage::aProviderOfEachTypeIsCreatedRefusedABadValueAndSaved_data()
{
    QTest::addColumn<QString>("type");
    for (const ProviderDescriptor* d : providerCatalog())
        QTest::newRow(d->type.c_str()) << QString::fromStdString(d->type);
    QVERIFY(providerCatalog().size() >= 10);
}

void TestSetupPage::aProviderOfEachTypeIsCreatedRefusedABadValueAndSaved()
{
    QFETCH(QString, type);
    SetupPage page(providerCatalog());
    page.setKeyringWriter({});
    const int index = page.addProvider(type);
    QCOMPARE(index, 0);
    SettingsForm* form = page.providerForm()->settings();
    QCOMPARE(form->path(), QStringLiteral("providers[0]"));
    QVERIFY(form->field(QStringLiteral("id"))->labelText().endsWith(QLatin1String(" *"))); // required is marked

    // Fill what the form marks required.
    const ProviderDescriptor* descriptor = findProviderDescriptor(type.toStdString());
    QVERIFY(descriptor);
    for (const QString& key : form->keys()) {
        SettingField* field = form->field(key);
        if (field->spec().required && key != QLatin1String("id") && key != QLatin1String("type"))
            enter(field, sampleFor(field->spec()));
    }
    // A type whose rule is "one of several keys" (replicate: model, deployment or version) is
    // told so by the validator at the provider; the form's first such key satisfies it.
    page.validateNow();
    if (!errorsAt(page.errors(), "providers[0]").empty() && form->field(QStringLiteral("model")))
        enter(form->field(QStringLiteral("model")), sampleFor(form->field(QStringLiteral("model"))->spec()));
    page.validateNow();
    QVERIFY2(page.errors().empty(), qPrintable(errorLines(page.errors())));

    // A bad value is refused at its field with the validator's own words.
    SettingField* baseUrl = form->field(QStringLiteral("base_url"));
    QVERIFY(baseUrl);
    enter(baseUrl, "ftp://example.test");
    waitValidated(page);
    const auto expected = errorsExactlyAt(
        validateConfig(page.document().document(), "untitled.json", providerCatalog()).errors, "providers[0].base_url");
    QCOMPARE(expected.size(), std::size_t(1));
    QCOMPARE(baseUrl->errorText(), QString::fromStdString(expected.front().message));
    QVERIFY(!page.problemList()->findItems(QStringLiteral("providers[0].base_url"), Qt::MatchStartsWith).isEmpty());
    // Back to a good value: none, or a sample where the type needs one (openai_compatible).
    enter(baseUrl, baseUrl->spec().required ? sampleFor(baseUrl->spec()) : json());
    waitValidated(page);
    QVERIFY(baseUrl->errorText().isEmpty());
    QVERIFY2(page.errors().empty(), qPrintable(errorLines(page.errors())));

    // Saved, the file is what the CLI reads, clean.
    const QString path = m_dir.filePath(type + QStringLiteral(".json"));
    QString error;
    QVERIFY2(page.saveAs(path, &error), qPrintable(error));
    QVERIFY(!page.isDirty());
    const ConfigResult loaded = loadConfig(path.toStdString(), providerCatalog());
    QVERIFY2(loaded.errors.empty(), qPrintable(errorLines(loaded.errors)));
    QCOMPARE(loaded.config->providers.front().type, type.toStdString());
}

void TestSetupPage::anEmulatedProviderSavedHereRunsInTheCli()
{
    const QString bin = qEnvironmentVariable("T2IBENCH_BIN_DIR");
    if (bin.isEmpty())
        QSKIP("T2IBENCH_BIN_DIR is not set (ctest sets it)");
    SetupPage page(providerCatalog());
    page.addProvider(QStringLiteral("emulated"));
    enter(page.providerForm()->settings()->field(QStringLiteral("profile")), "instant");
    page.applyWorkloadTemplate(QStringLiteral("quick-check"));
    page.validateNow();
    QVERIFY2(page.errors().empty(), qPrintable(errorLines(page.errors())));
    const QString path = m_dir.filePath(QStringLiteral("run-me.json"));
    QString error;
    QVERIFY2(page.saveAs(path, &error), qPrintable(error));
    QProcess cli;
    cli.setProcessChannelMode(QProcess::MergedChannels);
    cli.start(bin + QStringLiteral("/t2ibench-cli"),
        { QStringLiteral("run"), path, QStringLiteral("--db"), m_dir.filePath(QStringLiteral("library.db")) });
    QVERIFY(cli.waitForFinished(180000));
    QVERIFY2(cli.exitCode() == 0, cli.readAll().constData());
}

void TestSetupPage::testConnectionSaysWhatCameBack()
{
    const QString bin = qEnvironmentVariable("T2IBENCH_BIN_DIR");
    if (bin.isEmpty())
        QSKIP("T2IBENCH_BIN_DIR is not set (ctest sets it)");
    SetupPage page(providerCatalog());
    page.setCliPath(bin + QStringLiteral("/t2ibench-cli"));
    page.addProvider(QStringLiteral("emulated"));
    enter(page.providerForm()->settings()->field(QStringLiteral("profile")), "instant");
    // Unsaved: the test reads the file, so it asks for a save first.
    QSignalSpy tested(&page, &SetupPage::connectionTested);
    QTest::mouseClick(page.providerForm()->testButton(), Qt::LeftButton);
    QVERIFY(page.providerForm()->testResult()->text().startsWith(QLatin1String("Save the configuration first")));
    QCOMPARE(tested.count(), 0);
    QString error;
    QVERIFY2(page.saveAs(m_dir.filePath(QStringLiteral("test-connection.json")), &error), qPrintable(error));
    QTest::mouseClick(page.providerForm()->testButton(), Qt::LeftButton);
    QVERIFY(!page.providerForm()->testButton()->isEnabled()); // one test at a time
    QVERIFY(tested.wait(60000));
    QCOMPARE(tested.front().at(0).toString(), QStringLiteral("emulated"));
    QVERIFY2(tested.front().at(1).toBool(), qPrintable(tested.front().at(2).toString()));
    QVERIFY(tested.front().at(2).toString().startsWith(QLatin1String("OK: ")));
    QVERIFY(page.providerForm()->testResult()->text().contains(QLatin1String("workers idle")));
    QVERIFY(page.providerForm()->testButton()->isEnabled());
}

void TestSetupPage::everyShippedConfigRoundTripsThroughThePage_data()
{
    QTest::addColumn<QString>("text");
    const QString source = QDir::cleanPath(qEnvironmentVariable("T2IBENCH_RESOURCES") + QStringLiteral("/.."));
    const auto examples = test::shippedConfigExamples(source);
    QVERIFY(examples.size() >= 4);
    for (const auto& example : examples)
        QTest::newRow(qPrintable(example.label)) << QString::fromStdString(example.text);
}

void TestSetupPage::everyShippedConfigRoundTripsThroughThePage()
{
    QFETCH(QString, text);
    const QString in = m_dir.filePath(QStringLiteral("in.json")), out = m_dir.filePath(QStringLiteral("out.json"));
    {
        QFile file(in);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text.toUtf8());
    }
    SetupPage page(providerCatalog());
    QString error;
    QVERIFY2(page.openFile(in, &error), qPrintable(error));
    QVERIFY(!page.isDirty()); // showing a file changes nothing in it
    // Every provider and variant shown in its form, still nothing changed.
    for (int i = 0; i < page.providerList()->count(); ++i)
        page.selectProvider(i);
    for (int i = 0; i < page.variantList()->count(); ++i)
        page.selectVariant(i);
    QVERIFY(!page.isDirty());
    QVERIFY2(page.saveAs(out, &error), qPrintable(error));
    T2I_COMPARE_JSON(readJson(out), json::parse(text.toStdString()));
}

void TestSetupPage::aKeyStoredInTheKeyringNeverReachesTheFile()
{
    SetupPage page(providerCatalog());
    struct Stored {
        QString service, account, secret;
    };
    std::vector<Stored> keyring;
    page.setKeyringWriter({ [&keyring](const QString& service, const QString& account, const QString& secret,
                                std::function<void(const QString&)> done) {
                               keyring.push_back({ service, account, secret });
                               done({});
                           },
        {} });
    page.addProvider(QStringLiteral("runpod"));
    ProviderForm* form = page.providerForm();
    enter(form->settings()->field(QStringLiteral("endpoint_id")), "abc123");
    enter(form->settings()->field(QStringLiteral("api_key_env")), "RUNPOD_API_KEY");
    QCOMPARE(form->keyEntryField()->text(), QStringLiteral("t2ibench/runpod"));
    QVERIFY(!form->storeKeyButton()->isEnabled()); // nothing typed yet
    QTest::keyClicks(form->keyField(), kSecret);
    QCOMPARE(form->keyField()->echoMode(), QLineEdit::Password);
    QVERIFY(form->storeKeyButton()->isEnabled());
    QTest::mouseClick(form->storeKeyButton(), Qt::LeftButton);

    QCOMPARE(keyring.size(), std::size_t(1));
    QCOMPARE(keyring.front().service, QStringLiteral("t2ibench"));
    QCOMPARE(keyring.front().account, QStringLiteral("runpod"));
    QCOMPARE(keyring.front().secret, kSecret);
    QVERIFY(form->keyField()->text().isEmpty()); // cleared, never shown again
    T2I_COMPARE_JSON(page.document().provider(0)["api_key_keyring"], "t2ibench/runpod");
    QVERIFY(!page.document().provider(0).contains("api_key_env")); // one source of the key
    T2I_COMPARE_JSON(form->settings()->field(QStringLiteral("api_key_keyring"))->value(), json("t2ibench/runpod"));
    QVERIFY(form->keyStatus()->text().contains(QLatin1String("Stored")));

    const QString path = m_dir.filePath(QStringLiteral("keyring.json"));
    QString error;
    QVERIFY2(page.saveAs(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray saved = file.readAll();
    QVERIFY(saved.contains("t2ibench/runpod"));
    QVERIFY(!saved.contains(kSecret.toUtf8()));
    QVERIFY(!QString::fromStdString(page.document().text()).contains(kSecret));
}

void TestSetupPage::withoutAKeyringTheButtonSaysWhy()
{
    SetupPage page(providerCatalog());
    const QString reason = QStringLiteral("this build of t2ibench has no OS keyring support");
    page.setKeyringWriter({ {}, reason });
    page.addProvider(QStringLiteral("runpod"));
    ProviderForm* form = page.providerForm();
    QVERIFY(!form->storeKeyButton()->isEnabled());
    QCOMPARE(form->storeKeyButton()->toolTip(), reason);
    QVERIFY(!form->keyField()->isEnabled());
    QCOMPARE(form->keyStatus()->text(), reason);
}

void TestSetupPage::aSecretInAHandWrittenFileIsNeverSavedAgain()
{
    const QString path = m_dir.filePath(QStringLiteral("secret.json"));
    const QByteArray original = R"({"version": 1, "providers": [{"id": "rp", "type": "runpod", "endpoint_id": "e",
        "headers_note": "x", "api_key": "sk-t2i-test-secret-0123456789"}],
        "variants": [{"id": "v", "model": "m"}], "workload": {"steps": [{"kind": "burst", "requests": 2}]}})";
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(original);
    }
    SetupPage page(providerCatalog());
    QString error;
    QVERIFY2(page.openFile(path, &error), qPrintable(error));
    QVERIFY(!page.providerForm()->otherKeys()->toPlainText().isEmpty());
    // The validator names it at its path, and neither Save, Save As nor Export writes it.
    QVERIFY(!errorsExactlyAt(page.errors(), "providers[0].api_key").empty());
    QVERIFY(!page.save(&error));
    QVERIFY2(error.contains(QLatin1String("providers[0].api_key: must not hold a secret")), qPrintable(error));
    const QString copy = m_dir.filePath(QStringLiteral("secret-copy.json"));
    QVERIFY(!page.saveAs(copy, &error));
    QVERIFY(!page.exportTo(copy, &error));
    QVERIFY(!QFile::exists(copy));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), original); // the file is left as the user wrote it
}

void TestSetupPage::keysTheFormDoesNotKnowAreShownReadOnlyAndKept()
{
    const QString path = m_dir.filePath(QStringLiteral("extra.json"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(R"({"version": 1, "x-owner": "team-a",
          "providers": [{"id": "s", "type": "emulated", "profile": "steady", "x-note": "keep me"}],
          "variants": [{"id": "v", "model": "m"}], "workload": {"steps": [{"kind": "burst", "requests": 2}]}})");
    }
    SetupPage page(providerCatalog());
    QString error;
    QVERIFY2(page.openFile(path, &error), qPrintable(error));
    QPlainTextEdit* other = page.providerForm()->otherKeys();
    QVERIFY(other->isReadOnly());
    QVERIFY(other->toPlainText().contains(QLatin1String("keep me")));
    enter(page.providerForm()->settings()->field(QStringLiteral("profile")), "fast-scaling");
    QVERIFY(page.isDirty());
    QVERIFY2(page.save(&error), qPrintable(error));
    const json saved = readJson(path);
    T2I_COMPARE_JSON(saved["providers"][0]["x-note"], "keep me");
    T2I_COMPARE_JSON(saved["providers"][0]["profile"], "fast-scaling");
    T2I_COMPARE_JSON(saved["x-owner"], "team-a");
}

void TestSetupPage::unsavedChangesAskBeforeBeingLost()
{
    SetupPage page(providerCatalog());
    QString error;
    QVERIFY(page.saveAs(m_dir.filePath(QStringLiteral("ask.json")), &error));
    QVERIFY(page.confirmDiscard()); // nothing unsaved: nothing asked
    int asked = 0;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    page.setUnsavedChangesPrompt([&] {
        ++asked;
        return answer;
    });
    page.addProvider(QStringLiteral("emulated"));
    QVERIFY(page.isDirty());
    QVERIFY(!page.confirmDiscard());
    QCOMPARE(asked, 1);
    QVERIFY(page.isDirty());
    answer = QMessageBox::Save;
    QVERIFY(page.confirmDiscard());
    QVERIFY(!page.isDirty());
    T2I_COMPARE_JSON(readJson(m_dir.filePath(QStringLiteral("ask.json")))["providers"][0]["type"], "emulated");
    page.addProvider(QStringLiteral("runpod"));
    answer = QMessageBox::Discard;
    QVERIFY(page.confirmDiscard());
    QCOMPARE(asked, 3);
}

void TestSetupPage::importMergesProvidersAndVariants()
{
    SetupPage page(providerCatalog());
    page.addProvider(QStringLiteral("emulated"));
    QStringList renamed;
    QString error;
    const QString other = QDir::cleanPath(qEnvironmentVariable("T2IBENCH_RESOURCES") + "/../examples/quickstart.json");
    QVERIFY2(page.importFile(other, &renamed, &error), qPrintable(error));
    const json quickstart = readJson(other);
    QCOMPARE(page.providerList()->count(), 1 + int(quickstart["providers"].size()));
    QCOMPARE(page.variantList()->count(), 1 + int(quickstart["variants"].size()));
    QVERIFY(page.isDirty());
}

void TestSetupPage::aWorkloadTemplateReplacesTheWorkload()
{
    SetupPage page(providerCatalog());
    QVERIFY(page.templatePicker()->count() >= 6);
    page.applyWorkloadTemplate(QStringLiteral("concurrency-sweep"));
    T2I_COMPARE_JSON(page.document().document()["workload"]["steps"][0]["kind"], "closed");
    QVERIFY(page.workloadForm()->field(QStringLiteral("steps"))->value().is_array());
    // Steps edited as JSON text: a bad step is refused at the steps field in the CLI's words.
    enter(page.workloadForm()->field(QStringLiteral("steps")),
        json::parse(R"([{"kind": "constant", "rate": -4, "duration_s": 5}])"));
    waitValidated(page);
    QVERIFY2(
        page.workloadForm()->field(QStringLiteral("steps"))->errorText().contains(QLatin1String("positive number")),
        qPrintable(page.workloadForm()->field(QStringLiteral("steps"))->errorText()));
}

void TestSetupPage::listsAndEditsPassTheItemModelTester()
{
    SetupPage page(providerCatalog());
    LaunchPage launch;
    const auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
    QAbstractItemModelTester providers(page.providerList()->model(), mode);
    QAbstractItemModelTester variants(page.variantList()->model(), mode);
    QAbstractItemModelTester problems(page.problemList()->model(), mode);
    QAbstractItemModelTester launchProviders(launch.providerList()->model(), mode);
    QAbstractItemModelTester launchVariants(launch.variantList()->model(), mode);
    QAbstractItemModelTester table(launch.estimateTable()->model(), mode);
    connect(&page, &SetupPage::documentChanged, &launch,
        [&] { launch.setConfiguration(page.document().document(), page.filePath(), !page.isDirty()); });
    page.addProvider(QStringLiteral("emulated"));
    page.addProvider(QStringLiteral("runpod"));
    page.validateNow();
    QVERIFY(page.problemList()->count() > 0);
    page.selectProvider(1);
    enter(page.providerForm()->settings()->field(QStringLiteral("endpoint_id")), "abc");
    page.selectProvider(0);
    enter(page.providerForm()->settings()->field(QStringLiteral("profile")), "steady");
    page.validateNow();
    QCOMPARE(page.problemList()->count(), 0);
    QSignalSpy estimated(&launch, &LaunchPage::estimated);
    QVERIFY(estimated.wait(10000));
    QCOMPARE(launch.estimateTable()->rowCount(), 2);
    QCOMPARE(page.providerList()->count(), 2);
}

void TestSetupPage::theLaunchPageEstimatesEachChosenPair()
{
    const json document = json::parse(R"({"version": 1,
      "providers": [{"id": "steady", "type": "emulated", "profile": "steady"},
                    {"id": "rp", "type": "runpod", "endpoint_id": "e", "pricing": {"per_second": 0.001}},
                    {"id": "nopr", "type": "runpod", "endpoint_id": "e"}],
      "variants": [{"id": "v1", "model": "m"}, {"id": "v2", "model": "m", "steps": 10}],
      "workload": {"steps": [{"kind": "closed", "concurrency": [1, 2], "requests": 10}]}})");
    LaunchPage launch;
    QSignalSpy estimated(&launch, &LaunchPage::estimated);
    launch.setConfiguration(document, m_dir.filePath(QStringLiteral("estimate.json")), true);
    QVERIFY(estimated.wait(10000));
    QCOMPARE(launch.estimateTable()->rowCount(), 6); // 3 providers x 2 variants
    QCOMPARE(launch.estimateTable()->item(0, 2)->text(), QStringLiteral("20")); // 10 per level, 2 levels
    const QString notes = launch.assumptions()->toPlainText();
    QVERIFY2(notes.contains(QLatin1String("emulator profile steady")), qPrintable(notes));
    QVERIFY2(notes.contains(QLatin1String("a guess")), qPrintable(notes));
    QVERIFY2(notes.contains(QLatin1String("no price for provider \"nopr\"")), qPrintable(notes));
    QCOMPARE(launch.estimateTable()->item(4, 4)->text(), QStringLiteral("unknown"));
    QVERIFY(launch.estimate().totals.unpricedPairs == 2);

    launch.setChecked({ QStringLiteral("steady") }, { QStringLiteral("v2") });
    QVERIFY(estimated.wait(10000));
    QCOMPARE(launch.estimateTable()->rowCount(), 1);
    QVERIFY(launch.estimate().totals.costUsd.has_value()); // the emulator's profile has a price
    QCOMPARE(launch.estimateTable()->item(0, 1)->text(), QStringLiteral("v2"));

    // The file's thresholds are shown as read; a file the validator refuses has no estimate
    // and cannot be launched, and says why.
    json refused = document;
    refused["thresholds"] = { { "p95_ms", 9000 }, { "error_rate", 0.01 } };
    refused["variants"][0]["width"] = 1020;
    launch.setConfiguration(refused, m_dir.filePath(QStringLiteral("estimate.json")), true);
    QVERIFY(estimated.wait(10000));
    QVERIFY(launch.thresholdsLabel()->text().contains(QLatin1String("p95 at most 9000 ms")));
    QVERIFY(launch.thresholdsLabel()->text().contains(QLatin1String("error rate at most 0.01")));
    QCOMPARE(launch.estimateTable()->rowCount(), 0);
    QVERIFY2(launch.launchBlockedReason().startsWith(QLatin1String("The configuration has problems")),
        qPrintable(launch.launchBlockedReason()));
    QVERIFY(!launch.launchButton()->isEnabled());
}

void TestSetupPage::launchIsBlockedUntilTheFileIsSavedThenAsksForTheChosenRuns()
{
    SetupPage page(providerCatalog());
    LaunchPage launch;
    connect(&page, &SetupPage::documentChanged, &launch,
        [&] { launch.setConfiguration(page.document().document(), page.filePath(), !page.isDirty()); });
    page.addProvider(QStringLiteral("emulated"));
    enter(page.providerForm()->settings()->field(QStringLiteral("profile")), "instant");
    QVERIFY(!launch.launchButton()->isEnabled());
    QVERIFY(launch.launchBlockedReason().contains(QLatin1String("Save")));
    const QString path = m_dir.filePath(QStringLiteral("launch.json"));
    QString error;
    QSignalSpy estimated(&launch, &LaunchPage::estimated);
    QVERIFY2(page.saveAs(path, &error), qPrintable(error));
    QVERIFY(estimated.wait(10000));
    QVERIFY2(launch.launchButton()->isEnabled(), qPrintable(launch.launchBlockedReason()));
    QTest::keyClicks(launch.budgetField(), QStringLiteral("2.5"));
    QSignalSpy requested(&launch, &LaunchPage::launchRequested);
    QTest::mouseClick(launch.launchButton(), Qt::LeftButton);
    QCOMPARE(requested.count(), 1);
    const auto request = requested.front().front().value<LaunchRequest>();
    QCOMPARE(request.configPath, QFileInfo(path).absoluteFilePath());
    QCOMPARE(request.providerIds, QStringList { QStringLiteral("emulated") });
    QCOMPARE(request.variantIds, QStringList { QStringLiteral("sdxl-fp16") });
    QCOMPARE(request.budgetUsd.value_or(-1), 2.5);
    // An unsaved edit blocks it again: a run reads the file.
    enter(page.providerForm()->settings()->field(QStringLiteral("profile")), "steady");
    QVERIFY(!launch.launchButton()->isEnabled());
}

QTEST_MAIN(TestSetupPage)
#include "tst_setuppage.moc"
