// SPDX-License-Identifier: Apache-2.0
// The report as one self-contained HTML file: the same pages as the PDF as sections, charts as
// PNG data URIs rendered at twice their display size (sharp on high-DPI screens), no external
// resources.
#include "reportcontent.h"
#include "reportwriter.h"

#include "charts/chartexporter.h"
#include "charts/palette.h"
#include "compare/summarytables.h"

#include <QSaveFile>

namespace t2i::ui {
namespace {

constexpr QSize kChartDisplay { 560, 350 };

constexpr const char* kStyle = R"css(
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #222; margin: 2em auto; max-width: 1180px; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
p.meta, p.note { color: #666; font-size: .85em; }
table { border-collapse: collapse; font-size: .82em; margin: .6em 0; }
th, td { padding: .25em .6em; border-bottom: 1px solid #e4e4e4; text-align: right; white-space: nowrap; }
th { border-bottom: 1px solid #888; }
td:first-child, th:first-child { text-align: left; }
tr.emph td { font-weight: bold; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 12px; }
.charts img { width: 100%; max-width: 560px; height: auto; }
.swatch { display: inline-block; width: 1em; height: .7em; margin-right: .4em; }
pre { font-size: .78em; background: #f6f6f6; padding: .8em; overflow-x: auto; }
)css";

QString escape(const QString& text)
{
    return text.toHtmlEscaped();
}

QString table(const TableText& t)
{
    QString html = QStringLiteral("<table><thead><tr>");
    for (const QString& h : t.header)
        html += QStringLiteral("<th>%1</th>").arg(escape(h));
    html += QStringLiteral("</tr></thead><tbody>");
    for (qsizetype r = 0; r < t.rows.size(); ++r) {
        html += t.emphasised.contains(static_cast<int>(r)) ? QStringLiteral("<tr class=\"emph\">")
                                                           : QStringLiteral("<tr>");
        for (const QString& cell : t.rows[r])
            html += QStringLiteral("<td>%1</td>").arg(escape(cell));
        html += QStringLiteral("</tr>");
    }
    return html + QStringLiteral("</tbody></table>");
}

} // namespace

bool writeReportHtml(const charts::ComparisonData& data, const QString& path, const ReportOptions& options,
    QString* error, QStringList* pageTitles)
{
    QString html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                                  "<title>t2ibench comparison report</title><style>%1</style></head><body>\n")
                       .arg(QString::fromUtf8(kStyle));
    const ChartPalette palette;
    for (const ReportPage& page : reportPages(data)) {
        // Continued pages exist only on paper: the HTML keeps each section whole.
        if (page.part > 0 || page.title.startsWith(QLatin1String("Timeline (continued)")))
            continue;
        if (pageTitles)
            pageTitles->append(page.title);
        const bool first = page.kind == ReportPage::Kind::Overview;
        html += first ? QStringLiteral("<h1>%1</h1>\n<p class=\"meta\">%2</p>\n")
                            .arg(escape(page.title), escape(report::generatedLine(options.generated)))
                      : QStringLiteral("<h2>%1</h2>\n").arg(escape(page.title));
        switch (page.kind) {
        case ReportPage::Kind::Overview:
            html += QStringLiteral("<p>");
            for (std::size_t r = 0; r < data.runs.size(); ++r)
                html += QStringLiteral("<span class=\"swatch\" style=\"background:%1\"></span>%2%3 <code>%4</code><br>")
                            .arg(palette.run(r).name(), escape(QString::fromStdString(data.runs[r].label)),
                                r == 0 ? QStringLiteral(" — baseline") : QString(),
                                escape(QString::fromStdString(data.runs[r].info.id)));
            html += QStringLiteral("</p>") + table(runsTable(data));
            for (const QString& warning : measurementWarnings(data))
                html += QStringLiteral("<p class=\"note\">&#9888; %1</p>\n").arg(escape(warning));
            break;
        case ReportPage::Kind::Differences:
            html += table(differencesTable(data))
                + QStringLiteral(
                    "<p class=\"note\">Bold: significant at the 5% level. Percentile differences: exact "
                    "bootstrap interval of the difference. Distribution: Mann-Whitney U (normal approximation, "
                    "tie-corrected). Rates: Newcombe's score interval.</p>");
            break;
        case ReportPage::Kind::Charts: {
            html += QStringLiteral("<div class=\"charts\">");
            std::vector<std::size_t> runs = page.runs;
            std::vector<charts::ChartKind> kinds = page.charts;
            if (page.title == QLatin1String("Timeline")) { // every run's timeline in one section
                kinds.assign(data.runs.size(), charts::ChartKind::Timeline);
                runs.clear();
                for (std::size_t r = 0; r < data.runs.size(); ++r)
                    runs.push_back(r);
            }
            for (std::size_t i = 0; i < kinds.size(); ++i) {
                ChartOptions chartOptions;
                chartOptions.logLatency = options.logLatency;
                chartOptions.run = runs.empty() ? 0 : runs[i];
                PngOptions png;
                png.pixels = kChartDisplay * 2;
                png.dpi = 192;
                const QByteArray bytes = renderPng([&] { return buildChart(data, kinds[i], chartOptions); }, png);
                html += QStringLiteral("<img alt=\"%1\" width=\"%2\" height=\"%3\" src=\"data:image/png;base64,%4\">")
                            .arg(escape(chartTitle(kinds[i])))
                            .arg(kChartDisplay.width())
                            .arg(kChartDisplay.height())
                            .arg(QString::fromLatin1(bytes.toBase64()));
            }
            html += QStringLiteral("</div>\n");
            break;
        }
        case ReportPage::Kind::RunDetails:
            html += QStringLiteral("<pre>%1</pre>\n")
                        .arg(escape(report::runDetailLines(data.runs[page.runs.front()].info).join(QLatin1Char('\n'))));
            break;
        }
    }
    html += QStringLiteral("</body></html>\n");
    QSaveFile file(path);
    const QByteArray bytes = html.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace t2i::ui
