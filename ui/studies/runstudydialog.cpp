// SPDX-License-Identifier: Apache-2.0
#include "studies/runstudydialog.h"

#include "study/studytypes.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace t2i::ui {

RunStudyDialog::RunStudyDialog(const QString& configPath, QWidget* parent)
    : QDialog(parent)
    , m_config(new QLineEdit(configPath, this))
    , m_kind(new QComboBox(this))
    , m_provider(new QLineEdit(this))
    , m_variant(new QLineEdit(this))
    , m_params(new QLineEdit(this))
{
    setWindowTitle(tr("Run Study"));
    for (const StudyType& type : studyTypes()) {
        m_kind->addItem(
            QStringLiteral("%1 (%2)").arg(QString::fromStdString(type.title), QString::fromStdString(type.kind)),
            QString::fromStdString(type.kind));
        m_kind->setItemData(m_kind->count() - 1, QString::fromStdString(type.summary), Qt::ToolTipRole);
    }
    m_provider->setPlaceholderText(tr("the configuration's only provider"));
    m_variant->setPlaceholderText(tr("the configuration's only variant"));
    m_params->setPlaceholderText(tr("KEY=VALUE KEY=VALUE … (docs/studies.md lists each study's)"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Configuration"),
            QFileInfo(m_config->text()).absolutePath(), tr("Configurations (*.json);;All files (*)"));
        if (!path.isEmpty())
            m_config->setText(path);
    });
    auto* configRow = new QHBoxLayout;
    configRow->addWidget(m_config, 1);
    configRow->addWidget(browse);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Run"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto updateOk = [this, buttons] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_config->text().trimmed().isEmpty() && m_kind->count() > 0);
    };
    connect(m_config, &QLineEdit::textChanged, this, updateOk);
    updateOk();
    auto* form = new QFormLayout(this);
    form->addRow(tr("Configuration"), configRow);
    form->addRow(tr("Study"), m_kind);
    form->addRow(tr("Provider"), m_provider);
    form->addRow(tr("Variant"), m_variant);
    form->addRow(tr("Parameters"), m_params);
    form->addRow(buttons);
    resize(620, sizeHint().height());
}

StudyRequest RunStudyDialog::request() const
{
    StudyRequest request;
    request.configPath = m_config->text().trimmed();
    request.kind = m_kind->currentData().toString();
    request.provider = m_provider->text().trimmed();
    request.variant = m_variant->text().trimmed();
    request.params = m_params->text().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return request;
}

} // namespace t2i::ui
