// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartbuilders.h"
#include "charts/chartdata.h"

#include <QStringList>
#include <QWidget>

#include <map>
#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QGridLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTabWidget;

namespace t2i::ui {

class BackgroundJob;
class ChartView;
class TextTableModel;

// Runs side by side: tabs Latency / Scaling / Cost / Time / GPU / Summary, one fixed colour per
// run across every chart (the GPU tab only when a run has nvidia-smi samples). Loading and every statistic run off the
// GUI thread (the lean columnar read, then core/charts); a newer showRuns() drops the results of an older one.
class ComparisonView : public QWidget {
    Q_OBJECT
public:
    explicit ComparisonView(QWidget* parent = nullptr);
    ~ComparisonView() override;

    void setDatabase(const QString& dbPath);
    void showRuns(const QStringList& runIds); // loads and computes off the GUI thread; stale loads dropped
    bool exportReport(const QString& path, QString* error); // .pdf or .html, same code as the CLI

    // What is shown now (null before the first load completes), and its charts (for tests).
    std::shared_ptr<const charts::ComparisonData> comparison() const { return m_data; }
    ChartView* chartView(charts::ChartKind kind, std::size_t run = 0) const;
    bool isLoading() const;
    bool showsGpuCharts() const; // the GPU tab is there: some run shown has GPU samples

signals:
    void loadingChanged(bool loading);
    void progressChanged(int percent);
    void errorOccurred(const QString& message);
    void ready(); // charts shown for the latest showRuns()
    // Everything but the costs is on screen (the cost model still runs); ready() follows.
    void chartsShown();

protected:
    void changeEvent(QEvent* event) override;

private:
    void buildUi();
    QWidget* chartPage(const std::vector<charts::ChartKind>& kinds, int columns);
    void apply(std::shared_ptr<const charts::ComparisonData> loaded);
    void applyCosts(std::shared_ptr<const charts::ComparisonData> loaded);
    void rebuildTimelines();
    void optionsChanged();
    ChartOptions currentOptions() const;
    void exportReportInteractively();

    QString m_dbPath;
    std::shared_ptr<const charts::ComparisonData> m_data;
    BackgroundJob* m_job = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_message = nullptr;
    QLabel* m_heading = nullptr;
    QLabel* m_warnings = nullptr; // under the runs table: completions noticed late, throttled polls
    QProgressBar* m_progress = nullptr;
    QComboBox* m_population = nullptr;
    QCheckBox* m_logScale = nullptr;
    QPushButton* m_exportButton = nullptr;
    QTabWidget* m_tabs = nullptr;
    int m_gpuTab = -1;
    std::map<charts::ChartKind, ChartView*> m_views;
    std::vector<ChartView*> m_timelines;
    QGridLayout* m_timelineGrid = nullptr;
    TextTableModel* m_runsModel = nullptr;
    TextTableModel* m_differencesModel = nullptr;
};

} // namespace t2i::ui
