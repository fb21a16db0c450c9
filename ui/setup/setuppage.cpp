// SPDX-License-Identifier: Apache-2.0
#include "setup/setuppage.h"

#include "setup/documentspecs.h"
#include "setup/providerform.h"
#include "setup/settingsform.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

using nlohmann::json;

namespace t2i::ui {
namespace {

constexpr int kValidateDelayMs = 300; // after the last keystroke: typing is not interrupted

// The Add / Duplicate / Remove row under a list of providers or variants.
struct ListButtons {
    QPushButton* add;
    QPushButton* duplicate;
    QPushButton* remove;
};
ListButtons listButtons(QWidget* tab, QVBoxLayout* column)
{
    auto* row = new QHBoxLayout;
    const ListButtons buttons { new QPushButton(SetupPage::tr("Add"), tab),
        new QPushButton(SetupPage::tr("Duplicate"), tab), new QPushButton(SetupPage::tr("Remove"), tab) };
    for (QPushButton* button : { buttons.add, buttons.duplicate, buttons.remove })
        row->addWidget(button);
    column->addLayout(row);
    return buttons;
}

QScrollArea* scrolled(QWidget* inner, QWidget* parent)
{
    auto* area = new QScrollArea(parent);
    area->setWidget(inner);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

QString entryText(const json& entry, const char* second)
{
    const QString id = QString::fromStdString(entry.value("id", std::string("(no id)")));
    const std::string extra = entry.value(second, std::string());
    return extra.empty() ? id : QStringLiteral("%1 (%2)").arg(id, QString::fromStdString(extra));
}

} // namespace

SetupPage::SetupPage(const ProviderCatalog& catalog, QWidget* parent)
    : QWidget(parent)
    , m_catalog(catalog)
    , m_debounce(new QTimer(this))
    , m_templateList(t2i::workloadTemplates())
    , m_title(new QLabel(this))
    , m_status(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_generalForm(new SettingsForm(this))
    , m_providers(new QListWidget(this))
    , m_types(new QComboBox(this))
    , m_providerForm(new ProviderForm(catalog, this))
    , m_variants(new QListWidget(this))
    , m_variantForm(new SettingsForm(this))
    , m_promptForm(new SettingsForm(this))
    , m_templates(new QComboBox(this))
    , m_workloadForm(new SettingsForm(this))
    , m_problems(new QListWidget(this))
{
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kValidateDelayMs);
    connect(m_debounce, &QTimer::timeout, this, &SetupPage::validateNow);

    auto* layout = new QVBoxLayout(this);
    auto* header = new QHBoxLayout;
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_title->setFont(big);
    header->addWidget(m_title, 1);
    header->addWidget(m_status);
    layout->addLayout(header);
    m_generalForm->setSpecs(generalSettings(), QString());
    connect(m_generalForm, &SettingsForm::valueEdited, this, [this](const QString& key, const json& value) {
        m_doc.setValue({}, key.toStdString(), value);
        edited();
    });
    layout->addWidget(m_generalForm);
    m_tabs->addTab(buildProvidersTab(), tr("Providers"));
    m_tabs->addTab(buildVariantsTab(), tr("Variants"));
    m_tabs->addTab(buildPromptsTab(), tr("Prompts"));
    m_tabs->addTab(buildWorkloadTab(), tr("Workload"));
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_tabs);
    auto* problems = new QWidget(this);
    auto* problemsLayout = new QVBoxLayout(problems);
    problemsLayout->setContentsMargins(0, 0, 0, 0);
    problemsLayout->addWidget(new QLabel(tr("Problems (what t2ibench-cli would say of this file)"), problems));
    problemsLayout->addWidget(m_problems);
    split->addWidget(problems);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);
    buildActions();
    newDocument();
}

SetupPage::~SetupPage() = default;

