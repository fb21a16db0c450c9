// SPDX-License-Identifier: Apache-2.0
// The report as one PDF: A4 landscape, charts drawn as vectors by the same builders as the
// screen, tables and configurations as text.
#include "reportcontent.h"
#include "reportwriter.h"

#include "charts/chartexporter.h"
#include "charts/palette.h"
#include "compare/summarytables.h"

#include <QFile>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>

namespace t2i::ui {
namespace {

// Logical units: the writer runs at 96 dpi, so A4 landscape is about 1123 x 794.
constexpr double kMargin = 40;
constexpr double kHeader = 44;
constexpr double kFooter = 24;

class PdfReport {
public:
    PdfReport(QPdfWriter& writer, const charts::ComparisonData& data, const ReportOptions& options)
        : m_writer(writer)
        , m_data(data)
        , m_options(options)
    {
    }

    bool write(QString* error, QStringList* titles)
    {
        const std::vector<ReportPage> pages = reportPages(m_data);
        if (!m_painter.begin(&m_writer)) {
            if (error)
                *error = QStringLiteral("cannot start the PDF");
            return false;
        }
        m_page = QRectF(QPointF(0, 0), QSizeF(m_writer.width(), m_writer.height()));
        for (std::size_t i = 0; i < pages.size(); ++i) {
            if (i > 0)
                m_writer.newPage();
            drawFrame(pages[i].title, static_cast<int>(i) + 1, static_cast<int>(pages.size()));
            const QRectF body(kMargin, kMargin + kHeader, m_page.width() - 2 * kMargin,
                m_page.height() - 2 * kMargin - kHeader - kFooter);
            switch (pages[i].kind) {
            case ReportPage::Kind::Overview:
                drawOverview(body);
                break;
            case ReportPage::Kind::Differences:
                drawDifferences(body, pages[i].part);
                break;
            case ReportPage::Kind::Charts:
                drawCharts(body, pages[i]);
                break;
            case ReportPage::Kind::RunDetails:
                drawRunDetails(body, pages[i]);
                break;
            }
            if (titles)
                titles->append(pages[i].title);
        }
        m_painter.end();
        return true;
    }

private:
    void drawFrame(const QString& title, int number, int count)
    {
        QFont heading;
        heading.setPointSizeF(16);
        heading.setBold(true);
        m_painter.setFont(heading);
        m_painter.setPen(QColor(0x22, 0x22, 0x22));
        m_painter.drawText(QRectF(kMargin, kMargin, m_page.width() - 2 * kMargin, kHeader - 8),
            Qt::AlignLeft | Qt::AlignVCenter, title);
        m_painter.setPen(QPen(QColor(0xCC, 0xCC, 0xCC), 1));
        m_painter.drawLine(
            QPointF(kMargin, kMargin + kHeader - 6), QPointF(m_page.width() - kMargin, kMargin + kHeader - 6));
        QFont small;
        small.setPointSizeF(8);
        m_painter.setFont(small);
        m_painter.setPen(QColor(0x70, 0x70, 0x70));
        const QRectF footer(kMargin, m_page.height() - kMargin - kFooter + 6, m_page.width() - 2 * kMargin, kFooter);
        m_painter.drawText(footer, Qt::AlignLeft | Qt::AlignVCenter, report::generatedLine(m_options.generated));
        m_painter.drawText(
            footer, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("page %1 of %2").arg(number).arg(count));
    }

