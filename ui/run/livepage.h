// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>
#include <QWidget>

#include <memory>
#include <optional>

class QChartView;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace t2i::ui {

class LiveChart;
class LiveRunModel;
class RunProcess;

// A launch as it runs (docs/dashboard.md, "Running from the dashboard"): `t2ibench-cli run
// --events` as a child process, and per run its progress and ETA, in flight / done / failed,
// rolling p50/p95 and throughput, cold starts as they happen, workers and queue depth, detection
// lag and spend against the budget. Cancel keeps everything collected and marks the run
// cancelled; a finished run opens in run detail.
class LivePage : public QWidget {
    Q_OBJECT
public:
    explicit LivePage(QWidget* parent = nullptr);
    ~LivePage() override;

    // Launches `run CONFIG` into the library at dbPath: only the listed providers / variants
    // (empty: all), with a budget cap when one is given. Refused (false, errorOccurred) while
    // a launch is still running.
    bool start(const QString& configPath, const QStringList& providers, const QStringList& variants,
        std::optional<double> budgetUsd, const QString& dbPath);
    void cancel(); // keeps what was collected; the run is stored cancelled
    bool isRunning() const;
    // The CLI the page starts: $T2IBENCH_CLI, else t2ibench-cli beside this program.
    void setCliProgram(const QString& program) { m_cli = program; }
    QString cliProgram() const { return m_cli; }

    RunProcess* process() const { return m_process; }
    LiveRunModel* model() const { return m_model; }
    int shownRun() const; // the run whose numbers the page shows, -1 before any

signals:
    void started();
    void runFinished(const QString& runId, const QString& status); // one run of the launch is stored
    void launchFinished(int exitCode); // the child is gone
    void openRunRequested(const QString& runId);
    void errorOccurred(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void showRun(int index);
    void refreshPlan();
    void refreshShown();
    void onLaunchFinished(int exitCode, const QString& errorText);

    QString m_cli;
    RunProcess* m_process;
    LiveRunModel* m_model;
    QLabel* m_title;
    QComboBox* m_runs;
    QLabel* m_status;
    QPushButton* m_cancel;
    QPushButton* m_openRun;
    QProgressBar* m_progress;
    QLabel* m_counters;
    QLabel* m_latency;
    QLabel* m_workers;
    QProgressBar* m_spend;
    QLabel* m_error;
    std::unique_ptr<LiveChart> m_latencyChart, m_throughputChart, m_workersChart;
    bool m_followCurrent = true; // the page follows the running run until the user picks one
};

} // namespace t2i::ui