QWidget* SetupPage::buildProvidersTab()
{
    auto* tab = new QWidget(this);
    auto* layout = new QHBoxLayout(tab);
    auto* left = new QVBoxLayout;
    left->addWidget(m_providers, 1);
    for (const ProviderDescriptor* d : m_catalog)
        m_types->addItem(
            QStringLiteral("%1 (%2)").arg(QString::fromStdString(d->title), QString::fromStdString(d->type)),
            QString::fromStdString(d->type));
    m_types->setToolTip(tr("The type of provider to add"));
    left->addWidget(m_types);
    const auto [add, duplicate, remove] = listButtons(tab, left);
    layout->addLayout(left, 1);
    layout->addWidget(scrolled(m_providerForm, tab), 3);

    connect(add, &QPushButton::clicked, this, [this] { addProvider(m_types->currentData().toString()); });
    connect(duplicate, &QPushButton::clicked, this, [this] {
        if (m_providers->currentRow() < 0)
            return;
        const int index = m_doc.duplicateProvider(m_providers->currentRow());
        reloadProviders(index);
        edited();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_providers->currentRow();
        if (row < 0)
            return;
        m_doc.removeProvider(row);
        reloadProviders(std::min(row, m_doc.providerCount() - 1));
        edited();
    });
    connect(m_providers, &QListWidget::currentRowChanged, this, &SetupPage::selectProvider);
    connect(m_providerForm, &ProviderForm::testRequested, this, &SetupPage::testConnection);
    connect(m_providerForm, &ProviderForm::valueEdited, this, [this](int index, const QString& key, const json& value) {
        if (index < 0 || index >= m_doc.providerCount())
            return;
        m_doc.setProviderValue(index, key.toStdString(), value);
        if (QListWidgetItem* item = m_providers->item(index))
            item->setText(entryText(m_doc.provider(index), "type"));
        // A new type has other settings; a key stored from the key box changes two fields.
        if (key == QLatin1String("type") || key == QLatin1String("api_key_keyring"))
            m_providerForm->showProvider(index, m_doc.provider(index));
        edited();
    });
    return tab;
}

QWidget* SetupPage::buildVariantsTab()
{
    auto* tab = new QWidget(this);
    auto* layout = new QHBoxLayout(tab);
    auto* left = new QVBoxLayout;
    left->addWidget(m_variants, 1);
    const auto [add, duplicate, remove] = listButtons(tab, left);
    layout->addLayout(left, 1);
    layout->addWidget(scrolled(m_variantForm, tab), 3);
    m_variantForm->setSpecs(variantSettings(), QStringLiteral("variants[0]"));

    connect(add, &QPushButton::clicked, this, [this] {
        reloadVariants(m_doc.addVariant());
        edited();
    });
    connect(duplicate, &QPushButton::clicked, this, [this] {
        if (m_variants->currentRow() >= 0) {
            reloadVariants(m_doc.duplicateVariant(m_variants->currentRow()));
            edited();
        }
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_variants->currentRow();
        if (row >= 0) {
            m_doc.removeVariant(row);
            reloadVariants(std::min(row, m_doc.variantCount() - 1));
            edited();
        }
    });
    connect(m_variants, &QListWidget::currentRowChanged, this, &SetupPage::selectVariant);
    connect(m_variantForm, &SettingsForm::valueEdited, this, [this](const QString& key, const json& value) {
        const int index = m_variants->currentRow();
        if (index < 0)
            return;
        m_doc.setVariantValue(index, key.toStdString(), value);
        if (QListWidgetItem* item = m_variants->item(index))
            item->setText(entryText(m_doc.variant(index), "model"));
        edited();
    });
    return tab;
}

QWidget* SetupPage::buildPromptsTab()
{
    m_promptForm->setSpecs(promptSettings(), QStringLiteral("prompts"));
    connect(m_promptForm, &SettingsForm::valueEdited, this, [this](const QString& key, const json& value) {
        m_doc.setValue("prompts", key.toStdString(), value);
        edited();
    });
    return scrolled(m_promptForm, this);
}

