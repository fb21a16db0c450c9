// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "report/reportwriter.h"
#include "studies/studyrow.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace t2i::ui {

// A report of studies (`t2ibench-cli report --study ID,...`): one section per study, drawn
// from its StudyResult alone, as the Studies page draws it: the answer, the findings with
// their intervals, each table, each chart (the same builder, ui/charts/studycharts.h), the
// notes and the runs it made; a study without a result says why. HTML: one self-contained file
// (charts as PNG data URIs); PDF: A4 landscape, paginated, charts as images at 192 dpi.
// sectionTitles, when given, receives each study's heading in order.
bool writeStudyReport(const QList<StudyRow>& studies, const QString& path, const ReportOptions& options, QString* error,
    QStringList* sectionTitles = nullptr);

} // namespace t2i::ui
