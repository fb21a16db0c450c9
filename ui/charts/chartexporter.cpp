// SPDX-License-Identifier: Apache-2.0
// PNG, SVG, PDF and CSV of a chart. Each export lays out a new chart at the asked
// size in a scene of its own, so it looks the same whatever the window's size.
#include "chartexporter.h"

#include "segmentsitem.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <memory>

namespace t2i::ui {
namespace {

constexpr int kMaxVectorRows = 1000;

void thinForVector(QChart* chart)
{
    // About 130 bytes per drawn element in SVG (measured with Qt 6.4): cap the timeline's rows.
    for (QGraphicsItem* child : chart->childItems())
        if (auto* segments = dynamic_cast<SegmentsItem*>(child)) {
            std::uint32_t rows = 0;
            for (const charts::TimelineSegment& s : segments->segments())
                rows = std::max(rows, s.row + 1);
            segments->setRowStride(static_cast<int>((rows + kMaxVectorRows - 1) / kMaxVectorRows));
        }
}

bool fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

void renderChart(QChart* chart, QPainter* painter, const QRectF& target, const QSizeF& logical, bool vector)
{
    QGraphicsScene scene;
    scene.addItem(chart); // the scene deletes the chart with itself
    chart->setGeometry(QRectF(QPointF(0, 0), logical));
    // Lay out now rather than on the next event loop turn: axes, legend and plot area must be
    // placed before the first paint, and an export may run with no event loop at all.
    if (chart->layout())
        chart->layout()->activate();
    if (vector)
        thinForVector(chart);
    scene.setSceneRect(QRectF(QPointF(0, 0), logical));
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setRenderHint(QPainter::TextAntialiasing, true);
    scene.render(painter, target, QRectF(QPointF(0, 0), logical));
    painter->restore();
}

QByteArray renderPng(const ChartFactory& make, const PngOptions& options)
{
    const double scale = options.dpi / 96.0;
    const QSizeF logical(options.pixels.width() / scale, options.pixels.height() / scale);
    QImage image(options.pixels, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        renderChart(make(), &painter, QRectF(QPointF(0, 0), logical), logical, false);
    }
    // Only now: the resolution is the file's print size, not a scale for painting fonts.
    const int dotsPerMeter = static_cast<int>(options.dpi / 0.0254 + 0.5);
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

bool exportPng(const ChartFactory& make, const QString& path, const PngOptions& options, QString* error)
{
    if (options.pixels.width() < 16 || options.pixels.height() < 16 || options.pixels.width() > 20000
        || options.pixels.height() > 20000)
        return fail(error,
            QStringLiteral("PNG size %1x%2 is out of range (16 to 20,000 pixels a side)")
                .arg(options.pixels.width())
                .arg(options.pixels.height()));
    if (!(options.dpi >= 36 && options.dpi <= 1200))
        return fail(error, QStringLiteral("PNG resolution %1 dpi is out of range (36 to 1,200)").arg(options.dpi));
    const QByteArray bytes = renderPng(make, options);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return fail(error, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

bool exportSvg(const ChartFactory& make, const QString& path, const QSizeF& logical, QString* error)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QSvgGenerator svg; // the SvgVersion constructor needs Qt 6.5
        svg.setOutputDevice(&buffer);
        svg.setSize(logical.toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), logical));
        svg.setResolution(96); // the layout's units: fonts come out the size they have on screen
        svg.setTitle(QStringLiteral("t2ibench chart"));
        svg.setDescription(QStringLiteral("Exported by t2ibench"));
        QPainter painter;
        if (!painter.begin(&svg))
            return fail(error, QStringLiteral("cannot start an SVG for %1").arg(path));
        renderChart(make(), &painter, QRectF(QPointF(0, 0), logical), logical, true);
        painter.end();
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(buffer.data()) != buffer.data().size() || !file.commit())
        return fail(error, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

bool exportPdf(const ChartFactory& make, const QString& path, const QSizeF& logical, QString* error)
{
    QFile probe(path);
    if (!probe.open(QIODevice::WriteOnly))
        return fail(error, QStringLiteral("cannot write %1: %2").arg(path, probe.errorString()));
    probe.close();
    QPdfWriter pdf(path);
    pdf.setResolution(96); // one device unit per logical unit
    pdf.setPageSize(QPageSize(QSizeF(logical.width() * 72.0 / 96.0, logical.height() * 72.0 / 96.0), QPageSize::Point,
        QStringLiteral("chart"), QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setTitle(QStringLiteral("t2ibench chart"));
    pdf.setCreator(QStringLiteral("t2ibench"));
    QPainter painter;
    if (!painter.begin(&pdf))
        return fail(error, QStringLiteral("cannot start a PDF at %1").arg(path));
    renderChart(make(), &painter, QRectF(QPointF(0, 0), logical), logical, true);
    painter.end();
    return true;
}

bool exportCsv(const charts::ComparisonData& data, charts::ChartKind kind, const ChartOptions& options,
    const QString& path, QString* error)
{
    const std::string csv = charts::chartCsv(data, kind, options.population, options.logLatency);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)
        || file.write(csv.data(), static_cast<qint64>(csv.size())) != static_cast<qint64>(csv.size()) || !file.commit())
        return fail(error, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

bool exportChart(const charts::ComparisonData& data, charts::ChartKind kind, const ChartOptions& options,
    const QString& path, const PngOptions& png, QString* error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    ChartOptions exported = options;
    exported.dark = false; // files go on paper and white pages
    const ChartFactory make = [&data, kind, exported] { return buildChart(data, kind, exported); };
    if (suffix == QLatin1String("png"))
        return exportPng(make, path, png, error);
    if (suffix == QLatin1String("svg"))
        return exportSvg(make, path, kDefaultChartSize, error);
    if (suffix == QLatin1String("pdf"))
        return exportPdf(make, path, kDefaultChartSize, error);
    if (suffix == QLatin1String("csv"))
        return exportCsv(data, kind, options, path, error);
    return fail(
        error, QStringLiteral("%1: unknown export format \"%2\" (use .png, .svg, .pdf or .csv)").arg(path, suffix));
}

} // namespace t2i::ui
