// SPDX-License-Identifier: Apache-2.0
#include "library/runnotesdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace t2i::ui {

RunNotesDialog::RunNotesDialog(const QString& runName, const QString& tags, const QString& notes, QWidget* parent)
    : QDialog(parent)
    , m_tags(new QLineEdit(tags, this))
    , m_notes(new QPlainTextEdit(notes, this))
{
    setWindowTitle(tr("Tags and notes"));
    auto* title = new QLabel(runName, this);
    title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    m_tags->setPlaceholderText(tr("baseline, fp16, after-upgrade"));
    m_tags->setClearButtonEnabled(true);
    m_notes->setPlaceholderText(tr("What was special about this run"));
    auto* form = new QFormLayout;
    form->addRow(tr("Tags:"), m_tags);
    form->addRow(tr("Notes:"), m_notes);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(460, 300);
}

QString RunNotesDialog::tags() const
{
    QStringList tags;
    for (const QString& tag : m_tags->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (const QString trimmed = tag.trimmed(); !trimmed.isEmpty())
            tags.append(trimmed);
    return tags.join(QStringLiteral(", "));
}

QString RunNotesDialog::notes() const
{
    return m_notes->toPlainText().trimmed();
}

} // namespace t2i::ui
