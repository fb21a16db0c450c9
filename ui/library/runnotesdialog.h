// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>

class QLineEdit;
class QPlainTextEdit;

namespace t2i::ui {

// Edits the free-form labels an analyst attaches to one run after the fact.
class RunNotesDialog : public QDialog {
    Q_OBJECT
public:
    RunNotesDialog(const QString& runName, const QString& tags, const QString& notes, QWidget* parent = nullptr);
    QString tags() const; // normalised: "a, b, c", empty entries dropped
    QString notes() const;

private:
    QLineEdit* m_tags;
    QPlainTextEdit* m_notes;
};

} // namespace t2i::ui
