// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

namespace t2i::ui {

// Line icons drawn from small SVG paths in the palette's text colour, so they stay readable in
// light and dark palettes and sharp on high-DPI screens.
enum class IconKind { Library, Compare, RunDetail, Search, Open, Refresh, Delete, Notes, Export, Live, Study };
QIcon lineIcon(IconKind kind, const QColor& color);

// A run status as a coloured dot: completed green, failed red, running blue, the rest amber/grey.
QColor statusColor(const QString& status);
QIcon statusIcon(const QString& status);

} // namespace t2i::ui
