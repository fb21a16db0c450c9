// SPDX-License-Identifier: Apache-2.0
#include "common/icons.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

namespace t2i::ui {
namespace {

// 24x24 stroke drawings; "currentColor" is replaced by the wanted colour.
QByteArray shapes(IconKind kind)
{
    switch (kind) {
    case IconKind::Library:
        return "<rect x='3' y='4' width='18' height='16' rx='2'/><path d='M3 9.5h18M3 15h18M9 4v16'/>";
    case IconKind::Compare:
        return "<path d='M3.5 20.5h17'/><rect x='5' y='11' width='3.2' height='9.5'/>"
               "<rect x='10.4' y='5' width='3.2' height='15.5'/><rect x='15.8' y='13.5' width='3.2' height='7'/>";
    case IconKind::RunDetail:
        return "<path d='M6 3h8.5L19 7.5V21H6z'/><path d='M14 3v5h5M9 12.5h7M9 16.5h7'/>";
    case IconKind::Search:
        return "<circle cx='10.5' cy='10.5' r='6'/><path d='M15 15l5.5 5.5'/>";
    case IconKind::Open:
        return "<path d='M3 6.5h6l2 2h10V19H3z'/>";
    case IconKind::Refresh:
        return "<path d='M19.5 12a7.5 7.5 0 1 1-2.2-5.3'/><path d='M19.5 4v4.5H15'/>";
    case IconKind::Delete:
        return "<path d='M4.5 7h15M9.5 7V4.5h5V7M7 7l1 13.5h8L17 7M10.5 11v6M13.5 11v6'/>";
    case IconKind::Notes:
        return "<path d='M3.5 12.5V4h8.5l9 9-8.5 8.5z'/><circle cx='8' cy='8.5' r='1.3'/>";
    case IconKind::Export:
        return "<path d='M12 15V3.5M7.5 8 12 3.5 16.5 8M5 13.5V20h14v-6.5'/>";
    case IconKind::Live: // a pulse: a run as it happens
        return "<path d='M2.5 12.5h4l2.5-6 4 12 3-8.5 1.5 2.5h4'/>";
    case IconKind::Study: // a flask: an experiment
        return "<path d='M9.5 3.5h5M10.5 3.5v6L5 19.5h14L13.5 9.5v-6M7.5 15h9'/>";
    }
    return {};
}

QPixmap render(const QByteArray& svg, int size, qreal dpr)
{
    QPixmap pixmap(QSize(size, size) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QSvgRenderer renderer(svg);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter, QRectF(0, 0, size, size));
    return pixmap;
}

} // namespace

QIcon lineIcon(IconKind kind, const QColor& color)
{
    const QByteArray svg = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='"
        + color.name().toLatin1() + "' stroke-width='1.6' stroke-linecap='round' stroke-linejoin='round'>"
        + shapes(kind) + "</svg>";
    QIcon icon;
    for (int size : { 16, 20, 24, 32 })
        for (qreal dpr : { 1.0, 2.0 })
            icon.addPixmap(render(svg, size, dpr));
    return icon;
}

QColor statusColor(const QString& status)
{
    if (status == QLatin1String("completed"))
        return QColor(0x3a, 0x9a, 0x5b);
    if (status == QLatin1String("failed"))
        return QColor(0xc9, 0x4a, 0x4a);
    if (status == QLatin1String("running"))
        return QColor(0x3a, 0x7b, 0xd5);
    // Ended before its workload did: cancelled, interrupted, or stopped by its budget.
    if (status == QLatin1String("cancelled") || status == QLatin1String("interrupted")
        || status == QLatin1String("stopped"))
        return QColor(0xc9, 0x93, 0x2e);
    return QColor(0x8a, 0x8f, 0x98);
}

QIcon statusIcon(const QString& status)
{
    static QHash<QString, QIcon> cache;
    const auto it = cache.constFind(status);
    if (it != cache.constEnd())
        return *it;
    QIcon icon;
    for (qreal dpr : { 1.0, 2.0 }) {
        QPixmap pixmap(QSize(16, 16) * dpr);
        pixmap.setDevicePixelRatio(dpr);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(statusColor(status));
        painter.drawEllipse(QRectF(4.5, 4.5, 7, 7));
        icon.addPixmap(pixmap);
    }
    cache.insert(status, icon);
    return icon;
}

} // namespace t2i::ui
