// SPDX-License-Identifier: Apache-2.0
#include "palette.h"

#include <array>

namespace t2i::ui {
namespace {

// Okabe & Ito (2008), "Color Universal Design". Ordered so the first runs get the most
// separable hues; yellow is darkened on white and black becomes light grey on dark, the two
// places where the original loses contrast.
constexpr std::array<QRgb, 8> kRunsLight { 0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0xA08C00,
    0x000000 };
constexpr std::array<QRgb, 8> kRunsDark { 0x3C9BE0, 0xF07A2A, 0x19C090, 0xE08FC0, 0xF0B020, 0x7CC8F2, 0xF0E442,
    0xDDDDDD };

// Paul Tol, "light" qualitative scheme (personal.sron.nl/~pault), colour-blind safe.
constexpr std::array<QRgb, 8> kStages { 0xDDDDDD, 0xEEDD88, 0xEE8866, 0x77AADD, 0x99DDFF, 0x44BB99, 0xBBBBBB,
    0xCC3311 };
// The network's parts: the Tol "light" hues the stages leave unused (pink, olive, pear), and
// "muted" rose for the transfer.
constexpr std::array<QRgb, 4> kNetwork { 0xFFAABB, 0xAAAA00, 0xBBCC33, 0xCC6677 };
constexpr std::array<QRgb, 6> kCost { 0x77AADD, 0xEE8866, 0xEEDD88, 0xBBCC33, 0x99DDFF, 0xFFAABB };

} // namespace

QColor ChartPalette::run(std::size_t index) const
{
    return QColor::fromRgb(dark ? kRunsDark[index % kRunsDark.size()] : kRunsLight[index % kRunsLight.size()]);
}

QColor ChartPalette::stage(charts::TimelineSegment::Stage stage) const
{
    QColor c = QColor::fromRgb(kStages[static_cast<std::size_t>(stage) % kStages.size()]);
    if (dark && stage == charts::TimelineSegment::ClientLag)
        c = QColor(0x77, 0x77, 0x77);
    return c;
}

QColor ChartPalette::costPart(int part) const
{
    return QColor::fromRgb(kCost[static_cast<std::size_t>(part) % kCost.size()]);
}

QColor ChartPalette::networkPart(NetworkPart part) const
{
    return QColor::fromRgb(kNetwork[static_cast<std::size_t>(part)]);
}

QColor ChartPalette::background() const
{
    return dark ? QColor(0x1E, 0x1F, 0x22) : QColor(Qt::white);
}
QColor ChartPalette::plotBackground() const
{
    return background();
}
QColor ChartPalette::text() const
{
    return dark ? QColor(0xE6, 0xE6, 0xE6) : QColor(0x22, 0x22, 0x22);
}
QColor ChartPalette::mutedText() const
{
    return dark ? QColor(0xA0, 0xA0, 0xA0) : QColor(0x60, 0x60, 0x60);
}
QColor ChartPalette::grid() const
{
    return dark ? QColor(0x3A, 0x3B, 0x40) : QColor(0xE4, 0xE4, 0xE4);
}
QColor ChartPalette::axis() const
{
    return dark ? QColor(0x8A, 0x8A, 0x8A) : QColor(0x70, 0x70, 0x70);
}
QColor ChartPalette::frontLine() const
{
    return dark ? QColor(0xBB, 0xBB, 0xBB) : QColor(0x55, 0x55, 0x55);
}

QFont ChartPalette::titleFont()
{
    QFont f;
    f.setPointSizeF(11);
    f.setBold(true);
    return f;
}

QFont ChartPalette::labelFont()
{
    QFont f;
    f.setPointSizeF(8.5);
    return f;
}

QFont ChartPalette::axisTitleFont()
{
    QFont f;
    f.setPointSizeF(9);
    return f;
}

} // namespace t2i::ui
