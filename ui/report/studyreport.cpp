// SPDX-License-Identifier: Apache-2.0
// The studies' report. One HTML body serves both formats: the HTML file embeds each chart as a
// data URI; the PDF lays the same body out with QTextDocument (which paginates tables and
// text) and takes the charts as document resources.
#include "report/studyreport.h"

#include "reportcontent.h"

#include "charts/chartexporter.h"
#include "charts/studycharts.h"

#include <QFile>
#include <QImage>
#include <QPageLayout>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>
#include <QUrl>

#include <functional>

namespace t2i::ui {
namespace {

constexpr QSize kChartDisplay { 640, 380 };

constexpr const char* kStyle = R"css(
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #222; margin: 2em auto; max-width: 1180px; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
h3 { font-size: 1em; margin-bottom: .2em; }
p.meta, p.note { color: #666; font-size: .85em; }
p.answer { font-size: 1.3em; }
p.failed { color: #c94a4a; }
table { border-collapse: collapse; font-size: .82em; margin: .6em 0; }
th, td { padding: .25em .6em; border-bottom: 1px solid #e4e4e4; text-align: left; white-space: nowrap; }
th { border-bottom: 1px solid #888; }
)css";

QString esc(const std::string& text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

QString table(const QStringList& header, const QList<QStringList>& rows)
{
    QString html = QStringLiteral("<table cellpadding=\"4\"><thead><tr>");
    for (const QString& h : header)
        html += QStringLiteral("<th>%1</th>").arg(h.toHtmlEscaped());
    html += QStringLiteral("</tr></thead><tbody>");
    for (const QStringList& row : rows) {
        html += QStringLiteral("<tr>");
        for (const QString& cell : row)
            html += QStringLiteral("<td>%1</td>").arg(cell.toHtmlEscaped());
        html += QStringLiteral("</tr>");
    }
    return html + QStringLiteral("</tbody></table>\n");
}

QString heading(const StudyRow& study)
{
    return QStringLiteral("%1 — %2 / %3").arg(study.title, study.provider, study.variant);
}

// The body of every study's section; chartSource gives the <img> source of a chart.
using ChartSource = std::function<QString(const StudyChart&)>;

QString studySection(const StudyRow& study, const ChartSource& chartSource)
{
    QString html = QStringLiteral("<h2>%1</h2>\n").arg(heading(study).toHtmlEscaped());
    html += QStringLiteral("<p class=\"meta\">Study %1 (%2) · %3 · created %4%5 · configuration %6</p>\n")
                .arg(study.id.toHtmlEscaped(), study.kind.toHtmlEscaped(), study.status.toHtmlEscaped(),
                    study.createdIso.toHtmlEscaped(),
                    study.finishedIso.isEmpty() ? QString()
                                                : QStringLiteral(", ended ") + study.finishedIso.toHtmlEscaped(),
                    study.configName.toHtmlEscaped());
    QString problem = study.message;
    if (!study.resultError.isEmpty())
        problem += (problem.isEmpty() ? QString() : QStringLiteral(" ")) + study.resultError;
    if (!study.result && problem.isEmpty())
        problem = QStringLiteral("No result: the study has not ended.");
    if (!problem.isEmpty())
        html += QStringLiteral("<p class=\"failed\"><font color=\"#c94a4a\">%1</font></p>\n")
                    .arg(problem.toHtmlEscaped());
    if (study.result) {
        const StudyResult& result = *study.result;
        html += QStringLiteral("<p class=\"answer\"><big>%1</big></p>\n").arg(esc(result.answer));
        if (!result.findings.empty()) {
            QList<QStringList> rows;
            for (const StudyFinding& finding : result.findings)
                rows.append({ QString::fromStdString(finding.label), QString::fromStdString(finding.text) });
            html += QStringLiteral("<h3>Findings</h3>\n")
                + table({ QStringLiteral("Finding"), QStringLiteral("Value (95% interval)") }, rows);
        }
        for (const StudyTable& t : result.tables) {
            QStringList header;
            for (const std::string& column : t.columns)
                header.append(QString::fromStdString(column));
            QList<QStringList> rows;
            for (const auto& row : t.rows) {
                QStringList cells;
                for (const std::string& cell : row)
                    cells.append(QString::fromStdString(cell));
                rows.append(cells);
            }
            html += QStringLiteral("<h3>%1</h3>\n").arg(esc(t.title)) + table(header, rows);
        }
        for (const StudyChart& chart : result.charts)
            html += QStringLiteral("<p><img alt=\"%1\" width=\"%2\" height=\"%3\" src=\"%4\"></p>\n")
                        .arg(esc(chart.title))
                        .arg(kChartDisplay.width())
                        .arg(kChartDisplay.height())
                        .arg(chartSource(chart));
        if (!result.notes.empty()) {
            html += QStringLiteral("<h3>Notes</h3>\n<ul>");
            for (const std::string& note : result.notes)
                html += QStringLiteral("<li>%1</li>").arg(esc(note));
            html += QStringLiteral("</ul>\n");
        }
    }
    if (!study.runs.isEmpty()) {
        QList<QStringList> rows;
        for (const StudyRunRow& run : study.runs)
            rows.append({ run.runId, run.role });
        html += QStringLiteral("<h3>Runs</h3>\n") + table({ QStringLiteral("Run"), QStringLiteral("Role") }, rows);
    }
    return html;
}

QByteArray chartPng(const StudyChart& chart)
{
    PngOptions png;
    png.pixels = kChartDisplay * 2; // sharp on high-DPI screens and on paper
    png.dpi = 192;
    return renderPng([&chart] { return buildStudyChart(chart); }, png);
}

QString documentHtml(
    const QList<StudyRow>& studies, const ReportOptions& options, const ChartSource& chartSource, QStringList* titles)
{
    QString html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                                  "<title>t2ibench study report</title><style>%1</style></head><body>\n")
                       .arg(QString::fromUtf8(kStyle));
    html += QStringLiteral("<h1>%1</h1>\n<p class=\"meta\">%2</p>\n")
                .arg(studies.size() == 1 ? QStringLiteral("Study report")
                                         : QStringLiteral("Report of %1 studies").arg(studies.size()),
                    report::generatedLine(options.generated).toHtmlEscaped());
    for (const StudyRow& study : studies) {
        if (titles)
            titles->append(heading(study));
        html += studySection(study, chartSource);
    }
    return html + QStringLiteral("</body></html>\n");
}

bool writeHtml(const QList<StudyRow>& studies, const QString& path, const ReportOptions& options, QString* error,
    QStringList* titles)
{
    const QString html = documentHtml(
        studies, options,
        [](const StudyChart& chart) {
            return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(chartPng(chart).toBase64());
        },
        titles);
    QSaveFile file(path);
    const QByteArray bytes = html.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool writePdf(const QList<StudyRow>& studies, const QString& path, const ReportOptions& options, QString* error,
    QStringList* titles)
{
    {
        QFile probe(path); // QPdfWriter reports no error of its own when the file cannot be written
        if (!probe.open(QIODevice::WriteOnly)) {
            if (error)
                *error = QStringLiteral("cannot write %1: %2").arg(path, probe.errorString());
            return false;
        }
    }
    QTextDocument document;
    int next = 0;
    const QString html = documentHtml(
        studies, options,
        [&document, &next](const StudyChart& chart) {
            const QString name = QStringLiteral("chart%1.png").arg(next++);
            document.addResource(QTextDocument::ImageResource, QUrl(name), QImage::fromData(chartPng(chart), "PNG"));
            return name;
        },
        titles);
    document.setDefaultStyleSheet(QString::fromUtf8(kStyle));
    document.setHtml(html);
    QPdfWriter writer(path);
    writer.setResolution(96);
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize::A4), QPageLayout::Landscape, QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
    writer.setTitle(QStringLiteral("t2ibench study report"));
    writer.setCreator(QStringLiteral("t2ibench %1").arg(QStringLiteral(T2I_VERSION)));
    document.print(&writer);
    return true;
}

} // namespace

bool writeStudyReport(const QList<StudyRow>& studies, const QString& path, const ReportOptions& options, QString* error,
    QStringList* sectionTitles)
{
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
        return writePdf(studies, path, options, error, sectionTitles);
    return writeHtml(studies, path, options, error, sectionTitles);
}

} // namespace t2i::ui
