// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <optional>

namespace t2i::ui {

// A configuration file's text, or nullopt with *error naming the file and the system's reason.
std::optional<QString> readConfigFile(const QString& path, QString* error);
// Writes atomically (QSaveFile: a temporary file renamed over the old one), so a failed or
// interrupted save leaves the previous file whole. False with *error naming the file and why.
bool writeConfigFile(const QString& path, const QByteArray& text, QString* error);

} // namespace t2i::ui
