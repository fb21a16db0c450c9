// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the PDF and HTML writers: the text of a run's configuration and environment, and
// how many of its lines fit a page.

#include "charts/chartdata.h"

#include <QString>
#include <QStringList>

namespace t2i::ui::report {

inline constexpr int kDetailLinesPerPage = 44; // A4 landscape, 8 pt monospace, two columns
inline constexpr int kDifferenceRowsPerPage = 24;
inline constexpr int kTimelinesPerPage = 4;

// The run's configuration and environment as indented JSON lines (no secrets are stored, so
// none can appear), with a heading line before each.
QStringList runDetailLines(const RunInfo& run);
QString generatedLine(const QString& given); // "Generated 2026-01-01 12:00 UTC by t2ibench 0.1.0"

} // namespace t2i::ui::report
