// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartbuilders.h"
#include "charts/chartdata.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace t2i::ui {

// What a report holds, page by page, in the order both formats present it.
struct ReportPage {
    enum class Kind { Overview, Differences, Charts, RunDetails };
    Kind kind = Kind::Charts;
    QString title;
    std::vector<charts::ChartKind> charts; // Charts: up to four, laid out 1x2 or 2x2
    std::vector<std::size_t> runs; // Charts: the run of each per-run chart; RunDetails: the run
    int part = 0; // Differences and RunDetails spill over several pages: which one this is
};

struct ReportOptions {
    bool logLatency = true;
    QString generated; // the "generated" line; empty: now, in UTC
};

// The pages of a comparison's report: overview (runs table), differences against the baseline,
// latency, scaling, cost, timelines (four runs a page), counters over time, then each run's
// configuration and environment. Long tables and configurations continue on further pages.
std::vector<ReportPage> reportPages(const charts::ComparisonData& data);

// One PDF (A4 landscape, vector charts) or one self-contained HTML file (charts as PNG data
// URIs, no external resources), chosen by the suffix. The same chart builders as the screen.
// pageTitles, when given, receives each page's title in order (the PDF's pages, the HTML's
// sections).
bool writeReport(const charts::ComparisonData& data, const QString& path, const ReportOptions& options, QString* error,
    QStringList* pageTitles = nullptr);
bool writeReportPdf(const charts::ComparisonData& data, const QString& path, const ReportOptions& options,
    QString* error, QStringList* pageTitles = nullptr);
bool writeReportHtml(const charts::ComparisonData& data, const QString& path, const ReportOptions& options,
    QString* error, QStringList* pageTitles = nullptr);

} // namespace t2i::ui
