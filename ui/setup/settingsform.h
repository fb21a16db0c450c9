// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "config/providerdescriptor.h"

#include <QMap>
#include <QWidget>

#include <nlohmann/json.hpp>

#include <vector>

class QFormLayout;

namespace t2i::ui {

class SettingField;

// A form over one JSON object of the configuration ("providers[2]", "variants[0]", "prompts",
// "workload"): a SettingField per key, in the order given. It shows the object's values and the
// validator's errors at the keys their paths name; an edit is reported with the key and value.
class SettingsForm : public QWidget {
    Q_OBJECT
public:
    explicit SettingsForm(QWidget* parent = nullptr);

    // Rebuilds the fields. path: the object's JSON path, errors are matched against path.key.
    void setSpecs(const std::vector<SettingSpec>& specs, const QString& path);
    void setValues(const nlohmann::json& object);
    // The errors about path.key (and anything under it) go under that key's field; returns the
    // ones no field took (a rule about the whole object, a key no field shows).
    std::vector<ConfigError> showErrors(const std::vector<ConfigError>& errors);

    SettingField* field(const QString& key) const { return m_fields.value(key); }
    QStringList keys() const;
    QString path() const { return m_path; }

signals:
    void valueEdited(const QString& key, const nlohmann::json& value);

private:
    QFormLayout* m_layout;
    QString m_path;
    QMap<QString, SettingField*> m_fields;
    QStringList m_order;
};

} // namespace t2i::ui
