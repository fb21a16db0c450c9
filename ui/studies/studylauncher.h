// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QProcess>
#include <QStringList>

namespace t2i::ui {

// What "Run Study…" asks for: `t2ibench-cli study CONFIG --kind KIND ...` into the page's library.
struct StudyRequest {
    QString configPath;
    QString kind;
    QString provider; // empty: the configuration's only one
    QString variant;
    QStringList params; // KEY=VALUE, each as typed
};

// One study as a child process, as the Live page runs a launch: the study is exactly what the
// CLI does (its preflight, emulator, runs, result in the library), nothing is re-implemented, and
// the library is the hand-over. Read asynchronously; nothing here waits on the GUI thread.
// cancel() sends SIGTERM, which the CLI turns into a cancelled study that keeps its runs; on
// Linux the child also gets SIGTERM when the dashboard dies, so it is never orphaned.
class StudyLauncher : public QObject {
    Q_OBJECT
public:
    explicit StudyLauncher(QObject* parent = nullptr);
    ~StudyLauncher() override; // a child still running is cancelled, then killed

    static QStringList arguments(const StudyRequest& request, const QString& dbPath);

    // $T2IBENCH_CLI, else t2ibench-cli beside this program.
    void setProgram(const QString& program) { m_program = program; }
    QString program() const { return m_program; }

    void start(const StudyRequest& request, const QString& dbPath);
    void cancel();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

signals:
    void started();
    // The child is gone: its exit code (0 completed, 1 failed, 2 refused, 130 cancelled; -1 when
    // it crashed or could not start) and the tail of what it printed on stderr.
    void finished(int exitCode, const QString& errorText);

private:
    QProcess m_process;
    QString m_program;
    QString m_stderr;
};

} // namespace t2i::ui
