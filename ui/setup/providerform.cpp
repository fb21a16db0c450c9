// SPDX-License-Identifier: Apache-2.0
#include "setup/providerform.h"

#include "setup/settingfield.h"
#include "setup/settingsform.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

#include <set>

using nlohmann::json;

namespace t2i::ui {

const ProviderDescriptor* descriptorOf(const ProviderCatalog& catalog, const std::string& type)
{
    for (const ProviderDescriptor* d : catalog)
        if (d->type == type)
            return d;
    return nullptr;
}

std::vector<SettingSpec> providerSettings(const ProviderCatalog& catalog, const ProviderDescriptor* descriptor)
{
    // id and type, then the type's own keys (where its required ones are), then the rest of the
    // keys every provider takes, which most providers leave at their defaults.
    std::vector<SettingSpec> out;
    for (const SettingSpec& spec : commonProviderSettings())
        if (spec.key == "id" || spec.key == "type")
            out.push_back(spec);
    if (descriptor)
        out.insert(out.end(), descriptor->settings.begin(), descriptor->settings.end());
    for (const SettingSpec& spec : commonProviderSettings())
        if (spec.key != "id" && spec.key != "type")
            out.push_back(spec);
    for (SettingSpec& spec : out)
        if (spec.key == "type") {
            spec.allowed.clear();
            for (const ProviderDescriptor* d : catalog)
                spec.allowed.push_back(d->type);
        }
    if (descriptor) {
        for (const SettingSpec& needed : descriptor->requiredCommon)
            for (SettingSpec& spec : out)
                if (spec.key == needed.key) {
                    spec.required = true;
                    if (!needed.help.empty())
                        spec.help = needed.help;
                }
    }
    return out;
}

ProviderForm::ProviderForm(const ProviderCatalog& catalog, QWidget* parent)
    : QWidget(parent)
    , m_catalog(catalog)
    , m_form(new SettingsForm(this))
    , m_key(new QLineEdit(this))
    , m_entry(new QLineEdit(this))
    , m_store(new QPushButton(tr("Store in keyring…"), this))
    , m_keyStatus(new QLabel(this))
    , m_other(new QPlainTextEdit(this))
    , m_test(new QPushButton(tr("Test connection"), this))
    , m_testResult(new QLabel(this))
    , m_summary(new QLabel(this))
{
    auto* layout = new QVBoxLayout(this);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    auto* testRow = new QHBoxLayout;
    m_test->setToolTip(tr("Sends one request (one image, billed like any) as a run would, from the saved file: "
                          "t2ibench-cli check"));
    testRow->addWidget(m_test);
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    testRow->addWidget(m_testResult, 1);
    layout->addLayout(testRow);
    layout->addWidget(m_form);
    connect(m_test, &QPushButton::clicked, this, [this] { emit testRequested(m_index); });

    auto* keyBox = new QGroupBox(tr("API key"), this);
    auto* keyLayout = new QFormLayout(keyBox);
    auto* keyHelp = new QLabel(tr("The key itself never goes in the file. Name the environment variable that holds "
                                  "it (api_key_env above), or type it here to store it in the OS keyring: the file "
                                  "then names the keyring entry (api_key_keyring)."),
        keyBox);
    keyHelp->setWordWrap(true);
    keyLayout->addRow(keyHelp);
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("the API key (stored in the keyring, then cleared)"));
    m_key->setAccessibleName(tr("API key"));
    m_entry->setPlaceholderText(tr("service/account, e.g. t2ibench/runpod"));
    keyLayout->addRow(tr("Key"), m_key);
    keyLayout->addRow(tr("Keyring entry"), m_entry);
    auto* row = new QHBoxLayout;
    row->addWidget(m_store);
    row->addWidget(m_keyStatus, 1);
    m_keyStatus->setWordWrap(true);
    keyLayout->addRow(row);
    layout->addWidget(keyBox);
    connect(m_store, &QPushButton::clicked, this, &ProviderForm::storeKey);
    connect(m_key, &QLineEdit::textChanged, this, &ProviderForm::updateStoreButton);
    connect(m_entry, &QLineEdit::textChanged, this, &ProviderForm::updateStoreButton);

