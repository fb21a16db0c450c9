// SPDX-License-Identifier: Apache-2.0
#include "chartview.h"

#include "chartstyle.h"
#include "segmentsitem.h"

#include <QAbstractBarSeries>
#include <QApplication>
#include <QBarSet>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QContextMenuEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGuiApplication>
#include <QMenu>
#include <QSpinBox>
#include <QToolTip>
#include <QXYSeries>

#include <cmath>

namespace t2i::ui {

ChartView::ChartView(QWidget* parent)
    : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing, true);
    setRubberBand(QChartView::RectangleRubberBand);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(320, 220);
    setFrameShape(QFrame::NoFrame);
}

void ChartView::showChart(
    std::shared_ptr<const charts::ComparisonData> comparison, charts::ChartKind kind, const ChartOptions& options)
{
    m_data = std::move(comparison);
    m_kind = kind;
    m_options = options;
    rebuild();
}

void ChartView::setOptions(const ChartOptions& options)
{
    m_options = options;
    rebuild();
}

void ChartView::rebuild()
{
    if (!m_data)
        return;
    QChart* old = chart();
    setChart(buildChart(*m_data, m_kind, m_options)); // the view owns the new chart
    delete old;
    connectTooltips();
}

void ChartView::resetZoom()
{
    if (chart())
        chart()->zoomReset();
}

bool ChartView::exportTo(const QString& path, const PngOptions& png, QString* error) const
{
    if (!m_data) {
        if (error)
            *error = QStringLiteral("nothing to export yet");
        return false;
    }
    return exportChart(*m_data, m_kind, m_options, path, png, error);
}

void ChartView::showTooltip(const QString& text)
{
    m_lastTooltip = text;
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(QCursor::pos(), text, this);
}

void ChartView::connectTooltips()
{
    QChart* c = chart();
    const QString xUnit = c->property(style::kXUnit).toString();
    const QString yUnit = c->property(style::kYUnit).toString();
    for (QAbstractSeries* series : c->series()) {
        const QStringList tips = series->property(style::kTooltips).toStringList();
        if (auto* xy = qobject_cast<QXYSeries*>(series)) {
            connect(xy, &QXYSeries::hovered, this, [this, xy, tips, xUnit, yUnit](const QPointF& at, bool on) {
                if (!on)
                    return showTooltip({});
                // The hovered position lies on the line between points: report the nearest point.
                const QList<QPointF> points = xy->points();
                const QPointF pixel = chart()->mapToPosition(at, xy);
                qsizetype nearest = -1;
                double best = 1e300;
                for (qsizetype i = 0; i < points.size(); ++i) {
                    const QPointF p = chart()->mapToPosition(points[i], xy) - pixel;
                    const double d = p.x() * p.x() + p.y() * p.y();
                    if (d < best) {
                        best = d;
                        nearest = i;
                    }
                }
                if (nearest < 0)
                    return;
                if (nearest < tips.size() && !tips[nearest].isEmpty())
                    return showTooltip(tips[nearest]);
                showTooltip(QStringLiteral("<b>%1</b><br>%2 %3, %4 %5")
                                .arg(xy->name().toHtmlEscaped(), style::number(points[nearest].x()), xUnit,
                                    style::number(points[nearest].y()), yUnit));
            });
        } else if (auto* bars = qobject_cast<QAbstractBarSeries*>(series)) {
            for (QBarSet* set : bars->barSets()) {
                const QStringList setTips = set->property(style::kTooltips).toStringList();
                connect(set, &QBarSet::hovered, this, [this, set, setTips](bool on, int index) {
                    if (!on)
                        return showTooltip({});
                    showTooltip(index < setTips.size()
                            ? setTips[index]
                            : QStringLiteral("%1: %2").arg(set->label(), style::number(set->at(index))));
                });
            }
        } else if (auto* boxes = qobject_cast<QBoxPlotSeries*>(series)) {
            connect(boxes, &QBoxPlotSeries::hovered, this, [this, boxes, tips](bool on, QBoxSet* set) {
                if (!on)
                    return showTooltip({});
                const qsizetype i = boxes->boxSets().indexOf(set);
                if (i >= 0 && i < tips.size())
                    showTooltip(tips[i]);
            });
        }
    }
}

void ChartView::wheelEvent(QWheelEvent* event)
{
    if (!chart())
        return;
    const double factor = std::pow(1.0015, event->angleDelta().y());
    // Zoom about the cursor: move it to the centre, zoom, move back.
    const QPointF centre = chart()->plotArea().center();
    const QPointF cursor = chart()->mapFromScene(mapToScene(event->position().toPoint()));
    chart()->scroll(cursor.x() - centre.x(), centre.y() - cursor.y());
    chart()->zoom(factor);
    chart()->scroll(centre.x() - cursor.x(), cursor.y() - centre.y());
    event->accept();
}

