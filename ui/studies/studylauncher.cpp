// SPDX-License-Identifier: Apache-2.0
#include "studies/studylauncher.h"

#include <QCoreApplication>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>
#endif

namespace t2i::ui {
namespace {

constexpr qsizetype kStderrKept = 4000; // characters of the child's stderr kept for the error text

QString defaultCli()
{
    const QString fromEnvironment = qEnvironmentVariable("T2IBENCH_CLI");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    return QCoreApplication::applicationDirPath() + QStringLiteral("/t2ibench-cli");
}

} // namespace

StudyLauncher::StudyLauncher(QObject* parent)
    : QObject(parent)
    , m_program(defaultCli())
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    // Its stdout (the printed result) is not needed: the result is read from the library.
    m_process.setStandardOutputFile(QProcess::nullDevice());
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
        m_stderr += QString::fromUtf8(m_process.readAllStandardError());
        if (m_stderr.size() > kStderrKept)
            m_stderr = m_stderr.right(kStderrKept);
    });
    connect(&m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        m_stderr += QString::fromUtf8(m_process.readAllStandardError());
        emit finished(status == QProcess::NormalExit ? exitCode : -1, m_stderr.trimmed());
    });
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            emit finished(-1, tr("cannot start %1: %2").arg(m_program, m_process.errorString()));
    });
#ifdef Q_OS_LINUX
    // SIGTERM to the child when this process dies, even by SIGKILL: it cancels its study. The
    // check after prctl closes the race with a parent that died first.
    const pid_t self = getpid();
    m_process.setChildProcessModifier([self] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != self)
            ::raise(SIGTERM);
    });
#endif
}

StudyLauncher::~StudyLauncher()
{
    if (!isRunning())
        return;
    m_process.disconnect(this);
    m_process.terminate(); // the study is cancelled and keeps its runs; QProcess's destructor kills what is left
    m_process.waitForFinished(3000);
}

QStringList StudyLauncher::arguments(const StudyRequest& request, const QString& dbPath)
{
    QStringList args { QStringLiteral("study"), request.configPath, QStringLiteral("--kind"), request.kind,
        QStringLiteral("--db"), dbPath };
    if (!request.provider.isEmpty())
        args << QStringLiteral("--provider") << request.provider;
    if (!request.variant.isEmpty())
        args << QStringLiteral("--variant") << request.variant;
    for (const QString& param : request.params)
        args << QStringLiteral("--param") << param;
    return args;
}

void StudyLauncher::start(const StudyRequest& request, const QString& dbPath)
{
    if (isRunning())
        return;
    m_stderr.clear();
    m_process.start(m_program, arguments(request, dbPath));
    emit started();
}

void StudyLauncher::cancel()
{
    if (isRunning())
        m_process.terminate();
}

} // namespace t2i::ui
