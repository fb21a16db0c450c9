// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/providerdescriptor.h"

#include <QWidget>

#include <nlohmann/json.hpp>

class QLabel;

namespace t2i::ui {

// One key of a configuration object as a form row's editor, chosen by its SettingKind: a line
// edit (strings, URLs, variable names, paths), a spin box within min..max (numbers), a combo box
// of the allowed values, a tri-state check box (true / false / the default), or JSON text
// (objects, lists). An optional key left empty is removed from the file, so the adapter's own
// default applies; the editor says what that default is. Below it, the validator's messages.
class SettingField : public QWidget {
    Q_OBJECT
public:
    explicit SettingField(const SettingSpec& spec, QWidget* parent = nullptr);

    const SettingSpec& spec() const { return m_spec; }
    // The value as the file will hold it; null: the key is left out. JSON text that does not
    // parse is null too, and the field says why (parseError()).
    nlohmann::json value() const;
    // Shows a value from the file without emitting edited(). A value the editor cannot show
    // (a string where a number belongs) is shown as JSON text in the line edit it falls back to.
    void setValue(const nlohmann::json& value);

    void setErrors(const QStringList& messages);
    QString errorText() const; // what is shown under the field: the validator's or the JSON parser's words
    QString parseError() const { return m_parseError; }
    QWidget* editor() const { return m_editor; }
    // The label text for the form: the key, with " *" when it is required.
    QString labelText() const;

signals:
    void edited(); // the user changed the value

private:
    void build();
    void showMessages();

    SettingSpec m_spec;
    QWidget* m_editor = nullptr;
    QLabel* m_errors;
    QStringList m_messages;
    QString m_parseError;
    bool m_raw = false; // a value of the wrong kind: shown and edited as JSON text
};

} // namespace t2i::ui
