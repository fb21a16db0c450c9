// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "config/providerdescriptor.h"
#include "setup/keyringwriter.h"

#include <QWidget>

#include <nlohmann/json.hpp>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace t2i::ui {

class SettingsForm;

// The form of one provider: the keys every provider takes, then its type's own (from the
// type's descriptor), the API key (an environment variable's name, or a key stored in the OS
// keyring from here), and the keys of a hand-written file that neither lists, read-only.
class ProviderForm : public QWidget {
    Q_OBJECT
public:
    ProviderForm(const ProviderCatalog& catalog, QWidget* parent = nullptr);

    // Shows providers[index] of the document; rebuilds the fields when the type changed.
    void showProvider(int index, const nlohmann::json& provider);
    std::vector<ConfigError> showErrors(const std::vector<ConfigError>& errors);
    void setKeyringWriter(const KeyringWriter& writer);

    SettingsForm* settings() const { return m_form; }
    QLineEdit* keyField() const { return m_key; }
    QLineEdit* keyEntryField() const { return m_entry; }
    QPushButton* storeKeyButton() const { return m_store; }
    QLabel* keyStatus() const { return m_keyStatus; }
    QPlainTextEdit* otherKeys() const { return m_other; }
    QPushButton* testButton() const { return m_test; }
    QLabel* testResult() const { return m_testResult; }
    void setTestResult(const QString& text, bool running = false);
    int index() const { return m_index; }

signals:
    void valueEdited(int index, const QString& key, const nlohmann::json& value);
    void testRequested(int index); // "Test connection"

private:
    void storeKey();
    void updateStoreButton();

    const ProviderCatalog& m_catalog;
    SettingsForm* m_form;
    QLineEdit* m_key; // the secret: typed, handed to the keyring, cleared; never read back
    QLineEdit* m_entry; // service/account
    QPushButton* m_store;
    QLabel* m_keyStatus;
    QPlainTextEdit* m_other;
    QPushButton* m_test;
    QLabel* m_testResult;
    QLabel* m_summary;
    KeyringWriter m_writer;
    int m_index = -1;
    std::string m_type;
    std::string m_id;
};

// The settings a provider of this type is edited with: the common keys (type a choice of the
// catalog's types), marked required where the type needs them, then the type's own.
std::vector<SettingSpec> providerSettings(const ProviderCatalog& catalog, const ProviderDescriptor* descriptor);
const ProviderDescriptor* descriptorOf(const ProviderCatalog& catalog, const std::string& type);

} // namespace t2i::ui
