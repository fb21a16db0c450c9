// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/palette.h"
#include "study/studyresult.h"

#include <QChart>

namespace t2i::ui {

// One chart of a study's result (StudyChart, core/study/studyresult.h), drawn the same on the
// Studies page, in the report and in exports: "line" joins the points, "scatter" marks them,
// "step" holds each value until the next x (a right-continuous step, as an ECDF or a count
// over time reads). Each series takes the next run colour; axes carry the chart's labels; at most
// kMaxStudyPoints points a series reach Qt Charts, filled with replace(). The caller owns the chart.
QChart* buildStudyChart(const StudyChart& chart, const ChartPalette& palette = {});

} // namespace t2i::ui