void ChartView::mousePressEvent(QMouseEvent* event)
{
    const bool pan = event->button() == Qt::MiddleButton
        || (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
    if (pan) {
        m_panning = true;
        m_lastPan = event->position().toPoint();
        setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void ChartView::mouseMoveEvent(QMouseEvent* event)
{
    if (m_panning) {
        const QPoint delta = event->position().toPoint() - m_lastPan;
        m_lastPan = event->position().toPoint();
        chart()->scroll(-delta.x(), delta.y());
        event->accept();
        return;
    }
    if (chart()) {
        // The timeline is painted by an item, not a series: find the segment under the cursor.
        for (QGraphicsItem* child : chart()->childItems())
            if (auto* segments = dynamic_cast<SegmentsItem*>(child)) {
                const QPointF at = chart()->mapFromScene(mapToScene(event->position().toPoint()));
                if (const charts::TimelineSegment* s = segments->segmentAt(at))
                    showTooltip(QStringLiteral("request %1<br><b>%2</b>: %3 s – %4 s (%5)")
                                    .arg(s->row + 1)
                                    .arg(QString::fromUtf8(charts::stageName(s->stage)), style::number(s->startS, 3),
                                        style::number(s->endS, 3), style::ms((s->endS - s->startS) * 1000)));
                else if (!m_lastTooltip.isEmpty())
                    showTooltip({});
            }
    }
    QChartView::mouseMoveEvent(event);
}

void ChartView::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_panning) {
        m_panning = false;
        unsetCursor();
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

void ChartView::mouseDoubleClickEvent(QMouseEvent* event)
{
    resetZoom();
    event->accept();
}

void ChartView::keyPressEvent(QKeyEvent* event)
{
    if (!chart())
        return QChartView::keyPressEvent(event);
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        chart()->zoomIn();
        break;
    case Qt::Key_Minus:
        chart()->zoomOut();
        break;
    case Qt::Key_Left:
        chart()->scroll(-20, 0);
        break;
    case Qt::Key_Right:
        chart()->scroll(20, 0);
        break;
    case Qt::Key_Up:
        chart()->scroll(0, 20);
        break;
    case Qt::Key_Down:
        chart()->scroll(0, -20);
        break;
    case Qt::Key_Home:
    case Qt::Key_0:
        resetZoom();
        break;
    default:
        return QChartView::keyPressEvent(event);
    }
    event->accept();
}

void ChartView::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    menu.addAction(tr("Reset zoom"), this, &ChartView::resetZoom);
    menu.addSeparator();
    menu.addAction(tr("Export as PNG…"), this, [this] { exportInteractively(QStringLiteral("png")); });
    menu.addAction(tr("Export as SVG…"), this, [this] { exportInteractively(QStringLiteral("svg")); });
    menu.addAction(tr("Export as PDF…"), this, [this] { exportInteractively(QStringLiteral("pdf")); });
    menu.addAction(tr("Export data as CSV…"), this, [this] { exportInteractively(QStringLiteral("csv")); });
    menu.exec(event->globalPos());
}

void ChartView::exportInteractively(const QString& suffix)
{
    const QString base = QString::fromLatin1(charts::chartSlug(m_kind)) + QLatin1Char('.') + suffix;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export chart"), base, QStringLiteral("%1 (*.%2)").arg(suffix.toUpper(), suffix));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + suffix;
    PngOptions png;
    if (suffix == QLatin1String("png")) {
        QDialog dialog(this);
        dialog.setWindowTitle(tr("PNG size"));
        auto* form = new QFormLayout(&dialog);
        auto* width = new QSpinBox(&dialog);
        auto* height = new QSpinBox(&dialog);
        auto* dpi = new QSpinBox(&dialog);
        width->setRange(16, 20000);
        height->setRange(16, 20000);
        dpi->setRange(36, 1200);
        width->setValue(png.pixels.width());
        height->setValue(png.pixels.height());
        dpi->setValue(static_cast<int>(png.dpi));
        width->setSuffix(tr(" px"));
        height->setSuffix(tr(" px"));
        dpi->setSuffix(tr(" dpi"));
        form->addRow(tr("Width"), width);
        form->addRow(tr("Height"), height);
        form->addRow(tr("Resolution"), dpi);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
        connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
        form->addRow(buttons);
        if (dialog.exec() != QDialog::Accepted)
            return;
        png.pixels = QSize(width->value(), height->value());
        png.dpi = dpi->value();
    }
    QString error;
    if (exportTo(path, png, &error))
        emit exported(path);
    else
        emit exportFailed(error);
}

} // namespace t2i::ui