QWidget* SetupPage::buildWorkloadTab()
{
    auto* tab = new QWidget(this);
    auto* layout = new QVBoxLayout(tab);
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Template"), tab));
    for (const WorkloadTemplate& t : m_templateList) {
        m_templates->addItem(QString::fromStdString(t.name), QString::fromStdString(t.name));
        m_templates->setItemData(m_templates->count() - 1,
            QString::fromStdString(t.workload.value("_comment", std::string())), Qt::ToolTipRole);
    }
    row->addWidget(m_templates, 1);
    auto* use = new QPushButton(tr("Use template"), tab);
    use->setToolTip(tr("Replaces the workload below with the template's; edit its steps afterwards"));
    row->addWidget(use);
    layout->addLayout(row);
    m_workloadForm->setSpecs(workloadSettings(), QStringLiteral("workload"));
    layout->addWidget(scrolled(m_workloadForm, tab), 1);
    connect(use, &QPushButton::clicked, this, [this] { applyWorkloadTemplate(m_templates->currentData().toString()); });
    connect(m_workloadForm, &SettingsForm::valueEdited, this, [this](const QString& key, const json& value) {
        m_doc.setValue("workload", key.toStdString(), value);
        edited();
    });
    return tab;
}

void SetupPage::buildActions()
{
    m_newAction = new QAction(tr("&New Configuration"), this);
    m_openAction = new QAction(tr("Open &Configuration…"), this);
    m_saveAction = new QAction(tr("&Save Configuration"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAsAction = new QAction(tr("Save Configuration &As…"), this);
    m_importAction = new QAction(tr("&Import Providers and Variants…"), this);
    m_exportAction = new QAction(tr("E&xport a Copy…"), this);
    connect(m_newAction, &QAction::triggered, this, [this] {
        if (confirmDiscard())
            newDocument();
    });
    connect(m_openAction, &QAction::triggered, this, &SetupPage::chooseOpen);
    connect(m_saveAction, &QAction::triggered, this, [this] {
        QString error;
        if (m_path.isEmpty())
            chooseSaveAs();
        else if (!save(&error))
            emit errorOccurred(error);
    });
    connect(m_saveAsAction, &QAction::triggered, this, &SetupPage::chooseSaveAs);
    connect(m_importAction, &QAction::triggered, this, &SetupPage::chooseImport);
    connect(m_exportAction, &QAction::triggered, this, &SetupPage::chooseExport);
}

void SetupPage::setKeyringWriter(const KeyringWriter& writer)
{
    m_providerForm->setKeyringWriter(writer);
}

void SetupPage::setUnsavedChangesPrompt(std::function<QMessageBox::StandardButton()> prompt)
{
    m_prompt = std::move(prompt);
}

void SetupPage::newDocument()
{
    const auto& templates = m_templateList;
    const auto quick
        = std::find_if(templates.begin(), templates.end(), [](const auto& t) { return t.name == "quick-check"; });
    m_doc = ConfigDocument::newDocument(quick != templates.end() ? quick->workload : json());
    m_path.clear();
    reloadAll();
}

int SetupPage::addProvider(const QString& type)
{
    const int index = m_doc.addProvider(type.toStdString());
    reloadProviders(index);
    m_tabs->setCurrentIndex(0);
    edited();
    return index;
}

void SetupPage::selectProvider(int index)
{
    if (index < 0 || index >= m_doc.providerCount()) {
        m_providerForm->setEnabled(false);
        return;
    }
    m_providerForm->setEnabled(true);
    if (m_providers->currentRow() != index)
        m_providers->setCurrentRow(index);
    m_providerForm->showProvider(index, m_doc.provider(index));
    m_providerForm->showErrors(m_errors);
}

void SetupPage::selectVariant(int index)
{
    if (index < 0 || index >= m_doc.variantCount()) {
        m_variantForm->setEnabled(false);
        return;
    }
    m_variantForm->setEnabled(true);
    if (m_variants->currentRow() != index)
        m_variants->setCurrentRow(index);
    m_variantForm->setSpecs(variantSettings(), QStringLiteral("variants[%1]").arg(index));
    m_variantForm->setValues(m_doc.variant(index));
    m_variantForm->showErrors(m_errors);
}

void SetupPage::applyWorkloadTemplate(const QString& name)
{
    for (const WorkloadTemplate& t : m_templateList)
        if (QString::fromStdString(t.name) == name) {
            m_doc.setValue({}, "workload", t.workload);
            m_workloadForm->setValues(t.workload);
            edited();
            return;
        }
}

void SetupPage::reloadAll()
{
    m_generalForm->setValues(m_doc.document());
    reloadProviders(m_doc.providerCount() > 0 ? 0 : -1);
    reloadVariants(m_doc.variantCount() > 0 ? 0 : -1);
    m_promptForm->setValues(m_doc.document().value("prompts", json::object()));
    m_workloadForm->setValues(m_doc.document().value("workload", json::object()));
    updateTitle();
    validateNow();
    emit documentChanged();
}

void SetupPage::reloadProviders(int select)
{
    const QSignalBlocker block(m_providers);
    m_providers->clear();
    for (int i = 0; i < m_doc.providerCount(); ++i)
        m_providers->addItem(entryText(m_doc.provider(i), "type"));
    m_providers->setCurrentRow(select);
    selectProvider(select);
}

void SetupPage::reloadVariants(int select)
{
    const QSignalBlocker block(m_variants);
    m_variants->clear();
    for (int i = 0; i < m_doc.variantCount(); ++i)
        m_variants->addItem(entryText(m_doc.variant(i), "model"));
    m_variants->setCurrentRow(select);
    selectVariant(select);
}

void SetupPage::edited()
{
    m_debounce->start();
    updateTitle();
    emit documentChanged();
}

QString SetupPage::label() const
{
    return m_path.isEmpty() ? QStringLiteral("untitled.json") : QFileInfo(m_path).fileName();
}

void SetupPage::updateTitle()
{
    m_title->setText(label() + (m_doc.isDirty() ? tr(" (unsaved)") : QString()));
    m_title->setToolTip(QDir::toNativeSeparators(m_path));
}

void SetupPage::validateNow()
{
    m_debounce->stop();
    // The folder relative paths resolve against: the file's, as the CLI would run it.
    const std::string file = m_path.isEmpty() ? label().toStdString() : m_path.toStdString();
    m_errors = m_doc.validate(file, m_catalog);
    m_generalForm->showErrors(m_errors);
    if (m_providers->currentRow() >= 0)
        m_providerForm->showErrors(m_errors);
    if (m_variants->currentRow() >= 0)
        m_variantForm->showErrors(m_errors);
    m_promptForm->showErrors(m_errors);
    m_workloadForm->showErrors(m_errors);
    m_problems->clear();
    for (const ConfigError& error : m_errors)
        m_problems->addItem(
            QString::fromStdString(error.path.empty() ? error.message : error.path + ": " + error.message));
    const auto mark = [this](QListWidget* list, const char* name) {
        for (int i = 0; i < list->count(); ++i) {
            const auto mine = errorsAt(m_errors, std::string(name) + "[" + std::to_string(i) + "]");
            QStringList lines;
            for (const ConfigError& e : mine)
                lines << QString::fromStdString(e.path + ": " + e.message);
            list->item(i)->setToolTip(lines.join(QLatin1Char('\n')));
            list->item(i)->setForeground(mine.empty() ? palette().color(QPalette::Text) : QColor(0xc0, 0x39, 0x2b));
        }
    };
    mark(m_providers, "providers");
    mark(m_variants, "variants");
    m_status->setText(m_errors.empty()
            ? tr("No problems: t2ibench-cli would run this file")
            : tr("%n problem(s): t2ibench-cli would refuse this file", nullptr, int(m_errors.size())));
    emit validated();
}

} // namespace t2i::ui
