// SPDX-License-Identifier: Apache-2.0
#include "setup/settingfield.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

using nlohmann::json;

namespace t2i::ui {
namespace {

bool isTextKind(SettingKind kind)
{
    return kind == SettingKind::String || kind == SettingKind::Url || kind == SettingKind::EnvName
        || kind == SettingKind::Path;
}

QString defaultText(const SettingSpec& spec)
{
    if (spec.defaultValue.is_null())
        return QObject::tr("(default)");
    const json& d = spec.defaultValue;
    return QObject::tr("(default: %1)").arg(QString::fromStdString(d.is_string() ? d.get<std::string>() : d.dump()));
}

// A spin box's "not set" position sits one step below the smallest value allowed.
constexpr double kUnbounded = 1e12;

} // namespace

SettingField::SettingField(const SettingSpec& spec, QWidget* parent)
    : QWidget(parent)
    , m_spec(spec)
    , m_errors(new QLabel(this))
{
    build();
}

QString SettingField::labelText() const
{
    return QString::fromStdString(m_spec.key) + (m_spec.required ? QStringLiteral(" *") : QString());
}

void SettingField::build()
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    const QString help = QString::fromStdString(m_spec.help);
    const SettingKind kind = m_raw ? SettingKind::String : m_spec.kind;
    if (isTextKind(kind)) {
        auto* edit = new QLineEdit(this);
        edit->setPlaceholderText(m_spec.required ? tr("required") : defaultText(m_spec));
        connect(edit, &QLineEdit::textEdited, this, &SettingField::edited);
        m_editor = edit;
    } else if (kind == SettingKind::Integer) {
        auto* spin = new QSpinBox(this);
        const double lo = m_spec.min.value_or(-kUnbounded), hi = m_spec.max.value_or(kUnbounded);
        const int low = int(std::max(lo, double(std::numeric_limits<int>::min() + 1)));
        spin->setRange(m_spec.required ? low : low - 1, int(std::min(hi, double(std::numeric_limits<int>::max()))));
        if (!m_spec.required)
            spin->setSpecialValueText(defaultText(m_spec));
        connect(spin, &QSpinBox::valueChanged, this, &SettingField::edited);
        m_editor = spin;
    } else if (kind == SettingKind::Number) {
        auto* spin = new QDoubleSpinBox(this);
        spin->setDecimals(3);
        const double lo = m_spec.min.value_or(-kUnbounded), hi = m_spec.max.value_or(kUnbounded);
        spin->setRange(m_spec.required ? lo : lo - spin->singleStep(), hi);
        if (!m_spec.required)
            spin->setSpecialValueText(defaultText(m_spec));
        connect(spin, &QDoubleSpinBox::valueChanged, this, &SettingField::edited);
        m_editor = spin;
    } else if (kind == SettingKind::Boolean) {
        auto* box
            = new QCheckBox(m_spec.required ? QString() : tr("partly checked: %1").arg(defaultText(m_spec)), this);
        box->setTristate(!m_spec.required);
        connect(box, &QCheckBox::stateChanged, this, &SettingField::edited);
        m_editor = box;
    } else if (kind == SettingKind::Choice) {
        auto* combo = new QComboBox(this);
        if (!m_spec.required)
            combo->addItem(defaultText(m_spec), QVariant());
        for (const std::string& allowed : m_spec.allowed)
            combo->addItem(QString::fromStdString(allowed), QString::fromStdString(allowed));
        connect(combo, &QComboBox::activated, this, &SettingField::edited);
        m_editor = combo;
    } else {
        auto* text = new QPlainTextEdit(this);
        text->setPlaceholderText(
            kind == SettingKind::List ? tr("a JSON list, e.g. [1, 2]") : tr("a JSON object, e.g. {}"));
        text->setTabChangesFocus(true);
        text->setMaximumHeight(90);
        // setValue() blocks the editor's signals: only what the user typed counts.
        connect(text, &QPlainTextEdit::textChanged, this, &SettingField::edited);
        m_editor = text;
    }
    m_editor->setToolTip(help);
    m_editor->setAccessibleName(QString::fromStdString(m_spec.key));
    layout->addWidget(m_editor);
    if (!help.isEmpty()) {
        auto* caption = new QLabel(help, this);
        caption->setWordWrap(true);
        caption->setEnabled(false); // the palette's muted text
        layout->addWidget(caption);
    }
    m_errors->setWordWrap(true);
    m_errors->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_errors->setVisible(false);
    layout->addWidget(m_errors);
}

