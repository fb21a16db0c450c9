// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "studies/studylauncher.h"

#include <QDialog>

class QComboBox;
class QLineEdit;

namespace t2i::ui {

// "Run Study…": which configuration, which study (every kind this build knows, its question
// as the tooltip), which provider and variant (empty: the configuration's only one), and any
// parameters as KEY=VALUE separated by spaces. The CLI checks them all before anything runs.
class RunStudyDialog : public QDialog {
    Q_OBJECT
public:
    explicit RunStudyDialog(const QString& configPath, QWidget* parent = nullptr);

    StudyRequest request() const;

    QLineEdit* configField() const { return m_config; }
    QComboBox* kindBox() const { return m_kind; }
    QLineEdit* paramsField() const { return m_params; }

private:
    QLineEdit* m_config;
    QComboBox* m_kind;
    QLineEdit* m_provider;
    QLineEdit* m_variant;
    QLineEdit* m_params;
};

} // namespace t2i::ui
