// SPDX-License-Identifier: Apache-2.0
#include "app/sidebar.h"

#include <QApplication>
#include <QEvent>

namespace t2i::ui {

Sidebar::Sidebar(QWidget* parent)
    : QListWidget(parent)
{
    setObjectName(QStringLiteral("sidebar"));
    setIconSize(QSize(20, 20));
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setFocusPolicy(Qt::NoFocus);
    setFixedWidth(fontMetrics().horizontalAdvance(QStringLiteral("Compare runs")) + 72);
    applyStyle();
}

int Sidebar::addPage(const QIcon& icon, const QString& label, const QString& toolTip)
{
    auto* item = new QListWidgetItem(icon, label, this);
    item->setToolTip(toolTip);
    item->setSizeHint(QSize(0, fontMetrics().height() + 20));
    return count() - 1;
}

void Sidebar::setPageEnabled(int page, bool enabled)
{
    if (QListWidgetItem* entry = item(page))
        entry->setFlags(enabled ? entry->flags() | Qt::ItemIsEnabled | Qt::ItemIsSelectable
                                : entry->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
}

void Sidebar::changeEvent(QEvent* event)
{
    QListWidget::changeEvent(event);
    if (event->type() == QEvent::ApplicationPaletteChange)
        applyStyle();
}

void Sidebar::applyStyle()
{
    // A panel a shade off the window colour, with a soft highlight: quiet in light and dark.
    const QPalette p = QApplication::palette(); // not ours: the style sheet below changes ours
    const bool dark = p.color(QPalette::Window).lightness() < 128;
    const QColor panel = dark ? p.color(QPalette::Window).lighter(115) : p.color(QPalette::Window).darker(104);
    QColor selected = p.color(QPalette::Highlight);
    selected.setAlpha(dark ? 90 : 45);
    const QString css = QStringLiteral(
        "QListWidget#sidebar { background: %1; border: none; border-right: 1px solid %2; padding-top: 10px; outline: "
        "0; }"
        "QListWidget#sidebar::item { color: %3; padding: 4px 10px; margin: 1px 8px; border-radius: 6px; }"
        "QListWidget#sidebar::item:hover { background: %4; }"
        "QListWidget#sidebar::item:selected { background: %5; color: %3; }"
        "QListWidget#sidebar::item:disabled { color: %6; }")
                            .arg(panel.name(), p.color(QPalette::Mid).name(), p.color(QPalette::WindowText).name(),
                                panel.darker(dark ? 80 : 106).name(), selected.name(QColor::HexArgb),
                                p.color(QPalette::PlaceholderText).name());
    // A style sheet changes the palette it was made from: set it only when it differs, or
    // each PaletteChange would restyle forever.
    if (css != styleSheet())
        setStyleSheet(css);
}

} // namespace t2i::ui