    auto* otherBox = new QGroupBox(tr("Other keys"), this);
    auto* otherLayout = new QVBoxLayout(otherBox);
    auto* otherHelp = new QLabel(tr("Keys of this provider that the form does not show (notes such as x-…, or keys "
                                    "of a newer version): kept as they are when the file is saved."),
        otherBox);
    otherHelp->setWordWrap(true);
    otherLayout->addWidget(otherHelp);
    m_other->setReadOnly(true);
    m_other->setMaximumHeight(100);
    otherLayout->addWidget(m_other);
    layout->addWidget(otherBox);
    layout->addStretch(1);

    connect(m_form, &SettingsForm::valueEdited, this,
        [this](const QString& key, const json& value) { emit valueEdited(m_index, key, value); });
    updateStoreButton();
}

void ProviderForm::setKeyringWriter(const KeyringWriter& writer)
{
    m_writer = writer;
    updateStoreButton();
}

void ProviderForm::updateStoreButton()
{
    const bool usable = m_writer.write && m_writer.unavailableReason.isEmpty();
    m_store->setEnabled(
        usable && !m_key->text().isEmpty() && m_entry->text().contains(QLatin1Char('/')) && m_index >= 0);
    if (!usable)
        m_store->setToolTip(
            m_writer.unavailableReason.isEmpty() ? tr("no OS keyring in this program") : m_writer.unavailableReason);
    else
        m_store->setToolTip(tr("Writes the key to the OS keyring under the entry, and names the entry in the file"));
    m_key->setEnabled(usable);
    if (!usable && m_keyStatus->text().isEmpty())
        m_keyStatus->setText(m_store->toolTip());
}

void ProviderForm::storeKey()
{
    const QString entry = m_entry->text().trimmed();
    const int slash = int(entry.indexOf(QLatin1Char('/')));
    const QString service = entry.left(slash), account = entry.mid(slash + 1);
    QString secret = m_key->text();
    // The key leaves the form at once: nothing on screen or in this object holds it after this.
    m_key->clear();
    m_keyStatus->setText(tr("Storing…"));
    const int index = m_index;
    QPointer<ProviderForm> self(this);
    m_writer.write(service, account, secret, [self, index, entry](const QString& error) {
        if (!self)
            return;
        if (!error.isEmpty()) {
            self->m_keyStatus->setText(error);
            return;
        }
        self->m_keyStatus->setText(tr("Stored in the keyring as %1.").arg(entry));
        // One source of the key: the keyring entry replaces an environment variable's name.
        emit self->valueEdited(index, QStringLiteral("api_key_env"), json());
        emit self->valueEdited(index, QStringLiteral("api_key_keyring"), entry.toStdString());
    });
    secret.fill(QLatin1Char('\0'));
}

void ProviderForm::setTestResult(const QString& text, bool running)
{
    m_testResult->setText(text);
    m_test->setEnabled(!running);
}

void ProviderForm::showProvider(int index, const json& provider)
{
    const std::string type = provider.value("type", std::string());
    const ProviderDescriptor* descriptor = descriptorOf(m_catalog, type);
    if (index != m_index || type != m_type || m_form->keys().isEmpty()) {
        m_form->setSpecs(providerSettings(m_catalog, descriptor), QStringLiteral("providers[%1]").arg(index));
        m_type = type;
    }
    const std::string id = provider.value("id", std::string());
    if (index != m_index || id != m_id) {
        m_key->clear();
        m_keyStatus->clear();
        m_testResult->clear();
        m_entry->setText(QStringLiteral("t2ibench/%1").arg(QString::fromStdString(id)));
        m_id = id;
    }
    m_index = index;
    m_form->setValues(provider);
    m_summary->setText(descriptor ? QStringLiteral("<b>%1</b>: %2")
                                        .arg(QString::fromStdString(descriptor->title).toHtmlEscaped(),
                                            QString::fromStdString(descriptor->summary).toHtmlEscaped())
                                  : tr("Type \"%1\" is not one this build knows.").arg(QString::fromStdString(type)));
    const QStringList shown = m_form->keys();
    json other = json::object();
    for (const auto& [key, value] : provider.items())
        if (!shown.contains(QString::fromStdString(key)))
            other[key] = value;
    m_other->setPlainText(other.empty() ? QString() : QString::fromStdString(other.dump(2)));
    m_other->parentWidget()->setVisible(!other.empty());
    updateStoreButton();
}

std::vector<ConfigError> ProviderForm::showErrors(const std::vector<ConfigError>& errors)
{
    return m_form->showErrors(errors);
}

} // namespace t2i::ui
