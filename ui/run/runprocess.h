// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "run/liveevents.h"

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace t2i::ui {

// A launch as a child process: `t2ibench-cli run CONFIG --events --cancel-on-stdin-close ...`,
// read asynchronously (nothing here ever waits on the GUI thread), its JSON lines turned into
// typed signals as they arrive. The child holds the read end of a pipe this object writes: when
// the dashboard goes away, however it goes, the child sees end of file and cancels its run
// (keeping what it collected); on Linux it also gets SIGTERM when its parent dies.
class RunProcess : public QObject {
    Q_OBJECT
public:
    explicit RunProcess(QObject* parent = nullptr);
    ~RunProcess() override; // a child still running is cancelled, then killed: never orphaned

    // The arguments of `run` for a launch; the budget only when one is set.
    static QStringList runArguments(const QString& configPath, const QString& dbPath, const QStringList& providers,
        const QStringList& variants, std::optional<double> budgetUsd);

    void start(const QString& program, const QStringList& arguments);
    // Closes the child's stdin (it cancels the run and keeps what it collected); SIGTERM after
    // the grace if it has not finished, SIGKILL after twice the grace. Returns at once.
    void cancel();
    void setCancelGrace(int ms) { m_graceMs = ms; }
    void kill() { m_process.kill(); } // the last resort: the run is left "interrupted"
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    bool cancelRequested() const { return m_cancelRequested; }
    qint64 processId() const { return m_process.processId(); }
    int malformedLines() const { return m_malformed; } // lines that were not events (counted, skipped)
    QString errorText() const { return m_stderr; } // the tail of the child's stderr

signals:
    void planned(const QList<t2i::ui::LivePlannedRun>& runs, double budgetUsd); // budget -1: none
    void runStarted(int index, const QString& runId, const QString& name);
    void progressed(const t2i::ui::LiveProgress& progress);
    void requestsFinished(int index, const QList<t2i::ui::LiveRequest>& requests);
    void workersSampled(const t2i::ui::LiveWorkers& sample);
    void runEnded(int index, const QString& runId, const QString& status, const QString& message);
    // The child is gone: the exit code its "done" event gave, else its own (-1 when it crashed or
    // could not start); errorText says why when it failed.
    void finished(int exitCode, const QString& errorText);

private:
    void readOutput();
    void handleLine(const QByteArray& line);
    void onFinished(int exitCode, QProcess::ExitStatus status);

    QProcess m_process;
    QTimer m_terminate;
    QTimer m_kill;
    int m_graceMs = 10000;
    bool m_cancelRequested = false;
    std::optional<int> m_doneExitCode;
    int m_malformed = 0;
    QString m_stderr;
};

} // namespace t2i::ui
