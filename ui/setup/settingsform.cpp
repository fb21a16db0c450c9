// SPDX-License-Identifier: Apache-2.0
#include "setup/settingsform.h"

#include "config/configdocument.h"
#include "setup/settingfield.h"

#include <QFormLayout>
#include <QLabel>

using nlohmann::json;

namespace t2i::ui {

SettingsForm::SettingsForm(QWidget* parent)
    : QWidget(parent)
    , m_layout(new QFormLayout(this))
{
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

void SettingsForm::setSpecs(const std::vector<SettingSpec>& specs, const QString& path)
{
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0);
    m_fields.clear();
    m_order.clear();
    m_path = path;
    for (const SettingSpec& spec : specs) {
        const QString key = QString::fromStdString(spec.key);
        auto* field = new SettingField(spec, this);
        auto* label = new QLabel(field->labelText(), this);
        label->setToolTip(QString::fromStdString(spec.help));
        label->setBuddy(field->editor());
        m_layout->addRow(label, field);
        m_fields.insert(key, field);
        m_order << key;
        connect(field, &SettingField::edited, this, [this, key, field] { emit valueEdited(key, field->value()); });
    }
}

QStringList SettingsForm::keys() const
{
    return m_order;
}

void SettingsForm::setValues(const json& object)
{
    for (const QString& key : m_order) {
        const std::string k = key.toStdString();
        m_fields[key]->setValue(object.is_object() && object.contains(k) ? object[k] : json());
    }
}

std::vector<ConfigError> SettingsForm::showErrors(const std::vector<ConfigError>& errors)
{
    std::vector<ConfigError> rest = errorsAt(errors, m_path.toStdString());
    for (const QString& key : m_order) {
        const std::string keyPath
            = m_path.isEmpty() ? key.toStdString() : m_path.toStdString() + "." + key.toStdString();
        QStringList messages;
        for (const ConfigError& error : errorsAt(rest, keyPath))
            messages << QString::fromStdString(error.message);
        m_fields[key]->setErrors(messages);
        std::erase_if(rest, [&keyPath](const ConfigError& e) {
            return e.path == keyPath
                || (e.path.starts_with(keyPath) && (e.path[keyPath.size()] == '.' || e.path[keyPath.size()] == '['));
        });
    }
    return rest;
}

} // namespace t2i::ui
