// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartbuilders.h"
#include "charts/chartexporter.h"

#include <QChartView>

#include <memory>

namespace t2i::ui {

// One chart of a comparison on screen: exact-value tooltips, rubber-band zoom, wheel zoom,
// panning (middle button, or Shift + left drag, or the arrow keys), double-click or Home to
// reset, and a context menu that exports the chart (PNG at a chosen size and DPI, SVG, PDF)
// or the data behind it (CSV).
class ChartView : public QChartView {
    Q_OBJECT
public:
    explicit ChartView(QWidget* parent = nullptr);

    // Builds the chart from the shared data; the previous chart is deleted.
    void showChart(
        std::shared_ptr<const charts::ComparisonData> comparison, charts::ChartKind kind, const ChartOptions& options);
    void setOptions(const ChartOptions& options); // rebuilds with new options (log scale, palette ...)
    // Swaps in data whose numbers for this chart are unchanged (the costs arrived), without a rebuild.
    void updateData(std::shared_ptr<const charts::ComparisonData> comparison) { m_data = std::move(comparison); }
    const ChartOptions& options() const { return m_options; }
    charts::ChartKind kind() const { return m_kind; }
    bool hasData() const { return m_data != nullptr; }

    void resetZoom();
    // Exports what this view shows, through the same builders; the format follows the suffix.
    bool exportTo(const QString& path, const PngOptions& png, QString* error) const;
    QString lastTooltip() const { return m_lastTooltip; } // for tests: what a hover showed

signals:
    void exported(const QString& path);
    void exportFailed(const QString& message);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void rebuild();
    void connectTooltips();
    void showTooltip(const QString& text);
    void exportInteractively(const QString& suffix);

    std::shared_ptr<const charts::ComparisonData> m_data;
    charts::ChartKind m_kind = charts::ChartKind::Histogram;
    ChartOptions m_options;
    bool m_panning = false;
    QPoint m_lastPan;
    QString m_lastTooltip;
};

} // namespace t2i::ui
