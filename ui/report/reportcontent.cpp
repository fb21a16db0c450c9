// SPDX-License-Identifier: Apache-2.0
#include "reportcontent.h"

#include "reportwriter.h"

#include "charts/chartcsv.h"
#include "compare/summarytables.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

namespace t2i::ui {
namespace report {
namespace {

QStringList prettyJson(const std::string& text)
{
    if (text.empty())
        return { QStringLiteral("(none recorded)") };
    try {
        return QString::fromStdString(nlohmann::json::parse(text).dump(2)).split(QLatin1Char('\n'));
    } catch (const nlohmann::json::exception&) {
        return QString::fromStdString(text).split(QLatin1Char('\n'));
    }
}

} // namespace

QStringList runDetailLines(const RunInfo& run)
{
    QStringList lines;
    lines << QStringLiteral("Run %1 · %2 · created %3 · finished %4 · %5 s")
                 .arg(QString::fromStdString(run.id),
                     QString::fromUtf8(toString(run.status).data(), qsizetype(toString(run.status).size())),
                     QString::fromStdString(run.created),
                     QString::fromStdString(run.finished.empty() ? "–" : run.finished),
                     QString::number(run.durationMs / 1000.0, 'f', 1));
    if (!run.message.empty())
        lines << QStringLiteral("Message: %1").arg(QString::fromStdString(run.message));
    lines << QString() << QStringLiteral("Environment:");
    lines << prettyJson(run.environmentJson);
    lines << QString() << QStringLiteral("Configuration (as run; secrets are never stored):");
    lines << prettyJson(run.configJson);
    return lines;
}

QString generatedLine(const QString& given)
{
    const QString when
        = given.isEmpty() ? QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")) : given;
    return QStringLiteral("Generated %1 by t2ibench %2").arg(when, QStringLiteral(T2I_VERSION));
}

} // namespace report

std::vector<ReportPage> reportPages(const charts::ComparisonData& data)
{
    using charts::ChartKind;
    using Kind = ReportPage::Kind;
    std::vector<ReportPage> pages;
    pages.push_back({ Kind::Overview, QStringLiteral("Comparison of %1 runs").arg(data.runs.size()), {}, {}, 0 });
    const auto differenceRows = static_cast<int>(differencesTable(data).rows.size());
    for (int part = 0; part * report::kDifferenceRowsPerPage < std::max(differenceRows, 1); ++part) {
        if (data.runs.size() < 2)
            break;
        pages.push_back({ Kind::Differences,
            part == 0 ? QStringLiteral("Differences against the baseline")
                      : QStringLiteral("Differences against the baseline (continued)"),
            {}, {}, part });
    }
    pages.push_back({ Kind::Charts, QStringLiteral("Latency"),
        { ChartKind::Histogram, ChartKind::Ecdf, ChartKind::BoxPlot, ChartKind::Stages }, { 0, 0, 0, 0 }, 0 });
    pages.push_back({ Kind::Charts, QStringLiteral("Scaling"), { ChartKind::ScalingThroughput, ChartKind::ScalingP95 },
        { 0, 0 }, 0 });
    pages.push_back(
        { Kind::Charts, QStringLiteral("Cost"), { ChartKind::CostStack, ChartKind::CostVsP95 }, { 0, 0 }, 0 });
    for (std::size_t first = 0; first < data.runs.size(); first += report::kTimelinesPerPage) {
        ReportPage page { Kind::Charts,
            first == 0 ? QStringLiteral("Timeline") : QStringLiteral("Timeline (continued)"), {}, {}, 0 };
        for (std::size_t r = first; r < std::min(data.runs.size(), first + report::kTimelinesPerPage); ++r) {
            page.charts.push_back(ChartKind::Timeline);
            page.runs.push_back(r);
        }
        pages.push_back(page);
    }
    pages.push_back({ Kind::Charts, QStringLiteral("Over time"),
        { ChartKind::InFlight, ChartKind::Workers, ChartKind::Errors, ChartKind::Throughput }, { 0, 0, 0, 0 }, 0 });
    for (std::size_t r = 0; r < data.runs.size(); ++r) {
        const auto lines = static_cast<int>(report::runDetailLines(data.runs[r].info).size());
        const QString label = QString::fromStdString(data.runs[r].label);
        for (int part = 0; part * report::kDetailLinesPerPage * 2 < std::max(lines, 1); ++part)
            pages.push_back({ Kind::RunDetails,
                (part == 0 ? QStringLiteral("Configuration and environment: ")
                           : QStringLiteral("Configuration and environment (continued): "))
                    + label,
                {}, { r }, part });
    }
    return pages;
}

bool writeReport(const charts::ComparisonData& data, const QString& path, const ReportOptions& options, QString* error,
    QStringList* pageTitles)
{
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
        return writeReportPdf(data, path, options, error, pageTitles);
    if (path.endsWith(QLatin1String(".html"), Qt::CaseInsensitive)
        || path.endsWith(QLatin1String(".htm"), Qt::CaseInsensitive))
        return writeReportHtml(data, path, options, error, pageTitles);
    if (error)
        *error = QStringLiteral("%1: a report is written as .pdf or .html").arg(path);
    return false;
}

} // namespace t2i::ui