    // Draws a table in `area`, shrinking the font until the columns fit; returns the height used.
    double drawTable(const TableText& table, int firstRow, int rowCount, const QRectF& area)
    {
        QFont font;
        double size = 8.5;
        QList<double> widths;
        const auto lastRow = std::min(static_cast<int>(table.rows.size()), firstRow + rowCount);
        for (; size >= 5.5; size -= 0.5) {
            font.setPointSizeF(size);
            QFont bold = font;
            bold.setBold(true);
            const QFontMetricsF body(font, &m_writer);
            const QFontMetricsF head(bold, &m_writer);
            widths.clear();
            for (qsizetype c = 0; c < table.header.size(); ++c) {
                double w = head.horizontalAdvance(table.header[c]);
                for (int r = firstRow; r < lastRow; ++r)
                    w = std::max(w, body.horizontalAdvance(table.rows[r].value(c)));
                widths.append(w + 12);
            }
            double total = 0;
            for (const double w : widths)
                total += w;
            if (total <= area.width())
                break;
        }
        font.setPointSizeF(size);
        const double rowHeight = QFontMetricsF(font, &m_writer).height() + 6;
        double y = area.top();
        auto drawRow = [&](const QStringList& cells, bool header, bool emphasised) {
            QFont f = font;
            f.setBold(header || emphasised);
            m_painter.setFont(f);
            double x = area.left();
            for (qsizetype c = 0; c < widths.size(); ++c) {
                const QRectF cell(x + 6, y, widths[c] - 12, rowHeight);
                m_painter.drawText(cell, (c == 0 ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, cells.value(c));
                x += widths[c];
            }
            y += rowHeight;
            m_painter.setPen(
                QPen(QColor(header ? 0x88 : 0xE2, header ? 0x88 : 0xE2, header ? 0x88 : 0xE2), header ? 1 : 0.5));
            m_painter.drawLine(
                QPointF(area.left(), y), QPointF(area.left() + std::min(area.width(), x - area.left()), y));
            m_painter.setPen(QColor(0x22, 0x22, 0x22));
        };
        m_painter.setPen(QColor(0x22, 0x22, 0x22));
        drawRow(table.header, true, false);
        for (int r = firstRow; r < lastRow; ++r)
            drawRow(table.rows[r], false, table.emphasised.contains(r));
        return y - area.top();
    }

    void drawParagraph(const QRectF& area, const QString& text, double pointSize, const QColor& colour)
    {
        QFont f;
        f.setPointSizeF(pointSize);
        m_painter.setFont(f);
        m_painter.setPen(colour);
        m_painter.drawText(area, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, text);
    }

    void drawOverview(const QRectF& body)
    {
        drawParagraph(QRectF(body.left(), body.top(), body.width(), 40),
            QStringLiteral("Each run keeps its colour in every chart. The first run is the baseline of every "
                           "difference. Percentiles are nearest-rank; intervals are 95% exact-bootstrap "
                           "intervals (docs/statistics.md)."),
            9, QColor(0x44, 0x44, 0x44));
        // Colour key, one swatch per run.
        const ChartPalette palette;
        QFont f;
        f.setPointSizeF(9);
        m_painter.setFont(f);
        double y = body.top() + 48;
        for (std::size_t r = 0; r < m_data.runs.size(); ++r) {
            m_painter.fillRect(QRectF(body.left(), y + 3, 14, 10), palette.run(r));
            m_painter.setPen(QColor(0x22, 0x22, 0x22));
            m_painter.drawText(QRectF(body.left() + 22, y, body.width() - 22, 16), Qt::AlignLeft | Qt::AlignVCenter,
                QStringLiteral("%1%2 (%3)")
                    .arg(QString::fromStdString(m_data.runs[r].label),
                        r == 0 ? QStringLiteral(" — baseline") : QString(),
                        QString::fromStdString(m_data.runs[r].info.id)));
            y += 18;
        }
        y += 12;
        y += drawTable(runsTable(m_data), 0, static_cast<int>(m_data.runs.size()),
            QRectF(body.left(), y, body.width(), body.bottom() - y));
        for (const QString& warning : measurementWarnings(m_data)) {
            y += 8;
            drawParagraph(QRectF(body.left(), y, body.width(), 40), QStringLiteral("⚠ ") + warning, 8,
                QColor(0x8a, 0x4b, 0x00));
            y += 28;
        }
    }

    void drawDifferences(const QRectF& body, int part)
    {
        const TableText table = differencesTable(m_data);
        double used = drawTable(table, part * report::kDifferenceRowsPerPage, report::kDifferenceRowsPerPage, body);
        if ((part + 1) * report::kDifferenceRowsPerPage >= table.rows.size())
            drawParagraph(QRectF(body.left(), body.top() + used + 14, body.width(), 60),
                QStringLiteral(
                    "Bold: significant at the 5% level. Percentile differences: exact bootstrap interval of "
                    "the difference (significant when it excludes 0). Distribution: Mann-Whitney U, normal "
                    "approximation with tie correction; P(slower) is the probability that a request of the run "
                    "takes longer than one of the baseline. Rates: Newcombe's score interval."),
                8, QColor(0x55, 0x55, 0x55));
    }

    void drawCharts(const QRectF& body, const ReportPage& page)
    {
        const std::size_t count = page.charts.size();
        const int columns = count == 1 ? 1 : 2;
        const int rows = count <= 2 ? 1 : 2;
        const double gap = 16;
        const double w = (body.width() - gap * (columns - 1)) / columns;
        const double h = rows == 1 ? std::min(body.height(), w * 0.72) : (body.height() - gap) / 2;
        for (std::size_t i = 0; i < count; ++i) {
            const auto col = static_cast<double>(i % static_cast<std::size_t>(columns));
            const auto row = static_cast<double>(i / static_cast<std::size_t>(columns));
            const QRectF target(body.left() + col * (w + gap), body.top() + row * (h + gap), w, h);
            ChartOptions options;
            options.logLatency = m_options.logLatency;
            options.run = page.runs.empty() ? 0 : page.runs[i];
            renderChart(buildChart(m_data, page.charts[i], options), &m_painter, target, target.size(), true);
        }
    }

    void drawRunDetails(const QRectF& body, const ReportPage& page)
    {
        const QStringList lines = report::runDetailLines(m_data.runs[page.runs.front()].info);
        QFont mono(QStringLiteral("DejaVu Sans Mono"));
        mono.setStyleHint(QFont::Monospace);
        mono.setPointSizeF(7.5);
        m_painter.setFont(mono);
        m_painter.setPen(QColor(0x22, 0x22, 0x22));
        const double lineHeight = body.height() / report::kDetailLinesPerPage;
        const double columnWidth = (body.width() - 20) / 2;
        const int first = page.part * report::kDetailLinesPerPage * 2;
        for (int i = 0; i < report::kDetailLinesPerPage * 2 && first + i < lines.size(); ++i) {
            const double x = body.left() + (i >= report::kDetailLinesPerPage ? columnWidth + 20 : 0);
            const double y = body.top() + (i % report::kDetailLinesPerPage) * lineHeight;
            const QString text
                = QFontMetricsF(mono, &m_writer).elidedText(lines[first + i], Qt::ElideRight, columnWidth);
            m_painter.drawText(QRectF(x, y, columnWidth, lineHeight), Qt::AlignLeft | Qt::AlignVCenter, text);
        }
    }

    QPdfWriter& m_writer;
    const charts::ComparisonData& m_data;
    const ReportOptions& m_options;
    QPainter m_painter;
    QRectF m_page;
};

} // namespace

bool writeReportPdf(const charts::ComparisonData& data, const QString& path, const ReportOptions& options,
    QString* error, QStringList* pageTitles)
{
    {
        QFile probe(path); // QPdfWriter reports no error of its own when the file cannot be written
        if (!probe.open(QIODevice::WriteOnly)) {
            if (error)
                *error = QStringLiteral("cannot write %1: %2").arg(path, probe.errorString());
            return false;
        }
    }
    QPdfWriter writer(path);
    writer.setResolution(96);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape, QMarginsF(0, 0, 0, 0)));
    writer.setTitle(QStringLiteral("t2ibench comparison report"));
    writer.setCreator(QStringLiteral("t2ibench %1").arg(QStringLiteral(T2I_VERSION)));
    PdfReport report(writer, data, options);
    if (!report.write(error, pageTitles))
        return false;
    return true;
}

} // namespace t2i::ui
