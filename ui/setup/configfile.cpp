// SPDX-License-Identifier: Apache-2.0
#include "setup/configfile.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

namespace t2i::ui {

std::optional<QString> readConfigFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QObject::tr("%1: cannot read the configuration: %2")
                     .arg(QDir::toNativeSeparators(path), file.errorString());
        return std::nullopt;
    }
    return QString::fromUtf8(file.readAll());
}

bool writeConfigFile(const QString& path, const QByteArray& text, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        *error = QObject::tr("%1: cannot save the configuration: %2")
                     .arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    return true;
}

} // namespace t2i::ui
