// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartdata.h"

#include <QColor>
#include <QFont>

namespace t2i::ui {

// Colours and fonts of every chart. A run keeps one colour everywhere (its position in the
// comparison picks it), from the Okabe-Ito palette, which stays distinguishable under the
// common colour-vision deficiencies; stages and cost parts use Paul Tol's "light" scheme, so
// they are never mistaken for runs. Each has a variant legible on a dark background.
struct ChartPalette {
    bool dark = false;

    QColor run(std::size_t index) const; // cycles after 8
    QColor stage(charts::TimelineSegment::Stage stage) const;
    QColor costPart(int part) const; // 0 compute, 1 cold start, 2 idle, 3 keep-warm, 4 egress, 5 failures
    // The network's parts of a request's time, beside the stages (docs/measurement.md).
    enum NetworkPart { Dns, Connect, Tls, Transfer };
    QColor networkPart(NetworkPart part) const;
    QColor background() const;
    QColor plotBackground() const;
    QColor text() const;
    QColor mutedText() const;
    QColor grid() const;
    QColor axis() const;
    QColor frontLine() const; // the Pareto front

    static QFont titleFont();
    static QFont labelFont();
    static QFont axisTitleFont();
};

} // namespace t2i::ui
