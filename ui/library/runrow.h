// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "stats/summary.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace t2i::ui {

// The statistics a library row shows, computed off the GUI thread from the run's records.
struct RunStats {
    QString runId;
    qint64 requests = 0; // measured (warm-up excluded)
    qint64 ok = 0;
    bool hasLatency = false; // at least one successful measured request
    double p50Ms = 0, p95Ms = 0;
    Interval p50Ci, p95Ci;
    double errorRate = 0;
    std::optional<double> costPer1000; // USD per 1,000 images, when the run's price is known
    QString costNote; // why there is no cost, or where the price came from
};

// One run in the library table. Cheap fields come from the run list; stats arrive later.
struct RunRow {
    QString id;
    QString name;
    QString provider;
    QString providerType;
    QString variant;
    QString status; // "completed", "failed", ... (docs/cli.md)
    QDateTime created; // UTC
    QString createdIso; // as stored
    qint64 recordCount = 0; // every stored request, warm-up included
    QString tags;
    QString notes;
    std::optional<RunStats> stats;

    // Finished runs never change, so their statistics can be kept between reloads.
    bool isFinal() const { return status != QLatin1String("running") && status != QLatin1String("created"); }
};

} // namespace t2i::ui
