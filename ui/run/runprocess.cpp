// SPDX-License-Identifier: Apache-2.0
#include "run/runprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>
#endif

namespace t2i::ui {
namespace {

constexpr qsizetype kStderrKept = 4000; // characters of the child's stderr kept for the error text

double numberOr(const QJsonValue& value, double unknown)
{
    return value.isDouble() ? value.toDouble() : unknown;
}

LiveRequest requestFrom(const QJsonObject& o)
{
    LiveRequest r;
    r.seq = qint64(o.value("seq").toDouble());
    r.step = o.value("step").toInt();
    r.endMs = o.value("end_ms").toDouble();
    r.latencyMs = o.value("latency_ms").toDouble();
    r.ok = o.value("ok").toBool();
    r.error = o.value("error").toString();
    if (o.value("cold").isBool())
        r.cold = o.value("cold").toBool();
    if (o.value("detection_lag_ms").isDouble())
        r.detectionLagMs = o.value("detection_lag_ms").toDouble();
    return r;
}

} // namespace

RunProcess::RunProcess(QObject* parent)
    : QObject(parent)
{
    static const bool registered = [] {
        qRegisterMetaType<LivePlannedRun>();
        qRegisterMetaType<LiveProgress>();
        qRegisterMetaType<LiveRequest>();
        qRegisterMetaType<LiveWorkers>();
        return true;
    }();
    Q_UNUSED(registered);
    m_terminate.setSingleShot(true);
    m_kill.setSingleShot(true);
    connect(&m_terminate, &QTimer::timeout, &m_process, &QProcess::terminate);
    connect(&m_kill, &QTimer::timeout, &m_process, &QProcess::kill);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &RunProcess::readOutput);
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
        m_stderr += QString::fromUtf8(m_process.readAllStandardError());
        if (m_stderr.size() > kStderrKept)
            m_stderr = m_stderr.right(kStderrKept);
    });
    connect(&m_process, &QProcess::finished, this, &RunProcess::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            emit finished(-1, tr("could not start %1: %2").arg(m_process.program(), m_process.errorString()));
    });
#ifdef Q_OS_LINUX
    // SIGTERM to the child when this process dies, even by SIGKILL: it cancels its run and keeps
    // what it collected. The check after prctl closes the race with a parent that died first.
    const pid_t self = getpid();
    m_process.setChildProcessModifier([self] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != self)
            ::raise(SIGTERM);
    });
#endif
}

RunProcess::~RunProcess()
{
    if (!isRunning())
        return;
    // Only when the window is torn down with a child still running (MainWindow waits for it
    // first): closing stdin lets it cancel; the kill that QProcess's destructor does follows.
    disconnect(&m_process, nullptr, this, nullptr);
    m_process.closeWriteChannel();
}

QStringList RunProcess::runArguments(const QString& configPath, const QString& dbPath, const QStringList& providers,
    const QStringList& variants, std::optional<double> budgetUsd)
{
    QStringList arguments { QStringLiteral("run"), configPath, QStringLiteral("--db"), dbPath,
        QStringLiteral("--events"), QStringLiteral("--cancel-on-stdin-close") };
    if (!providers.isEmpty())
        arguments << QStringLiteral("--providers") << providers.join(',');
    if (!variants.isEmpty())
        arguments << QStringLiteral("--variants") << variants.join(',');
    if (budgetUsd)
        arguments << QStringLiteral("--budget-usd") << QString::number(*budgetUsd, 'g', 12);
    return arguments;
}

void RunProcess::start(const QString& program, const QStringList& arguments)
{
    m_cancelRequested = false;
    m_doneExitCode.reset();
    m_malformed = 0;
    m_stderr.clear();
    // stdin stays a pipe we never write to: its end of file is the child's cue to cancel.
    m_process.start(program, arguments, QIODevice::ReadWrite);
}

void RunProcess::cancel()
{
    if (!isRunning() || m_cancelRequested)
        return;
    m_cancelRequested = true;
    m_process.closeWriteChannel();
    m_terminate.start(m_graceMs);
    m_kill.start(2 * m_graceMs);
}

void RunProcess::readOutput()
{
    while (m_process.canReadLine())
        handleLine(m_process.readLine());
}

void RunProcess::handleLine(const QByteArray& line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        ++m_malformed;
        return;
    }
    const QJsonObject o = document.object();
    const QString event = o.value("event").toString();
    const int index = o.value("index").toInt();
    if (event == QLatin1String("requests")) {
        const QJsonArray items = o.value("items").toArray();
        QList<LiveRequest> requests;
        requests.reserve(items.size());
        for (const QJsonValue& item : items)
            requests.push_back(requestFrom(item.toObject()));
        emit requestsFinished(index, requests);
    } else if (event == QLatin1String("progress")) {
        LiveProgress p;
        p.index = index;
        p.elapsedMs = o.value("elapsed_ms").toDouble();
        p.etaMs = numberOr(o.value("eta_ms"), -1);
        p.sent = qint64(o.value("sent").toDouble());
        p.done = qint64(o.value("done").toDouble());
        p.ok = qint64(o.value("ok").toDouble());
        p.errors = qint64(o.value("errors").toDouble());
        p.inFlight = qint64(o.value("in_flight").toDouble());
        p.phase = o.value("phase").toString();
        p.committedUsd = numberOr(o.value("committed_usd"), -1);
        p.budgetUsd = numberOr(o.value("budget_usd"), -1);
        emit progressed(p);
    } else if (event == QLatin1String("workers")) {
        LiveWorkers w;
        w.index = index;
        w.tMs = o.value("t_ms").toDouble();
        w.ready = o.value("ready").toInt();
        w.running = o.value("running").toInt();
        w.idle = o.value("idle").toInt();
        w.initializing = o.value("initializing").toInt();
        w.inQueue = o.value("in_queue").toInt();
        w.inProgress = o.value("in_progress").toInt();
        emit workersSampled(w);
    } else if (event == QLatin1String("run_start")) {
        emit runStarted(index, o.value("run_id").toString(), o.value("name").toString());
    } else if (event == QLatin1String("run_end")) {
        emit runEnded(index, o.value("run_id").toString(), o.value("status").toString(), o.value("message").toString());
    } else if (event == QLatin1String("plan")) {
        QList<LivePlannedRun> runs;
        for (const QJsonValue& value : o.value("runs").toArray()) {
            const QJsonObject run = value.toObject();
            runs.push_back({ run.value("index").toInt(), run.value("name").toString(), run.value("provider").toString(),
                run.value("variant").toString() });
        }
        emit planned(runs, numberOr(o.value("budget_usd"), -1));
    } else if (event == QLatin1String("done")) {
        m_doneExitCode = o.value("exit_code").toInt();
    } else {
        ++m_malformed; // an event this dashboard does not know: skipped, counted
    }
}

void RunProcess::onFinished(int exitCode, QProcess::ExitStatus status)
{
    readOutput();
    if (!m_process.atEnd())
        handleLine(m_process.readAll()); // a last line without its newline
    m_stderr += QString::fromUtf8(m_process.readAllStandardError());
    m_terminate.stop();
    m_kill.stop();
    int code = status == QProcess::NormalExit ? exitCode : -1;
    if (m_doneExitCode)
        code = *m_doneExitCode;
    emit finished(code, m_stderr.trimmed());
}

} // namespace t2i::ui
