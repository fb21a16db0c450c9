// SPDX-License-Identifier: Apache-2.0
#pragma once

// The events of `t2ibench-cli run --events` as the dashboard reads them (docs/cli.md, "Events").
// A value the stream gave as null stays unknown here: -1 for a time or a price, nullopt for
// a request's coldness or detection lag.

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace t2i::ui {

struct LivePlannedRun {
    int index = 0;
    QString name; // "<config>/<provider>/<variant>", as the library will name the run
    QString provider;
    QString variant;
};

struct LiveProgress {
    int index = 0;
    double elapsedMs = 0;
    double etaMs = -1; // -1: unknown
    qint64 sent = 0;
    qint64 done = 0;
    qint64 ok = 0;
    qint64 errors = 0;
    qint64 inFlight = 0;
    QString phase;
    double committedUsd = -1; // -1: no price known
    double budgetUsd = -1; // -1: no budget
};

struct LiveRequest {
    qint64 seq = 0;
    int step = 0; // -1: a warm-up request
    double endMs = 0; // ms since the run began
    double latencyMs = 0;
    bool ok = false;
    QString error; // the error class, empty when none
    std::optional<bool> cold;
    std::optional<double> detectionLagMs;
};

struct LiveWorkers {
    int index = 0;
    double tMs = 0;
    int ready = 0;
    int running = 0;
    int idle = 0;
    int initializing = 0;
    int inQueue = 0;
    int inProgress = 0;
    int workers() const { return ready + running + idle + initializing; }
};

} // namespace t2i::ui

Q_DECLARE_METATYPE(t2i::ui::LivePlannedRun)
Q_DECLARE_METATYPE(t2i::ui::LiveProgress)
Q_DECLARE_METATYPE(t2i::ui::LiveRequest)
Q_DECLARE_METATYPE(t2i::ui::LiveWorkers)