json SettingField::value() const
{
    const SettingKind kind = m_raw ? SettingKind::String : m_spec.kind;
    if (auto* edit = qobject_cast<QLineEdit*>(m_editor)) {
        const QString text = edit->text();
        if (text.isEmpty())
            return nullptr;
        if (m_raw) {
            const json parsed = json::parse(text.toStdString(), nullptr, false);
            return parsed.is_discarded() ? json(text.toStdString()) : parsed;
        }
        return text.toStdString();
    }
    if (auto* spin = qobject_cast<QSpinBox*>(m_editor))
        return !m_spec.required && spin->value() == spin->minimum() ? json() : json(spin->value());
    if (auto* spin = qobject_cast<QDoubleSpinBox*>(m_editor))
        return !m_spec.required && spin->value() == spin->minimum() ? json() : json(spin->value());
    if (auto* box = qobject_cast<QCheckBox*>(m_editor))
        return box->checkState() == Qt::PartiallyChecked ? json() : json(box->checkState() == Qt::Checked);
    if (auto* combo = qobject_cast<QComboBox*>(m_editor)) {
        const QVariant chosen = combo->currentData();
        return chosen.isValid() ? json(chosen.toString().toStdString()) : json();
    }
    (void)kind;
    const auto* text = static_cast<QPlainTextEdit*>(m_editor);
    const std::string body = text->toPlainText().trimmed().toStdString();
    if (body.empty())
        return nullptr;
    const json parsed = json::parse(body, nullptr, false);
    return parsed.is_discarded() ? json() : parsed;
}

void SettingField::setValue(const json& value)
{
    const SettingKind kind = m_spec.kind;
    bool fits = value.is_null();
    if (!fits) {
        if (isTextKind(kind) || kind == SettingKind::Choice)
            fits = value.is_string()
                && (kind != SettingKind::Choice
                    || std::find(m_spec.allowed.begin(), m_spec.allowed.end(), value.get<std::string>())
                        != m_spec.allowed.end());
        else if (kind == SettingKind::Integer)
            fits = value.is_number() && std::floor(value.get<double>()) == value.get<double>()
                && (!m_spec.min || value.get<double>() >= *m_spec.min)
                && (!m_spec.max || value.get<double>() <= *m_spec.max);
        else if (kind == SettingKind::Number)
            fits = value.is_number() && (!m_spec.min || value.get<double>() >= *m_spec.min)
                && (!m_spec.max || value.get<double>() <= *m_spec.max);
        else if (kind == SettingKind::Boolean)
            fits = value.is_boolean();
        else
            fits = true; // JSON text shows anything
    }
    // A hand-written value the editor cannot hold is shown as it is, as JSON text, so that
    // opening a file never changes it; the validator's message says what is wrong with it.
    if (fits == m_raw) {
        m_raw = !fits;
        delete m_editor;
        m_editor = nullptr;
        delete layout();
        for (QWidget* child : findChildren<QWidget*>(Qt::FindDirectChildrenOnly))
            if (child != m_errors)
                delete child;
        build();
    }
    const QSignalBlocker block(this);
    const QSignalBlocker blockEditor(m_editor);
    m_parseError.clear();
    if (auto* edit = qobject_cast<QLineEdit*>(m_editor))
        edit->setText(value.is_null()         ? QString()
                : value.is_string() && !m_raw ? QString::fromStdString(value.get<std::string>())
                                              : QString::fromStdString(value.dump()));
    else if (auto* spin = qobject_cast<QSpinBox*>(m_editor))
        spin->setValue(value.is_null() ? spin->minimum() : int(value.get<double>()));
    else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(m_editor))
        dspin->setValue(value.is_null() ? dspin->minimum() : value.get<double>());
    else if (auto* box = qobject_cast<QCheckBox*>(m_editor))
        box->setCheckState(value.is_null() ? Qt::PartiallyChecked : value.get<bool>() ? Qt::Checked : Qt::Unchecked);
    else if (auto* combo = qobject_cast<QComboBox*>(m_editor))
        combo->setCurrentIndex(value.is_null() ? 0 : combo->findData(QString::fromStdString(value.get<std::string>())));
    else if (auto* text = qobject_cast<QPlainTextEdit*>(m_editor))
        text->setPlainText(value.is_null() ? QString() : QString::fromStdString(value.dump(2)));
    showMessages();
}

void SettingField::setErrors(const QStringList& messages)
{
    m_messages = messages;
    // JSON text that does not parse says so, beside what the validator says of the file's value.
    m_parseError.clear();
    if (auto* text = qobject_cast<QPlainTextEdit*>(m_editor)) {
        const std::string body = text->toPlainText().trimmed().toStdString();
        if (!body.empty() && json::parse(body, nullptr, false).is_discarded()) {
            try {
                const json unused = json::parse(body);
                (void)unused;
            } catch (const json::parse_error& e) {
                m_parseError = tr("not valid JSON: %1").arg(QString::fromUtf8(e.what()));
            }
        }
    }
    showMessages();
}

QString SettingField::errorText() const
{
    QStringList all = m_messages;
    if (!m_parseError.isEmpty())
        all.prepend(m_parseError);
    return all.join(QLatin1Char('\n'));
}

void SettingField::showMessages()
{
    const QString text = errorText();
    m_errors->setText(text);
    m_errors->setVisible(!text.isEmpty());
}

} // namespace t2i::ui
