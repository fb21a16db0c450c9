// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/configdocument.h"
#include "config/providerdescriptor.h"
#include "setup/keyringwriter.h"

#include <QMessageBox>
#include <QWidget>

#include <functional>

class QAction;
class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTimer;

namespace t2i::ui {

class ProviderForm;
class SettingsForm;

// The dashboard's Setup page (docs/dashboard.md, "Setup"): a configuration file edited as forms.
// Providers of any type in the catalog, each with a form built from its type's descriptor;
// variants, prompts and the workload (from a template, steps as JSON). Every edit is validated
// by the CLI's own validator ~300 ms after typing stops, its messages shown under the field
// their path names. The file keeps every key it had, its unknown ones included, and never a
// secret: a key is stored in the OS keyring from here and the file names the entry.
class SetupPage : public QWidget {
    Q_OBJECT
public:
    explicit SetupPage(const ProviderCatalog& catalog, QWidget* parent = nullptr);
    ~SetupPage() override;

    // File operations; false with *error when the file cannot be read, parsed or written.
    void newDocument();
    bool openFile(const QString& path, QString* error);
    bool save(QString* error); // to the file it came from (false without one: use saveAs)
    bool saveAs(const QString& path, QString* error); // and keep editing that file
    bool exportTo(const QString& path, QString* error) const; // a copy; still editing the same file
    // Appends another file's providers and variants; *renamed lists the ids changed to stay unique.
    bool importFile(const QString& path, QStringList* renamed, QString* error);

    // True when there is nothing unsaved, or the user chose to save (and it worked) or discard.
    bool confirmDiscard();
    // What confirmDiscard() asks (a test's answer in place of the dialog).
    void setUnsavedChangesPrompt(std::function<QMessageBox::StandardButton()> prompt);
    void setKeyringWriter(const KeyringWriter& writer);
    // The t2ibench-cli that "Test connection" runs (default: the one beside this program).
    void setCliPath(const QString& path) { m_cliPath = path; }
    // Runs `t2ibench-cli check FILE --provider ID --json` for providers[index] as a child
    // process; the answer, in words, is shown beside the button and in connectionTested().
    void testConnection(int index);

    const ConfigDocument& document() const { return m_doc; }
    QString filePath() const { return m_path; }
    bool isDirty() const { return m_doc.isDirty(); }

    // Validates now (what the debounce timer does ~300 ms after the last edit).
    void validateNow();
    const std::vector<ConfigError>& errors() const { return m_errors; }

    // Provider and variant editing, as the buttons do it.
    int addProvider(const QString& type);
    void selectProvider(int index);
    void selectVariant(int index);
    void applyWorkloadTemplate(const QString& name);

    QListWidget* providerList() const { return m_providers; }
    QListWidget* variantList() const { return m_variants; }
    QListWidget* problemList() const { return m_problems; }
    ProviderForm* providerForm() const { return m_providerForm; }
    SettingsForm* variantForm() const { return m_variantForm; }
    SettingsForm* promptForm() const { return m_promptForm; }
    SettingsForm* workloadForm() const { return m_workloadForm; }
    SettingsForm* generalForm() const { return m_generalForm; }
    QComboBox* providerTypes() const { return m_types; }
    QComboBox* templatePicker() const { return m_templates; }
    QTabWidget* tabs() const { return m_tabs; }

    QAction* newAction() const { return m_newAction; }
    QAction* openAction() const { return m_openAction; }
    QAction* saveAction() const { return m_saveAction; }
    QAction* saveAsAction() const { return m_saveAsAction; }
    QAction* importAction() const { return m_importAction; }
    QAction* exportAction() const { return m_exportAction; }

signals:
    // The document, its file or its saved state changed: what the launch page shows.
    void documentChanged();
    void validated();
    void connectionTested(const QString& providerId, bool ok, const QString& summary);
    void errorOccurred(const QString& message);
    void message(const QString& text);

private:
    QWidget* buildProvidersTab();
    QWidget* buildVariantsTab();
    QWidget* buildPromptsTab();
    QWidget* buildWorkloadTab();
    void buildActions();
    void reloadAll(); // after open/new/import: every list and form from the document
    void reloadProviders(int select);
    void reloadVariants(int select);
    void edited(); // the document changed: schedule validation, tell the launch page
    void updateTitle();
    QString label() const; // the file name errors are labelled with
    void chooseOpen();
    void chooseSaveAs();
    void chooseImport();
    void chooseExport();

    const ProviderCatalog& m_catalog;
    ConfigDocument m_doc;
    QString m_path;
    std::vector<ConfigError> m_errors;
    QTimer* m_debounce;
    std::function<QMessageBox::StandardButton()> m_prompt;
    QString m_cliPath;
    std::vector<WorkloadTemplate> m_templateList; // read once, when the page is made

    QLabel* m_title;
    QLabel* m_status;
    QTabWidget* m_tabs;
    SettingsForm* m_generalForm;
    QListWidget* m_providers;
    QComboBox* m_types;
    ProviderForm* m_providerForm;
    QListWidget* m_variants;
    SettingsForm* m_variantForm;
    SettingsForm* m_promptForm;
    QComboBox* m_templates;
    SettingsForm* m_workloadForm;
    QListWidget* m_problems;
    QAction* m_newAction;
    QAction* m_openAction;
    QAction* m_saveAction;
    QAction* m_saveAsAction;
    QAction* m_importAction;
    QAction* m_exportAction;
};

} // namespace t2i::ui
